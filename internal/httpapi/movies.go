package httpapi

import (
	"net/http"
	"reflect"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// movieJSON is a Movie of api.md. Unknown values are left out.
type movieJSON struct {
	ID               string      `json:"id"`
	TMDBID           int64       `json:"tmdbId,omitempty"`
	Title            string      `json:"title"`
	Overview         string      `json:"overview"`
	PosterPath       string      `json:"posterPath,omitempty"`
	BackdropPath     string      `json:"backdropPath,omitempty"`
	ReleaseDate      string      `json:"releaseDate,omitempty"`
	OriginalLanguage string      `json:"originalLanguage,omitempty"`
	Tagline          string      `json:"tagline,omitempty"`
	Genres           []genreJSON `json:"genres"`
	Cast             []castJSON  `json:"cast"`
	VoteAverage      float64     `json:"voteAverage"`
	Runtime          int         `json:"runtime,omitempty"`
}

type genreJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type castJSON struct {
	Name        string `json:"name"`
	Character   string `json:"character"`
	ProfilePath string `json:"profilePath,omitempty"`
}

func toMovieJSON(m movie.Movie) movieJSON {
	out := movieJSON{
		ID:               m.ID,
		TMDBID:           m.TMDBID,
		Title:            m.Title,
		Overview:         m.Overview,
		PosterPath:       m.PosterPath,
		BackdropPath:     m.BackdropPath,
		ReleaseDate:      m.ReleaseDate,
		OriginalLanguage: m.OriginalLanguage,
		Tagline:          m.Tagline,
		Genres:           make([]genreJSON, len(m.Genres)),
		Cast:             make([]castJSON, len(m.Cast)),
		VoteAverage:      m.VoteAverage,
		Runtime:          m.Runtime,
	}
	for i, g := range m.Genres {
		out.Genres[i] = genreJSON(g)
	}
	for i, c := range m.Cast {
		out.Cast[i] = castJSON(c)
	}
	return out
}

// toMovie converts a hand-entered movie. Its id is the server's to choose
// and is refused as an unknown field before this.
func (in newMovieJSON) toMovie() movie.Movie {
	m := movie.Movie{
		Title:            in.Title,
		Overview:         in.Overview,
		PosterPath:       in.PosterPath,
		BackdropPath:     in.BackdropPath,
		ReleaseDate:      in.ReleaseDate,
		OriginalLanguage: in.OriginalLanguage,
		Tagline:          in.Tagline,
		VoteAverage:      in.VoteAverage,
		Runtime:          in.Runtime,
	}
	for _, g := range in.Genres {
		m.Genres = append(m.Genres, movie.Genre(g))
	}
	for _, c := range in.Cast {
		m.Cast = append(m.Cast, movie.CastMember(c))
	}
	return m
}

// newMovieJSON is the body of POST /api/movies: either only tmdbId, or a
// movie entered by hand.
type newMovieJSON struct {
	TMDBID           *int64      `json:"tmdbId"`
	Title            string      `json:"title"`
	Overview         string      `json:"overview"`
	PosterPath       string      `json:"posterPath"`
	BackdropPath     string      `json:"backdropPath"`
	ReleaseDate      string      `json:"releaseDate"`
	OriginalLanguage string      `json:"originalLanguage"`
	Tagline          string      `json:"tagline"`
	Genres           []genreJSON `json:"genres"`
	Cast             []castJSON  `json:"cast"`
	VoteAverage      float64     `json:"voteAverage"`
	Runtime          int         `json:"runtime"`
}

func (s *Server) listMovies(w http.ResponseWriter, r *http.Request) error {
	movies, err := s.movies.NowShowing(r.Context())
	if err != nil {
		return err
	}

	out := make([]movieJSON, len(movies))
	for i, m := range movies {
		out[i] = toMovieJSON(m)
	}
	return respond(w, http.StatusOK, map[string]any{"movies": out})
}

type showtimeJSON struct {
	ShowID   string    `json:"showId"`
	StartsAt time.Time `json:"startsAt"`
}

func (s *Server) getMovie(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "movieId")

	m, err := s.movies.Movie(r.Context(), id)
	if err != nil {
		return err
	}
	shows, err := s.shows.Upcoming(r.Context(), id)
	if err != nil {
		return err
	}

	byDate := map[string][]showtimeJSON{}
	for day, shows := range show.ByDay(shows, s.loc) {
		for _, sh := range shows {
			byDate[day] = append(byDate[day], showtimeJSON{ShowID: sh.ID, StartsAt: sh.StartsAt.UTC()})
		}
	}
	return respond(w, http.StatusOK, map[string]any{"movie": toMovieJSON(m), "showsByDate": byDate})
}

func (s *Server) createMovie(w http.ResponseWriter, r *http.Request) error {
	var in newMovieJSON
	if err := decode(w, r, s.maxBody, &in); err != nil {
		return err
	}

	if in.TMDBID == nil {
		m, err := s.movies.Create(r.Context(), in.toMovie())
		if err != nil {
			return err
		}
		return respond(w, http.StatusCreated, map[string]any{"movie": toMovieJSON(m)})
	}

	handEntered := in
	handEntered.TMDBID = nil
	if !reflect.ValueOf(handEntered).IsZero() || *in.TMDBID <= 0 {
		return invalidFields(map[string]string{
			"tmdbId": "must be a positive TMDB id, sent alone to import from TMDB",
		})
	}
	m, created, err := s.movies.Import(r.Context(), *in.TMDBID)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return respond(w, status, map[string]any{"movie": toMovieJSON(m)})
}

type nowPlayingJSON struct {
	TMDBID      int64   `json:"tmdbId"`
	Title       string  `json:"title"`
	PosterPath  string  `json:"posterPath,omitempty"`
	ReleaseDate string  `json:"releaseDate,omitempty"`
	VoteAverage float64 `json:"voteAverage"`
}

func (s *Server) tmdbNowPlaying(w http.ResponseWriter, r *http.Request) error {
	list, err := s.movies.NowPlaying(r.Context())
	if err != nil {
		return err
	}

	out := make([]nowPlayingJSON, len(list))
	for i, m := range list {
		out[i] = nowPlayingJSON{
			TMDBID:      m.TMDBID,
			Title:       m.Title,
			PosterPath:  m.PosterPath,
			ReleaseDate: m.ReleaseDate,
			VoteAverage: m.VoteAverage,
		}
	}
	return respond(w, http.StatusOK, map[string]any{"movies": out})
}
