package httpapi

import (
	"context"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"
	"github.com/go-chi/httprate"
)

// Limits are the protections of the API against slow work, floods and
// foreign web pages. The zero value turns every one of them off.
type Limits struct {
	// RequestTimeout is the deadline of every request's context, so that
	// database and outbound calls give up in time for the answer to be
	// written (HTTP_REQUEST_TIMEOUT). Zero means none.
	RequestTimeout time.Duration

	// BookingsPerMinute is how many booking requests one user may make per
	// minute (RATE_LIMIT_BOOKINGS); PublicPerMinute how many catalogue
	// requests one client address may make (RATE_LIMIT_PUBLIC). Zero means
	// no limit.
	BookingsPerMinute int
	PublicPerMinute   int

	// TrustedProxy says that one proxy of ours sits in front of the server
	// and appends the client's address to X-Forwarded-For (TRUSTED_PROXY).
	// When false, headers are ignored and the peer address is the client.
	TrustedProxy bool

	// CORSOrigins are the browser origins allowed to call the API, or "*"
	// (CORS_ALLOWED_ORIGINS). None means no cross-origin calls.
	CORSOrigins []string
}

// rateWindow is the period the per-minute budgets are counted over.
const rateWindow = time.Minute

// clientIP records the client's address for the rate limits: the peer's,
// or behind a trusted proxy the last X-Forwarded-For entry, which that
// proxy appended. Entries before it are the client's to forge.
func (l Limits) clientIP() func(http.Handler) http.Handler {
	if l.TrustedProxy {
		return middleware.ClientIPFromXFFTrustedProxies(1)
	}
	return middleware.ClientIPFromRemoteAddr
}

// cors answers preflight requests and marks the answers that the allowed
// origins may read. Bearer tokens travel in the Authorization header, so
// that header is allowed; so is X-Request-Id, which the request log takes
// as the request's id when a client sends one. Credentials are allowed for
// listed origins whose clients send cookies. With the wildcard "*" they
// are not: browsers refuse an answer that allows them to any origin, and
// tokens do not need them.
func (l Limits) cors() func(http.Handler) http.Handler {
	if len(l.CORSOrigins) == 0 {
		// go-chi/cors treats an empty list as "any origin".
		return passThrough
	}
	anyOrigin := slices.Contains(l.CORSOrigins, "*")
	return cors.Handler(cors.Options{
		AllowedOrigins: l.CORSOrigins,
		AllowedMethods: []string{
			http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete,
		},
		AllowedHeaders: []string{
			"Authorization", "Content-Type", "Idempotency-Key", middleware.RequestIDHeader,
		},
		ExposedHeaders:   []string{"Retry-After", "Idempotent-Replayed", "Location"},
		AllowCredentials: !anyOrigin,
		MaxAge:           600,
	})
}

// limitByAddress allows each client address perMinute requests a minute.
func (s *Server) limitByAddress(perMinute int) func(http.Handler) http.Handler {
	if perMinute <= 0 {
		return passThrough
	}
	key := func(r *http.Request) (string, error) {
		ip := middleware.GetClientIP(r.Context())
		if ip == "" {
			// Behind a trusted proxy, a request that did not come
			// through it: count it against its peer.
			ip, _, _ = net.SplitHostPort(r.RemoteAddr)
		}
		return "ip:" + httprate.CanonicalizeIP(ip), nil
	}
	return httprate.LimitBy(perMinute, rateWindow, key, httprate.WithLimitHandler(s.rateLimited))
}

// limitByUser allows each signed-in user perMinute requests a minute. It
// runs after requireUser.
func (s *Server) limitByUser(perMinute int) func(http.Handler) http.Handler {
	if perMinute <= 0 {
		return passThrough
	}
	key := func(r *http.Request) (string, error) {
		return "user:" + caller(r).UserID, nil
	}
	return httprate.LimitBy(perMinute, rateWindow, key, httprate.WithLimitHandler(s.rateLimited))
}

// rateLimited answers a request over its budget. httprate has already set
// Retry-After.
func (s *Server) rateLimited(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, errorf(http.StatusTooManyRequests, "rate_limited",
		"too many requests; try again after the number of seconds in Retry-After"))
}

// withDeadline gives every request's context a deadline of d.
func withDeadline(d time.Duration) func(http.Handler) http.Handler {
	if d <= 0 {
		return passThrough
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

func passThrough(next http.Handler) http.Handler { return next }
