package show_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/show"
)

// TestByDay groups by the theatre's calendar day, not by UTC's: a show at
// 23:30 in New York is on the next day in UTC.
func TestByDay(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	late := show.Show{ID: "late", StartsAt: time.Date(2026, 12, 5, 23, 30, 0, 0, ny)}
	early := show.Show{ID: "early", StartsAt: time.Date(2026, 12, 5, 10, 0, 0, 0, ny)}
	next := show.Show{ID: "next", StartsAt: time.Date(2026, 12, 6, 0, 15, 0, 0, ny)}

	got := show.ByDay([]show.Show{early, late, next}, ny)
	want := map[string][]show.Show{
		"2026-12-05": {early, late},
		"2026-12-06": {next},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ByDay in New York (-want +got):\n%s", diff)
	}

	inUTC := show.ByDay([]show.Show{early, late}, time.UTC)
	if len(inUTC["2026-12-06"]) != 1 || inUTC["2026-12-06"][0].ID != "late" {
		t.Errorf("ByDay in UTC = %v, want the late show on 2026-12-06", inUTC)
	}
}
