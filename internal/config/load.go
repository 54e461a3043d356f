package config

import (
	"math"
	"time"

	// Time zones come from the binary, not from the host: distroless and
	// scratch images have no /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Load builds the configuration from environment variables read through
// lookup, which is [os.LookupEnv] in main and a map in tests. Unset or empty
// variables take the defaults documented in .env.example.
//
// Every value is checked, and so is the whole: with APP_ENV=production,
// settings that are only safe on a developer's machine are refused. When
// anything is wrong, Load returns an [*Error] listing every problem, one
// per variable, and a zero Config.
func Load(lookup func(string) (string, bool)) (Config, error) {
	r := &reader{lookup: lookup}
	c := Config{
		Env:             r.appEnv("APP_ENV"),
		LogLevel:        r.logLevel("LOG_LEVEL"),
		DataDir:         r.str("DATA_DIR", defaultDataDir),
		AdminUserIDs:    r.list("ADMIN_USER_IDS", ""),
		TheaterLocation: r.location("THEATER_TIMEZONE", "UTC"),
		PublicBaseURL:   r.url("PUBLIC_BASE_URL", "http://localhost:8080"),
		ClientURL:       r.url("CLIENT_URL", "http://localhost:5173"),
		HTTP:            readHTTP(r),
		Mongo:           readMongo(r),
		Clerk:           readClerk(r),
		Inngest:         readInngest(r),
		Stripe:          readStripe(r),
		SMTP:            readSMTP(r),
		TMDB:            readTMDB(r),
		Booking:         readBooking(r),
		RateLimit:       readRateLimit(r),
		CORS:            readCORS(r),
		MetricsToken:    r.secret("METRICS_TOKEN"),
	}
	if c.Env == EnvProduction {
		refuseUnsafe(r, c)
	}

	if len(r.problems) > 0 {
		return Config{}, &Error{Problems: r.problems}
	}
	return c, nil
}

// defaultDataDir is DATA_DIR when it is unset or empty.
const defaultDataDir = "./data"

// DataDir returns DATA_DIR read through lookup as [Load] reads it, or its
// default, ./data. It is for tools, such as cmd/devtoken, that need the
// server's data directory but none of the rest of its settings, which
// [Load] would check.
func DataDir(lookup func(string) (string, bool)) string {
	return (&reader{lookup: lookup}).str("DATA_DIR", defaultDataDir)
}

func readHTTP(r *reader) HTTP {
	h := HTTP{
		Port:              r.integer("PORT", 8080, 0, math.MaxUint16),
		ReadHeaderTimeout: r.positiveDuration("HTTP_READ_HEADER_TIMEOUT", 5*time.Second),
		ReadTimeout:       r.positiveDuration("HTTP_READ_TIMEOUT", 15*time.Second),
		WriteTimeout:      r.positiveDuration("HTTP_WRITE_TIMEOUT", 30*time.Second),
		IdleTimeout:       r.positiveDuration("HTTP_IDLE_TIMEOUT", 120*time.Second),
		RequestTimeout:    r.positiveDuration("HTTP_REQUEST_TIMEOUT", 20*time.Second),
		ShutdownTimeout:   r.positiveDuration("SHUTDOWN_TIMEOUT", 20*time.Second),
		MaxBodyBytes:      r.bytes("MAX_BODY_BYTES", 1<<20),
		TrustedProxy:      r.boolean("TRUSTED_PROXY", false),
	}
	if h.RequestTimeout >= h.WriteTimeout {
		r.fail("HTTP_REQUEST_TIMEOUT", "%s is not shorter than HTTP_WRITE_TIMEOUT (%s), "+
			"so a request that runs out of time could not be answered",
			h.RequestTimeout, h.WriteTimeout)
	}
	return h
}

func readMongo(r *reader) Mongo {
	return Mongo{
		URI:      r.mongoURI("MONGODB_URI"),
		Database: r.str("MONGODB_DATABASE", "marquee"),
	}
}

func readClerk(r *reader) Clerk {
	return Clerk{
		JWTKey:        r.publicKey("CLERK_JWT_KEY"),
		SecretKey:     r.secret("CLERK_SECRET_KEY"),
		WebhookSecret: r.secret("CLERK_WEBHOOK_SECRET"),
		APIURL:        r.url("CLERK_API_URL", "https://api.clerk.com"),
		JWTLeeway:     r.duration("CLERK_JWT_LEEWAY", 5*time.Second),
		DevKeys:       r.boolean("CLERK_DEV_KEYS", false),

		AuthorizedParties: r.parties("CLERK_AUTHORIZED_PARTIES"),
	}
}

func readInngest(r *reader) Inngest {
	dev, devURL := r.inngestDev("INNGEST_DEV")
	return Inngest{
		AppID:      r.str("INNGEST_APP_ID", "marquee"),
		Dev:        dev,
		BaseURL:    r.url("INNGEST_BASE_URL", devURL),
		EventKey:   r.secret("INNGEST_EVENT_KEY"),
		SigningKey: r.secret("INNGEST_SIGNING_KEY"),
	}
}

func readStripe(r *reader) Stripe {
	return Stripe{
		SecretKey:     r.secret("STRIPE_SECRET_KEY"),
		WebhookSecret: r.secret("STRIPE_WEBHOOK_SECRET"),
		APIBase:       r.url("STRIPE_API_BASE", ""),
	}
}

func readSMTP(r *reader) SMTP {
	s := SMTP{
		Host:     r.str("SMTP_HOST", ""),
		Port:     r.integer("SMTP_PORT", 587, 1, math.MaxUint16),
		Username: r.str("SMTP_USERNAME", ""),
		Password: r.secret("SMTP_PASSWORD"),
		From:     r.address("SMTP_FROM"),
	}
	if s.Host != "" && s.From == "" {
		r.fail("SMTP_FROM", "required when SMTP_HOST is set")
	}
	return s
}

func readTMDB(r *reader) TMDB {
	return TMDB{
		APIKey:  r.secret("TMDB_API_KEY"),
		BaseURL: r.url("TMDB_BASE_URL", "https://api.themoviedb.org/3"),
	}
}

func readBooking(r *reader) Booking {
	return Booking{
		Hold:           r.positiveDuration("BOOKING_HOLD", 10*time.Minute),
		MaxSeats:       r.integer("MAX_SEATS_PER_BOOKING", 10, 1, 100),
		Currency:       r.currency("CURRENCY", "usd"),
		ReminderWindow: r.positiveDuration("REMINDER_WINDOW", 3*time.Hour),
	}
}

func readRateLimit(r *reader) RateLimit {
	return RateLimit{
		Bookings: r.integer("RATE_LIMIT_BOOKINGS", 20, 1, math.MaxInt32),
		Public:   r.integer("RATE_LIMIT_PUBLIC", 300, 1, math.MaxInt32),
	}
}

func readCORS(r *reader) CORS {
	return CORS{AllowedOrigins: r.origins("CORS_ALLOWED_ORIGINS", "http://localhost:5173")}
}

// refuseUnsafe records the settings that are fine on a developer's machine
// but would open the production server to forged calls or lost payments.
func refuseUnsafe(r *reader, c Config) {
	if c.Inngest.Dev {
		r.fail("INNGEST_DEV", "the Inngest Dev Server is not allowed with APP_ENV=production; "+
			"unset INNGEST_DEV or set APP_ENV=development")
	}
	if !c.Inngest.SigningKey.IsSet() {
		r.fail("INNGEST_SIGNING_KEY", "required with APP_ENV=production, "+
			"so that only Inngest can call /api/inngest")
	}
	if c.Clerk.DevKeys {
		r.fail("CLERK_DEV_KEYS", "locally minted demo keys are only allowed "+
			"with APP_ENV=development")
	}
	if c.Clerk.JWTKey == "" && !c.Clerk.SecretKey.IsSet() {
		r.fail("CLERK_JWT_KEY", "this or CLERK_SECRET_KEY is required with APP_ENV=production "+
			"to verify session tokens")
	}
	if c.Stripe.SecretKey.IsSet() && !c.Stripe.WebhookSecret.IsSet() {
		r.fail("STRIPE_WEBHOOK_SECRET", "required with STRIPE_SECRET_KEY in production, "+
			"or paid bookings are never confirmed")
	}
	if c.Stripe.APIBase != "" {
		r.fail("STRIPE_API_BASE", "points at a local Stripe mock; "+
			"not allowed with APP_ENV=production")
	}
}
