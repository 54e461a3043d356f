package quickshow

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// maxShowTimes bounds the shows one request schedules.
const maxShowTimes = 100

// addShowsJSON is the body of POST /api/show/add. The admin's form sends
// movieId and showPrice as numbers or as strings, depending on the client.
type addShowsJSON struct {
	MovieID    looseString      `json:"movieId"`
	ShowsInput []showsInputJSON `json:"showsInput"`
	ShowPrice  looseNumber      `json:"showPrice"`
}

// showsInputJSON is one day of the form: a date and its times, as the
// admin typed them, on the theatre's clock.
type showsInputJSON struct {
	Date string   `json:"date"`
	Time []string `json:"time"`
}

// addShows imports the movie from TMDB when it is new, and schedules one
// show per date and time, all or none.
func (s *Surface) addShows(w http.ResponseWriter, r *http.Request) error {
	var body addShowsJSON
	if err := s.decode(w, r, &body); err != nil {
		return err
	}
	in, err := s.scheduleInput(body)
	if err != nil {
		return err
	}

	m, err := s.movieToSchedule(r.Context(), in.MovieID)
	if err != nil {
		return err
	}
	in.MovieID = m.ID
	if _, err := s.shows.Schedule(r.Context(), in); err != nil {
		return err
	}
	return succeed(w, map[string]any{"message": "Shows added successfully."})
}

// scheduleInput checks the form before anything is imported or stored.
func (s *Surface) scheduleInput(body addShowsJSON) (show.ScheduleInput, error) {
	if body.MovieID == "" {
		return show.ScheduleInput{}, badInput("Please choose a movie.")
	}
	if !body.ShowPrice.Set || body.ShowPrice.Value <= 0 {
		return show.ScheduleInput{}, badInput("Please enter a show price above zero.")
	}
	price, err := money.FromMajor(body.ShowPrice.Value, s.currency)
	if err != nil {
		return show.ScheduleInput{}, badInput("The show price %v is not an amount of %s.",
			body.ShowPrice.Value, s.currency)
	}
	times, err := startTimes(body.ShowsInput, s.loc)
	if err != nil {
		return show.ScheduleInput{}, err
	}
	return show.ScheduleInput{
		MovieID:    string(body.MovieID),
		Price:      price,
		StartTimes: times,
		Layout:     show.DefaultLayout(),
	}, nil
}

// startTimes reads each date and time in the theatre's time zone loc. A
// time listed twice is one show.
func startTimes(days []showsInputJSON, loc *time.Location) ([]time.Time, error) {
	var times []time.Time
	for _, day := range days {
		for _, clock := range day.Time {
			t, err := localTime(day.Date, clock, loc)
			if err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(times, t.Equal) {
				times = append(times, t)
			}
		}
	}
	switch {
	case len(times) == 0:
		return nil, badInput("Please add at least one show time.")
	case len(times) > maxShowTimes:
		return nil, badInput("Please add at most %d show times at once.", maxShowTimes)
	}
	return times, nil
}

// localTime reads a date, YYYY-MM-DD, and a time, HH:MM, on the clocks of
// loc. A time that those clocks skip, when they go forward, does not
// exist. A time they show twice, when they go back, is one of the two:
// Go's time.Date does not say which.
func localTime(date, clock string, loc *time.Location) (time.Time, error) {
	const layout = "2006-01-02 15:04"
	text := date + " " + clock
	t, err := time.ParseInLocation(layout, text, loc)
	if err != nil {
		return time.Time{}, badInput("%q and %q are not a date (YYYY-MM-DD) and a time (HH:MM).",
			date, clock)
	}
	if t.Format(layout) != text {
		return time.Time{}, badInput("%s does not exist in %s: the clocks skip it.", text, loc)
	}
	return t, nil
}

// movieToSchedule finds the movie a show is added for: a TMDB id is
// imported when the catalogue lacks it; any other id must be in the
// catalogue.
func (s *Surface) movieToSchedule(ctx context.Context, id string) (movie.Movie, error) {
	tmdbID, err := strconv.ParseInt(id, 10, 64)
	if err != nil || tmdbID <= 0 {
		return s.movies.Movie(ctx, id)
	}
	m, _, err := s.movies.Import(ctx, tmdbID)
	return m, err
}
