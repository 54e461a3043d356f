// Package favorite keeps the movies each user has marked as a favourite.
//
// A favourite is one document per user and movie under a unique index, so
// adding a movie is an insert that either stores it or finds it there
// already. Adding and removing are therefore idempotent, and two requests
// racing to add the same movie store it once and both succeed.
package favorite

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/page"
)

// Favorite says that a user marked a movie as a favourite.
type Favorite struct {
	UserID  string
	MovieID string
	AddedAt time.Time
}

// ErrExists is returned by [Store.Insert] when the user has the movie among
// their favourites already.
var ErrExists = errors.New("favorite exists")

// Store keeps favourites. It is implemented by mongostore.Favorites.
type Store interface {
	// Insert stores f, or fails with ErrExists when the user has the movie
	// among their favourites already.
	Insert(ctx context.Context, f Favorite) error
	// Delete removes the user's favourite movie and reports whether it
	// was there.
	Delete(ctx context.Context, userID, movieID string) (bool, error)
	// OfUser returns at most limit of the user's favourites that come
	// after the cursor in the order most recently added first (AddedAt,
	// then MovieID, both descending). The zero cursor starts at the most
	// recent.
	OfUser(ctx context.Context, userID string, after page.Cursor, limit int) ([]Favorite, error)
}

// Catalogue finds movies. It is implemented by mongostore.Movies.
type Catalogue interface {
	// Movie returns the movie with id, or movie.ErrNotFound.
	Movie(ctx context.Context, id string) (movie.Movie, error)
	// MoviesByID returns the movies with the given ids by id; unknown ids
	// are absent.
	MoviesByID(ctx context.Context, ids []string) (map[string]movie.Movie, error)
}

// Service adds, removes and lists favourite movies.
type Service struct {
	store  Store
	movies Catalogue
	now    func() time.Time
}

// NewService returns a Service.
func NewService(store Store, movies Catalogue, now func() time.Time) *Service {
	return &Service{store: store, movies: movies, now: now}
}

// Add marks the movie as one of the user's favourites. Adding it again is
// not an error. It fails with movie.ErrNotFound for a movie that is not in
// the catalogue.
func (s *Service) Add(ctx context.Context, userID, movieID string) error {
	if _, err := s.movies.Movie(ctx, movieID); err != nil {
		return fmt.Errorf("add favorite %s of user %s: %w", movieID, userID, err)
	}

	err := s.store.Insert(ctx, Favorite{UserID: userID, MovieID: movieID, AddedAt: s.now()})
	if err != nil && !errors.Is(err, ErrExists) {
		return fmt.Errorf("add favorite %s of user %s: %w", movieID, userID, err)
	}
	return nil
}

// Remove unmarks the movie as one of the user's favourites. Removing a
// movie that is not among them is not an error, unless the movie is not in
// the catalogue either: then it fails with movie.ErrNotFound.
func (s *Service) Remove(ctx context.Context, userID, movieID string) error {
	removed, err := s.store.Delete(ctx, userID, movieID)
	if err != nil {
		return fmt.Errorf("remove favorite %s of user %s: %w", movieID, userID, err)
	}
	if removed {
		return nil
	}

	// Only now is it worth asking: a favourite whose movie has left the
	// catalogue can still be removed.
	if _, err := s.movies.Movie(ctx, movieID); err != nil {
		return fmt.Errorf("remove favorite %s of user %s: %w", movieID, userID, err)
	}
	return nil
}

// Movies returns the page r asks for of the user's favourite movies, most
// recently added first, and the cursor of the next page, zero on the last
// page, in two queries whatever the page's size. A favourite whose movie
// has left the catalogue is left out.
func (s *Service) Movies(ctx context.Context, userID string,
	r page.Request) ([]movie.Movie, page.Cursor, error) {
	favs, err := s.store.OfUser(ctx, userID, r.After, r.Fetch())
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("favorites of user %s: %w", userID, err)
	}
	favs, next := page.Split(favs, r, position)

	movies := make([]movie.Movie, 0, len(favs))
	if len(favs) == 0 {
		return movies, next, nil
	}
	ids := make([]string, len(favs))
	for i, f := range favs {
		ids[i] = f.MovieID
	}
	byID, err := s.movies.MoviesByID(ctx, ids)
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("favorites of user %s: %w", userID, err)
	}

	for _, id := range ids {
		if m, ok := byID[id]; ok {
			movies = append(movies, m)
		}
	}
	return movies, next, nil
}

// position is a favourite's place in its user's list.
func position(f Favorite) page.Cursor { return page.At(f.AddedAt, f.MovieID) }
