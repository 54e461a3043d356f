package config_test

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/config"
)

// lookupIn returns a lookup function over env, standing in for os.LookupEnv.
func lookupIn(env map[string]string) func(string) (string, bool) {
	return func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	}
}

// devEnv returns env with APP_ENV=development added, so that a test of one
// variable is not also refused by the production checks.
func devEnv(env map[string]string) map[string]string {
	out := map[string]string{"APP_ENV": "development"}
	for k, v := range env {
		out[k] = v
	}
	return out
}

// mustLoad loads env and fails the test on any problem.
func mustLoad(tb testing.TB, env map[string]string) config.Config {
	tb.Helper()

	c, err := config.Load(lookupIn(env))
	if err != nil {
		tb.Fatalf("Load(%v) error:\n%v", env, err)
	}
	return c
}

// problems loads env and returns the problems it reports, failing the test
// when the error is not an [*config.Error].
func problems(tb testing.TB, env map[string]string) []config.Problem {
	tb.Helper()

	_, err := config.Load(lookupIn(env))
	if err == nil {
		tb.Fatalf("Load(%v) = nil error, want problems", env)
	}
	var cerr *config.Error
	if !errors.As(err, &cerr) {
		tb.Fatalf("Load(%v) error is %T (%v), want *config.Error", env, err, err)
	}
	return cerr.Problems
}

func problemVars(ps []config.Problem) []string {
	vars := make([]string, len(ps))
	for i, p := range ps {
		vars[i] = p.Var
	}
	return vars
}

// cmpConfig compares time zones by name: *time.Location has only
// unexported fields.
var cmpConfig = cmp.Comparer(func(a, b *time.Location) bool {
	return a.String() == b.String()
})

func TestLoadDefaults(t *testing.T) {
	t.Parallel()

	got := mustLoad(t, map[string]string{"APP_ENV": "development"})
	want := config.Config{
		Env:             config.EnvDevelopment,
		LogLevel:        slog.LevelInfo,
		DataDir:         "./data",
		TheaterLocation: time.UTC,
		PublicBaseURL:   "http://localhost:8080",
		ClientURL:       "http://localhost:5173",
		HTTP: config.HTTP{
			Port:              8080,
			ReadHeaderTimeout: 5 * time.Second,
			ReadTimeout:       15 * time.Second,
			WriteTimeout:      30 * time.Second,
			IdleTimeout:       120 * time.Second,
			RequestTimeout:    20 * time.Second,
			ShutdownTimeout:   20 * time.Second,
			MaxBodyBytes:      1 << 20,
		},
		Mongo:   config.Mongo{Database: "marquee"},
		Clerk:   config.Clerk{APIURL: "https://api.clerk.com", JWTLeeway: 5 * time.Second},
		Inngest: config.Inngest{AppID: "marquee"},
		SMTP:    config.SMTP{Port: 587},
		TMDB:    config.TMDB{BaseURL: "https://api.themoviedb.org/3"},
		Booking: config.Booking{
			Hold:           10 * time.Minute,
			MaxSeats:       10,
			Currency:       "usd",
			ReminderWindow: 3 * time.Hour,
		},
		RateLimit: config.RateLimit{Bookings: 20, Public: 300},
		CORS:      config.CORS{AllowedOrigins: []string{"http://localhost:5173"}},
	}
	if diff := cmp.Diff(want, got, cmpConfig); diff != "" {
		t.Errorf("Load(APP_ENV=development) mismatch (-want +got):\n%s", diff)
	}
	if !got.Development() {
		t.Errorf("Development() = false with APP_ENV=development, want true")
	}
	if got.HTTP.Addr() != ":8080" {
		t.Errorf("HTTP.Addr() = %q, want %q", got.HTTP.Addr(), ":8080")
	}
}

func TestLoadEmptyMeansDefault(t *testing.T) {
	t.Parallel()

	got := mustLoad(t, devEnv(map[string]string{"PORT": "", "BOOKING_HOLD": "  ", "CURRENCY": ""}))
	if got.HTTP.Port != 8080 || got.Booking.Hold != 10*time.Minute ||
		got.Booking.Currency != "usd" {
		t.Errorf("Load with empty PORT, BOOKING_HOLD, CURRENCY = %d, %v, %q; want the defaults",
			got.HTTP.Port, got.Booking.Hold, got.Booking.Currency)
	}
}

func TestLoadValues(t *testing.T) {
	t.Parallel()

	env := map[string]string{
		"APP_ENV":                  "production",
		"LOG_LEVEL":                "DEBUG",
		"DATA_DIR":                 "/data",
		"ADMIN_USER_IDS":           " user_a, ,user_b ,",
		"THEATER_TIMEZONE":         "Europe/Berlin",
		"PUBLIC_BASE_URL":          "https://api.example.com/",
		"CLIENT_URL":               "https://tickets.example.com",
		"PORT":                     "9090",
		"HTTP_READ_HEADER_TIMEOUT": "2s",
		"HTTP_READ_TIMEOUT":        "10s",
		"HTTP_WRITE_TIMEOUT":       "1m",
		"HTTP_IDLE_TIMEOUT":        "90s",
		"HTTP_REQUEST_TIMEOUT":     "50s",
		"SHUTDOWN_TIMEOUT":         "45s",
		"MAX_BODY_BYTES":           "64KiB",
		"TRUSTED_PROXY":            "true",
		"MONGODB_URI":              "mongodb://db.example.com:27017",
		"MONGODB_DATABASE":         "tickets",
		"CLERK_SECRET_KEY":         "sk_test_made_up",
		"CLERK_WEBHOOK_SECRET":     "whsec_made_up",
		"CLERK_API_URL":            "https://clerk.example.com/",
		"CLERK_JWT_LEEWAY":         "0s",
		"CLERK_AUTHORIZED_PARTIES": "https://tickets.example.com, http://localhost:5173",
		"INNGEST_APP_ID":           "tickets",
		"INNGEST_BASE_URL":         "https://inngest.example.com",
		"INNGEST_EVENT_KEY":        "evt_made_up",
		"INNGEST_SIGNING_KEY":      "signkey-prod-made-up",
		"STRIPE_SECRET_KEY":        "sk_test_stripe",
		"STRIPE_WEBHOOK_SECRET":    "whsec_stripe",
		"SMTP_HOST":                "smtp.example.com",
		"SMTP_PORT":                "465",
		"SMTP_USERNAME":            "mailer",
		"SMTP_PASSWORD":            "hunter2",
		"SMTP_FROM":                "Marquee <tickets@example.com>",
		"TMDB_API_KEY":             "tmdb_made_up",
		"TMDB_BASE_URL":            "http://127.0.0.1:9999/3",
		"BOOKING_HOLD":             "30s",
		"MAX_SEATS_PER_BOOKING":    "4",
		"CURRENCY":                 "eur",
		"REMINDER_WINDOW":          "90m",
		"RATE_LIMIT_BOOKINGS":      "5",
		"RATE_LIMIT_PUBLIC":        "1000",
		"CORS_ALLOWED_ORIGINS":     "https://tickets.example.com, http://localhost:5173",
		"METRICS_TOKEN":            "scrape-made-up",
	}
	got := mustLoad(t, env)

	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatalf("LoadLocation(Europe/Berlin): %v", err)
	}
	want := config.Config{
		Env:             config.EnvProduction,
		LogLevel:        slog.LevelDebug,
		DataDir:         "/data",
		AdminUserIDs:    []string{"user_a", "user_b"},
		TheaterLocation: berlin,
		PublicBaseURL:   "https://api.example.com",
		ClientURL:       "https://tickets.example.com",
		HTTP: config.HTTP{
			Port:              9090,
			ReadHeaderTimeout: 2 * time.Second,
			ReadTimeout:       10 * time.Second,
			WriteTimeout:      time.Minute,
			IdleTimeout:       90 * time.Second,
			RequestTimeout:    50 * time.Second,
			ShutdownTimeout:   45 * time.Second,
			MaxBodyBytes:      64 << 10,
			TrustedProxy:      true,
		},
		Mongo: config.Mongo{URI: "mongodb://db.example.com:27017", Database: "tickets"},
		Clerk: config.Clerk{
			SecretKey:     "sk_test_made_up",
			WebhookSecret: "whsec_made_up",
			APIURL:        "https://clerk.example.com",
			AuthorizedParties: []string{
				"https://tickets.example.com", "http://localhost:5173",
			},
		},
		Inngest: config.Inngest{
			AppID:      "tickets",
			BaseURL:    "https://inngest.example.com",
			EventKey:   "evt_made_up",
			SigningKey: "signkey-prod-made-up",
		},
		Stripe: config.Stripe{SecretKey: "sk_test_stripe", WebhookSecret: "whsec_stripe"},
		SMTP: config.SMTP{
			Host:     "smtp.example.com",
			Port:     465,
			Username: "mailer",
			Password: "hunter2",
			From:     "Marquee <tickets@example.com>",
		},
		TMDB: config.TMDB{APIKey: "tmdb_made_up", BaseURL: "http://127.0.0.1:9999/3"},
		Booking: config.Booking{
			Hold:           30 * time.Second,
			MaxSeats:       4,
			Currency:       "eur",
			ReminderWindow: 90 * time.Minute,
		},
		RateLimit: config.RateLimit{Bookings: 5, Public: 1000},
		CORS: config.CORS{
			AllowedOrigins: []string{"https://tickets.example.com", "http://localhost:5173"},
		},
		MetricsToken: "scrape-made-up",
	}
	if diff := cmp.Diff(want, got, cmpConfig); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}
	if got.Development() {
		t.Errorf("Development() = true with APP_ENV=production, want false")
	}
}

func TestLoadReadsEachProblem(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, value string
		wantReason  string // a part of the reason
	}{
		{"APP_ENV", "staging", `"staging" is not production or development`},
		{"LOG_LEVEL", "verbose", `"verbose" is not one of debug, info, warn, error`},
		{"THEATER_TIMEZONE", "Mars/Olympus", `"Mars/Olympus" is not a time zone`},
		{"THEATER_TIMEZONE", "Local", "depends on the host"},
		{"PUBLIC_BASE_URL", "localhost:8080", "not an absolute http or https URL"},
		{"CLIENT_URL", "ftp://example.com", "not an absolute http or https URL"},
		{"PORT", "http", `"http" is not a whole number`},
		{"PORT", "70000", "70000 is not between 0 and 65535"},
		{"HTTP_READ_HEADER_TIMEOUT", "5", `"5" is not a duration such as 5s`},
		{"HTTP_READ_TIMEOUT", "0s", "must be longer than 0"},
		{"HTTP_WRITE_TIMEOUT", "-1s", `"-1s" is negative`},
		{"HTTP_IDLE_TIMEOUT", "two minutes", "is not a duration such as 2m"},
		{"HTTP_REQUEST_TIMEOUT", "30s", "is not shorter than HTTP_WRITE_TIMEOUT (30s)"},
		{"SHUTDOWN_TIMEOUT", "0", "must be longer than 0"},
		{"MAX_BODY_BYTES", "1MB", `"1MB" is not a size`},
		{"MAX_BODY_BYTES", "0", "is not a size"},
		{"MAX_BODY_BYTES", "2048MiB", "is not a size"},
		{"TRUSTED_PROXY", "yes", `"yes" is not true or false`},
		{"MONGODB_URI", "postgres://user:pw@db", "must start with mongodb://"},
		{"CLERK_JWT_KEY", "not a key", "is not an RSA public key"},
		{"CLERK_API_URL", "api.clerk.com", "not an absolute http or https URL"},
		{"CLERK_JWT_LEEWAY", "soon", `"soon" is not a duration such as 5s`},
		{"CLERK_DEV_KEYS", "maybe", `"maybe" is not true or false`},
		{"CLERK_AUTHORIZED_PARTIES", "tickets.example.com", `"tickets.example.com" is not`},
		{"CLERK_AUTHORIZED_PARTIES", "*", `"*" is not an origin`},
		{"INNGEST_DEV", "0", "leave INNGEST_DEV empty to turn it off"},
		{"INNGEST_DEV", "please", `"please" is neither 1 nor a Dev Server URL`},
		{"INNGEST_BASE_URL", "127.0.0.1:8288", "not an absolute http or https URL"},
		{"STRIPE_API_BASE", "localhost:12111", "not an absolute http or https URL"},
		{"SMTP_PORT", "0", "0 is not between 1 and 65535"},
		{"SMTP_FROM", "tickets at example", "is not an e-mail address"},
		{"TMDB_BASE_URL", "themoviedb", "not an absolute http or https URL"},
		{"BOOKING_HOLD", "ten", `"ten" is not a duration such as 10m`},
		{"BOOKING_HOLD", "0s", "must be longer than 0"},
		{"MAX_SEATS_PER_BOOKING", "0", "0 is not between 1 and 100"},
		{"MAX_SEATS_PER_BOOKING", "101", "101 is not between 1 and 100"},
		{"CURRENCY", "USD", `"USD" is not a lower-case ISO 4217 code`},
		{"CURRENCY", "euro", `"euro" is not a lower-case ISO 4217 code`},
		{"REMINDER_WINDOW", "3 hours", `"3 hours" is not a duration such as 3h`},
		{"RATE_LIMIT_BOOKINGS", "0", "0 is less than 1"},
		{"RATE_LIMIT_PUBLIC", "many", `"many" is not a whole number`},
		{"CORS_ALLOWED_ORIGINS", "http://localhost:5173/", `"http://localhost:5173/" is not`},
		{"CORS_ALLOWED_ORIGINS", "*, tickets.example.com", `"tickets.example.com" is not an origin`},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			t.Parallel()

			got := problems(t, devEnv(map[string]string{tt.name: tt.value}))
			ok := len(got) == 1 && got[0].Var == tt.name &&
				strings.Contains(got[0].Reason, tt.wantReason)
			if !ok {
				t.Errorf("Load(%s=%q) problems = %q, want one for %s containing %q",
					tt.name, tt.value, got, tt.name, tt.wantReason)
			}
		})
	}
}

func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()

	env := devEnv(map[string]string{
		"PORT":                  "eighty",
		"BOOKING_HOLD":          "ten",
		"MAX_SEATS_PER_BOOKING": "1000",
		"CURRENCY":              "US$",
		"LOG_LEVEL":             "loud",
	})
	_, err := config.Load(lookupIn(env))

	wantLines := []string{
		`LOG_LEVEL: "loud" is not one of debug, info, warn, error`,
		`PORT: "eighty" is not a whole number`,
		`BOOKING_HOLD: "ten" is not a duration such as 10m`,
		`MAX_SEATS_PER_BOOKING: 1000 is not between 1 and 100`,
		`CURRENCY: "US$" is not a lower-case ISO 4217 code such as usd`,
	}
	if err == nil {
		t.Fatalf("Load(%v) = nil error, want %d problems", env, len(wantLines))
	}
	if diff := cmp.Diff(wantLines, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("Load(%v) error lines mismatch (-want +got):\n%s", env, diff)
	}
}

func TestLoadRefusesUnsafeProduction(t *testing.T) {
	t.Parallel()

	// safe is the least a production server needs.
	safe := map[string]string{
		"INNGEST_SIGNING_KEY": "signkey-prod-made-up",
		"CLERK_SECRET_KEY":    "sk_live_made_up",
	}
	with := func(kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range safe {
			env[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}

	tests := []struct {
		name     string
		env      map[string]string
		wantVars []string
	}{
		{"nothing set", map[string]string{}, []string{"INNGEST_SIGNING_KEY", "CLERK_JWT_KEY"}},
		{"Inngest dev mode", with("INNGEST_DEV", "1"), []string{"INNGEST_DEV"}},
		{"Inngest dev URL", with("INNGEST_DEV", "http://127.0.0.1:8288"), []string{"INNGEST_DEV"}},
		{"no signing key", with("INNGEST_SIGNING_KEY", ""), []string{"INNGEST_SIGNING_KEY"}},
		{"dev keys", with("CLERK_DEV_KEYS", "true"), []string{"CLERK_DEV_KEYS"}},
		{"no Clerk key", with("CLERK_SECRET_KEY", ""), []string{"CLERK_JWT_KEY"}},
		{"Stripe without webhook secret", with("STRIPE_SECRET_KEY", "sk_live_x"),
			[]string{"STRIPE_WEBHOOK_SECRET"}},
		{"Stripe mock", with("STRIPE_API_BASE", "http://localhost:12111"),
			[]string{"STRIPE_API_BASE"}},
		{"explicit production", with("APP_ENV", "production", "INNGEST_DEV", "1"),
			[]string{"INNGEST_DEV"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()

			got := problemVars(problems(t, tt.env))
			if diff := cmp.Diff(tt.wantVars, got); diff != "" {
				t.Errorf("Load(%v) problem variables mismatch (-want +got):\n%s", tt.env, diff)
			}
		})
	}

	t.Run("safe", func(t *testing.T) {
		t.Parallel()

		if c := mustLoad(t, safe); c.Env != config.EnvProduction {
			t.Errorf("Load(%v).Env = %q, want %q", safe, c.Env, config.EnvProduction)
		}
	})
	t.Run("same settings in development", func(t *testing.T) {
		t.Parallel()

		mustLoad(t, map[string]string{
			"APP_ENV":           "development",
			"INNGEST_DEV":       "1",
			"CLERK_DEV_KEYS":    "true",
			"STRIPE_SECRET_KEY": "sk_test_x",
			"STRIPE_API_BASE":   "http://localhost:12111",
		})
	})
}

func TestLoadInngestDev(t *testing.T) {
	t.Parallel()

	tests := []struct {
		env         map[string]string
		wantDev     bool
		wantBaseURL string
	}{
		{map[string]string{}, false, ""},
		{map[string]string{"INNGEST_DEV": "1"}, true, ""},
		{map[string]string{"INNGEST_DEV": "http://127.0.0.1:8288/"}, true, "http://127.0.0.1:8288"},
		{map[string]string{"INNGEST_DEV": "1", "INNGEST_BASE_URL": "http://127.0.0.1:9000"},
			true, "http://127.0.0.1:9000"},
		{map[string]string{"INNGEST_DEV": "http://a:8288", "INNGEST_BASE_URL": "http://b:8288"},
			true, "http://b:8288"},
	}
	for _, tt := range tests {
		got := mustLoad(t, devEnv(tt.env)).Inngest
		if got.Dev != tt.wantDev || got.BaseURL != tt.wantBaseURL {
			t.Errorf("Load(%v).Inngest: Dev = %v, BaseURL = %q; want %v, %q",
				tt.env, got.Dev, got.BaseURL, tt.wantDev, tt.wantBaseURL)
		}
	}
}

func TestLoadBodySizes(t *testing.T) {
	t.Parallel()

	tests := map[string]int64{
		"1":        1,
		"1048576":  1 << 20,
		"512KiB":   512 << 10,
		"1 MiB":    1 << 20,
		"1024MiB":  1 << 30,
		"20000000": 20000000,
	}
	for value, want := range tests {
		got := mustLoad(t, devEnv(map[string]string{"MAX_BODY_BYTES": value})).HTTP.MaxBodyBytes
		if got != want {
			t.Errorf("Load(MAX_BODY_BYTES=%q).HTTP.MaxBodyBytes = %d, want %d", value, got, want)
		}
	}
}

func TestDataDir(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "./data"},
		{map[string]string{"DATA_DIR": " "}, "./data"},
		{map[string]string{"DATA_DIR": " /srv/marquee "}, "/srv/marquee"},
		// Nothing else is read or checked.
		{map[string]string{"DATA_DIR": "/data", "PORT": "not a port"}, "/data"},
	}
	for _, tt := range tests {
		if got := config.DataDir(lookupIn(tt.env)); got != tt.want {
			t.Errorf("DataDir(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
}
