package clerk_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/clerk"
)

func mustPEMVerifier(tb testing.TB, opts clerk.Options) *clerk.Verifier {
	tb.Helper()
	opts.JWTKey = mustPublicPEM(tb, clerkKey())
	if opts.Now == nil {
		opts.Now = func() time.Time { return testNow }
	}

	v, err := clerk.NewVerifier(opts)
	if err != nil {
		tb.Fatalf("NewVerifier: %v", err)
	}
	return v
}

func TestVerifyPEM(t *testing.T) {
	t.Parallel()
	valid := sessionClaims(testNow)
	sign := func(claims map[string]any) string {
		return mustSign(t, clerkKey(), "ins_2testInstance", claims)
	}

	tests := []struct {
		name    string
		token   string
		want    clerk.Session
		wantErr error
	}{
		{
			name:  "valid",
			token: sign(valid),
			want:  clerk.Session{UserID: "user_2testUser", SessionID: "sess_2testSession"},
		},
		{
			name:  "valid without kid",
			token: mustSign(t, clerkKey(), "", valid),
			want:  clerk.Session{UserID: "user_2testUser", SessionID: "sess_2testSession"},
		},
		{
			name:  "expired within leeway",
			token: sign(with(valid, map[string]any{"exp": testNow.Add(-4 * time.Second).Unix()})),
			want:  clerk.Session{UserID: "user_2testUser", SessionID: "sess_2testSession"},
		},
		{
			name:  "not yet valid within leeway",
			token: sign(with(valid, map[string]any{"nbf": testNow.Add(4 * time.Second).Unix()})),
			want:  clerk.Session{UserID: "user_2testUser", SessionID: "sess_2testSession"},
		},
		{
			name:  "issued in the future within leeway",
			token: sign(with(valid, map[string]any{"iat": testNow.Add(4 * time.Second).Unix()})),
			want:  clerk.Session{UserID: "user_2testUser", SessionID: "sess_2testSession"},
		},
		{
			name:    "expired",
			token:   sign(with(valid, map[string]any{"exp": testNow.Add(-6 * time.Second).Unix()})),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "not yet valid",
			token:   sign(with(valid, map[string]any{"nbf": testNow.Add(time.Minute).Unix()})),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "issued in the future",
			token:   sign(with(valid, map[string]any{"iat": testNow.Add(time.Minute).Unix()})),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "no exp",
			token:   sign(with(valid, map[string]any{"exp": nil})),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "no sub",
			token:   sign(with(valid, map[string]any{"sub": nil})),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "issuer not Clerk's",
			token:   sign(with(valid, map[string]any{"iss": "https://evil.example"})),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "wrong key",
			token:   mustSign(t, otherKey(), "ins_2testInstance", valid),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "alg none",
			token:   unsignedToken(t, valid),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "alg HS256 keyed with the public key",
			token:   mustSignHS256(t, []byte(mustPublicPEM(t, clerkKey())), valid),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "signature cut off",
			token:   sign(valid)[:len(sign(valid))-10],
			wantErr: clerk.ErrInvalidToken,
		},
		{name: "garbage", token: "not-a-jwt", wantErr: clerk.ErrInvalidToken},
		{name: "three garbage parts", token: "a.b.c", wantErr: clerk.ErrInvalidToken},
		{name: "empty", token: "", wantErr: clerk.ErrNoToken},
		{name: "blank", token: "  ", wantErr: clerk.ErrNoToken},
		{name: "null from a signed-out client", token: "null", wantErr: clerk.ErrNoToken},
		{name: "undefined", token: "undefined", wantErr: clerk.ErrNoToken},
	}

	v := mustPEMVerifier(t, clerk.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := v.Verify(context.Background(), tt.token)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify(%.20q…) error = %v, want %v", tt.token, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Verify(%.20q…) session mismatch (-want +got):\n%s", tt.token, diff)
			}
		})
	}
}

func TestVerifyLeeway(t *testing.T) {
	t.Parallel()
	expiredBy := func(d time.Duration) map[string]any {
		return with(sessionClaims(testNow), map[string]any{"exp": testNow.Add(-d).Unix()})
	}

	invalid := clerk.ErrInvalidToken
	tests := []struct {
		name    string
		leeway  time.Duration
		claims  map[string]any
		wantErr error
	}{
		{"default 5s accepts 5s late", 0, expiredBy(5 * time.Second), nil},
		{"default 5s refuses 6s late", 0, expiredBy(6 * time.Second), invalid},
		{"negative means none", -1, expiredBy(time.Second), invalid},
		{"a minute accepts 50s late", time.Minute, expiredBy(50 * time.Second), nil},
		{"a minute refuses 61s late", time.Minute, expiredBy(61 * time.Second), invalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := mustPEMVerifier(t, clerk.Options{Leeway: tt.leeway})
			token := mustSign(t, clerkKey(), "ins_2testInstance", tt.claims)

			_, err := v.Verify(context.Background(), token)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Verify with leeway %v: error = %v, want %v", tt.leeway, err, tt.wantErr)
			}
		})
	}
}

func TestVerifyClaimOptions(t *testing.T) {
	t.Parallel()
	valid := sessionClaims(testNow)

	tests := []struct {
		name    string
		opts    clerk.Options
		claims  map[string]any
		wantErr error
	}{
		{
			name: "azp listed",
			opts: clerk.Options{
				AuthorizedParties: []string{"https://x.example", "http://localhost:5173"},
			},
			claims: valid,
		},
		{
			name:    "azp not listed",
			opts:    clerk.Options{AuthorizedParties: []string{"https://tickets.example"}},
			claims:  valid,
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:    "azp missing while checked",
			opts:    clerk.Options{AuthorizedParties: []string{"http://localhost:5173"}},
			claims:  with(valid, map[string]any{"azp": nil}),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:   "azp missing, not checked",
			claims: with(valid, map[string]any{"azp": nil}),
		},
		{
			name:   "issuer pinned and matching",
			opts:   clerk.Options{Issuer: "https://clerk.marquee.example"},
			claims: valid,
		},
		{
			name:    "issuer pinned, other Clerk instance",
			opts:    clerk.Options{Issuer: "https://clerk.marquee.example"},
			claims:  with(valid, map[string]any{"iss": "https://clerk.other.example"}),
			wantErr: clerk.ErrInvalidToken,
		},
		{
			name:   "development instance issuer",
			claims: with(valid, map[string]any{"iss": "https://happy-cat-12.clerk.accounts.dev"}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := mustPEMVerifier(t, tt.opts)
			token := mustSign(t, clerkKey(), "ins_2testInstance", tt.claims)

			_, err := v.Verify(context.Background(), token)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("Verify(%v) with %+v: error = %v, want %v",
					tt.claims, tt.opts, err, tt.wantErr)
			}
		})
	}
}

func TestVerifyRequest(t *testing.T) {
	t.Parallel()
	token := mustSign(t, clerkKey(), "ins_2testInstance", sessionClaims(testNow))

	tests := []struct {
		name    string
		header  string
		wantErr error
	}{
		{"bearer token", "Bearer " + token, nil},
		{"scheme in lower case", "bearer " + token, nil},
		{"no header", "", clerk.ErrNoToken},
		{"signed-out React client", "Bearer null", clerk.ErrNoToken},
		{"bearer without token", "Bearer ", clerk.ErrNoToken},
		{"basic auth", "Basic dXNlcjpwYXNz", clerk.ErrInvalidToken},
		{"token without scheme", token, clerk.ErrInvalidToken},
	}
	v := mustPEMVerifier(t, clerk.Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/api/me", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}

			_, err := v.VerifyRequest(r)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("VerifyRequest(Authorization: %.30q) error = %v, want %v",
					tt.header, err, tt.wantErr)
			}
		})
	}
}

func TestNewVerifierErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    clerk.Options
		wantErr error
	}{
		{name: "nothing configured", opts: clerk.Options{}, wantErr: clerk.ErrNotConfigured},
		{name: "JWT key not PEM", opts: clerk.Options{JWTKey: "MIIBIjANBg"}},
		{name: "dev key not PEM", opts: clerk.Options{DevKeyPEM: "nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := clerk.NewVerifier(tt.opts)
			if err == nil {
				t.Fatalf("NewVerifier(%+v) succeeded, want an error", tt.opts)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("NewVerifier(%+v) error = %v, want %v", tt.opts, err, tt.wantErr)
			}
		})
	}
}
