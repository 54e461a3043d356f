package quickshow

import (
	"net/http"

	"github.com/marquee-hq/marquee/internal/page"
)

// listLimit is how many items the lists that the client shows whole hold
// at most: the most recent favourites and bookings, the soonest shows. It
// is the largest page the services read in one go.
const listLimit = page.MaxLimit

// favoriteJSON is the body of POST /api/user/update-favorite.
type favoriteJSON struct {
	MovieID looseString `json:"movieId"`
}

// toggleFavorite adds the movie to the caller's favourites, or removes it
// when it is there.
func (s *Surface) toggleFavorite(w http.ResponseWriter, r *http.Request) error {
	var body favoriteJSON
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	if body.MovieID == "" {
		return badInput("Please choose a movie.")
	}

	added, err := s.favorites.Toggle(r.Context(), callerID(r), string(body.MovieID))
	if err != nil {
		return err
	}
	msg := "Removed from your favourites."
	if added {
		msg = "Added to your favourites."
	}
	return succeed(w, map[string]any{"message": msg})
}

// listFavorites answers GET /api/user/favorites with the caller's
// favourite movies, most recently added first.
func (s *Surface) listFavorites(w http.ResponseWriter, r *http.Request) error {
	movies, _, err := s.favorites.Movies(r.Context(), callerID(r), page.Request{Limit: listLimit})
	if err != nil {
		return err
	}
	return succeed(w, map[string]any{"movies": toMovieDocs(movies)})
}
