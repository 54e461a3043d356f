package httpapi

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// Owner says who may call a route.
type Owner string

// The owners of routes. Every route has exactly one.
const (
	OwnerPublic  Owner = "public"  // anyone
	OwnerUser    Owner = "user"    // a signed-in user
	OwnerAdmin   Owner = "admin"   // a signed-in admin
	OwnerWebhook Owner = "webhook" // a sender proven by the request's signature

	// OwnerOperator is a monitoring system: the bearer of METRICS_TOKEN,
	// or anyone when no token is configured.
	OwnerOperator Owner = "operator"
)

// routes registers every route of the API. It is the one place to read who
// may call what, and how often.
func (s *Server) routes(mounts []Mount) chi.Router {
	r := chi.NewRouter()
	// GetHead comes last: it only chooses the route, HEAD taking GET's.
	r.Use(checkRequestID, middleware.RequestID, s.limits.clientIP(), s.accessLog, s.recoverer,
		securityHeaders, withDeadline(s.limits.RequestTimeout), s.limits.cors(),
		middleware.GetHead)
	r.NotFound(notFound)
	r.MethodNotAllowed(methodNotAllowed(r))

	perAddress := s.limitByAddress(s.limits.PublicPerMinute)
	perUser := s.limitByUser(s.limits.BookingsPerMinute)

	// Probes, documents and metrics are not rate limited: load balancers
	// and Prometheus call them from a few addresses, often.
	ops := s.group(r, OwnerPublic)
	ops.get("/healthz", s.health)
	ops.get("/readyz", s.ready)
	ops.get("/api/openapi.yaml", s.serveOpenAPI)
	s.group(r, OwnerOperator).get("/metrics", s.serveMetrics)

	public := s.group(r.With(perAddress), OwnerPublic)
	public.get("/api/movies", s.listMovies)
	public.get("/api/movies/{movieId}", s.getMovie)
	public.get("/api/shows", s.listShows)
	public.get("/api/shows/{showId}", s.getShow)
	public.get("/api/shows/{showId}/seats", s.getSeatMap)

	booker := s.group(r.With(s.requireUser, perUser), OwnerUser)
	booker.post("/api/bookings", s.createBooking)

	user := s.group(r.With(s.requireUser), OwnerUser)
	user.get("/api/bookings", s.listBookings)
	user.get("/api/bookings/{bookingId}", s.getBooking)
	user.post("/api/bookings/{bookingId}/cancel", s.cancelBooking)
	user.get("/api/me", s.getMe)
	user.get("/api/me/favorites", s.listFavorites)
	user.put("/api/me/favorites/{movieId}", s.addFavorite)
	user.delete("/api/me/favorites/{movieId}", s.removeFavorite)
	user.post("/api/bookings/{bookingId}/checkout", s.checkoutBooking)

	admin := s.group(r.With(s.requireUser, s.requireAdmin), OwnerAdmin)
	admin.get("/api/admin/tmdb/now-playing", s.tmdbNowPlaying)
	admin.post("/api/movies", s.createMovie)
	admin.post("/api/shows", s.scheduleShows)
	admin.delete("/api/shows/{showId}", s.deleteShow)
	admin.get("/api/admin/dashboard", s.getDashboard)
	admin.get("/api/admin/bookings", s.listAllBookings)
	admin.get("/api/admin/shows", s.listShowSales)

	limits := map[RateLimit]func(http.Handler) http.Handler{
		LimitPerAddress: perAddress, LimitPerUser: perUser,
	}
	for _, m := range mounts {
		s.mount(r, m, limits)
	}
	return r
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, newProblem(http.StatusNotFound, "not_found", "no such route"))
}

// allowable are the methods that routes are registered for, in the order
// an Allow header lists them. HEAD is allowed wherever GET is.
var allowable = []string{
	http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
}

// methodNotAllowed answers a request for a path of routes with a method it
// does not take, and lists those it takes in Allow, as RFC 9110 asks of a
// 405. (chi's own 405 handler sets Allow, from a list it keeps private, so
// a handler that replaces it must find the methods again.) A method chi
// does not know, on a path that no route serves, is answered 404.
func methodNotAllowed(routes chi.Routes) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.RawPath
		if path == "" {
			path = r.URL.Path
		}
		var allow []string
		for _, m := range allowable {
			if !routes.Match(chi.NewRouteContext(), m, path) {
				continue
			}
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead) // served by middleware.GetHead
			}
		}
		if len(allow) == 0 {
			notFound(w, r)
			return
		}

		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeProblem(w, newProblem(http.StatusMethodNotAllowed, "method_not_allowed",
			"this route does not take "+r.Method))
	}
}

// group registers routes on r with one owner.
type group struct {
	s     *Server
	r     chi.Router
	owner Owner
}

func (s *Server) group(r chi.Router, owner Owner) group {
	return group{s: s, r: r, owner: owner}
}

func (g group) get(pattern string, h handlerFunc)    { g.add(http.MethodGet, pattern, h) }
func (g group) post(pattern string, h handlerFunc)   { g.add(http.MethodPost, pattern, h) }
func (g group) put(pattern string, h handlerFunc)    { g.add(http.MethodPut, pattern, h) }
func (g group) delete(pattern string, h handlerFunc) { g.add(http.MethodDelete, pattern, h) }

func (g group) add(method, pattern string, h handlerFunc) {
	g.s.owners[method+" "+pattern] = g.owner
	g.r.Method(method, pattern, g.s.handle(h))
}

func (s *Server) serveOpenAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/yaml")
	_, err := w.Write(s.openAPI)
	return err
}
