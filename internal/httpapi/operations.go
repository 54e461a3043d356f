package httpapi

import (
	"context"
	"crypto/subtle"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/marquee-hq/marquee/internal/dependency"
)

// readyTimeout bounds the database ping of /readyz, so that a load balancer
// hears "not ready" well within its own probe timeout.
const readyTimeout = 2 * time.Second

// Metrics records what the API does and serves the result; the server's
// metrics registry is one.
type Metrics interface {
	// Request records an answered request by its route pattern.
	Request(method, route string, status int, d time.Duration)
	// Booking records the outcome of a booking request.
	Booking(outcome string)
	// Handler serves the metrics at /metrics.
	Handler(logger *slog.Logger) http.Handler
}

// noMetrics records nothing; /metrics then answers 404.
type noMetrics struct{}

func (noMetrics) Request(string, string, int, time.Duration) {}
func (noMetrics) Booking(string)                             {}
func (noMetrics) Handler(*slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, newProblem(http.StatusNotFound, "not_found", "no metrics are collected"))
	})
}

// The outcomes of booking requests as the metrics count them.
const (
	outcomeHeld       = "held"
	outcomeReplayed   = "replayed"
	outcomeSeatsTaken = "seats_taken"
	outcomeRefused    = "refused" // any other 4xx: bad input, show started, key reused
	outcomeFailed     = "failed"  // 5xx: the database or a bug
	outcomeCancelled  = "cancelled"
)

// bookingOutcome names what became of a booking request.
func bookingOutcome(err error, replayed bool) string {
	switch {
	case replayed:
		return outcomeReplayed
	case err == nil:
		return outcomeHeld
	}
	switch p := toProblem(err); {
	case p.Code == "seats_taken":
		return outcomeSeatsTaken
	case p.Status >= 500:
		return outcomeFailed
	}
	return outcomeRefused
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	return respond(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ready answers 200 when the database answers a ping within readyTimeout,
// and 503 otherwise, so a load balancer sends no traffic to a server that
// could only fail it.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
	defer cancel()

	if err := s.readyCheck(ctx); err != nil {
		// A ping that fails in any way means "not ready", never a 500.
		return fmt.Errorf("readiness: %w", dependency.Unavailable(err))
	}
	return respond(w, http.StatusOK, map[string]string{"status": "ready"})
}

// serveMetrics serves the metrics, to anyone when no token is configured
// and otherwise only to a bearer of the token.
func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) error {
	if s.metricsToken != "" {
		got := []byte(bearerToken(r))
		if subtle.ConstantTimeCompare(got, []byte(s.metricsToken)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			return errorf(http.StatusUnauthorized, "unauthenticated",
				"send Authorization: Bearer <METRICS_TOKEN>")
		}
	}
	s.metricsHandler.ServeHTTP(w, r)
	return nil
}

func alwaysReady(context.Context) error { return nil }
