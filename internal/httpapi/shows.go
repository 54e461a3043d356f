package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/show"
)

// maxStartTimes bounds one scheduling request.
const maxStartTimes = 100

type layoutJSON struct {
	Rows        []string `json:"rows"`
	SeatsPerRow int      `json:"seatsPerRow"`
}

type showJSON struct {
	ID       string     `json:"id"`
	MovieID  string     `json:"movieId"`
	StartsAt time.Time  `json:"startsAt"`
	Price    int64      `json:"price"`
	Currency string     `json:"currency"`
	Layout   layoutJSON `json:"layout"`
}

func toShowJSON(sh show.Show) showJSON {
	return showJSON{
		ID:       sh.ID,
		MovieID:  sh.MovieID,
		StartsAt: sh.StartsAt.UTC(),
		Price:    sh.Price.Amount,
		Currency: string(sh.Price.Currency),
		Layout:   layoutJSON{Rows: sh.Layout.Rows, SeatsPerRow: sh.Layout.SeatsPerRow},
	}
}

// scheduleJSON is the body of POST /api/shows. Pointers tell a missing
// field from a zero one.
type scheduleJSON struct {
	MovieID    string      `json:"movieId"`
	Price      *int64      `json:"price"`
	Currency   string      `json:"currency"`
	StartTimes []string    `json:"startTimes"`
	Layout     *layoutJSON `json:"layout"`
}

// toInput checks every field and reports all problems at once.
func (in scheduleJSON) toInput(defaultCurrency money.Currency) (show.ScheduleInput, error) {
	fields := map[string]string{}
	if in.MovieID == "" {
		fields["movieId"] = "is required"
	}
	if in.Price == nil || *in.Price <= 0 || *in.Price > show.MaxPrice {
		fields["price"] = fmt.Sprintf("is required: an amount in the currency's minor unit "+
			"from 1 to %d", show.MaxPrice)
	}

	cur := defaultCurrency
	if in.Currency != "" {
		c, err := money.ParseCurrency(in.Currency)
		if err != nil {
			fields["currency"] = err.Error()
		}
		cur = c
	}

	layout := show.DefaultLayout()
	if in.Layout != nil {
		layout = show.Layout{Rows: in.Layout.Rows, SeatsPerRow: in.Layout.SeatsPerRow}
		if err := layout.Validate(); err != nil {
			fields["layout"] = err.Error()
		}
	}

	times, problem := parseStartTimes(in.StartTimes)
	if problem != "" {
		fields["startTimes"] = problem
	}

	if len(fields) > 0 {
		return show.ScheduleInput{}, invalidFields(fields)
	}
	var price money.Money
	price.Amount, price.Currency = *in.Price, cur
	return show.ScheduleInput{MovieID: in.MovieID, Price: price, StartTimes: times, Layout: layout}, nil
}

func parseStartTimes(raw []string) ([]time.Time, string) {
	if len(raw) == 0 || len(raw) > maxStartTimes {
		return nil, fmt.Sprintf("must hold between 1 and %d start times", maxStartTimes)
	}
	times := make([]time.Time, 0, len(raw))
	seen := map[time.Time]bool{}
	for _, s := range raw {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return nil, fmt.Sprintf("%q is not an RFC 3339 time with an offset", s)
		}
		t = t.UTC().Truncate(time.Second)
		if seen[t] {
			return nil, fmt.Sprintf("%q is listed twice", s)
		}
		seen[t] = true
		times = append(times, t)
	}
	return times, ""
}

func (s *Server) scheduleShows(w http.ResponseWriter, r *http.Request) error {
	var body scheduleJSON
	if err := decode(w, r, s.maxBody, &body); err != nil {
		return err
	}
	in, err := body.toInput(s.currency)
	if err != nil {
		return err
	}

	shows, err := s.shows.Schedule(r.Context(), in)
	if err != nil {
		return err
	}

	out := make([]showJSON, len(shows))
	for i, sh := range shows {
		out[i] = toShowJSON(sh)
	}
	return respond(w, http.StatusCreated, map[string]any{"shows": out})
}

func (s *Server) listShows(w http.ResponseWriter, r *http.Request) error {
	f, err := s.showFilter(r)
	if err != nil {
		return err
	}

	shows, err := s.shows.Find(r.Context(), f)
	if err != nil {
		return err
	}

	out := make([]showJSON, len(shows))
	for i, sh := range shows {
		out[i] = toShowJSON(sh)
	}
	return respond(w, http.StatusOK, map[string]any{"shows": out})
}

// showFilter reads ?movieId=&from=&to=&limit=. Without from, only shows
// still to start are listed.
func (s *Server) showFilter(r *http.Request) (show.Filter, error) {
	q := r.URL.Query()
	f := show.Filter{MovieID: q.Get("movieId"), From: s.now(), Limit: 50}
	fields := map[string]string{}

	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				fields[name] = "must be an RFC 3339 time with an offset"
			}
			*dst = t
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 200 {
			fields["limit"] = "must be a whole number from 1 to 200"
		}
		f.Limit = n
	}

	if len(fields) > 0 {
		return show.Filter{}, invalidFields(fields)
	}
	return f, nil
}

func (s *Server) getShow(w http.ResponseWriter, r *http.Request) error {
	sh, err := s.shows.Show(r.Context(), chi.URLParam(r, "showId"))
	if err != nil {
		return err
	}
	m, err := s.movies.Movie(r.Context(), sh.MovieID)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, map[string]any{"show": toShowJSON(sh), "movie": toMovieJSON(m)})
}

func (s *Server) getSeatMap(w http.ResponseWriter, r *http.Request) error {
	m, err := s.bookings.SeatMap(r.Context(), chi.URLParam(r, "showId"))
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, map[string]any{
		"showId": m.ShowID,
		"layout": layoutJSON{Rows: m.Layout.Rows, SeatsPerRow: m.Layout.SeatsPerRow},
		"taken":  seatIDs(m.Taken),
	})
}

func (s *Server) deleteShow(w http.ResponseWriter, r *http.Request) error {
	if err := s.shows.Delete(r.Context(), chi.URLParam(r, "showId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
