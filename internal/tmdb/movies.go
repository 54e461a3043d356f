package tmdb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"golang.org/x/sync/errgroup"

	"github.com/marquee-hq/marquee/internal/movie"
)

// NowPlaying lists the movies in cinemas now: the first page of TMDB's
// /movie/now_playing, about 20 movies.
func (c *Client) NowPlaying(ctx context.Context) ([]movie.Summary, error) {
	var page nowPlayingJSON
	err := c.get(ctx, "/movie/now_playing?page=1", &page)

	// The list always exists: a 404 means a wrong base URL, not a missing
	// movie, and must not reach the client as one.
	var respErr *ResponseError
	if errors.As(err, &respErr) && respErr.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("%w: %v", movie.ErrSourceUnavailable, err)
	}
	if err != nil {
		return nil, err
	}

	list := make([]movie.Summary, 0, len(page.Results))
	for _, r := range page.Results {
		list = append(list, toSummary(r))
	}
	return list, nil
}

// Movie fetches the details and the cast of the movie tmdbID, the two at
// once. It fails with movie.ErrSourceNotFound when TMDB does not know the
// movie, and otherwise as [Client] documents.
func (c *Client) Movie(ctx context.Context, tmdbID int64) (movie.Movie, error) {
	if tmdbID <= 0 {
		return movie.Movie{}, fmt.Errorf("invalid tmdb id %d: %w", tmdbID, movie.ErrSourceNotFound)
	}
	path := "/movie/" + strconv.FormatInt(tmdbID, 10)

	// The first failure cancels the other request; g.Wait reports that
	// first failure, not the cancellation it caused.
	var details detailsJSON
	var credits creditsJSON
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.get(gctx, path, &details) })
	g.Go(func() error { return c.get(gctx, path+"/credits", &credits) })
	if err := g.Wait(); err != nil {
		return movie.Movie{}, err
	}

	return toMovie(details, credits, c.castLimit), nil
}

// The JSON of TMDB's answers, only the fields we keep. TMDB sends null for
// many of them; decoding null leaves Go's zero value, which is what the
// catalogue means by "not known".

type nowPlayingJSON struct {
	Results []summaryJSON `json:"results"`
}

type summaryJSON struct {
	ID          int64   `json:"id"`
	Title       string  `json:"title"`
	Overview    string  `json:"overview"`
	PosterPath  string  `json:"poster_path"`
	ReleaseDate string  `json:"release_date"`
	VoteAverage float64 `json:"vote_average"`
	VoteCount   int64   `json:"vote_count"`
}

type detailsJSON struct {
	ID               int64       `json:"id"`
	Title            string      `json:"title"`
	OriginalTitle    string      `json:"original_title"`
	Overview         string      `json:"overview"`
	PosterPath       string      `json:"poster_path"`
	BackdropPath     string      `json:"backdrop_path"`
	ReleaseDate      string      `json:"release_date"`
	OriginalLanguage string      `json:"original_language"`
	Tagline          string      `json:"tagline"`
	Genres           []genreJSON `json:"genres"`
	VoteAverage      float64     `json:"vote_average"`
	Runtime          int         `json:"runtime"`
}

type genreJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type creditsJSON struct {
	Cast []castJSON `json:"cast"`
}

type castJSON struct {
	Name        string `json:"name"`
	Character   string `json:"character"`
	ProfilePath string `json:"profile_path"`
	Order       int    `json:"order"`
}

func toSummary(r summaryJSON) movie.Summary {
	return movie.Summary{
		TMDBID:      r.ID,
		Title:       r.Title,
		Overview:    r.Overview,
		PosterPath:  r.PosterPath,
		ReleaseDate: r.ReleaseDate,
		VoteAverage: r.VoteAverage,
		VoteCount:   r.VoteCount,
	}
}

// toMovie joins details and credits, keeping the first castLimit cast
// members by billing order.
func toMovie(d detailsJSON, c creditsJSON, castLimit int) movie.Movie {
	m := movie.Movie{
		TMDBID:           d.ID,
		Title:            cmp.Or(d.Title, d.OriginalTitle),
		Overview:         d.Overview,
		PosterPath:       d.PosterPath,
		BackdropPath:     d.BackdropPath,
		ReleaseDate:      d.ReleaseDate,
		OriginalLanguage: d.OriginalLanguage,
		Tagline:          d.Tagline,
		Genres:           make([]movie.Genre, 0, len(d.Genres)),
		VoteAverage:      d.VoteAverage,
		Runtime:          d.Runtime,
	}
	for _, g := range d.Genres {
		m.Genres = append(m.Genres, movie.Genre{ID: g.ID, Name: g.Name})
	}

	cast := slices.Clone(c.Cast)
	slices.SortStableFunc(cast, func(a, b castJSON) int { return cmp.Compare(a.Order, b.Order) })
	cast = cast[:min(len(cast), castLimit)]

	m.Cast = make([]movie.CastMember, 0, len(cast))
	for _, p := range cast {
		m.Cast = append(m.Cast, movie.CastMember{
			Name:        p.Name,
			Character:   p.Character,
			ProfilePath: p.ProfilePath,
		})
	}
	return m
}
