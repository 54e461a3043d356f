package clerk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/clerk"
)

// FuzzVerify feeds session tokens to a verifier that trusts one key. The
// fuzzer cannot sign, so whatever it accepts must be a spelling of the one
// genuine token: the same user and session, never anyone else.
func FuzzVerify(f *testing.F) {
	dir := f.TempDir()
	key, _, err := clerk.LoadOrCreateDevKey(dir)
	if err != nil {
		f.Fatal(err)
	}
	pem, err := clerk.DevPublicKeyPEM(dir)
	if err != nil {
		f.Fatal(err)
	}
	v, err := clerk.NewVerifier(clerk.Options{DevKeyPEM: pem})
	if err != nil {
		f.Fatal(err)
	}
	genuine, err := key.Mint(clerk.DevClaims{UserID: "user_fuzz", Lifetime: 24 * time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	want, err := v.Verify(context.Background(), genuine)
	if err != nil {
		f.Fatalf("Verify(genuine token): %v", err)
	}

	header, _, _ := strings.Cut(genuine, ".")
	for _, s := range []string{
		genuine, genuine[:len(genuine)-2], header + ".e30.", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyX3gifQ.",
		"null", "", "a.b.c", strings.Repeat(".", 5),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		got, err := v.Verify(context.Background(), token)
		if err != nil {
			return
		}
		if got != want {
			t.Fatalf("Verify(%q) accepted %+v; only %+v was ever signed", token, got, want)
		}
	})
}
