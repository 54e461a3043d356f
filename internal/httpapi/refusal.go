package httpapi

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"
)

// RateLimit is the budget of [Limits] that a mounted route counts against.
// A mounted route shares the budget with the REST routes that count
// against it, so a caller gets one budget whichever surface it calls.
type RateLimit int

// The budgets a mounted route can count against.
const (
	// NoRateLimit leaves the route unlimited.
	NoRateLimit RateLimit = iota
	// LimitPerAddress counts the route against PublicPerMinute of the
	// client's address, like the public catalogue.
	LimitPerAddress
	// LimitPerUser counts the route against BookingsPerMinute of the
	// signed-in user, like booking creation. Only for user and admin
	// routes.
	LimitPerUser
)

// Refusal is why the API turned a request away before its handler ran:
// no valid session, not an admin, over a rate limit, or the sign-in check
// failing. Status and Code are those of the problem document the REST API
// answers with.
type Refusal struct {
	Status int
	Code   string // unauthenticated, forbidden, rate_limited, unavailable or internal
	Detail string
}

// RefuseFunc writes the answer to a refused request.
type RefuseFunc func(w http.ResponseWriter, r *http.Request, why Refusal)

type refuseKey struct{}

// withRefuse has the refusals of requests to next written by refuse.
func withRefuse(refuse RefuseFunc, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), refuseKey{}, refuse)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// refuse writes p as the problem document of the REST API, or through the
// RefuseFunc of the mounted route that r is for.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, p problem) {
	if f, ok := r.Context().Value(refuseKey{}).(RefuseFunc); ok {
		f(w, r, Refusal{Status: p.Status, Code: p.Code, Detail: p.Detail})
		return
	}
	writeProblem(w, p)
}

// mount registers a route served from outside this package, behind the
// checks its owner and rate limit ask for. limits holds the middleware of
// each budget, shared with the REST routes.
func (s *Server) mount(r chi.Router, m Mount,
	limits map[RateLimit]func(http.Handler) http.Handler) {
	if m.Limit == LimitPerUser && m.Owner != OwnerUser && m.Owner != OwnerAdmin {
		panic("httpapi: " + m.Pattern + " counts against a user's budget but has no signed-in user")
	}
	h := m.Handler
	if limit := limits[m.Limit]; limit != nil {
		h = limit(h)
	}
	switch m.Owner {
	case OwnerUser:
		h = s.requireUser(h)
	case OwnerAdmin:
		h = s.requireUser(s.requireAdmin(h))
	}
	if m.Refuse != nil {
		h = withRefuse(m.Refuse, h)
	}
	for _, method := range m.Methods {
		s.owners[method+" "+m.Pattern] = m.Owner
		r.Method(method, m.Pattern, h)
	}
}
