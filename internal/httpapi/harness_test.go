package httpapi_test

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
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/report"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

// adminID is listed in ADMIN_USER_IDS of every test server.
const adminID = "user_admin_ada"

// testAPI is the real API over a real HTTP connection, on a fresh database
// of the embedded FerretDB, trusting tokens signed with a key made for the
// test.
type testAPI struct {
	t        testing.TB
	url      string
	server   *httpapi.Server
	db       *mongo.Database
	key      *clerk.DevKey
	movies   *movie.Service
	shows    *show.Service
	bookings *booking.Service
	clock    *clock
	users    *user.Service

	// bookingStore settles bookings as paid, which the payment flow does in
	// production.
	bookingStore *mongostore.Bookings
	// counter counts the commands the server sends to the database, when
	// apiOptions asked for it.
	counter *mongotest.Counter
}

// clock is a settable time source; it starts at the real time.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

type apiOptions struct {
	hold     time.Duration
	maxSeats int
	source   movie.Source

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
	if o.hold == 0 {
		o.hold = 10 * time.Minute
	}
	if o.maxSeats == 0 {
		o.maxSeats = 10
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}

	var db *mongo.Database
	if o.counter != nil {
		db = mongotest.NewDatabaseWithMonitor(t, o.counter.Monitor())
	} else {
		db = mongotest.NewDatabase(t)
	}
	dir := t.TempDir()
	key, _, err := clerk.LoadOrCreateDevKey(dir)
	if err != nil {
		t.Fatalf("LoadOrCreateDevKey: %v", err)
	}
	pem, err := clerk.DevPublicKeyPEM(dir)
	if err != nil {
		t.Fatalf("DevPublicKeyPEM: %v", err)
	}
	verifier, err := clerk.NewVerifier(clerk.Options{DevKeyPEM: pem})
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}

	c := &clock{}
	movieStore := mongostore.NewMovies(db)
	showStore := mongostore.NewShows(db)
	bookingStore := mongostore.NewBookings(db)
	movies := movie.NewService(movieStore, o.source, showStore, c.now, newID)
	bookings := booking.NewService(bookingStore, showStore, movieStore,
		booking.Config{Hold: o.hold, MaxSeats: o.maxSeats}, c.now, newID)
	shows := show.NewService(showStore, movies, bookings, c.now, newID)
	userStore := mongostore.NewUsers(db)
	users := user.NewService(userStore, bookings, c.now)
	favorites := favorite.NewService(mongostore.NewFavorites(db), movieStore, c.now)
	reports := report.NewService(report.Options{Bookings: bookings, Shows: shows, Movies: movieStore,
		Users: userStore, Sales: bookingStore, Currency: "usd", Now: c.now})

	srv := httpapi.New(httpapi.Options{
		Logger:       o.logger,
		Movies:       movies,
		Shows:        shows,
		Bookings:     bookings,
		Users:        users,
		Favorites:    favorites,
		Reports:      reports,
		Auth:         verifierAuth{verifier},
		AdminIDs:     []string{adminID},
		Location:     time.UTC,
		Currency:     "usd",
		MaxBodyBytes: 64 << 10,
		OpenAPI:      api.OpenAPI,
		Now:          c.now,
		Limits:       o.limits,
		Ready:        o.ready,
		Metrics:      o.metrics,
		MetricsToken: o.metricsToken,
		Mount:        o.mounts,
	})
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)

	return &testAPI{t: t, url: hs.URL, server: srv, db: db, key: key, movies: movies, shows: shows,
		bookings: bookings, clock: c, users: users, bookingStore: bookingStore, counter: o.counter}
}

func newID() string { return bson.NewObjectID().Hex() }

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

// token mints a session token for userID.
func (a *testAPI) token(userID string) string {
	a.t.Helper()
	tok, err := a.key.Mint(clerk.DevClaims{UserID: userID})
	if err != nil {
		a.t.Fatalf("Mint(%s): %v", userID, err)
	}
	return tok
}

// tokenAt mints a token for userID issued at iat that lives for life.
func (a *testAPI) tokenAt(userID string, iat time.Time, life time.Duration) string {
	a.t.Helper()
	tok, err := a.key.Mint(clerk.DevClaims{UserID: userID, IssuedAt: iat, Lifetime: life})
	if err != nil {
		a.t.Fatalf("Mint(%s): %v", userID, err)
	}
	return tok
}

// response is what a request got back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// problemCode returns the code of a problem+json body, or "".
func (r response) problemCode() string {
	var p struct{ Code string }
	_ = json.Unmarshal(r.body, &p)
	return p.Code
}

func (r response) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request. body is sent as is when it is a string, as JSON
// otherwise; token "" sends no Authorization header.
func (a *testAPI) do(method, path, token string, body any, header ...string) response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewReader([]byte(b))
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}

	req, err := http.NewRequest(method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
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
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// seedShow stores a hand-entered movie and one show of it starting in
// startsIn, and returns the show.
func (a *testAPI) seedShow(startsIn time.Duration) show.Show {
	a.t.Helper()
	ctx := context.Background()
	m, err := a.movies.Create(ctx, movie.Movie{Title: "The Quiet Harbour", Runtime: 101})
	if err != nil {
		a.t.Fatalf("create movie: %v", err)
	}
	shows, err := a.shows.Schedule(ctx, show.ScheduleInput{
		MovieID:    m.ID,
		Price:      money.Money{Amount: 1250, Currency: "usd"},
		StartTimes: []time.Time{a.clock.now().Add(startsIn).Truncate(time.Second)},
		Layout:     show.DefaultLayout(),
	})
	if err != nil {
		a.t.Fatalf("schedule show: %v", err)
	}
	return shows[0]
}

// count returns how many documents a collection holds.
func (a *testAPI) count(collection string) int64 {
	a.t.Helper()
	n, err := a.db.Collection(collection).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		a.t.Fatalf("count %s: %v", collection, err)
	}
	return n
}
