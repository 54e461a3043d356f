package clerk_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/clerk"
)

// sharedDevDir holds one dev key pair for the tests that only use it; key
// generation is slow.
var sharedDevDir = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "clerk-devkey-test")
	if err != nil {
		return "", err
	}
	_, _, err = clerk.LoadOrCreateDevKey(dir)
	return dir, err
})

func mustDevKey(tb testing.TB) (*clerk.DevKey, string) {
	tb.Helper()
	dir, err := sharedDevDir()
	if err != nil {
		tb.Fatalf("make shared dev key: %v", err)
	}
	key, _, err := clerk.LoadOrCreateDevKey(dir)
	if err != nil {
		tb.Fatalf("LoadOrCreateDevKey(%s): %v", dir, err)
	}
	return key, dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if dir, err := sharedDevDir(); err == nil {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func TestLoadOrCreateDevKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	first, created, err := clerk.LoadOrCreateDevKey(dir)
	if err != nil || !created {
		t.Fatalf("LoadOrCreateDevKey(empty dir) = created %v, error %v; want created", created, err)
	}
	again, created, err := clerk.LoadOrCreateDevKey(dir)
	if err != nil || created {
		t.Fatalf("LoadOrCreateDevKey(second time) = created %v, error %v; want reused",
			created, err)
	}
	if again.ID != first.ID {
		t.Errorf("reloaded key id = %q, want %q", again.ID, first.ID)
	}

	info, err := os.Stat(filepath.Join(dir, "devtoken", "private.pem"))
	if err != nil {
		t.Fatalf("stat private key: %v", err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("private key permissions = %v, want 0600", perm)
	}

	// A deleted public key is restored from the private one.
	if err := os.Remove(first.PublicKeyPath); err != nil {
		t.Fatal(err)
	}
	if _, _, err := clerk.LoadOrCreateDevKey(dir); err != nil {
		t.Fatalf("LoadOrCreateDevKey(public key deleted): %v", err)
	}
	if _, err := clerk.DevPublicKeyPEM(dir); err != nil {
		t.Errorf("DevPublicKeyPEM after repair: %v", err)
	}
}

func TestLoadOrCreateDevKeyConcurrent(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	const n = 3
	var wg sync.WaitGroup
	keys := make([]*clerk.DevKey, n)
	created := make([]bool, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { keys[i], created[i], errs[i] = clerk.LoadOrCreateDevKey(dir) })
	}
	wg.Wait()

	creators := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("LoadOrCreateDevKey #%d: %v", i, errs[i])
		}
		if keys[i].ID != keys[0].ID {
			t.Errorf("LoadOrCreateDevKey #%d key id = %q, want %q like #0",
				i, keys[i].ID, keys[0].ID)
		}
		if created[i] {
			creators++
		}
	}
	if creators != 1 {
		t.Errorf("%d of %d concurrent calls report creating the key, want 1", creators, n)
	}
}

func TestDevPublicKeyPEMMissing(t *testing.T) {
	t.Parallel()
	_, err := clerk.DevPublicKeyPEM(t.TempDir())
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("DevPublicKeyPEM(empty dir) error = %v, want fs.ErrNotExist", err)
	}
}

func TestVerifyDevToken(t *testing.T) {
	t.Parallel()
	key, dir := mustDevKey(t)
	devPEM, err := clerk.DevPublicKeyPEM(dir)
	if err != nil {
		t.Fatalf("DevPublicKeyPEM: %v", err)
	}
	clerkToken := mustSign(t, clerkKey(), "ins_2testInstance", sessionClaims(testNow))
	devIssued := with(sessionClaims(testNow), map[string]any{"iss": clerk.DevIssuer})
	devToken, err := key.Mint(clerk.DevClaims{
		UserID:          "user_demo",
		SessionID:       "sess_demo",
		AuthorizedParty: "http://localhost:5173",
		IssuedAt:        testNow.Add(-time.Hour),
	})
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}

	tests := []struct {
		name    string
		opts    clerk.Options
		token   string
		want    clerk.Session
		wantErr error
	}{
		{
			name:  "dev key alone",
			opts:  clerk.Options{DevKeyPEM: devPEM},
			token: devToken,
			want:  clerk.Session{UserID: "user_demo", SessionID: "sess_demo"},
		},
		{
			name:  "dev token beside Clerk's key",
			opts:  clerk.Options{DevKeyPEM: devPEM, JWTKey: mustPublicPEM(t, clerkKey())},
			token: devToken,
			want:  clerk.Session{UserID: "user_demo", SessionID: "sess_demo"},
		},
		{
			name:  "Clerk token beside the dev key",
			opts:  clerk.Options{DevKeyPEM: devPEM, JWTKey: mustPublicPEM(t, clerkKey())},
			token: clerkToken,
			want:  clerk.Session{UserID: "user_2testUser", SessionID: "sess_2testSession"},
		},
		{
			name:    "dev token without the dev key",
			opts:    clerk.Options{JWTKey: mustPublicPEM(t, clerkKey())},
			token:   devToken,
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "dev key id on a token signed by another key",
			opts:    clerk.Options{DevKeyPEM: devPEM},
			token:   mustSign(t, otherKey(), key.ID, devIssued),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name: "dev token checked for azp",
			opts: clerk.Options{
				DevKeyPEM:         devPEM,
				AuthorizedParties: []string{"https://tickets.example"},
			},
			token:   devToken,
			wantErr: clerk.ErrInvalidToken,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.opts.Now = func() time.Time { return testNow }
			v, err := clerk.NewVerifier(tt.opts)
			if err != nil {
				t.Fatalf("NewVerifier: %v", err)
			}

			got, err := v.Verify(context.Background(), tt.token)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Verify = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMintDevTokenDefaults(t *testing.T) {
	t.Parallel()
	key, dir := mustDevKey(t)
	devPEM, err := clerk.DevPublicKeyPEM(dir)
	if err != nil {
		t.Fatalf("DevPublicKeyPEM: %v", err)
	}
	token, err := key.Mint(clerk.DevClaims{UserID: "user_demo", IssuedAt: testNow})
	if err != nil {
		t.Fatalf("Mint: %v", err)
	}

	// Valid for a day by default, not a second longer than the leeway.
	for _, tt := range []struct {
		at      time.Time
		wantErr error
	}{
		{testNow.Add(23 * time.Hour), nil},
		{testNow.Add(24*time.Hour + time.Minute), clerk.ErrInvalidToken},
	} {
		now := func() time.Time { return tt.at }
		v, err := clerk.NewVerifier(clerk.Options{DevKeyPEM: devPEM, Now: now})
		if err != nil {
			t.Fatalf("NewVerifier: %v", err)
		}
		got, err := v.Verify(context.Background(), token)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("Verify at %v: error = %v, want %v", tt.at, err, tt.wantErr)
		}
		if tt.wantErr == nil && (got.UserID != "user_demo" || got.SessionID == "") {
			t.Errorf("Verify at %v = %+v, want user_demo with a generated session id", tt.at, got)
		}
	}

	if _, err := key.Mint(clerk.DevClaims{}); err == nil {
		t.Errorf("Mint(no user id) succeeded, want an error")
	}
}
