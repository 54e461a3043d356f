// Package httpapi is the REST API of api.md: routes, who may call each,
// request decoding and validation, and problem+json errors.
package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/report"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

// Options are the dependencies and settings of a [Server].
type Options struct {
	Logger   *slog.Logger
	Movies   *movie.Service
	Shows    *show.Service
	Bookings *booking.Service
	Payments *payment.Service // nil: payments are not configured

	Users     *user.Service
	Favorites *favorite.Service
	Reports   *report.Service

	Auth     Authenticator
	Roles    RoleFinder // may be nil: then only AdminIDs are admins
	AdminIDs []string

	// Mount adds routes owned by other packages, such as webhooks and the
	// Inngest handler, with the owner each must be checked for.
	Mount []Mount

	Location     *time.Location // the theatre's time zone
	Currency     money.Currency // the default currency of shows
	MaxBodyBytes int64
	OpenAPI      []byte // served at /api/openapi.yaml
	Now          func() time.Time

	Limits Limits

	// Ready tells /readyz whether the database answers; nil means always.
	Ready func(ctx context.Context) error

	// Metrics records requests and bookings and serves /metrics; nil
	// records nothing. MetricsToken, when set, is the bearer token that
	// /metrics requires (METRICS_TOKEN).
	Metrics      Metrics
	MetricsToken string
}

// Mount is a route served by a handler from outside this package.
type Mount struct {
	Owner   Owner
	Methods []string
	Pattern string
	Handler http.Handler

	// Limit is the rate limit the route counts against; none by default.
	Limit RateLimit

	// Refuse, when set, answers the requests the route turns away
	// instead of the problem documents of the REST API, for a surface
	// whose clients read refusals their own way.
	Refuse RefuseFunc
}

// Server is the HTTP API. It is an [http.Handler].
type Server struct {
	logger    *slog.Logger
	movies    *movie.Service
	shows     *show.Service
	bookings  *booking.Service
	users     *user.Service
	favorites *favorite.Service
	reports   *report.Service
	payments  *payment.Service
	auth      Authenticator
	roles     RoleFinder
	adminIDs  []string
	loc       *time.Location
	currency  money.Currency
	maxBody   int64
	openAPI   []byte
	now       func() time.Time

	limits         Limits
	readyCheck     func(ctx context.Context) error
	metrics        Metrics
	metricsHandler http.Handler
	metricsToken   string

	router chi.Router
	owners map[string]Owner
}

// New returns a Server with every route registered.
func New(o Options) *Server {
	s := &Server{
		logger:    o.Logger,
		movies:    o.Movies,
		shows:     o.Shows,
		bookings:  o.Bookings,
		users:     o.Users,
		favorites: o.Favorites,
		reports:   o.Reports,
		payments:  o.Payments,
		auth:      o.Auth,
		roles:     o.Roles,
		adminIDs:  o.AdminIDs,
		loc:       o.Location,
		currency:  o.Currency,
		maxBody:   o.MaxBodyBytes,
		openAPI:   o.OpenAPI,
		now:       o.Now,
		owners:    map[string]Owner{},

		limits:       o.Limits,
		readyCheck:   o.Ready,
		metrics:      o.Metrics,
		metricsToken: o.MetricsToken,
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxBody <= 0 {
		s.maxBody = 1 << 20
	}
	if s.readyCheck == nil {
		s.readyCheck = alwaysReady
	}
	if s.metrics == nil {
		s.metrics = noMetrics{}
	}
	s.metricsHandler = s.metrics.Handler(s.logger)
	s.router = s.routes(o.Mount)
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.router.ServeHTTP(w, r)
}

// Router returns the router, so tests can walk every route.
func (s *Server) Router() chi.Router { return s.router }

// OwnerOf returns the declared owner of a route, by method and pattern.
func (s *Server) OwnerOf(method, pattern string) (Owner, bool) {
	o, ok := s.owners[method+" "+pattern]
	return o, ok
}

// handlerFunc is a handler that returns its failure instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts h so that every failure leaves through s.fail.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// fail logs err once, at the level its status deserves, and writes it as a
// problem document.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := toProblem(err)
	switch {
	case p.Status == http.StatusServiceUnavailable:
		// A dependency that is down or not configured: worth a look, but
		// not a bug of ours, and it repeats for as long as it lasts.
		s.logger.WarnContext(r.Context(), "request failed", "status", p.Status, "code", p.Code,
			"err", err, "request_id", middleware.GetReqID(r.Context()))
	case p.Status >= 500:
		s.logger.ErrorContext(r.Context(), "request failed", "status", p.Status, "err", err,
			"request_id", middleware.GetReqID(r.Context()))
	default:
		s.logger.DebugContext(r.Context(), "request refused", "status", p.Status, "code", p.Code,
			"err", err, "request_id", middleware.GetReqID(r.Context()))
	}
	s.refuse(w, r, p)
}
