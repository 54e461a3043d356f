// Package tmdb imports movies from The Movie Database's v3 API. Its [Client]
// is the [movie.Source] of the catalogue.
//
// Every failure wraps one of movie's source errors (ErrSourceNotFound,
// ErrSourceUnavailable, ErrSourceTimeout, ErrSourceDisabled). The error text
// may carry TMDB's own status message, which is for logs: it is not meant
// for API clients.
package tmdb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/marquee-hq/marquee/internal/movie"
)

// DefaultBaseURL is the base URL of TMDB's v3 API.
const DefaultBaseURL = "https://api.themoviedb.org/3"

// DefaultTimeout bounds each request to TMDB unless [Options.Timeout] says
// otherwise.
const DefaultTimeout = 10 * time.Second

// DefaultCastLimit is how many cast members a movie keeps, in TMDB's billing
// order, unless [Options.CastLimit] says otherwise.
const DefaultCastLimit = 20

// maxBodyBytes caps what is read of one response. TMDB's largest answers
// (credits of an ensemble film) are a few hundred KiB.
const maxBodyBytes = 5 << 20

// Options configure a [Client].
type Options struct {
	// APIKey is TMDB_API_KEY: a v3 API key, sent as the api_key query
	// parameter, or a v4 read access token (a JWT), sent as a bearer token.
	// With no key every call fails with movie.ErrSourceDisabled.
	APIKey string

	// BaseURL is DefaultBaseURL if empty; tests point it at a local server.
	BaseURL string

	// Timeout bounds each request, DefaultTimeout if zero.
	Timeout time.Duration

	// CastLimit is how many cast members to keep, DefaultCastLimit if zero.
	CastLimit int

	// HTTPClient sends the requests; http.DefaultClient if nil.
	HTTPClient *http.Client
}

// Client calls TMDB. It is safe for concurrent use.
type Client struct {
	apiKey    string
	bearer    bool
	baseURL   string
	timeout   time.Duration
	castLimit int
	http      *http.Client
}

// New returns a Client for opts.
func New(opts Options) *Client {
	c := &Client{
		apiKey:    strings.TrimSpace(opts.APIKey),
		baseURL:   strings.TrimRight(opts.BaseURL, "/"),
		timeout:   opts.Timeout,
		castLimit: opts.CastLimit,
		http:      opts.HTTPClient,
	}
	// v4 read access tokens are JWTs: three dot-separated parts. v3 keys
	// are 32 hex digits.
	c.bearer = strings.Count(c.apiKey, ".") == 2

	if c.baseURL == "" {
		c.baseURL = DefaultBaseURL
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.castLimit <= 0 {
		c.castLimit = DefaultCastLimit
	}
	if c.http == nil {
		c.http = http.DefaultClient
	}
	return c
}

// get fetches path (such as "/movie/550") and decodes TMDB's JSON answer
// into dst.
func (c *Client) get(ctx context.Context, path string, dst any) error {
	if c.apiKey == "" {
		return movie.ErrSourceDisabled
	}

	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := c.newRequest(ctx, path)
	if err != nil {
		return fmt.Errorf("tmdb get %s: %w: %w", path, movie.ErrSourceUnavailable, err)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(ctx, path, err)
	}
	defer resp.Body.Close()

	body, err := readBody(resp.Body)
	if err != nil {
		return transportError(ctx, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("tmdb get %s: %w", path, newResponseError(resp, body))
	}

	if err := json.Unmarshal(body, dst); err != nil {
		return fmt.Errorf("tmdb get %s: %w: decode: %w", path, movie.ErrSourceUnavailable, err)
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, path string) (*http.Request, error) {
	u, err := url.Parse(c.baseURL + path)
	if err != nil {
		return nil, err
	}
	if !c.bearer {
		q := u.Query()
		q.Set("api_key", c.apiKey)
		u.RawQuery = q.Encode()
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if c.bearer {
		req.Header.Set("Authorization", "Bearer "+c.apiKey)
	}
	return req, nil
}

func readBody(r io.Reader) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, maxBodyBytes+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxBodyBytes {
		return nil, fmt.Errorf("response larger than %d bytes", maxBodyBytes)
	}
	return body, nil
}

// transportError classifies a failure to get an answer at all. ctx is the
// request's own context, whose deadline is the per-request timeout.
func transportError(ctx context.Context, path string, err error) error {
	// A *url.Error quotes the whole URL, and with it a v3 API key; its
	// inner error says what went wrong without it.
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}

	var netErr net.Error
	timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded) ||
		(errors.As(err, &netErr) && netErr.Timeout())
	if timedOut {
		return fmt.Errorf("tmdb get %s: %w: %w", path, movie.ErrSourceTimeout, err)
	}
	return fmt.Errorf("tmdb get %s: %w: %w", path, movie.ErrSourceUnavailable, err)
}
