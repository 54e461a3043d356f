package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/marquee-hq/marquee/internal/config"
)

// The tests here change the process environment, so none is parallel.

func TestLoadDotEnvKeepsRealEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	content := "MARQUEE_TEST_REAL=from-file\n" +
		"MARQUEE_TEST_EMPTY=from-file\n" +
		"MARQUEE_TEST_NEW=from-file\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("MARQUEE_TEST_REAL", "from-env")
	t.Setenv("MARQUEE_TEST_EMPTY", "")
	// t.Setenv then Unsetenv makes the cleanup remove what the file adds.
	t.Setenv("MARQUEE_TEST_NEW", "")
	if err := os.Unsetenv("MARQUEE_TEST_NEW"); err != nil {
		t.Fatal(err)
	}

	if err := config.LoadDotEnv(path); err != nil {
		t.Fatalf("LoadDotEnv(%q) = %v, want nil", path, err)
	}

	want := map[string]string{
		"MARQUEE_TEST_REAL":  "from-env",
		"MARQUEE_TEST_EMPTY": "",
		"MARQUEE_TEST_NEW":   "from-file",
	}
	for name, v := range want {
		if got := os.Getenv(name); got != v {
			t.Errorf("after LoadDotEnv, %s = %q, want %q", name, got, v)
		}
	}
}

func TestLoadDotEnvMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.env")
	if err := config.LoadDotEnv(path); err != nil {
		t.Errorf("LoadDotEnv(%q) = %v, want nil for a missing file", path, err)
	}
}

func TestLoadDotEnvUnreadable(t *testing.T) {
	dir := t.TempDir() // a directory cannot be read as a file
	if err := config.LoadDotEnv(dir); err == nil {
		t.Errorf("LoadDotEnv(%q) = nil, want an error for a directory", dir)
	}
}
