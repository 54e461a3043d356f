package config_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/marquee-hq/marquee/internal/config"
)

// secretEnv sets every secret to a value that must never be printed.
var secretEnv = map[string]string{
	"APP_ENV":               "development",
	"MONGODB_URI":           "mongodb://app:mongo-password-1@db1.example.com:27017,db2.example.com:27017/tickets?authSource=admin&tlsCertificateKeyFilePassword=mongo-option-2",
	"CLERK_SECRET_KEY":      "sk_test_clerk-secret-3",
	"CLERK_WEBHOOK_SECRET":  "whsec_clerk-webhook-4",
	"INNGEST_EVENT_KEY":     "inngest-event-key-5",
	"INNGEST_SIGNING_KEY":   "signkey-test-inngest-6",
	"STRIPE_SECRET_KEY":     "sk_test_stripe-secret-7",
	"STRIPE_WEBHOOK_SECRET": "whsec_stripe-webhook-8",
	"SMTP_HOST":             "smtp.example.com",
	"SMTP_USERNAME":         "mailer-user-9@example.com",
	"SMTP_PASSWORD":         "smtp-password-10",
	"SMTP_FROM":             "Marquee <box-office-11@example.com>",
	"TMDB_API_KEY":          "tmdb-api-key-12",
	"METRICS_TOKEN":         "metrics-token-13",
}

// leaked lists the values of secretEnv that appear in out, and the parts
// of the database URI that must not.
func leaked(out string) []string {
	var found []string
	for name, v := range secretEnv {
		if name == "APP_ENV" || name == "SMTP_HOST" {
			continue
		}
		if strings.Contains(out, v) {
			found = append(found, name)
		}
	}
	parts := []string{"mongo-password-1", "mongo-option-2", "box-office-11", "mailer-user-9"}
	for _, part := range parts {
		if strings.Contains(out, part) {
			found = append(found, part)
		}
	}
	return found
}

func TestLogValueMasksSecrets(t *testing.T) {
	t.Parallel()

	c := mustLoad(t, secretEnv)
	handlers := map[string]func(*bytes.Buffer) slog.Handler{
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	}
	for name, newHandler := range handlers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()

			var buf bytes.Buffer
			slog.New(newHandler(&buf)).Info("starting", "config", c)
			out := buf.String()

			if found := leaked(out); len(found) > 0 {
				t.Errorf("log line shows %v:\n%s", found, out)
			}
			for _, want := range []string{"secret_key", "set", "db1.example.com", "@example.com"} {
				if !strings.Contains(out, want) {
					t.Errorf("log line lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

func TestLogValueShowsSettings(t *testing.T) {
	t.Parallel()

	var buf bytes.Buffer
	c := mustLoad(t, map[string]string{"APP_ENV": "development"})
	slog.New(slog.NewTextHandler(&buf, nil)).Info("starting", "config", c)

	for _, want := range []string{
		"config.env=development",
		"config.mongo.uri=embedded",
		"config.http.write_timeout=30s",
		"config.booking.hold=10m0s",
		"config.clerk.secret_key=unset",
		"config.theater_timezone=UTC",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log line lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestSecretsDoNotFormat(t *testing.T) {
	t.Parallel()

	c := mustLoad(t, secretEnv)
	// SMTP_USERNAME is a plain string field: it is masked in the log line
	// only, so the fmt and JSON outputs are checked for the secrets alone.
	printed := map[string]string{
		"%v":  fmt.Sprintf("%v", c),
		"%+v": fmt.Sprintf("%+v", c),
		"%#v": fmt.Sprintf("%#v", c),
		"%s":  fmt.Sprintf("%s", c.Stripe.SecretKey),
		"%q":  fmt.Sprintf("%q", c.Stripe.SecretKey),
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("json.Marshal(config): %v", err)
	}
	printed["json"] = string(b)

	for how, out := range printed {
		for name, v := range secretEnv {
			isSecret := strings.Contains(name, "KEY") || strings.Contains(name, "SECRET") ||
				strings.Contains(name, "PASSWORD") || name == "MONGODB_URI"
			if isSecret && strings.Contains(out, v) {
				t.Errorf("config printed with %s shows %s:\n%s", how, name, out)
			}
		}
	}
}

func TestSecret(t *testing.T) {
	t.Parallel()

	s := config.Secret("sk_live_made_up")
	if s.Reveal() != "sk_live_made_up" || !s.IsSet() || s.String() != "set" {
		t.Errorf("Secret(%q): Reveal, IsSet, String = %q, %v, %q; want the value, true, %q",
			"sk_live_made_up", s.Reveal(), s.IsSet(), s.String(), "set")
	}
	var empty config.Secret
	if empty.IsSet() || empty.String() != "unset" {
		t.Errorf("Secret(\"\"): IsSet, String = %v, %q; want false, %q",
			empty.IsSet(), empty.String(), "unset")
	}
}

func TestLogValueRedactsMongoURI(t *testing.T) {
	t.Parallel()

	tests := map[string]string{
		"":                                   "embedded",
		"mongodb://db.example.com":           "mongodb://db.example.com",
		"mongodb://u:pw@a:1,b:2/x?ssl=true":  "mongodb://a:1,b:2/x",
		"mongodb://u:p/w@d@db.example.com/":  "mongodb://db.example.com/",
		"mongodb://u:1234/ss@db.example.com": "mongodb://db.example.com",
		"mongodb+srv://u:pw@cluster0.example.net/tickets?retryWrites=true": "mongodb+srv://cluster0.example.net/tickets",
	}
	for uri, want := range tests {
		var buf bytes.Buffer
		c := mustLoad(t, map[string]string{"APP_ENV": "development", "MONGODB_URI": uri})
		slog.New(slog.NewTextHandler(&buf, nil)).Info("starting", "config", c)

		if !strings.Contains(buf.String(), "config.mongo.uri="+want+" ") {
			t.Errorf("log line for MONGODB_URI=%q lacks config.mongo.uri=%s:\n%s",
				uri, want, buf.String())
		}
	}
}
