package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

// adminID is listed in ADMIN_USER_IDS of every test server.
const adminID = apitest.AdminID

// testAPI is the real API over a real HTTP connection, on a fresh database
// of the embedded FerretDB, trusting tokens signed with a key made for the
// test: package apitest's, under the names this package's tests use.
type testAPI struct {
	t        testing.TB
	env      *apitest.API
	url      string
	server   *httpapi.Server
	db       *mongo.Database
	movies   *movie.Service
	shows    *show.Service
	bookings *booking.Service
	clock    *apitest.Clock
	users    *user.Service

	// bookingStore settles bookings as paid, which the payment flow does in
	// production.
	bookingStore *mongostore.Bookings
	// counter counts the commands the server sends to the database, when
	// apiOptions asked for it.
	counter *mongotest.Counter
}

type apiOptions struct {
	hold     time.Duration
	maxSeats int
	source   movie.Source
	stripe   string // a stand-in Stripe's URL; empty: payments are off

	// counter, when set, counts every command the server sends to the
	// database.
	counter *mongotest.Counter

	// Operations: all optional.
	limits       httpapi.Limits
	ready        func(context.Context) error
	metrics      httpapi.Metrics
	metricsToken string
	logger       *slog.Logger // discards when nil
	mounts       []httpapi.Mount
}

func newTestAPI(t testing.TB, o apiOptions) *testAPI {
	t.Helper()
	c := &apitest.Clock{}
	env := apitest.New(t, apitest.Options{
		Hold:         o.hold,
		MaxSeats:     o.maxSeats,
		Source:       o.source,
		Counter:      o.counter,
		Now:          c.Now,
		Limits:       o.limits,
		Ready:        o.ready,
		Metrics:      o.metrics,
		MetricsToken: o.metricsToken,
		Logger:       o.logger,
		Mounts:       o.mounts,

		StripeAPIBase: o.stripe,
		StripeKey:     "sk_test_httpapi",
	})
	return &testAPI{t: t, env: env, url: env.URL, server: env.Server, db: env.DB,
		movies: env.Movies, shows: env.Shows, bookings: env.Bookings, clock: c, users: env.Users,
		bookingStore: env.BookingStore, counter: o.counter}
}

func newID() string { return apitest.NewID() }

// token mints a session token for userID.
func (a *testAPI) token(userID string) string {
	a.t.Helper()
	return a.env.Token(userID)
}

// tokenAt mints a token for userID issued at iat that lives for life.
func (a *testAPI) tokenAt(userID string, iat time.Time, life time.Duration) string {
	a.t.Helper()
	return a.env.TokenAt(userID, iat, life)
}

// response is what a request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// problemCode returns the code of a problem+json body, or "".
func (r response) problemCode() string {
	return apitest.Response{Body: r.body}.ProblemCode()
}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	apitest.Response{Body: r.body}.Decode(t, v)
}

// do sends a request. body is sent as is when it is a string, as JSON
// otherwise; token "" sends no Authorization header.
func (a *testAPI) do(method, path, token string, body any, header ...string) response {
	a.t.Helper()
	r := a.env.Do(method, path, token, body, header...)
	return response{status: r.Status, header: r.Header, body: r.Body}
}

// seedShow stores a hand-entered movie and one show of it starting in
// startsIn, and returns the show.
func (a *testAPI) seedShow(startsIn time.Duration) show.Show {
	a.t.Helper()
	return a.env.SeedShow(startsIn)
}

// count returns how many documents a collection holds.
func (a *testAPI) count(collection string) int64 {
	a.t.Helper()
	return a.env.Count(collection)
}
