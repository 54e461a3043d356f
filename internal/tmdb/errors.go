package tmdb

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/marquee-hq/marquee/internal/movie"
)

// ResponseError is an answer from TMDB other than 200 OK. It wraps
// movie.ErrSourceNotFound for 404 and movie.ErrSourceUnavailable otherwise.
type ResponseError struct {
	StatusCode int // the HTTP status
	Code       int // TMDB's status_code, 0 if the body had none

	// Message is TMDB's status_message. It can name our account or key
	// problems, so it belongs in logs, not in answers to API clients.
	Message string

	// RetryAfter is how long TMDB asked us to wait (Retry-After), 0 if it
	// did not say.
	RetryAfter time.Duration
}

func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "status %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" {
		fmt.Fprintf(&b, " (code %d: %s)", e.Code, e.Message)
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, "; retry after %v", e.RetryAfter)
	}
	return b.String()
}

// Unwrap returns the movie source error e stands for.
func (e *ResponseError) Unwrap() error {
	if e.StatusCode == http.StatusNotFound {
		return movie.ErrSourceNotFound
	}
	return movie.ErrSourceUnavailable
}

// newResponseError reads TMDB's error body, {"status_code": 34,
// "status_message": "..."}, and the Retry-After header of a 429 or 503.
func newResponseError(resp *http.Response, body []byte) *ResponseError {
	e := &ResponseError{
		StatusCode: resp.StatusCode,
		RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}

	var status struct {
		Code    int    `json:"status_code"`
		Message string `json:"status_message"`
	}
	// A body that is not TMDB's JSON (a proxy's HTML page) says nothing
	// worth keeping; the status alone classifies the failure.
	if json.Unmarshal(body, &status) == nil {
		e.Code, e.Message = status.Code, truncate(status.Message, 200)
	}
	return e
}

// retryAfter parses a Retry-After value: seconds, or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now).Round(time.Second), 0)
	}
	return 0
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
