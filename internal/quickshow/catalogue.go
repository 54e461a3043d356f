package quickshow

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/marquee-hq/marquee/internal/show"
)

// listShowing answers GET /api/show/all. Despite the key "shows", the
// client wants movies: each movie with a show still to start, once,
// soonest first.
func (s *Surface) listShowing(w http.ResponseWriter, r *http.Request) error {
	movies, err := s.movies.NowShowing(r.Context())
	if err != nil {
		return err
	}
	return succeed(w, map[string]any{"shows": toMovieDocs(movies)})
}

// getMovie answers GET /api/show/{movieId}: the movie and its shows still
// to start, grouped by the theatre's local day.
func (s *Surface) getMovie(w http.ResponseWriter, r *http.Request) error {
	id := chi.URLParam(r, "movieId")

	m, err := s.movies.Movie(r.Context(), id)
	if err != nil {
		return err
	}
	shows, err := s.shows.Upcoming(r.Context(), id)
	if err != nil {
		return err
	}

	dateTime := map[string][]showtimeDoc{}
	for day, shows := range show.ByDay(shows, s.loc) {
		for _, sh := range shows {
			dateTime[day] = append(dateTime[day], showtimeDoc{Time: jsTime(sh.StartsAt), ShowID: sh.ID})
		}
	}
	return succeed(w, map[string]any{"movie": toMovieDoc(m), "dateTime": dateTime})
}

// getOccupiedSeats answers GET /api/booking/seats/{showId} with the ids of
// the seats taken now, by live holds and paid bookings.
func (s *Surface) getOccupiedSeats(w http.ResponseWriter, r *http.Request) error {
	m, err := s.bookings.SeatMap(r.Context(), chi.URLParam(r, "showId"))
	if err != nil {
		return err
	}

	ids := make([]string, len(m.Taken))
	for i, seat := range m.Taken {
		ids[i] = seat.String()
	}
	return succeed(w, map[string]any{"occupiedSeats": ids})
}
