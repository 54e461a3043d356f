// Package config reads the server's settings from the environment once, at
// start-up, and checks them as a whole.
//
// [Load] is the only place in the project that knows the names of the
// environment variables; every other package receives plain values from the
// [Config] it returns. [LoadDotEnv] adds the variables of a local .env file
// first, without overriding the real environment.
package config

import (
	"log/slog"
	"strconv"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
)

// The values of APP_ENV.
const (
	// EnvProduction is the default. It refuses unsafe settings such as the
	// Inngest Dev Server or locally minted Clerk keys.
	EnvProduction = "production"

	// EnvDevelopment is set by `make run`.
	EnvDevelopment = "development"
)

// Config is every setting of the server. The zero value is not useful: build
// one with [Load], which fills every field with a checked value or a default.
type Config struct {
	Env          string     // APP_ENV: [EnvProduction] or [EnvDevelopment]
	LogLevel     slog.Level // LOG_LEVEL
	DataDir      string     // DATA_DIR: embedded database files and local logs
	AdminUserIDs []string   // ADMIN_USER_IDS: Clerk user ids with the admin role

	// TheaterLocation decides which calendar day a show belongs to
	// (THEATER_TIMEZONE). It is never nil.
	TheaterLocation *time.Location

	// PublicBaseURL is where this server is reached (PUBLIC_BASE_URL) and
	// ClientURL is the React frontend that Stripe sends buyers back to
	// (CLIENT_URL). Both are absolute http(s) URLs without a trailing slash.
	PublicBaseURL string
	ClientURL     string

	HTTP      HTTP
	Mongo     Mongo
	Clerk     Clerk
	Inngest   Inngest
	Stripe    Stripe
	SMTP      SMTP
	TMDB      TMDB
	Booking   Booking
	RateLimit RateLimit
	CORS      CORS

	// MetricsToken is the bearer token that /metrics requires
	// (METRICS_TOKEN). When it is empty, /metrics is open to anyone who can
	// reach it.
	MetricsToken Secret
}

// Development reports whether the server runs with APP_ENV=development.
func (c Config) Development() bool {
	return c.Env == EnvDevelopment
}

// HTTP holds the settings of the listening server.
type HTTP struct {
	// Port is the TCP port to listen on (PORT); 0 picks a free one.
	Port int

	ReadHeaderTimeout time.Duration // HTTP_READ_HEADER_TIMEOUT
	ReadTimeout       time.Duration // HTTP_READ_TIMEOUT
	WriteTimeout      time.Duration // HTTP_WRITE_TIMEOUT
	IdleTimeout       time.Duration // HTTP_IDLE_TIMEOUT

	// RequestTimeout is the deadline of each request's work, database and
	// outbound calls included (HTTP_REQUEST_TIMEOUT). It is shorter than
	// WriteTimeout, so that a request that ran out of time still gets its
	// answer.
	RequestTimeout time.Duration

	// ShutdownTimeout is how long requests in flight may take to finish
	// after SIGTERM (SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration

	// MaxBodyBytes caps the size of a request body (MAX_BODY_BYTES).
	MaxBodyBytes int64

	// TrustedProxy says that one proxy of ours sits in front of the server
	// and appends the client's address to X-Forwarded-For (TRUSTED_PROXY);
	// the last entry is then the client. When false, the header is ignored
	// and the peer address is the client.
	TrustedProxy bool
}

// Addr returns the listen address for [net/http.Server], such as ":8080".
func (h HTTP) Addr() string {
	return ":" + strconv.Itoa(h.Port)
}

// Mongo says which database to use.
type Mongo struct {
	// URI is the MongoDB connection string (MONGODB_URI). Empty means the
	// embedded database under [Config.DataDir].
	URI Secret

	Database string // MONGODB_DATABASE
}

// Clerk holds what is needed to trust Clerk session tokens and webhooks.
type Clerk struct {
	// JWTKey is the PEM public key for verifying session tokens without a
	// network call (CLERK_JWT_KEY). A key pasted from the Clerk dashboard
	// without its BEGIN and END lines, or with literal \n escapes, is
	// completed into a PEM block.
	JWTKey string

	SecretKey     Secret // CLERK_SECRET_KEY: backend API and JWKS access
	WebhookSecret Secret // CLERK_WEBHOOK_SECRET: Svix signing secret, whsec_...

	APIURL    string        // CLERK_API_URL: base of the Backend API, for JWKS
	JWTLeeway time.Duration // CLERK_JWT_LEEWAY: allowed clock skew

	// AuthorizedParties are the frontend origins whose session tokens are
	// accepted, by their azp claim (CLERK_AUTHORIZED_PARTIES). Empty means
	// azp is not checked.
	AuthorizedParties []string

	// DevKeys accepts the local demo key minted by cmd/devtoken
	// (CLERK_DEV_KEYS). Only allowed in development.
	DevKeys bool
}

// Inngest configures the Inngest client and the functions it serves.
type Inngest struct {
	AppID string // INNGEST_APP_ID

	// Dev selects the Inngest Dev Server (INNGEST_DEV set to 1 or to the Dev
	// Server's URL). Refused in production.
	Dev bool

	// BaseURL is where the Inngest API and event API are reached
	// (INNGEST_BASE_URL). Empty means the SDK default. When INNGEST_DEV
	// holds a URL and INNGEST_BASE_URL is empty, BaseURL is that URL.
	BaseURL string

	EventKey   Secret // INNGEST_EVENT_KEY
	SigningKey Secret // INNGEST_SIGNING_KEY; required in production
}

// Stripe configures payments. With no SecretKey, bookings stay held and
// unpaid.
type Stripe struct {
	SecretKey     Secret // STRIPE_SECRET_KEY
	WebhookSecret Secret // STRIPE_WEBHOOK_SECRET

	// APIBase points stripe-go at a local Stripe mock (STRIPE_API_BASE).
	// Empty means the real Stripe API; refused in production.
	APIBase string
}

// SMTP configures outgoing e-mail. With no Host, no e-mail is sent.
type SMTP struct {
	Host     string // SMTP_HOST
	Port     int    // SMTP_PORT
	Username string // SMTP_USERNAME
	Password Secret // SMTP_PASSWORD

	// From is the sender address (SMTP_FROM), required when Host is set.
	From string
}

// TMDB configures the movie database client. With no APIKey, movies can
// only be entered by hand.
type TMDB struct {
	APIKey  Secret // TMDB_API_KEY
	BaseURL string // TMDB_BASE_URL
}

// Booking holds the rules of selling seats.
type Booking struct {
	// Hold is how long seats stay held for an unpaid booking (BOOKING_HOLD).
	Hold time.Duration

	// MaxSeats is the most seats one booking may take
	// (MAX_SEATS_PER_BOOKING).
	MaxSeats int

	// Currency is the default currency of show prices (CURRENCY).
	Currency money.Currency

	// ReminderWindow is how long before a show starts its reminder is sent
	// (REMINDER_WINDOW).
	ReminderWindow time.Duration
}

// RateLimit holds request budgets per minute. Every budget is at least 1.
type RateLimit struct {
	Bookings int // RATE_LIMIT_BOOKINGS: booking requests per user
	Public   int // RATE_LIMIT_PUBLIC: public requests per client address
}

// CORS lists who may call the API from a browser.
type CORS struct {
	// AllowedOrigins holds origins such as "https://tickets.example.com", or
	// "*" for any (CORS_ALLOWED_ORIGINS).
	AllowedOrigins []string
}
