package favorite_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/page"
)

func TestToggleAddsThenRemoves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	movies := mongostore.NewMovies(db)
	if err := movies.Insert(ctx, movie.Movie{ID: "550", Title: "A Made-Up Feature"}); err != nil {
		t.Fatalf("insert movie: %v", err)
	}
	favs := favorite.NewService(mongostore.NewFavorites(db), movies, time.Now)

	for i, want := range []bool{true, false, true} {
		got, err := favs.Toggle(ctx, "user_olga", "550")
		if err != nil || got != want {
			t.Fatalf("Toggle #%d = %v, %v; want %v, nil", i+1, got, err, want)
		}
		listed, _, err := favs.Movies(ctx, "user_olga", page.Request{})
		if err != nil {
			t.Fatalf("Movies: %v", err)
		}
		if (len(listed) == 1) != want {
			t.Errorf("after Toggle #%d the favourites are %v, want the movie listed: %v",
				i+1, listed, want)
		}
	}
}

func TestToggleOfAnUnknownMovie(t *testing.T) {
	t.Parallel()
	db := mongotest.NewDatabase(t)
	favs := favorite.NewService(mongostore.NewFavorites(db), mongostore.NewMovies(db), time.Now)

	_, err := favs.Toggle(context.Background(), "user_olga", "404")
	if !errors.Is(err, movie.ErrNotFound) {
		t.Errorf("Toggle of an unknown movie: %v, want movie.ErrNotFound", err)
	}
}
