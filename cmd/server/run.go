package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/api"
	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/clerk"
	"github.com/marquee-hq/marquee/internal/config"
	"github.com/marquee-hq/marquee/internal/dependency"
	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/ferret"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/metrics"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/quickshow"
	"github.com/marquee-hq/marquee/internal/report"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/tmdb"
	"github.com/marquee-hq/marquee/internal/user"
	"github.com/marquee-hq/marquee/migrations"
)

// run starts the server and blocks until ctx is cancelled, then shuts down
// gracefully. listening, when not nil, receives the address the server
// listens on, so tests can start it on PORT=0.
func run(ctx context.Context, lookup func(string) (string, bool), listening chan<- string) error {
	// Configuration: a local .env first, without overriding the environment.
	if err := config.LoadDotEnv(".env"); err != nil {
		return err
	}
	cfg, err := config.Load(lookup)
	if err != nil {
		return err
	}

	// Logging.
	log := newLogger(os.Stdout, cfg)
	log.Info("starting", "config", cfg)

	// Metrics: one registry, handed to every package that records into it.
	reg := metrics.New()
	if !cfg.MetricsToken.IsSet() && !cfg.Development() {
		log.Warn("METRICS_TOKEN is not set: /metrics is open to anyone who reaches it")
	}

	// Database: the embedded FerretDB unless MONGODB_URI names a server.
	uri := cfg.Mongo.URI.Reveal()
	if uri == "" {
		dir := filepath.Join(cfg.DataDir, "db")
		fdb, err := ferret.Start(ctx, dir, log)
		if err != nil {
			return fmt.Errorf("start embedded database: %w", err)
		}
		defer fdb.Close()
		uri = fdb.URI()
		log.Info("started the embedded FerretDB; set MONGODB_URI to use a MongoDB server instead",
			"dir", dir, "uri", fdb.URI())
	}

	client, err := mongostore.Connect(ctx, uri, mongostore.Monitor(reg))
	if err != nil {
		return fmt.Errorf("connect to database: %w", err)
	}
	defer disconnect(client, log)

	db := client.Database(cfg.Mongo.Database)
	if err := migrations.Apply(ctx, client, cfg.Mongo.Database); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}

	// Inngest client, for the functions and for the events services send.
	inngest, err := newInngest(cfg, log, reg)
	if err != nil {
		return err
	}

	// Events the services send to Inngest go out in the background; the
	// sends in flight finish before the database closes.
	emitter := newEmitter(inngest, log)
	if emitter != nil {
		defer emitter.Wait()
	}

	// Stores and services.
	movieStore := mongostore.NewMovies(db)
	showStore := mongostore.NewShows(db)
	bookingStore := mongostore.NewBookings(db)

	source := tmdb.New(tmdb.Options{APIKey: cfg.TMDB.APIKey.Reveal(), BaseURL: cfg.TMDB.BaseURL})
	movies := movie.NewService(movieStore, source, showStore, time.Now, newID)
	bookings := booking.NewService(bookingStore, showStore, movieStore, booking.Config{
		Hold:     cfg.Booking.Hold,
		MaxSeats: cfg.Booking.MaxSeats,
	}, time.Now, newID, bookingOptions(emitter)...)
	shows := show.NewService(showStore, movies, bookings, time.Now, newID, showOptions(emitter)...)
	userStore := mongostore.NewUsers(db)
	users := user.NewService(userStore, bookings, time.Now)
	favorites := favorite.NewService(mongostore.NewFavorites(db), movieStore, time.Now)
	reports := report.NewService(report.Options{
		Bookings: bookings,
		Shows:    shows,
		Movies:   movieStore,
		Users:    userStore,
		Sales:    bookingStore,
		Currency: cfg.Booking.Currency,
		Now:      time.Now,
	})

	payments := newPayments(cfg, log, db, bookings)
	notices, err := newNotices(cfg, log, db, bookings, users, shows, movies)
	if err != nil {
		return fmt.Errorf("SMTP_HOST: %w", err)
	}

	// Authentication.
	auth, err := newAuthenticator(cfg)
	if err != nil {
		return err
	}
	if cfg.Clerk.DevKeys {
		log.Warn("accepting local demo tokens: mint one with go run ./cmd/devtoken",
			"data_dir", cfg.DataDir)
	}

	// Inngest functions, and the webhooks that hand them events.
	svc := jobServices{users: users, bookings: bookings, payments: payments, notices: notices}
	mounts, err := newJobs(cfg, log, db, inngest, svc, reg)
	if err != nil {
		return err
	}

	// The surface of existing QuickShow React clients, beside the REST API.
	quick := quickshow.New(quickshow.Options{
		Logger:       log,
		Movies:       movies,
		Shows:        shows,
		Bookings:     bookings,
		Favorites:    favorites,
		Reports:      reports,
		Payments:     payments,
		ClientURL:    cfg.ClientURL,
		Location:     cfg.TheaterLocation,
		Currency:     cfg.Booking.Currency,
		MaxBodyBytes: cfg.HTTP.MaxBodyBytes,
	})

	// Router.
	handler := httpapi.New(httpapi.Options{
		Logger:       log,
		Movies:       movies,
		Shows:        shows,
		Bookings:     bookings,
		Users:        users,
		Favorites:    favorites,
		Reports:      reports,
		Payments:     payments,
		Auth:         auth,
		Roles:        users,
		AdminIDs:     cfg.AdminUserIDs,
		Mount:        append(mounts, quick.Routes()...),
		Location:     cfg.TheaterLocation,
		Currency:     cfg.Booking.Currency,
		MaxBodyBytes: cfg.HTTP.MaxBodyBytes,
		OpenAPI:      api.OpenAPI,
		Limits: httpapi.Limits{
			RequestTimeout:    cfg.HTTP.RequestTimeout,
			BookingsPerMinute: cfg.RateLimit.Bookings,
			PublicPerMinute:   cfg.RateLimit.Public,
			TrustedProxy:      cfg.HTTP.TrustedProxy,
			CORSOrigins:       cfg.CORS.AllowedOrigins,
		},
		Ready:        func(ctx context.Context) error { return mongostore.Ping(ctx, client) },
		Metrics:      reg,
		MetricsToken: cfg.MetricsToken.Reveal(),
	})

	// Server.
	return serve(ctx, cfg.HTTP, handler, log, listening)
}

// serve listens until ctx is done, then stops accepting and gives requests
// in flight cfg.ShutdownTimeout to finish. Requests that are still running
// after that have their contexts cancelled and their connections closed.
//
// The caller closes the database after serve returns, so no request can
// find it gone.
func serve(ctx context.Context, cfg config.HTTP, h http.Handler, log *slog.Logger,
	listening chan<- string) error {
	// Request contexts do not derive from ctx: SIGTERM must not cancel the
	// requests that the grace period is for.
	base, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()

	srv := &http.Server{
		Addr:              cfg.Addr(),
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return base },
	}

	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", srv.Addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String())
	if listening != nil {
		listening <- ln.Addr().String()
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutting down: accepting no more connections, finishing requests in flight",
		"grace", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		cancelRequests()
		return errors.Join(fmt.Errorf("shutdown after %s: %w", cfg.ShutdownTimeout, err), srv.Close())
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

func newLogger(w io.Writer, cfg config.Config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.Development() {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func disconnect(client *mongo.Client, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := client.Disconnect(ctx); err != nil {
		log.Warn("disconnect from database", "err", err)
	}
}

// newID makes the ids of shows, bookings and hand-entered movies.
func newID() string {
	return bson.NewObjectID().Hex()
}

// newAuthenticator trusts Clerk's keys, and the local demo key of
// cmd/devtoken only when development explicitly asks for it.
func newAuthenticator(cfg config.Config) (httpapi.Authenticator, error) {
	opts := clerk.Options{
		JWTKey:            cfg.Clerk.JWTKey,
		SecretKey:         cfg.Clerk.SecretKey.Reveal(),
		APIURL:            cfg.Clerk.APIURL,
		AuthorizedParties: cfg.Clerk.AuthorizedParties,
		Leeway:            cfg.Clerk.JWTLeeway,
	}
	if cfg.Clerk.DevKeys && cfg.Development() {
		if _, _, err := clerk.LoadOrCreateDevKey(cfg.DataDir); err != nil {
			return nil, fmt.Errorf("CLERK_DEV_KEYS: %w", err)
		}
		pem, err := clerk.DevPublicKeyPEM(cfg.DataDir)
		if err != nil {
			return nil, fmt.Errorf("CLERK_DEV_KEYS: %w", err)
		}
		opts.DevKeyPEM = pem
	}

	v, err := clerk.NewVerifier(opts)
	if errors.Is(err, clerk.ErrNotConfigured) {
		return nil, errors.New("no way to verify sign-ins: set CLERK_JWT_KEY or CLERK_SECRET_KEY, " +
			"or in development CLERK_DEV_KEYS=true with a key from go run ./cmd/devtoken")
	}
	if err != nil {
		return nil, fmt.Errorf("clerk: %w", err)
	}
	return clerkAuth{v}, nil
}

// clerkAuth adapts the Clerk verifier to what the HTTP API asks of one.
type clerkAuth struct{ v *clerk.Verifier }

func (a clerkAuth) Verify(ctx context.Context, token string) (httpapi.Session, error) {
	s, err := a.v.Verify(ctx, token)
	switch {
	case errors.Is(err, clerk.ErrNoToken):
		return httpapi.Session{}, httpapi.ErrNoToken
	case errors.Is(err, clerk.ErrKeysUnavailable):
		return httpapi.Session{}, dependency.Unavailable(err)
	case err != nil:
		return httpapi.Session{}, err
	}
	return httpapi.Session{UserID: s.UserID, SessionID: s.SessionID}, nil
}
