package config_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/joho/godotenv"

	"github.com/marquee-hq/marquee/internal/config"
)

// TestEnvExample keeps .env.example true: it names exactly the variables
// Load reads, and its values are the defaults.
func TestEnvExample(t *testing.T) {
	t.Parallel()

	file, err := godotenv.Read("../../.env.example")
	if err != nil {
		t.Fatalf("read .env.example: %v", err)
	}

	var read []string
	record := func(name string) (string, bool) {
		read = append(read, name)
		return "", false
	}
	if _, err := config.Load(record); err == nil {
		t.Fatalf("Load(empty environment) = nil error, want the production refusals")
	}

	var named []string
	for name := range file {
		named = append(named, name)
	}
	slices.Sort(named)
	slices.Sort(read)
	if diff := cmp.Diff(slices.Compact(read), named); diff != "" {
		t.Errorf(".env.example names mismatch (-read by Load +in the file):\n%s", diff)
	}

	file["APP_ENV"] = "development"
	defaults := mustLoad(t, map[string]string{"APP_ENV": "development"})
	if diff := cmp.Diff(defaults, mustLoad(t, file), cmpConfig); diff != "" {
		t.Errorf(".env.example values differ from the defaults (-default +file):\n%s", diff)
	}
}
