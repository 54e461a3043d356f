package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/httpapi"
)

// checkRateLimited fails unless r is the 429 problem of a spent budget.
func checkRateLimited(t *testing.T, what string, r response) {
	t.Helper()
	if r.status != http.StatusTooManyRequests || r.problemCode() != "rate_limited" {
		t.Errorf("%s: got %d %s, want 429 rate_limited", what, r.status, r.body)
		return
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	if r.header.Get("Retry-After") == "" {
		t.Errorf("%s: 429 without Retry-After", what)
	}
}

func TestPublicRoutesAreLimitedPerAddress(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{limits: httpapi.Limits{PublicPerMinute: 3}})

	for i := range 3 {
		if got := a.do("GET", "/api/movies", "", nil); got.status != http.StatusOK {
			t.Fatalf("request %d of 3: got %d %s, want 200", i+1, got.status, got.body)
		}
	}
	checkRateLimited(t, "4th GET /api/movies", a.do("GET", "/api/movies", "", nil))
	checkRateLimited(t, "GET /api/shows, same budget", a.do("GET", "/api/shows", "", nil))

	// Without a trusted proxy, a client cannot claim another address.
	checkRateLimited(t, "GET /api/movies with a forged X-Forwarded-For",
		a.do("GET", "/api/movies", "", nil, "X-Forwarded-For", "203.0.113.9"))

	// Probes and documents are not limited.
	for _, path := range []string{"/healthz", "/readyz", "/api/openapi.yaml"} {
		if got := a.do("GET", path, "", nil); got.status != http.StatusOK {
			t.Errorf("GET %s after the budget is spent: got %d, want 200", path, got.status)
		}
	}
}

// TestTrustedProxyAddresses runs behind a proxy that appends the client's
// address to X-Forwarded-For: the last entry is the client, and whatever
// the client put before it is ignored.
func TestTrustedProxyAddresses(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{limits: httpapi.Limits{PublicPerMinute: 1, TrustedProxy: true}})
	via := func(xff string) response {
		return a.do("GET", "/api/movies", "", nil, "X-Forwarded-For", xff)
	}

	if got := via("198.51.100.1"); got.status != http.StatusOK {
		t.Fatalf("first request of 198.51.100.1: got %d %s", got.status, got.body)
	}
	checkRateLimited(t, "second request of 198.51.100.1", via("198.51.100.1"))
	checkRateLimited(t, "198.51.100.1 forging an earlier entry", via("192.0.2.77, 198.51.100.1"))
	if got := via("198.51.100.2"); got.status != http.StatusOK {
		t.Errorf("first request of 198.51.100.2: got %d %s, want 200", got.status, got.body)
	}
}

func TestBookingCreationIsLimitedPerUser(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{limits: httpapi.Limits{BookingsPerMinute: 2}})
	sh := a.seedShow(24 * time.Hour)
	dora, eli := a.token("user_dora"), a.token("user_eli")
	book := func(token, seat string) response {
		return a.do("POST", "/api/bookings", token, map[string]any{"showId": sh.ID, "seats": []string{seat}})
	}

	if got := book(dora, "A1"); got.status != http.StatusCreated {
		t.Fatalf("dora's first booking: got %d %s", got.status, got.body)
	}
	if got := book(dora, "A1"); got.status != http.StatusConflict {
		t.Fatalf("dora's second booking (a taken seat, still counted): got %d %s", got.status, got.body)
	}
	checkRateLimited(t, "dora's third booking", book(dora, "A2"))

	if got := book(eli, "A2"); got.status != http.StatusCreated {
		t.Errorf("eli's first booking: got %d %s, want 201", got.status, got.body)
	}
	if got := a.do("GET", "/api/bookings", dora, nil); got.status != http.StatusOK {
		t.Errorf("dora listing her bookings: got %d %s, want 200 (only creation is limited)",
			got.status, got.body)
	}
	checkSeatsSoldOnce(t, a, sh.ID)
}

const frontend = "https://tickets.example.com"

func TestCORS(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{limits: httpapi.Limits{CORSOrigins: []string{frontend}}})

	preflight := func(origin string) response {
		return a.do("OPTIONS", "/api/bookings", "", nil,
			"Origin", origin,
			"Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization, content-type, idempotency-key")
	}

	got := preflight(frontend)
	if got.status != http.StatusOK {
		t.Errorf("preflight from %s: status %d, want 200", frontend, got.status)
	}
	for name, want := range map[string]string{
		"Access-Control-Allow-Origin":      frontend,
		"Access-Control-Allow-Credentials": "true",
		"Access-Control-Allow-Methods":     "POST",
		"Access-Control-Allow-Headers":     "Authorization, Content-Type, Idempotency-Key",
	} {
		if v := got.header.Get(name); v != want {
			t.Errorf("preflight from %s: %s = %q, want %q", frontend, name, v, want)
		}
	}

	// A client may send its own request id, which the server logs.
	withID := a.do("OPTIONS", "/api/bookings", "", nil, "Origin", frontend,
		"Access-Control-Request-Method", "POST",
		"Access-Control-Request-Headers", "authorization, x-request-id")
	if v := withID.header.Get("Access-Control-Allow-Headers"); v != "Authorization, X-Request-Id" {
		t.Errorf("preflight asking for X-Request-Id: Access-Control-Allow-Headers = %q, "+
			"want Authorization, X-Request-Id", v)
	}

	if v := preflight("https://evil.example").header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("preflight from another origin: Access-Control-Allow-Origin = %q, want none", v)
	}

	actual := a.do("GET", "/api/movies", "", nil, "Origin", frontend)
	if v := actual.header.Get("Access-Control-Allow-Origin"); v != frontend {
		t.Errorf("GET from %s: Access-Control-Allow-Origin = %q, want it", frontend, v)
	}
	if v := actual.header.Get("Access-Control-Expose-Headers"); !strings.Contains(v, "Retry-After") {
		t.Errorf("GET from %s: Access-Control-Expose-Headers = %q, want Retry-After in it", frontend, v)
	}
}

// TestCORSAnyOrigin: with the wildcard, answers allow any origin but not
// credentials, since browsers refuse "*" together with credentials.
func TestCORSAnyOrigin(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{limits: httpapi.Limits{CORSOrigins: []string{"*"}}})

	for name, r := range map[string]response{
		"preflight": a.do("OPTIONS", "/api/bookings", "", nil, "Origin", frontend,
			"Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization, content-type"),
		"GET": a.do("GET", "/api/movies", "", nil, "Origin", frontend),
	} {
		if v := r.header.Get("Access-Control-Allow-Origin"); v != "*" {
			t.Errorf("%s from %s: Access-Control-Allow-Origin = %q, want *", name, frontend, v)
		}
		if v, ok := r.header["Access-Control-Allow-Credentials"]; ok {
			t.Errorf("%s from %s: Access-Control-Allow-Credentials = %q with origin *, "+
				"want none", name, frontend, v)
		}
	}
}

func TestNoCORSWithoutOrigins(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	got := a.do("GET", "/api/movies", "", nil, "Origin", frontend)
	if v := got.header.Get("Access-Control-Allow-Origin"); v != "" {
		t.Errorf("no origins configured: Access-Control-Allow-Origin = %q, want none", v)
	}
}

// TestSecurityHeadersOnEveryResponse covers answers from handlers, from
// the router, from authentication, from the rate limiter and from CORS.
func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{limits: httpapi.Limits{
		PublicPerMinute: 1, CORSOrigins: []string{frontend},
	}})
	a.do("GET", "/api/movies", "", nil)

	for name, r := range map[string]response{
		"200":       a.do("GET", "/healthz", "", nil),
		"404":       a.do("GET", "/no/such/route", "", nil),
		"405":       a.do("PATCH", "/healthz", "", nil),
		"401":       a.do("GET", "/api/bookings", "", nil),
		"429":       a.do("GET", "/api/movies", "", nil),
		"preflight": a.do("OPTIONS", "/api/movies", "", nil, "Origin", frontend, "Access-Control-Request-Method", "GET"),
	} {
		for header, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := r.header.Get(header); got != want {
				t.Errorf("%s answer: %s = %q, want %q", name, header, got, want)
			}
		}
		if r.header.Get("Content-Security-Policy") == "" {
			t.Errorf("%s answer: no Content-Security-Policy", name)
		}
	}
}
