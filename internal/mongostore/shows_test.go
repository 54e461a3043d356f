package mongostore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/page"
	"github.com/marquee-hq/marquee/internal/show"
)

var (
	_ show.Store         = (*mongostore.Shows)(nil)
	_ booking.ShowFinder = (*mongostore.Shows)(nil)
	_ movie.Showtimes    = (*mongostore.Shows)(nil)
)

// evening is a show time; the domain passes whole seconds.
var evening = time.Date(2026, 12, 5, 19, 30, 0, 0, time.UTC)

func newShow(id, movieID string, startsAt time.Time) show.Show {
	return show.Show{
		ID:        id,
		MovieID:   movieID,
		StartsAt:  startsAt,
		Price:     money.Money{Amount: 1250, Currency: "usd"},
		Layout:    show.Layout{Rows: []string{"A", "B"}, SeatsPerRow: 4},
		CreatedAt: created,
	}
}

func insertShows(t *testing.T, s *mongostore.Shows, shows ...show.Show) {
	t.Helper()
	if err := s.InsertMany(context.Background(), shows); err != nil {
		t.Fatalf("InsertMany(%d shows): %v", len(shows), err)
	}
}

// showIDs returns the ids of shows, in order.
func showIDs(shows []show.Show) []string {
	ids := []string{}
	for _, sh := range shows {
		ids = append(ids, sh.ID)
	}
	return ids
}

// allShows returns the ids of every stored show, soonest first.
func allShows(t *testing.T, s *mongostore.Shows) []string {
	t.Helper()
	shows, err := s.Find(context.Background(), show.Filter{})
	if err != nil {
		t.Fatalf("Find(all): %v", err)
	}
	return showIDs(shows)
}

func TestShowsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewShows(mongotest.NewDatabase(t))
	a := newShow("s1", "m1", evening)
	b := newShow("s2", "m1", evening.Add(3*time.Hour))
	b.Layout = show.DefaultLayout()
	insertShows(t, s, a, b)

	got, err := s.Show(ctx, "s2")
	if err != nil {
		t.Fatalf("Show(s2): %v", err)
	}
	if diff := cmp.Diff(b, got); diff != "" {
		t.Errorf("Show(s2) (-want +got):\n%s", diff)
	}

	byID, err := s.ShowsByID(ctx, []string{"s1", "s2", "nope"})
	if err != nil {
		t.Fatalf("ShowsByID: %v", err)
	}
	want := map[string]show.Show{"s1": a, "s2": b}
	if diff := cmp.Diff(want, byID); diff != "" {
		t.Errorf("ShowsByID (-want +got):\n%s", diff)
	}

	if _, err := s.Show(ctx, "nope"); !errors.Is(err, show.ErrNotFound) {
		t.Errorf("Show(unknown) = %v, want show.ErrNotFound", err)
	}
}

func TestShowsInsertManyDuplicates(t *testing.T) {
	t.Parallel()
	at := func(h int) time.Time { return evening.Add(time.Duration(h) * time.Hour) }
	tests := []struct {
		name  string
		batch []show.Show
		want  []time.Time
	}{{
		name: "stored times are all named",
		batch: []show.Show{
			newShow("n1", "m1", at(1)), newShow("n2", "m1", at(2)), newShow("n3", "m1", at(3)),
		},
		want: []time.Time{at(1), at(3)},
	}, {
		// Caught by the unique index after n4 is stored, so n4 is removed.
		name: "a time twice in the batch",
		batch: []show.Show{
			newShow("n4", "m1", at(4)), newShow("n5", "m1", at(5)), newShow("n6", "m1", at(5)),
		},
		want: []time.Time{at(5)},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := mongostore.NewShows(mongotest.NewDatabase(t))
			insertShows(t, s, newShow("old1", "m1", at(1)), newShow("old3", "m1", at(3)),
				newShow("other", "m2", at(2)))

			err := s.InsertMany(context.Background(), tt.batch)
			var dup *show.DuplicateError
			if !errors.As(err, &dup) {
				t.Fatalf("InsertMany = %v, want a *show.DuplicateError", err)
			}
			if diff := cmp.Diff(tt.want, dup.StartTimes); diff != "" {
				t.Errorf("DuplicateError.StartTimes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]string{"old1", "other", "old3"}, allShows(t, s)); diff != "" {
				t.Errorf("stored shows after a failed InsertMany (-want +got):\n%s", diff)
			}
		})
	}
}

// TestShowsInsertManyConcurrently schedules the same times from many
// goroutines: one batch is stored whole, every other fails whole.
func TestShowsInsertManyConcurrently(t *testing.T) {
	t.Parallel()
	s := mongostore.NewShows(mongotest.NewDatabase(t))

	const admins = 10
	errs := make([]error, admins)
	var wg sync.WaitGroup
	for i := range admins {
		wg.Go(func() {
			var batch []show.Show
			for h := range 3 {
				id := fmt.Sprintf("a%d-%d", i, h)
				batch = append(batch, newShow(id, "m1", evening.Add(time.Duration(h)*time.Hour)))
			}
			errs[i] = s.InsertMany(context.Background(), batch)
		})
	}
	wg.Wait()

	winner := -1
	for i, err := range errs {
		var dup *show.DuplicateError
		switch {
		case err == nil && winner >= 0:
			t.Errorf("admins %d and %d both scheduled the same times", winner, i)
		case err == nil:
			winner = i
		case !errors.As(err, &dup):
			t.Errorf("admin %d: InsertMany = %v, want nil or a *show.DuplicateError", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no admin could schedule the shows")
	}
	want := []string{fmt.Sprintf("a%d-0", winner), fmt.Sprintf("a%d-1", winner), fmt.Sprintf("a%d-2", winner)}
	if diff := cmp.Diff(want, allShows(t, s)); diff != "" {
		t.Errorf("stored shows (-want +got):\n%s", diff)
	}
}

func TestShowsFind(t *testing.T) {
	t.Parallel()
	s := mongostore.NewShows(mongotest.NewDatabase(t))
	insertShows(t, s,
		newShow("m1-late", "m1", evening.Add(2*time.Hour)),
		newShow("m1-early", "m1", evening),
		newShow("m3-tie", "m3", evening.Add(time.Hour)),
		newShow("m2-tie", "m2", evening.Add(time.Hour)),
	)

	tests := []struct {
		name string
		f    show.Filter
		want []string
	}{
		{"everything, soonest first, then by id", show.Filter{},
			[]string{"m1-early", "m2-tie", "m3-tie", "m1-late"}},
		{"one movie", show.Filter{MovieID: "m2"}, []string{"m2-tie"}},
		{"from is inclusive", show.Filter{From: evening.Add(time.Hour)},
			[]string{"m2-tie", "m3-tie", "m1-late"}},
		{"to is exclusive", show.Filter{To: evening.Add(time.Hour)}, []string{"m1-early"}},
		{"movie and window",
			show.Filter{MovieID: "m1", From: evening.Add(time.Second), To: evening.Add(3 * time.Hour)},
			[]string{"m1-late"}},
		{"limit", show.Filter{Limit: 2}, []string{"m1-early", "m2-tie"}},
		{"after a cursor, which breaks ties by id",
			show.Filter{After: page.At(evening.Add(time.Hour), "m2-tie")},
			[]string{"m3-tie", "m1-late"}},
		{"after a cursor, within a window",
			show.Filter{From: evening.Add(time.Second), After: page.At(evening, "m1-early"), Limit: 1},
			[]string{"m2-tie"}},
		{"nothing", show.Filter{MovieID: "m9"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := s.Find(context.Background(), tt.f)
			if err != nil {
				t.Fatalf("Find(%+v): %v", tt.f, err)
			}
			if diff := cmp.Diff(tt.want, showIDs(got)); diff != "" {
				t.Errorf("Find(%+v) (-want +got):\n%s", tt.f, diff)
			}
		})
	}
}

func TestShowsDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewShows(mongotest.NewDatabase(t))
	insertShows(t, s, newShow("s1", "m1", evening), newShow("s2", "m1", evening.Add(time.Hour)))

	if err := s.Delete(ctx, "s1"); err != nil {
		t.Fatalf("Delete(s1): %v", err)
	}
	if err := s.Delete(ctx, "s1"); !errors.Is(err, show.ErrNotFound) {
		t.Errorf("Delete(s1) again = %v, want show.ErrNotFound", err)
	}
	if diff := cmp.Diff([]string{"s2"}, allShows(t, s)); diff != "" {
		t.Errorf("shows after Delete (-want +got):\n%s", diff)
	}
}

func TestShowsMoviesShowingAfter(t *testing.T) {
	t.Parallel()
	s := mongostore.NewShows(mongotest.NewDatabase(t))
	insertShows(t, s,
		newShow("a1", "late", evening.Add(3*time.Hour)),
		newShow("a2", "late", evening.Add(-time.Hour)), // past: does not count
		newShow("b1", "soon", evening.Add(4*time.Hour)),
		newShow("b2", "soon", evening.Add(time.Hour)),
		newShow("c1", "gone", evening.Add(-2*time.Hour)),
		newShow("d1", "now", evening), // starts at t: not after it
	)

	got, err := s.MoviesShowingAfter(context.Background(), evening)
	if err != nil {
		t.Fatalf("MoviesShowingAfter: %v", err)
	}
	if diff := cmp.Diff([]string{"soon", "late"}, got); diff != "" {
		t.Errorf("MoviesShowingAfter(%s) (-want +got):\n%s", evening, diff)
	}

	got, err = s.MoviesShowingAfter(context.Background(), evening.Add(24*time.Hour))
	if err != nil {
		t.Fatalf("MoviesShowingAfter: %v", err)
	}
	if diff := cmp.Diff([]string{}, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("MoviesShowingAfter(a day later) (-want +got):\n%s", diff)
	}
}
