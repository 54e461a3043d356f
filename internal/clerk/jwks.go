package clerk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
)

// Pauses between fetches of the key set. Clerk rotates keys rarely; without
// a pause, tokens with made-up key ids would turn every request into a call
// to Clerk. After a failed fetch the pause is short, so an outage of Clerk
// ends for us soon after it ends for Clerk.
const (
	refetchPause = 30 * time.Second
	retryPause   = 5 * time.Second
)

// keySet caches Clerk's signing keys by key id.
type keySet struct {
	client  *jwks.Client
	timeout time.Duration
	now     func() time.Time

	mu   sync.RWMutex
	keys map[string]*clerk.JSONWebKey

	// fetchMu lets one caller fetch while the others wait for its result;
	// it guards the fields below.
	fetchMu   sync.Mutex
	fetchedAt time.Time // of the last attempt, successful or not
	fetchErr  error     // of the last attempt
}

func newKeySet(opts Options) *keySet {
	timeout := opts.FetchTimeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	apiURL := versionedAPIURL(opts.APIURL)
	httpClient := opts.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{Timeout: timeout}
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}

	backend := clerk.NewBackend(&clerk.BackendConfig{
		HTTPClient: httpClient,
		URL:        clerk.String(apiURL),
		Key:        clerk.String(opts.SecretKey),
	})
	return &keySet{
		client:  &jwks.Client{Backend: backend},
		timeout: timeout,
		now:     now,
		keys:    map[string]*clerk.JSONWebKey{},
	}
}

// versionedAPIURL returns Clerk's Backend API base URL with its /v1 version
// path, which the SDK expects and configuration often leaves out.
func versionedAPIURL(base string) string {
	if base == "" {
		return DefaultAPIURL
	}
	u, err := url.Parse(base)
	if err != nil || strings.Trim(u.Path, "/") != "" {
		// Unparsable URLs fail on the first fetch, with the SDK's error.
		return base
	}
	u.Path = "/v1"
	return u.String()
}

// key returns the key with id kid, fetching the key set when kid is not
// cached. It fails with ErrInvalidToken when Clerk has no such key, and with
// ErrKeysUnavailable when the key set could not be fetched.
func (s *keySet) key(ctx context.Context, kid string) (*clerk.JSONWebKey, error) {
	if kid == "" {
		return nil, fmt.Errorf("%w: no kid header", ErrInvalidToken)
	}
	if k := s.cached(kid); k != nil {
		return k, nil
	}

	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()

	// Another caller may have fetched while this one waited for the lock.
	if k := s.cached(kid); k != nil {
		return k, nil
	}
	pause := refetchPause
	if s.fetchErr != nil {
		pause = retryPause
	}
	if s.fetchedAt.IsZero() || s.now().Sub(s.fetchedAt) >= pause {
		s.fetchErr = s.fetch(ctx)
		s.fetchedAt = s.now()
	}
	if s.fetchErr != nil {
		return nil, fmt.Errorf("%w: %w", ErrKeysUnavailable, s.fetchErr)
	}

	if k := s.cached(kid); k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("%w: clerk has no key %q", ErrInvalidToken, kid)
}

func (s *keySet) cached(kid string) *clerk.JSONWebKey {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.keys[kid]
}

// fetch replaces the cache with the key set Clerk serves now, so a key Clerk
// has withdrawn stops being accepted.
func (s *keySet) fetch(ctx context.Context) error {
	// The result is shared by every caller waiting on fetchMu, so the fetch
	// must not fail because the first caller's request went away.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
	defer cancel()

	set, err := s.client.Get(ctx, &jwks.GetParams{})
	if err != nil {
		return fmt.Errorf("fetch clerk jwks: %w", err)
	}
	if set == nil || len(set.Keys) == 0 {
		return errors.New("fetch clerk jwks: empty key set")
	}

	keys := make(map[string]*clerk.JSONWebKey, len(set.Keys))
	for _, k := range set.Keys {
		if k != nil && k.KeyID != "" && k.Key != nil && k.Use != "enc" {
			keys[k.KeyID] = k
		}
	}
	s.mu.Lock()
	s.keys = keys
	s.mu.Unlock()
	return nil
}
