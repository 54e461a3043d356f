// Package clerk verifies Clerk session tokens, the JWTs a signed-in React
// client sends as "Authorization: Bearer <token>".
//
// A [Verifier] checks a token networklessly with Clerk's PEM public key
// (CLERK_JWT_KEY), or with the key set Clerk serves to holders of the secret
// key (CLERK_SECRET_KEY), fetched once per key id and cached. For machines
// with no Clerk account, a local key pair and tokens in Clerk's shape can be
// made with [LoadOrCreateDevKey]; the caller decides when such a key may be
// trusted.
package clerk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	clerkjwt "github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/go-jose/go-jose/v3/jwt"
)

// DefaultLeeway is the clock skew allowed when checking a token's exp, nbf
// and iat claims, unless [Options.Leeway] says otherwise.
const DefaultLeeway = 5 * time.Second

// DefaultFetchTimeout bounds one fetch of Clerk's key set, unless
// [Options.FetchTimeout] says otherwise.
const DefaultFetchTimeout = 5 * time.Second

// DefaultAPIURL is the base URL of Clerk's Backend API.
const DefaultAPIURL = clerk.APIURL

// ErrNoToken means the request carries no session token: no Authorization
// header, an empty bearer token, or the literal "null" or "undefined" a
// signed-out React client sends.
var ErrNoToken = errors.New("no session token")

// ErrInvalidToken means the token is malformed, badly signed, expired, not
// yet valid, from an unknown key or issuer, or lacks a subject. The wrapped
// cause says which; it is for logs, not for the client.
var ErrInvalidToken = errors.New("invalid session token")

// ErrKeysUnavailable means Clerk's key set could not be fetched, so the token
// could not be checked. It is Clerk's failure, not the client's.
var ErrKeysUnavailable = errors.New("clerk signing keys unavailable")

// ErrNotConfigured is returned by [NewVerifier] when [Options] names no key
// at all.
var ErrNotConfigured = errors.New("clerk is not configured")

// Options configure a [Verifier]. At least one of JWTKey, SecretKey and
// DevKeyPEM must be set.
type Options struct {
	// JWTKey is Clerk's PEM-encoded RSA public key (CLERK_JWT_KEY). When set,
	// tokens are verified without any network call and SecretKey is not used.
	JWTKey string

	// SecretKey is Clerk's secret key (CLERK_SECRET_KEY), used to fetch the
	// key set from {APIURL}/jwks.
	SecretKey string

	// APIURL is the base URL of Clerk's Backend API, DefaultAPIURL if empty.
	// A URL with no path gets Clerk's version path: "https://api.clerk.com"
	// means "https://api.clerk.com/v1". Tests point it at a local server.
	APIURL string

	// FetchTimeout bounds one fetch of the key set; DefaultFetchTimeout if
	// zero.
	FetchTimeout time.Duration

	// HTTPClient fetches the key set; a client with FetchTimeout if nil.
	HTTPClient *http.Client

	// DevKeyPEM is an extra PEM public key, made by [LoadOrCreateDevKey],
	// whose tokens are accepted besides Clerk's. Only set it in local
	// development: anyone with the private key can sign in as anyone.
	DevKeyPEM string

	// Issuer, when set, is the only accepted iss claim of Clerk tokens.
	// Otherwise Clerk's rule applies: https://clerk.* or *.clerk.accounts.*.
	// Tokens of the dev key must always have the issuer [DevIssuer].
	Issuer string

	// AuthorizedParties, when not empty, lists the accepted azp claims (the
	// origins of the frontend, e.g. "https://tickets.example.com"); a token
	// without azp is then refused.
	AuthorizedParties []string

	// Leeway is the clock skew allowed for exp, nbf and iat: DefaultLeeway
	// if zero, none if negative.
	Leeway time.Duration

	// Now returns the current time; time.Now if nil.
	Now func() time.Time
}

// Session is who a verified token speaks for.
type Session struct {
	UserID    string // the Clerk user id, the token's sub
	SessionID string // the Clerk session id, the token's sid
}

// Verifier checks Clerk session tokens. It is safe for concurrent use.
type Verifier struct {
	pemKey  *clerk.JSONWebKey
	devKey  *clerk.JSONWebKey
	keys    *keySet // nil unless verifying through the key set
	issuer  *string
	parties map[string]bool
	leeway  time.Duration
	clock   clerk.Clock
}

// NewVerifier returns a Verifier for opts. It fails with ErrNotConfigured
// when opts names no key, and with a descriptive error when a PEM key cannot
// be parsed.
func NewVerifier(opts Options) (*Verifier, error) {
	if opts.JWTKey == "" && opts.SecretKey == "" && opts.DevKeyPEM == "" {
		return nil, fmt.Errorf("new clerk verifier: %w", ErrNotConfigured)
	}

	v := &Verifier{
		leeway: leeway(opts.Leeway),
		clock:  clockFunc(opts.Now),
	}
	if opts.Issuer != "" {
		v.issuer = &opts.Issuer
	}
	if len(opts.AuthorizedParties) > 0 {
		v.parties = make(map[string]bool, len(opts.AuthorizedParties))
		for _, p := range opts.AuthorizedParties {
			v.parties[p] = true
		}
	}

	var err error
	switch {
	case opts.JWTKey != "":
		v.pemKey, err = rsaJSONWebKey(opts.JWTKey)
		if err != nil {
			return nil, fmt.Errorf("new clerk verifier: parse JWT key: %w", err)
		}
	case opts.SecretKey != "":
		v.keys = newKeySet(opts)
	}

	if opts.DevKeyPEM != "" {
		v.devKey, err = devJSONWebKey(opts.DevKeyPEM)
		if err != nil {
			return nil, fmt.Errorf("new clerk verifier: parse dev key: %w", err)
		}
	}
	return v, nil
}

// VerifyRequest verifies the bearer token of r's Authorization header, as
// [Verifier.Verify] does. A missing header is ErrNoToken; a scheme other than
// Bearer is ErrInvalidToken.
func (v *Verifier) VerifyRequest(r *http.Request) (Session, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return Session{}, ErrNoToken
	}

	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return Session{}, fmt.Errorf("%w: authorization scheme is not Bearer", ErrInvalidToken)
	}
	return v.Verify(r.Context(), token)
}

// Verify checks token's signature, its exp, nbf and iat claims (with the
// configured leeway), its issuer and, if configured, its azp, and returns its
// session. It fails with ErrNoToken when token is empty, "null" or
// "undefined"; with ErrInvalidToken, wrapping the cause, when the token is
// not acceptable; and with ErrKeysUnavailable when Clerk's key set could not
// be fetched.
func (v *Verifier) Verify(ctx context.Context, token string) (Session, error) {
	token = strings.TrimSpace(token)
	switch token {
	case "", "null", "undefined":
		return Session{}, ErrNoToken
	}

	params, err := v.params(ctx, token)
	if err != nil {
		return Session{}, err
	}

	claims, err := clerkjwt.Verify(ctx, params)
	if err != nil {
		return Session{}, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}

	// The SDK accepts a token without exp; Clerk never issues one, and a
	// token that never expires is not one we want to honour.
	if claims.Expiry == nil {
		return Session{}, fmt.Errorf("%w: no exp claim", ErrInvalidToken)
	}
	if claims.Subject == "" {
		return Session{}, fmt.Errorf("%w: no sub claim", ErrInvalidToken)
	}
	return Session{UserID: claims.Subject, SessionID: claims.SessionID}, nil
}

// params picks the key that must have signed token and the issuer it must
// name.
func (v *Verifier) params(ctx context.Context, token string) (*clerkjwt.VerifyParams, error) {
	parsed, err := jwt.ParseSigned(token)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	if len(parsed.Headers) != 1 {
		return nil, fmt.Errorf("%w: want 1 signature, have %d",
			ErrInvalidToken, len(parsed.Headers))
	}
	kid := parsed.Headers[0].KeyID

	params := &clerkjwt.VerifyParams{
		Token:                  token,
		Clock:                  v.clock,
		Leeway:                 v.leeway,
		ProxyURL:               v.issuer,
		AuthorizedPartyHandler: v.authorizedParty,
	}
	switch {
	case v.devKey != nil && kid == v.devKey.KeyID:
		params.JWK = v.devKey
		params.ProxyURL = clerk.String(DevIssuer)
	case v.pemKey != nil:
		params.JWK = v.pemKey
	case v.keys != nil:
		params.JWK, err = v.keys.key(ctx, kid)
		if err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: unknown key id %q", ErrInvalidToken, kid)
	}
	return params, nil
}

// authorizedParty reports whether azp is acceptable.
func (v *Verifier) authorizedParty(azp string) bool {
	return v.parties == nil || v.parties[azp]
}

func leeway(d time.Duration) time.Duration {
	switch {
	case d == 0:
		return DefaultLeeway
	case d < 0:
		return 0
	}
	return d
}

// clockFunc adapts a now function to the SDK's Clock.
type clockFunc func() time.Time

func (f clockFunc) Now() time.Time {
	if f == nil {
		return time.Now().UTC()
	}
	return f().UTC()
}
