package clerk_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/go-jose/go-jose/v3/jwt"
)

// testNow is the fixed time most tests verify at.
var testNow = time.Date(2026, 12, 5, 19, 0, 0, 0, time.UTC)

// testKeys are made once: RSA key generation is slow on shared CI cores.
var testKeys = sync.OnceValues(func() (*rsa.PrivateKey, *rsa.PrivateKey) {
	a, errA := rsa.GenerateKey(rand.Reader, 2048)
	b, errB := rsa.GenerateKey(rand.Reader, 2048)
	if err := errors.Join(errA, errB); err != nil {
		panic("generate test keys: " + err.Error())
	}
	return a, b
})

// clerkKey is the key standing in for a Clerk instance's signing key.
func clerkKey() *rsa.PrivateKey {
	k, _ := testKeys()
	return k
}

// otherKey is a key Clerk never used.
func otherKey() *rsa.PrivateKey {
	_, k := testKeys()
	return k
}

func mustPublicPEM(tb testing.TB, key *rsa.PrivateKey) string {
	tb.Helper()
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		tb.Fatalf("MarshalPKIXPublicKey: %v", err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// sessionClaims returns the claims of a Clerk session token issued at now,
// valid for a minute, as Clerk issues them.
func sessionClaims(now time.Time) map[string]any {
	return map[string]any{
		"azp": "http://localhost:5173",
		"exp": now.Add(time.Minute).Unix(),
		"iat": now.Unix(),
		"iss": "https://clerk.marquee.example",
		"nbf": now.Add(-10 * time.Second).Unix(),
		"sid": "sess_2testSession",
		"sub": "user_2testUser",
		"v":   2,
	}
}

// with returns a copy of claims with changes applied; a nil value removes
// the claim.
func with(claims map[string]any, changes map[string]any) map[string]any {
	out := make(map[string]any, len(claims))
	for k, v := range claims {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

// mustSign signs claims with key under RS256 and the key id kid (left out if
// empty).
func mustSign(tb testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	tb.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, opts)
	if err != nil {
		tb.Fatalf("NewSigner: %v", err)
	}

	token, err := jwt.Signed(signer).Claims(claims).CompactSerialize()
	if err != nil {
		tb.Fatalf("sign token: %v", err)
	}
	return token
}

// mustSignHS256 signs claims with an HMAC secret, the classic attack on
// verifiers that let the token choose the algorithm.
func mustSignHS256(tb testing.TB, secret []byte, claims map[string]any) string {
	tb.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: secret},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		tb.Fatalf("NewSigner: %v", err)
	}

	token, err := jwt.Signed(signer).Claims(claims).CompactSerialize()
	if err != nil {
		tb.Fatalf("sign token: %v", err)
	}
	return token
}

// unsignedToken builds an "alg": "none" token by hand; no library signs one.
func unsignedToken(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatalf("marshal claims: %v", err)
	}

	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
	return strings.Join([]string{header, enc.EncodeToString(payload), ""}, ".")
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
