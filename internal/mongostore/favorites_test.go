package mongostore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/page"
)

var (
	_ favorite.Store     = (*mongostore.Favorites)(nil)
	_ favorite.Catalogue = (*mongostore.Movies)(nil)
)

func fav(userID, movieID string, added time.Time) favorite.Favorite {
	return favorite.Favorite{UserID: userID, MovieID: movieID, AddedAt: added}
}

func TestFavoritesInsertAndDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewFavorites(mongotest.NewDatabase(t))

	if err := s.Insert(ctx, fav("user_ada", "550", created)); err != nil {
		t.Fatalf("Insert(user_ada, 550): %v", err)
	}
	err := s.Insert(ctx, fav("user_ada", "550", created.Add(time.Hour)))
	if !errors.Is(err, favorite.ErrExists) {
		t.Errorf("Insert(user_ada, 550) again = %v, want %v", err, favorite.ErrExists)
	}
	if err := s.Insert(ctx, fav("user_bo", "550", created)); err != nil {
		t.Errorf("Insert(user_bo, 550), another user's: %v", err)
	}

	for _, tt := range []struct {
		userID, movieID string
		want            bool
	}{
		{"user_ada", "550", true},
		{"user_ada", "550", false},
		{"user_ada", "603", false},
	} {
		if got, err := s.Delete(ctx, tt.userID, tt.movieID); err != nil || got != tt.want {
			t.Errorf("Delete(%s, %s) = %v, %v; want %v, nil",
				tt.userID, tt.movieID, got, err, tt.want)
		}
	}
	left, err := s.OfUser(ctx, "user_bo", page.Cursor{}, 10)
	if err != nil || len(left) != 1 {
		t.Errorf("OfUser(user_bo) after deleting user_ada's = %v, %v; want user_bo's one",
			left, err)
	}
}

// TestFavoritesInsertRace has many requests add the same favourite at once:
// the unique index lets exactly one insert through.
func TestFavoritesInsertRace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	s := mongostore.NewFavorites(db)

	const racers = 30
	errs := make([]error, racers)
	var wg sync.WaitGroup
	for i := range racers {
		wg.Go(func() { errs[i] = s.Insert(ctx, fav("user_ada", "550", created)) })
	}
	wg.Wait()

	stored := 0
	for i, err := range errs {
		switch {
		case err == nil:
			stored++
		case !errors.Is(err, favorite.ErrExists):
			t.Errorf("Insert %d: %v, want nil or %v", i, err, favorite.ErrExists)
		}
	}
	if n := mustCountDocs(t, db.Collection("favorites"), bson.D{}); stored != 1 || n != 1 {
		t.Errorf("%d inserts succeeded and %d favourites are stored, want 1 and 1", stored, n)
	}
}

func TestFavoritesOfUserPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewFavorites(mongotest.NewDatabase(t))
	// Two added at the same moment are ordered by movie id, descending.
	favs := []favorite.Favorite{
		fav("user_ada", "m4", created.Add(2*time.Minute)),
		fav("user_ada", "m3", created.Add(time.Minute)),
		fav("user_ada", "m2", created.Add(time.Minute)),
		fav("user_ada", "m1", created),
	}
	for _, f := range append(favs, fav("user_bo", "m9", created)) {
		if err := s.Insert(ctx, f); err != nil {
			t.Fatalf("Insert(%s, %s): %v", f.UserID, f.MovieID, err)
		}
	}

	var got []favorite.Favorite
	after := page.Cursor{}
	for range len(favs) {
		batch, err := s.OfUser(ctx, "user_ada", after, 1)
		if err != nil {
			t.Fatalf("OfUser(user_ada, after %q): %v", after, err)
		}
		if len(batch) != 1 {
			t.Fatalf("OfUser(user_ada, after %q, 1) = %d favourites, want 1", after, len(batch))
		}
		got = append(got, batch...)
		after = page.At(batch[0].AddedAt, batch[0].MovieID)
	}
	if diff := cmp.Diff(favs, got); diff != "" {
		t.Errorf("favourites one page at a time (-want +got):\n%s", diff)
	}
	if rest, err := s.OfUser(ctx, "user_ada", after, 5); err != nil || len(rest) != 0 {
		t.Errorf("OfUser(user_ada) after the last = %v, %v; want none", rest, err)
	}
}
