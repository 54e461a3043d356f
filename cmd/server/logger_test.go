package main

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/marquee-hq/marquee/internal/config"
)

// TestNewLogger checks the two log formats and the level: JSON lines in
// production for log collectors, text for people in development, and
// nothing below LOG_LEVEL.
func TestNewLogger(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  string
		json bool
	}{
		{config.EnvProduction, true},
		{config.EnvDevelopment, false},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log := newLogger(&buf, config.Config{Env: tc.env, LogLevel: slog.LevelInfo})
			log.Debug("too detailed")
			log.Info("request", "route", "/api/shows/{showId}")

			out := strings.TrimSpace(buf.String())
			if strings.Contains(out, "too detailed") {
				t.Errorf("a debug line was written at LOG_LEVEL=info: %s", out)
			}
			if strings.Count(out, "\n") != 0 {
				t.Fatalf("wrote %q, want one line", out)
			}
			if got := json.Valid([]byte(out)); got != tc.json {
				t.Errorf("APP_ENV=%s wrote %s; JSON: %v, want %v", tc.env, out, got, tc.json)
			}
		})
	}
}
