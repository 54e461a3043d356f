package mongotest

import (
	"regexp"
	"strings"
	"testing"
)

func TestDatabaseName(t *testing.T) {
	t.Parallel()
	valid := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,63}$`)
	tests := []struct {
		test string
		want string // the part before the unique suffix
	}{
		{"TestShows", "TestShows"},
		{"TestShows/stored times are all named", "TestShows_stored_times_are_all_named"},
		{"TestSeat/Ä.1$2", "TestSeat_1_2"},
		{strings.Repeat("x", 80), strings.Repeat("x", 63-len("_"+runID+"_12345"))},
	}
	for _, tt := range tests {
		got := databaseName(tt.test, 12345)
		if !valid.MatchString(got) {
			t.Errorf("databaseName(%q) = %q, not a valid database name", tt.test, got)
		}
		if want := tt.want + "_" + runID + "_12345"; got != want {
			t.Errorf("databaseName(%q) = %q, want %q", tt.test, got, want)
		}
	}
	if a, b := databaseName("T", 1), databaseName("T", 2); a == b {
		t.Errorf("databaseName gave %q for two sequence numbers", a)
	}
}
