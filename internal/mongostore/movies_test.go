package mongostore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
)

var _ movie.Store = (*mongostore.Movies)(nil)
var _ booking.MovieFinder = (*mongostore.Movies)(nil)

// created is when the fixtures were made; BSON dates keep milliseconds.
var created = time.Date(2026, 11, 20, 9, 15, 30, 250e6, time.UTC)

func importedMovie(id string) movie.Movie {
	return movie.Movie{
		ID:               id,
		TMDBID:           550,
		Title:            "The Lantern Keepers",
		Overview:         "Two lighthouse keepers trade stories through a winter storm.",
		PosterPath:       "/lantern.jpg",
		BackdropPath:     "/lantern-wide.jpg",
		ReleaseDate:      "2026-10-30",
		OriginalLanguage: "en",
		Tagline:          "Keep the light on.",
		Genres:           []movie.Genre{{ID: 18, Name: "Drama"}, {ID: 53, Name: "Thriller"}},
		Cast: []movie.CastMember{
			{Name: "Mara Ellingsen", Character: "Ida", ProfilePath: "/mara.jpg"},
			{Name: "Tobin Achebe", Character: "Sol"},
		},
		VoteAverage: 7.4,
		Runtime:     118,
		CreatedAt:   created,
		UpdatedAt:   created.Add(time.Minute),
	}
}

// handEntered is a movie with only the fields an admin must give.
func handEntered(id string) movie.Movie {
	return movie.Movie{ID: id, Title: "Night Market", CreatedAt: created, UpdatedAt: created}
}

func TestMoviesRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    movie.Movie
		// absent lists the fields left out of the stored document.
		absent []string
	}{
		{"imported", importedMovie("550"), nil},
		{"hand entered", handEntered("6751f0c2a1b2c3d4e5f60718"),
			[]string{"tmdbId", "releaseDate", "runtime"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := mongotest.NewDatabase(t)
			s := mongostore.NewMovies(db)

			if err := s.Insert(ctx, tt.m); err != nil {
				t.Fatalf("Insert(%s): %v", tt.m.ID, err)
			}
			got, err := s.Movie(ctx, tt.m.ID)
			if err != nil {
				t.Fatalf("Movie(%s): %v", tt.m.ID, err)
			}
			if diff := cmp.Diff(tt.m, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Movie(%s) (-want +got):\n%s", tt.m.ID, diff)
			}

			var raw bson.M
			if err := db.Collection("movies").FindOne(ctx, bson.D{}).Decode(&raw); err != nil {
				t.Fatalf("read stored movie: %v", err)
			}
			for _, f := range tt.absent {
				if v, ok := raw[f]; ok {
					t.Errorf("stored movie has %s = %v, want it left out", f, v)
				}
			}
		})
	}
}

func TestMoviesErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewMovies(mongotest.NewDatabase(t))
	if err := s.Insert(ctx, importedMovie("550")); err != nil {
		t.Fatalf("Insert: %v", err)
	}

	if err := s.Insert(ctx, handEntered("550")); !errors.Is(err, movie.ErrExists) {
		t.Errorf("Insert of a taken id = %v, want movie.ErrExists", err)
	}
	if _, err := s.Movie(ctx, "551"); !errors.Is(err, movie.ErrNotFound) {
		t.Errorf("Movie(unknown) = %v, want movie.ErrNotFound", err)
	}
}

func TestMoviesByIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewMovies(mongotest.NewDatabase(t))
	for _, id := range []string{"1", "2", "3"} {
		m := handEntered(id)
		m.Title = "Movie " + id
		if err := s.Insert(ctx, m); err != nil {
			t.Fatalf("Insert(%s): %v", id, err)
		}
	}

	tests := []struct {
		ids  []string
		want []string
	}{
		{[]string{"3", "1"}, []string{"3", "1"}},
		{[]string{"2", "unknown", "3"}, []string{"2", "3"}},
		{[]string{"unknown"}, []string{}},
		{nil, []string{}},
	}
	for _, tt := range tests {
		list, err := s.Movies(ctx, tt.ids)
		if err != nil {
			t.Fatalf("Movies(%q): %v", tt.ids, err)
		}
		got := []string{}
		for _, m := range list {
			got = append(got, m.ID)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Movies(%q) ids (-want +got):\n%s", tt.ids, diff)
		}

		byID, err := s.MoviesByID(ctx, tt.ids)
		if err != nil {
			t.Fatalf("MoviesByID(%q): %v", tt.ids, err)
		}
		if diff := cmp.Diff(tt.want, keysOf(byID), cmpopts.SortSlices(less)); diff != "" {
			t.Errorf("MoviesByID(%q) keys (-want +got):\n%s", tt.ids, diff)
		}
		for id, m := range byID {
			if m.ID != id || m.Title != "Movie "+id {
				t.Errorf("MoviesByID(%q)[%s] = %s %q, want movie %[2]s", tt.ids, id, m.ID, m.Title)
			}
		}
	}
}

func TestEmptyBatchesSendNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var counter mongotest.Counter
	db := mongotest.NewDatabaseWithMonitor(t, counter.Monitor())

	if _, err := mongostore.NewMovies(db).MoviesByID(ctx, nil); err != nil {
		t.Fatalf("MoviesByID(nil): %v", err)
	}
	if _, err := mongostore.NewShows(db).ShowsByID(ctx, []string{}); err != nil {
		t.Fatalf("ShowsByID(empty): %v", err)
	}
	if _, err := mongostore.NewBookings(db).Settlements(ctx, nil); err != nil {
		t.Fatalf("Settlements(nil): %v", err)
	}
	if n := counter.Total(); n != 0 {
		t.Errorf("commands sent for empty batches = %d (%v), want 0", n, counter.Counts())
	}

	if _, err := mongostore.NewMovies(db).MoviesByID(ctx, []string{"1"}); err != nil {
		t.Fatalf("MoviesByID: %v", err)
	}
	if got := counter.Counts(); got["find"] != 1 {
		t.Errorf("commands of one MoviesByID = %v, want one find", got)
	}
}

func keysOf[V any](m map[string]V) []string {
	keys := []string{}
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func less(a, b string) bool { return a < b }
