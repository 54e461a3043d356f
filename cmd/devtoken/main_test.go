package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marquee-hq/marquee/internal/clerk"
)

func TestRun(t *testing.T) {
	dataDir := t.TempDir()
	args := []string{"-data", dataDir, "-user", "user_demo", "-session", "sess_demo", "-admin"}

	var stdout, stderr bytes.Buffer
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run(%q) error = %v; stderr:\n%s", args, err, stderr.String())
	}
	token := strings.TrimSpace(stdout.String())
	for _, want := range []string{"(created)", "public.pem", "export TOKEN=" + token,
		"CLERK_DEV_KEYS=true", "ADMIN_USER_IDS=user_demo", "/api/bookings\n",
		"GET /api/me answers 404 until Clerk's user.created webhook"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("run(%q) stderr lacks %q:\n%s", args, want, stderr.String())
		}
	}

	devPEM, err := clerk.DevPublicKeyPEM(dataDir)
	if err != nil {
		t.Fatalf("DevPublicKeyPEM: %v", err)
	}
	v, err := clerk.NewVerifier(clerk.Options{
		DevKeyPEM:         devPEM,
		AuthorizedParties: []string{"http://localhost:5173"},
	})
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	got, err := v.Verify(context.Background(), token)
	want := clerk.Session{UserID: "user_demo", SessionID: "sess_demo"}
	if err != nil || got != want {
		t.Fatalf("Verify(printed token) = %+v, %v; want %+v", got, err, want)
	}

	stdout.Reset()
	stderr.Reset()
	if err := run(args, &stdout, &stderr); err != nil {
		t.Fatalf("run(%q) again: %v", args, err)
	}
	if !strings.Contains(stderr.String(), "(reused)") {
		t.Errorf("second run does not reuse the key:\n%s", stderr.String())
	}
}

// TestDataDirDefault runs without -data: the key pair goes where the
// server started in the same directory looks for it, under DATA_DIR from
// the environment, else from .env, else ./data.
func TestDataDirDefault(t *testing.T) {
	tests := []struct {
		name, env, dotenv, want string
	}{
		{"environment", "from-env", "from-dotenv", "from-env"},
		{".env", "", "from-dotenv", "from-dotenv"},
		{"neither", "", "", "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			t.Setenv("DATA_DIR", tt.env) // restored when the test ends
			if tt.env == "" {
				os.Unsetenv("DATA_DIR")
			}
			if tt.dotenv != "" {
				err := os.WriteFile(".env", []byte("DATA_DIR="+tt.dotenv+"\n"), 0o600)
				if err != nil {
					t.Fatal(err)
				}
			}

			var stdout, stderr bytes.Buffer
			if err := run(nil, &stdout, &stderr); err != nil {
				t.Fatalf("run() error = %v; stderr:\n%s", err, stderr.String())
			}
			want := filepath.Join(dir, tt.want)
			if _, err := clerk.DevPublicKeyPEM(want); err != nil {
				t.Errorf("run() made no key pair in %s: %v; stderr:\n%s", want, err,
					stderr.String())
			}
		})
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	t.Parallel()
	tests := [][]string{
		{"-user", ""},
		{"-ttl", "-1h"},
		{"-ttl", "soon"},
		{"extra-argument"},
	}
	for _, args := range tests {
		args = append([]string{"-data", t.TempDir()}, args...)
		var stdout, stderr bytes.Buffer
		if err := run(args, &stdout, &stderr); err == nil {
			t.Errorf("run(%q) succeeded, want an error", args)
		}
		if stdout.Len() > 0 {
			t.Errorf("run(%q) printed a token: %q", args, stdout.String())
		}
	}
}
