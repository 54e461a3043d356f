package movie

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Store keeps movies. It is implemented by mongostore.Movies.
type Store interface {
	// Insert stores m, or fails with ErrExists when its id is taken.
	Insert(ctx context.Context, m Movie) error
	// Movie returns the movie with id, or ErrNotFound.
	Movie(ctx context.Context, id string) (Movie, error)
	// Movies returns the movies with the given ids, in the order of ids;
	// unknown ids are left out.
	Movies(ctx context.Context, ids []string) ([]Movie, error)
}

// Source is where movies are imported from: TMDB.
type Source interface {
	// Movie fetches a movie's details and cast. It fails with
	// ErrSourceNotFound, ErrSourceUnavailable, ErrSourceTimeout or
	// ErrSourceDisabled.
	Movie(ctx context.Context, tmdbID int64) (Movie, error)
	// NowPlaying lists the movies in cinemas now.
	NowPlaying(ctx context.Context) ([]Summary, error)
}

// Showtimes tells which movies have shows still to start.
type Showtimes interface {
	// MoviesShowingAfter returns the ids of movies with a show starting
	// after t, ordered by each movie's soonest show.
	MoviesShowingAfter(ctx context.Context, t time.Time) ([]string, error)
}

// Service manages the catalogue.
type Service struct {
	store  Store
	source Source
	shows  Showtimes
	now    func() time.Time
	newID  func() string
}

// NewService returns a Service.
func NewService(store Store, source Source, shows Showtimes,
	now func() time.Time, newID func() string) *Service {
	return &Service{store: store, source: source, shows: shows, now: now, newID: newID}
}

// NowShowing returns the movies with at least one show still to start,
// soonest first.
func (s *Service) NowShowing(ctx context.Context) ([]Movie, error) {
	ids, err := s.shows.MoviesShowingAfter(ctx, s.now())
	if err != nil {
		return nil, fmt.Errorf("list movies showing: %w", err)
	}
	if len(ids) == 0 {
		return []Movie{}, nil
	}

	movies, err := s.store.Movies(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("list movies showing: %w", err)
	}
	return movies, nil
}

// Movie returns the movie with id, or ErrNotFound.
func (s *Service) Movie(ctx context.Context, id string) (Movie, error) {
	m, err := s.store.Movie(ctx, id)
	if err != nil {
		return Movie{}, fmt.Errorf("find movie %s: %w", id, err)
	}
	return m, nil
}

// MovieExists reports whether a movie with id is in the catalogue.
func (s *Service) MovieExists(ctx context.Context, id string) (bool, error) {
	_, err := s.store.Movie(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("find movie %s: %w", id, err)
	}
	return true, nil
}

// NowPlaying lists TMDB's movies in cinemas now.
func (s *Service) NowPlaying(ctx context.Context) ([]Summary, error) {
	list, err := s.source.NowPlaying(ctx)
	if err != nil {
		return nil, fmt.Errorf("tmdb now playing: %w", err)
	}
	return list, nil
}

// Import adds the TMDB movie tmdbID to the catalogue under the id
// strconv.Itoa(tmdbID). Importing a movie already there returns the stored
// one with created false. Nothing is stored when TMDB fails.
func (s *Service) Import(ctx context.Context, tmdbID int64) (m Movie, created bool, err error) {
	id := strconv.FormatInt(tmdbID, 10)
	stored, err := s.store.Movie(ctx, id)
	if err == nil {
		return stored, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Movie{}, false, fmt.Errorf("import tmdb movie %d: %w", tmdbID, err)
	}

	m, err = s.source.Movie(ctx, tmdbID)
	if err != nil {
		return Movie{}, false, fmt.Errorf("import tmdb movie %d: %w", tmdbID, err)
	}
	m.ID, m.TMDBID = id, tmdbID
	m.CreatedAt = s.now()
	m.UpdatedAt = m.CreatedAt

	// Two admins importing the same movie race on the id; the loser returns
	// what the winner stored.
	err = s.store.Insert(ctx, m)
	if errors.Is(err, ErrExists) {
		stored, err := s.store.Movie(ctx, id)
		if err != nil {
			return Movie{}, false, fmt.Errorf("import tmdb movie %d: %w", tmdbID, err)
		}
		return stored, false, nil
	}
	if err != nil {
		return Movie{}, false, fmt.Errorf("import tmdb movie %d: %w", tmdbID, err)
	}
	return m, true, nil
}

// Create adds a movie entered by hand, with no TMDB id.
func (s *Service) Create(ctx context.Context, m Movie) (Movie, error) {
	if err := validate(m); err != nil {
		return Movie{}, err
	}

	m.ID, m.TMDBID = s.newID(), 0
	m.CreatedAt = s.now()
	m.UpdatedAt = m.CreatedAt
	if err := s.store.Insert(ctx, m); err != nil {
		return Movie{}, fmt.Errorf("create movie %q: %w", m.Title, err)
	}
	return m, nil
}

func validate(m Movie) error {
	fields := map[string]string{}
	if m.Title == "" {
		fields["title"] = "is required"
	}
	if m.ReleaseDate != "" {
		if _, err := time.Parse(time.DateOnly, m.ReleaseDate); err != nil {
			fields["releaseDate"] = "must be a date, YYYY-MM-DD"
		}
	}
	if m.Runtime < 0 {
		fields["runtime"] = "must not be negative"
	}
	if m.VoteAverage < 0 || m.VoteAverage > 10 {
		fields["voteAverage"] = "must be between 0 and 10"
	}
	if len(fields) > 0 {
		return &ValidationError{Fields: fields}
	}
	return nil
}
