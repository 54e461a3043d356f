package config

import (
	"log/slog"
	"net/mail"
	"strings"
)

// LogValue returns the configuration for the start-up log line, masked by
// construction: secrets and the Clerk key show only "set" or "unset", the
// database URI only its scheme, hosts and path, and e-mail addresses only
// their domain.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("env", c.Env),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("data_dir", c.DataDir),
		slog.Any("admin_user_ids", c.AdminUserIDs),
		slog.String("theater_timezone", c.TheaterLocation.String()),
		slog.String("public_base_url", c.PublicBaseURL),
		slog.String("client_url", c.ClientURL),
		slog.Any("http", c.HTTP),
		slog.Group("mongo",
			slog.String("uri", redactMongoURI(c.Mongo.URI)),
			slog.String("database", c.Mongo.Database)),
		slog.Group("clerk",
			slog.String("jwt_key", presence(c.Clerk.JWTKey != "")),
			slog.Any("secret_key", c.Clerk.SecretKey),
			slog.Any("webhook_secret", c.Clerk.WebhookSecret),
			slog.String("api_url", c.Clerk.APIURL),
			slog.String("jwt_leeway", c.Clerk.JWTLeeway.String()),
			slog.Any("authorized_parties", c.Clerk.AuthorizedParties),
			slog.Bool("dev_keys", c.Clerk.DevKeys)),
		slog.Group("inngest",
			slog.String("app_id", c.Inngest.AppID),
			slog.Bool("dev", c.Inngest.Dev),
			slog.String("base_url", c.Inngest.BaseURL),
			slog.Any("event_key", c.Inngest.EventKey),
			slog.Any("signing_key", c.Inngest.SigningKey)),
		slog.Group("stripe",
			slog.Any("secret_key", c.Stripe.SecretKey),
			slog.Any("webhook_secret", c.Stripe.WebhookSecret),
			slog.String("api_base", c.Stripe.APIBase)),
		slog.Group("smtp",
			slog.String("host", c.SMTP.Host),
			slog.Int("port", c.SMTP.Port),
			slog.String("username", presence(c.SMTP.Username != "")),
			slog.Any("password", c.SMTP.Password),
			slog.String("from", maskAddress(c.SMTP.From))),
		slog.Group("tmdb",
			slog.Any("api_key", c.TMDB.APIKey),
			slog.String("base_url", c.TMDB.BaseURL)),
		slog.Group("booking",
			slog.String("hold", c.Booking.Hold.String()),
			slog.Int("max_seats", c.Booking.MaxSeats),
			slog.String("currency", string(c.Booking.Currency)),
			slog.String("reminder_window", c.Booking.ReminderWindow.String())),
		slog.Group("rate_limit",
			slog.Int("bookings_per_minute", c.RateLimit.Bookings),
			slog.Int("public_per_minute", c.RateLimit.Public)),
		slog.Any("cors_allowed_origins", c.CORS.AllowedOrigins),
		slog.Any("metrics_token", c.MetricsToken),
	)
}

// LogValue returns the server settings for the start-up log line.
// Durations are written as "15s" by both the text and the JSON handler.
func (h HTTP) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("port", h.Port),
		slog.String("read_header_timeout", h.ReadHeaderTimeout.String()),
		slog.String("read_timeout", h.ReadTimeout.String()),
		slog.String("write_timeout", h.WriteTimeout.String()),
		slog.String("idle_timeout", h.IdleTimeout.String()),
		slog.String("request_timeout", h.RequestTimeout.String()),
		slog.String("shutdown_timeout", h.ShutdownTimeout.String()),
		slog.Int64("max_body_bytes", h.MaxBodyBytes),
		slog.Bool("trusted_proxy", h.TrustedProxy),
	)
}

// presence masks a value that is not a [Secret] the same way.
func presence(set bool) string {
	if set {
		return "set"
	}
	return "unset"
}

// redactMongoURI keeps the scheme, hosts and database of a connection
// string and drops the credentials and options, which may hold secrets.
// It does not rely on a URL parser: a password with an unescaped "/" would
// be read as a host and path.
func redactMongoURI(uri Secret) string {
	if !uri.IsSet() {
		return "embedded"
	}

	scheme, rest, _ := strings.Cut(uri.Reveal(), "://")
	rest, _, _ = strings.Cut(rest, "?")
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	return scheme + "://" + rest
}

// maskAddress keeps only the domain of an e-mail address.
func maskAddress(addr string) string {
	a, err := mail.ParseAddress(addr)
	if err != nil {
		return presence(addr != "")
	}

	_, domain, _ := strings.Cut(a.Address, "@")
	return "…@" + domain
}
