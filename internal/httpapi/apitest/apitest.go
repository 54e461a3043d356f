// Package apitest runs the whole HTTP API for tests, as cmd/server wires it:
// the REST routes and the /quickshow surface, over a real HTTP connection,
// on a fresh database of the embedded FerretDB, trusting session tokens
// signed with a key made for the test.
//
// It is shared by the tests of every surface of the API, so that each
// checks the booking invariants of design.md §5 with the same harness and
// the same checker ([API.CheckSeatsSoldOnce]) on what the database holds.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/api"
	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/clerk"
	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/quickshow"
	"github.com/marquee-hq/marquee/internal/report"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/stripe"
	"github.com/marquee-hq/marquee/internal/user"
)

// AdminID is listed in ADMIN_USER_IDS of every test server.
const AdminID = "user_admin_ada"

// ClientURL is the CLIENT_URL of every test server.
const ClientURL = "http://client.example.test"

// Options tune the test server. The zero value is a server with the
// defaults of api.md, no rate limits, no CORS and no payments.
type Options struct {
	Hold     time.Duration // 10 minutes when zero
	MaxSeats int           // 10 when zero
	Source   movie.Source  // TMDB; nil when the test imports nothing

	// Counter, when set, counts every command the server sends to the
	// database.
	Counter *mongotest.Counter

	// Now is the server's clock; nil means a [Clock] of the API's own.
	Now func() time.Time

	// Location is THEATER_TIMEZONE; nil means UTC.
	Location *time.Location

	// StripeAPIBase, when set, turns payments on against a server that
	// speaks Stripe's API there, such as stripetest's, with StripeKey.
	StripeAPIBase string
	StripeKey     string

	Limits       httpapi.Limits
	Ready        func(context.Context) error
	Metrics      httpapi.Metrics
	MetricsToken string
	Logger       *slog.Logger    // discards when nil
	Mounts       []httpapi.Mount // besides the /quickshow surface

	// Wrap, when set, wraps the API's handler, so that a test sees every
	// request that reaches the server, preflights included.
	Wrap func(http.Handler) http.Handler
}

// API is a running test server and the services behind it.
type API struct {
	T      testing.TB
	URL    string
	Server *httpapi.Server
	DB     *mongo.Database
	Key    *clerk.DevKey
	Clock  *Clock // nil when Options.Now was given
	Now    func() time.Time

	Movies    *movie.Service
	Shows     *show.Service
	Bookings  *booking.Service
	Users     *user.Service
	Favorites *favorite.Service
	Reports   *report.Service
	Payments  *payment.Service

	// BookingStore settles bookings as paid, which the payment flow does
	// in production.
	BookingStore *mongostore.Bookings
}

// Clock is a settable time source; it starts at the real time.
type Clock struct{ offset atomic.Int64 }

// Now returns the real time moved by every Advance so far.
func (c *Clock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// New starts the API on a fresh database; it stops when the test ends.
func New(t testing.TB, o Options) *API {
	t.Helper()
	o = withDefaults(o)
	a := &API{T: t, Now: o.Now}
	if a.Now == nil {
		a.Clock = &Clock{}
		a.Now = a.Clock.Now
	}
	if o.Counter != nil {
		a.DB = mongotest.NewDatabaseWithMonitor(t, o.Counter.Monitor())
	} else {
		a.DB = mongotest.NewDatabase(t)
	}
	auth := a.trustTestKey()
	a.wire(o)

	qs := quickshow.New(quickshow.Options{
		Logger:    o.Logger,
		Movies:    a.Movies,
		Shows:     a.Shows,
		Bookings:  a.Bookings,
		Favorites: a.Favorites,
		Reports:   a.Reports,
		Payments:  a.Payments,
		ClientURL: ClientURL,
		Location:  o.Location,
		Currency:  "usd",
		Now:       a.Now,
	})
	a.Server = httpapi.New(httpapi.Options{
		Logger:       o.Logger,
		Movies:       a.Movies,
		Shows:        a.Shows,
		Bookings:     a.Bookings,
		Payments:     a.Payments,
		Users:        a.Users,
		Favorites:    a.Favorites,
		Reports:      a.Reports,
		Auth:         auth,
		AdminIDs:     []string{AdminID},
		Location:     o.Location,
		Currency:     "usd",
		MaxBodyBytes: 64 << 10,
		OpenAPI:      api.OpenAPI,
		Now:          a.Now,
		Limits:       o.Limits,
		Ready:        o.Ready,
		Metrics:      o.Metrics,
		MetricsToken: o.MetricsToken,
		Mount:        append(qs.Routes(), o.Mounts...),
	})
	var h http.Handler = a.Server
	if o.Wrap != nil {
		h = o.Wrap(h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	a.URL = hs.URL
	return a
}

func withDefaults(o Options) Options {
	if o.Hold == 0 {
		o.Hold = 10 * time.Minute
	}
	if o.MaxSeats == 0 {
		o.MaxSeats = 10
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	return o
}

// trustTestKey makes the key that [API.Token] signs with, and returns the
// authenticator that trusts it.
func (a *API) trustTestKey() httpapi.Authenticator {
	dir := a.T.TempDir()
	key, _, err := clerk.LoadOrCreateDevKey(dir)
	if err != nil {
		a.T.Fatalf("LoadOrCreateDevKey: %v", err)
	}
	pem, err := clerk.DevPublicKeyPEM(dir)
	if err != nil {
		a.T.Fatalf("DevPublicKeyPEM: %v", err)
	}
	verifier, err := clerk.NewVerifier(clerk.Options{DevKeyPEM: pem})
	if err != nil {
		a.T.Fatalf("NewVerifier: %v", err)
	}
	a.Key = key
	return verifierAuth{verifier}
}

// wire builds the stores and services, as cmd/server does.
func (a *API) wire(o Options) {
	movieStore := mongostore.NewMovies(a.DB)
	showStore := mongostore.NewShows(a.DB)
	userStore := mongostore.NewUsers(a.DB)
	a.BookingStore = mongostore.NewBookings(a.DB)

	a.Movies = movie.NewService(movieStore, o.Source, showStore, a.Now, NewID)
	a.Bookings = booking.NewService(a.BookingStore, showStore, movieStore,
		booking.Config{Hold: o.Hold, MaxSeats: o.MaxSeats}, a.Now, NewID)
	a.Shows = show.NewService(showStore, a.Movies, a.Bookings, a.Now, NewID)
	a.Users = user.NewService(userStore, a.Bookings, a.Now)
	a.Favorites = favorite.NewService(mongostore.NewFavorites(a.DB), movieStore, a.Now)
	a.Reports = report.NewService(report.Options{Bookings: a.Bookings, Shows: a.Shows,
		Movies: movieStore, Users: userStore, Sales: a.BookingStore, Currency: "usd", Now: a.Now})

	var gateway payment.Gateway // nil: payments are not configured
	if o.StripeAPIBase != "" {
		gateway = stripe.New(stripe.Options{SecretKey: o.StripeKey, APIBase: o.StripeAPIBase})
	}
	a.Payments = payment.NewService(gateway, mongostore.NewCheckouts(a.DB), a.Bookings,
		payment.Config{ClientURL: ClientURL, Location: o.Location}, a.Now)
}

// NewID makes ids the way cmd/server does.
func NewID() string { return bson.NewObjectID().Hex() }

// verifierAuth is the same adapter cmd/server uses, kept small here.
type verifierAuth struct{ v *clerk.Verifier }

func (a verifierAuth) Verify(ctx context.Context, token string) (httpapi.Session, error) {
	s, err := a.v.Verify(ctx, token)
	if err != nil {
		if errors.Is(err, clerk.ErrNoToken) {
			return httpapi.Session{}, httpapi.ErrNoToken
		}
		return httpapi.Session{}, err
	}
	return httpapi.Session{UserID: s.UserID, SessionID: s.SessionID}, nil
}

// Token mints a session token for userID.
func (a *API) Token(userID string) string {
	a.T.Helper()
	tok, err := a.Key.Mint(clerk.DevClaims{UserID: userID})
	if err != nil {
		a.T.Fatalf("Mint(%s): %v", userID, err)
	}
	return tok
}

// TokenAt mints a token for userID issued at iat that lives for life.
func (a *API) TokenAt(userID string, iat time.Time, life time.Duration) string {
	a.T.Helper()
	tok, err := a.Key.Mint(clerk.DevClaims{UserID: userID, IssuedAt: iat, Lifetime: life})
	if err != nil {
		a.T.Fatalf("Mint(%s): %v", userID, err)
	}
	return tok
}

// Response is what a request got back.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// ProblemCode returns the code of a problem+json body, or "".
func (r Response) ProblemCode() string {
	var p struct{ Code string }
	_ = json.Unmarshal(r.Body, &p)
	return p.Code
}

// Decode decodes the JSON body into v, or fails t.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Do sends a request. body is sent as is when it is a string, as JSON
// otherwise; token "" sends no Authorization header; header holds more
// headers as name, value pairs.
func (a *API) Do(method, path, token string, body any, header ...string) Response {
	a.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.T.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}

	req, err := http.NewRequest(method, a.URL+path, rd)
	if err != nil {
		a.T.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}

	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.T.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		a.T.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: data}
}
