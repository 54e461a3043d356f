package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/movie"
)

// Movies is the catalogue, in the movies collection. It implements
// movie.Store.
type Movies struct {
	coll *mongo.Collection
}

// NewMovies returns the movie store of db.
func NewMovies(db *mongo.Database) *Movies {
	return &Movies{coll: db.Collection("movies")}
}

// movieDoc is a movie as stored. Its id is the TMDB id in decimal for an
// imported movie, and a generated id for one entered by hand.
type movieDoc struct {
	ID               string     `bson:"_id"`
	TMDBID           int64      `bson:"tmdbId,omitempty"`
	Title            string     `bson:"title"`
	Overview         string     `bson:"overview"`
	PosterPath       string     `bson:"posterPath"`
	BackdropPath     string     `bson:"backdropPath"`
	ReleaseDate      string     `bson:"releaseDate,omitempty"`
	OriginalLanguage string     `bson:"originalLanguage"`
	Tagline          string     `bson:"tagline"`
	Genres           []genreDoc `bson:"genres"`
	Cast             []castDoc  `bson:"cast"`
	VoteAverage      float64    `bson:"voteAverage"`
	Runtime          int        `bson:"runtime,omitempty"`
	CreatedAt        time.Time  `bson:"createdAt"`
	UpdatedAt        time.Time  `bson:"updatedAt"`
}

type genreDoc struct {
	ID   int64  `bson:"id"`
	Name string `bson:"name"`
}

type castDoc struct {
	Name        string `bson:"name"`
	Character   string `bson:"character"`
	ProfilePath string `bson:"profilePath"`
}

func fromMovie(m movie.Movie) movieDoc {
	genres := make([]genreDoc, len(m.Genres))
	for i, g := range m.Genres {
		genres[i] = genreDoc{ID: g.ID, Name: g.Name}
	}
	cast := make([]castDoc, len(m.Cast))
	for i, c := range m.Cast {
		cast[i] = castDoc{Name: c.Name, Character: c.Character, ProfilePath: c.ProfilePath}
	}
	return movieDoc{
		ID:               m.ID,
		TMDBID:           m.TMDBID,
		Title:            m.Title,
		Overview:         m.Overview,
		PosterPath:       m.PosterPath,
		BackdropPath:     m.BackdropPath,
		ReleaseDate:      m.ReleaseDate,
		OriginalLanguage: m.OriginalLanguage,
		Tagline:          m.Tagline,
		Genres:           genres,
		Cast:             cast,
		VoteAverage:      m.VoteAverage,
		Runtime:          m.Runtime,
		CreatedAt:        m.CreatedAt,
		UpdatedAt:        m.UpdatedAt,
	}
}

func (d movieDoc) toMovie() movie.Movie {
	genres := make([]movie.Genre, len(d.Genres))
	for i, g := range d.Genres {
		genres[i] = movie.Genre{ID: g.ID, Name: g.Name}
	}
	cast := make([]movie.CastMember, len(d.Cast))
	for i, c := range d.Cast {
		cast[i] = movie.CastMember{Name: c.Name, Character: c.Character, ProfilePath: c.ProfilePath}
	}
	return movie.Movie{
		ID:               d.ID,
		TMDBID:           d.TMDBID,
		Title:            d.Title,
		Overview:         d.Overview,
		PosterPath:       d.PosterPath,
		BackdropPath:     d.BackdropPath,
		ReleaseDate:      d.ReleaseDate,
		OriginalLanguage: d.OriginalLanguage,
		Tagline:          d.Tagline,
		Genres:           genres,
		Cast:             cast,
		VoteAverage:      d.VoteAverage,
		Runtime:          d.Runtime,
		CreatedAt:        d.CreatedAt.UTC(),
		UpdatedAt:        d.UpdatedAt.UTC(),
	}
}

// Insert stores m, or fails with movie.ErrExists when its id is taken.
func (s *Movies) Insert(ctx context.Context, m movie.Movie) error {
	_, err := s.coll.InsertOne(ctx, fromMovie(m))
	if mongo.IsDuplicateKeyError(err) {
		return movie.ErrExists
	}
	if err != nil {
		return fmt.Errorf("insert movie %s: %w", m.ID, unavailable(err))
	}
	return nil
}

// Movie returns the movie with id, or movie.ErrNotFound.
func (s *Movies) Movie(ctx context.Context, id string) (movie.Movie, error) {
	var d movieDoc
	err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return movie.Movie{}, movie.ErrNotFound
	}
	if err != nil {
		return movie.Movie{}, fmt.Errorf("find movie %s: %w", id, unavailable(err))
	}
	return d.toMovie(), nil
}

// Movies returns the movies with the given ids in the order of ids, leaving
// out unknown ids, in one query.
func (s *Movies) Movies(ctx context.Context, ids []string) ([]movie.Movie, error) {
	byID, err := s.MoviesByID(ctx, ids)
	if err != nil {
		return nil, err
	}

	movies := make([]movie.Movie, 0, len(byID))
	for _, id := range ids {
		if m, ok := byID[id]; ok {
			movies = append(movies, m)
		}
	}
	return movies, nil
}

// MoviesByID returns the movies with the given ids by id, leaving out
// unknown ids, in one query.
func (s *Movies) MoviesByID(ctx context.Context, ids []string) (map[string]movie.Movie, error) {
	byID := make(map[string]movie.Movie, len(ids))
	if len(ids) == 0 {
		return byID, nil
	}

	filter := byIDs(ids)
	docs, err := findAll[movieDoc](ctx, s.coll, filter, oneBatch(len(ids)))
	if err != nil {
		return nil, fmt.Errorf("find %d movies: %w", len(ids), unavailable(err))
	}
	for _, d := range docs {
		byID[d.ID] = d.toMovie()
	}
	return byID, nil
}
