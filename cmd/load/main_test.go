package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestRefusesWhatItMustNotTouch checks that the command sends nothing to
// an address off this machine, and says what is missing.
func TestRefusesWhatItMustNotTouch(t *testing.T) {
	t.Parallel()
	const localDB = "mongodb://127.0.0.1:1/"
	tests := []struct {
		name string
		args []string
		want string // in the error output
	}{
		{"a private address", []string{"-target", "http://10.0.0.7:8080", "-mongodb-uri", localDB},
			"not a loopback address"},
		{"a public name", []string{"-target", "https://example.com", "-mongodb-uri", localDB},
			"not a loopback address"},
		{"a remote database", []string{"-target", "http://127.0.0.1:1",
			"-mongodb-uri", "mongodb://db.example.com:27017/"}, "not a loopback address"},
		{"an SRV database", []string{"-target", "http://127.0.0.1:1",
			"-mongodb-uri", "mongodb+srv://cluster0.example.net/"}, "not a loopback address"},
		{"no database", []string{"-target", "http://127.0.0.1:1"}, "-mongodb-uri is required"},
		{"stray arguments", []string{"-mongodb-uri", localDB, "now"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"-data", t.TempDir()}, tt.args...)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), args, &stdout, &stderr)
			if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("load %q = exit %d, stderr %q; want exit %d mentioning %q",
					args, code, stderr.String(), exitUsage, tt.want)
			}
			if stdout.Len() > 0 {
				t.Errorf("load %q printed %q, want nothing on stdout", args, stdout.String())
			}
		})
	}
}
