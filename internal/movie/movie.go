// Package movie is the catalogue: movies imported from TMDB or entered by
// hand, and which of them are showing.
package movie

import (
	"errors"
	"time"
)

// Movie is a film in the catalogue. Zero values mean "not known": a movie
// entered by hand has no TMDBID, and TMDB may have no runtime or release date.
type Movie struct {
	ID               string
	TMDBID           int64
	Title            string
	Overview         string
	PosterPath       string
	BackdropPath     string
	ReleaseDate      string // YYYY-MM-DD
	OriginalLanguage string
	Tagline          string
	Genres           []Genre
	Cast             []CastMember
	VoteAverage      float64
	Runtime          int // minutes
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Genre is a TMDB genre.
type Genre struct {
	ID   int64
	Name string
}

// CastMember is an actor and the part they play.
type CastMember struct {
	Name        string
	Character   string
	ProfilePath string
}

// Summary is a movie in TMDB's now-playing list, not yet in the catalogue.
type Summary struct {
	TMDBID      int64
	Title       string
	Overview    string
	PosterPath  string
	ReleaseDate string
	VoteAverage float64
	VoteCount   int64
}

// ErrNotFound means no movie has the given id.
var ErrNotFound = errors.New("movie not found")

// ErrExists is returned by a [Store] when the movie's id is already taken.
var ErrExists = errors.New("movie already exists")

// ErrSourceNotFound means TMDB does not know the requested movie.
var ErrSourceNotFound = errors.New("movie not found at TMDB")

// ErrSourceUnavailable means TMDB failed, refused or rate-limited the
// request; nothing was stored.
var ErrSourceUnavailable = errors.New("TMDB is unavailable")

// ErrSourceTimeout means TMDB did not answer in time; nothing was stored.
var ErrSourceTimeout = errors.New("TMDB did not answer in time")

// ErrSourceDisabled means no TMDB API key is configured.
var ErrSourceDisabled = errors.New("TMDB is not configured")

// ValidationError lists what is wrong with each field of an input, by the
// field's name in the API.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	return "invalid movie"
}
