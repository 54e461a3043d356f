package clerk_test

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/clerk"
)

const fakeSecretKey = "sk_test_fakeMarqueeSecret"

// fakeClerk serves GET /v1/jwks the way Clerk's Backend API does: bearer
// auth with the secret key, and the key set as {"keys": [JWK]}.
type fakeClerk struct {
	*httptest.Server
	hits atomic.Int64

	mu   sync.Mutex
	keys map[string]*rsa.PrivateKey // by kid
	fail int                        // status to answer with, if not 0
}

func newFakeClerk(tb testing.TB, keys map[string]*rsa.PrivateKey) *fakeClerk {
	tb.Helper()
	f := &fakeClerk{keys: keys}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/jwks", f.serveJWKS)
	f.Server = httptest.NewServer(mux)
	tb.Cleanup(f.Close)
	return f
}

func (f *fakeClerk) serveJWKS(w http.ResponseWriter, r *http.Request) {
	f.hits.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+fakeSecretKey {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"errors":[{"message":"Invalid authentication",` +
			`"long_message":"The provided Clerk Secret Key is invalid.",` +
			`"code":"authentication_invalid"}],"clerk_trace_id":"trace_fake"}`))
		return
	}
	if f.fail != 0 {
		w.WriteHeader(f.fail)
		_, _ = w.Write([]byte(`{"errors":[{"message":"Internal error",` +
			`"code":"internal_clerk_error"}]}`))
		return
	}

	keys := []map[string]string{}
	for kid, k := range f.keys {
		keys = append(keys, jwkJSON(kid, &k.PublicKey))
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": keys})
}

func (f *fakeClerk) setKeys(keys map[string]*rsa.PrivateKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.keys = keys
}

func (f *fakeClerk) setFailure(status int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail = status
}

// jwkJSON is one entry of Clerk's key set.
func jwkJSON(kid string, pub *rsa.PublicKey) map[string]string {
	enc := base64.RawURLEncoding
	return map[string]string{
		"use": "sig",
		"kty": "RSA",
		"kid": kid,
		"alg": "RS256",
		"n":   enc.EncodeToString(pub.N.Bytes()),
		"e":   enc.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
}

func mustJWKSVerifier(tb testing.TB, apiURL string, clock *fakeClock) *clerk.Verifier {
	tb.Helper()
	v, err := clerk.NewVerifier(clerk.Options{
		SecretKey:    fakeSecretKey,
		APIURL:       apiURL,
		FetchTimeout: 2 * time.Second,
		Now:          clock.Now,
	})
	if err != nil {
		tb.Fatalf("NewVerifier: %v", err)
	}
	return v
}

func TestVerifyJWKS(t *testing.T) {
	t.Parallel()
	clerkAPI := newFakeClerk(t, map[string]*rsa.PrivateKey{"ins_key1": clerkKey()})
	clock := &fakeClock{now: testNow}
	// The version path is added when the configured URL has none.
	v := mustJWKSVerifier(t, clerkAPI.URL, clock)

	token := mustSign(t, clerkKey(), "ins_key1", sessionClaims(testNow))
	got, err := v.Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("Verify(valid token) error = %v", err)
	}
	want := clerk.Session{UserID: "user_2testUser", SessionID: "sess_2testSession"}
	if got != want {
		t.Errorf("Verify(valid token) = %+v, want %+v", got, want)
	}

	// Later tokens of the same key are checked from the cache.
	for i := range 5 {
		clock.Advance(time.Hour)
		token := mustSign(t, clerkKey(), "ins_key1", sessionClaims(clock.Now()))
		if _, err := v.Verify(context.Background(), token); err != nil {
			t.Fatalf("Verify(token %d) error = %v", i, err)
		}
	}
	if n := clerkAPI.hits.Load(); n != 1 {
		t.Errorf("key set fetched %d times, want 1", n)
	}
}

func TestVerifyJWKSConcurrentFirstUse(t *testing.T) {
	t.Parallel()
	clerkAPI := newFakeClerk(t, map[string]*rsa.PrivateKey{"ins_key1": clerkKey()})
	v := mustJWKSVerifier(t, clerkAPI.URL+"/v1", &fakeClock{now: testNow})
	token := mustSign(t, clerkKey(), "ins_key1", sessionClaims(testNow))

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := v.Verify(context.Background(), token)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)

	for err := range errs {
		if err != nil {
			t.Errorf("Verify error = %v", err)
		}
	}
	if n := clerkAPI.hits.Load(); n != 1 {
		t.Errorf("20 concurrent first verifications fetched the key set %d times, want 1", n)
	}
}

func TestVerifyJWKSUnknownAndRotatedKeys(t *testing.T) {
	t.Parallel()
	clerkAPI := newFakeClerk(t, map[string]*rsa.PrivateKey{"ins_key1": clerkKey()})
	clock := &fakeClock{now: testNow}
	v := mustJWKSVerifier(t, clerkAPI.URL+"/v1", clock)
	verify := func(key *rsa.PrivateKey, kid string) error {
		_, err := v.Verify(context.Background(), mustSign(t, key, kid, sessionClaims(clock.Now())))
		return err
	}

	if err := verify(clerkKey(), "ins_key1"); err != nil {
		t.Fatalf("Verify(ins_key1) error = %v", err)
	}

	// An unknown key id right after a fetch does not fetch again.
	if err := verify(otherKey(), "ins_made_up"); !errors.Is(err, clerk.ErrInvalidToken) {
		t.Errorf("Verify(unknown kid) error = %v, want %v", err, clerk.ErrInvalidToken)
	}
	if n := clerkAPI.hits.Load(); n != 1 {
		t.Errorf("after an unknown kid: key set fetched %d times, want 1", n)
	}

	// Clerk rotates: the new key is fetched once the pause is over, and the
	// withdrawn one stops working.
	clerkAPI.setKeys(map[string]*rsa.PrivateKey{"ins_key2": otherKey()})
	clock.Advance(time.Minute)
	if err := verify(otherKey(), "ins_key2"); err != nil {
		t.Errorf("Verify(rotated-in ins_key2) error = %v", err)
	}
	if err := verify(clerkKey(), "ins_key1"); !errors.Is(err, clerk.ErrInvalidToken) {
		t.Errorf("Verify(withdrawn ins_key1) error = %v, want %v", err, clerk.ErrInvalidToken)
	}

	// A key of the set does not vouch for tokens that name it but were
	// signed by another.
	if err := verify(clerkKey(), "ins_key2"); !errors.Is(err, clerk.ErrInvalidToken) {
		t.Errorf("Verify(ins_key2 header, other signer) error = %v, want %v",
			err, clerk.ErrInvalidToken)
	}
	if err := verify(otherKey(), ""); !errors.Is(err, clerk.ErrInvalidToken) {
		t.Errorf("Verify(no kid) error = %v, want %v", err, clerk.ErrInvalidToken)
	}
}

func TestVerifyJWKSFailures(t *testing.T) {
	t.Parallel()
	token := mustSign(t, clerkKey(), "ins_key1", sessionClaims(testNow))

	t.Run("server down", func(t *testing.T) {
		t.Parallel()
		clerkAPI := newFakeClerk(t, nil)
		clerkAPI.Close()
		v := mustJWKSVerifier(t, clerkAPI.URL+"/v1", &fakeClock{now: testNow})

		_, err := v.Verify(context.Background(), token)
		if !errors.Is(err, clerk.ErrKeysUnavailable) {
			t.Errorf("Verify with Clerk down: error = %v, want %v", err, clerk.ErrKeysUnavailable)
		}
	})

	t.Run("wrong secret key", func(t *testing.T) {
		t.Parallel()
		clerkAPI := newFakeClerk(t, map[string]*rsa.PrivateKey{"ins_key1": clerkKey()})
		v, err := clerk.NewVerifier(clerk.Options{
			SecretKey: "sk_test_wrong",
			APIURL:    clerkAPI.URL + "/v1",
		})
		if err != nil {
			t.Fatalf("NewVerifier: %v", err)
		}

		_, err = v.Verify(context.Background(), token)
		if !errors.Is(err, clerk.ErrKeysUnavailable) {
			t.Errorf("Verify with a wrong secret key: error = %v, want %v",
				err, clerk.ErrKeysUnavailable)
		}
	})

	t.Run("server slower than the timeout", func(t *testing.T) {
		t.Parallel()
		release := make(chan struct{})
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		t.Cleanup(slow.Close)
		t.Cleanup(func() { close(release) })
		v, err := clerk.NewVerifier(clerk.Options{
			SecretKey:    fakeSecretKey,
			APIURL:       slow.URL + "/v1",
			FetchTimeout: 100 * time.Millisecond,
			Now:          func() time.Time { return testNow },
		})
		if err != nil {
			t.Fatalf("NewVerifier: %v", err)
		}

		start := time.Now()
		_, err = v.Verify(context.Background(), token)
		if !errors.Is(err, clerk.ErrKeysUnavailable) {
			t.Errorf("Verify with Clerk hanging: error = %v, want %v",
				err, clerk.ErrKeysUnavailable)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("Verify with Clerk hanging took %v, want about the 100ms timeout", d)
		}
	})
}

func TestVerifyJWKSRecovers(t *testing.T) {
	t.Parallel()
	clerkAPI := newFakeClerk(t, map[string]*rsa.PrivateKey{"ins_key1": clerkKey()})
	clerkAPI.setFailure(http.StatusInternalServerError)
	clock := &fakeClock{now: testNow}
	v := mustJWKSVerifier(t, clerkAPI.URL+"/v1", clock)
	verify := func() error {
		token := mustSign(t, clerkKey(), "ins_key1", sessionClaims(clock.Now()))
		_, err := v.Verify(context.Background(), token)
		return err
	}

	if err := verify(); !errors.Is(err, clerk.ErrKeysUnavailable) {
		t.Fatalf("Verify with Clerk failing: error = %v, want %v", err, clerk.ErrKeysUnavailable)
	}
	// Right after a failure, requests are refused without asking Clerk again.
	if err := verify(); !errors.Is(err, clerk.ErrKeysUnavailable) {
		t.Fatalf("Verify again: error = %v, want %v", err, clerk.ErrKeysUnavailable)
	}
	if n := clerkAPI.hits.Load(); n != 1 {
		t.Errorf("two verifications within the retry pause fetched %d times, want 1", n)
	}

	clerkAPI.setFailure(0)
	clock.Advance(10 * time.Second)
	if err := verify(); err != nil {
		t.Errorf("Verify after Clerk recovered: error = %v", err)
	}
}
