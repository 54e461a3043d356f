package httpapi

import (
	"net/http"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/report"
)

type moneyJSON struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

func toMoneyJSON(m money.Money) moneyJSON {
	return moneyJSON{Amount: m.Amount, Currency: string(m.Currency)}
}

// dashboardJSON is the body of GET /api/admin/dashboard. revenueByCurrency
// extends api.md: it is there only when payments came in several
// currencies, and revenue is then the default currency's share.
type dashboardJSON struct {
	TotalBookings     int                 `json:"totalBookings"`
	PaidBookings      int                 `json:"paidBookings"`
	Revenue           moneyJSON           `json:"revenue"`
	RevenueByCurrency []moneyJSON         `json:"revenueByCurrency,omitempty"`
	TotalUsers        int                 `json:"totalUsers"`
	ActiveShows       []showWithMovieJSON `json:"activeShows"`
}

// showWithMovieJSON is a Show with its movie, absent when the movie has
// left the catalogue.
type showWithMovieJSON struct {
	ID       string     `json:"id"`
	MovieID  string     `json:"movieId"`
	StartsAt time.Time  `json:"startsAt"`
	Price    int64      `json:"price"`
	Currency string     `json:"currency"`
	Layout   layoutJSON `json:"layout"`
	Movie    *movieJSON `json:"movie,omitempty"`
}

// showSalesJSON is a show of the admin's list: a Show with its movie,
// seats sold and revenue.
type showSalesJSON struct {
	ID        string     `json:"id"`
	MovieID   string     `json:"movieId"`
	StartsAt  time.Time  `json:"startsAt"`
	Price     int64      `json:"price"`
	Currency  string     `json:"currency"`
	Layout    layoutJSON `json:"layout"`
	Movie     *movieJSON `json:"movie,omitempty"`
	SeatsSold int        `json:"seatsSold"`
	Revenue   moneyJSON  `json:"revenue"`
}

// bookingPageJSON is the body of GET /api/admin/bookings.
type bookingPageJSON struct {
	Bookings   []bookingJSON `json:"bookings"`
	NextCursor string        `json:"nextCursor,omitempty"`
}

// showSalesPageJSON is the body of GET /api/admin/shows.
type showSalesPageJSON struct {
	Shows      []showSalesJSON `json:"shows"`
	NextCursor string          `json:"nextCursor,omitempty"`
}

func toShowWithMovieJSON(sm report.ShowOfMovie) showWithMovieJSON {
	sh := toShowJSON(sm.Show)
	out := showWithMovieJSON{
		ID:       sh.ID,
		MovieID:  sh.MovieID,
		StartsAt: sh.StartsAt,
		Price:    sh.Price,
		Currency: sh.Currency,
		Layout:   sh.Layout,
	}
	if sm.Movie.ID != "" {
		m := toMovieJSON(sm.Movie)
		out.Movie = &m
	}
	return out
}

func toShowSalesJSON(ss report.ShowSales) showSalesJSON {
	sm := toShowWithMovieJSON(ss.ShowOfMovie)
	return showSalesJSON{
		ID:        sm.ID,
		MovieID:   sm.MovieID,
		StartsAt:  sm.StartsAt,
		Price:     sm.Price,
		Currency:  sm.Currency,
		Layout:    sm.Layout,
		Movie:     sm.Movie,
		SeatsSold: ss.SeatsSold,
		Revenue:   toMoneyJSON(ss.Revenue),
	}
}

func (s *Server) getDashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := s.reports.Dashboard(r.Context())
	if err != nil {
		return err
	}

	out := dashboardJSON{
		TotalBookings: d.TotalBookings,
		PaidBookings:  d.PaidBookings,
		Revenue:       toMoneyJSON(d.Revenue),
		TotalUsers:    d.TotalUsers,
		ActiveShows:   make([]showWithMovieJSON, len(d.ActiveShows)),
	}
	if len(d.RevenueByCurrency) > 1 {
		for _, m := range d.RevenueByCurrency {
			out.RevenueByCurrency = append(out.RevenueByCurrency, toMoneyJSON(m))
		}
	}
	for i, sm := range d.ActiveShows {
		out.ActiveShows[i] = toShowWithMovieJSON(sm)
	}
	return respond(w, http.StatusOK, out)
}

func (s *Server) listAllBookings(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}

	bookings, next, err := s.reports.Bookings(r.Context(), req)
	if err != nil {
		return err
	}

	now := s.now()
	out := bookingPageJSON{Bookings: make([]bookingJSON, len(bookings)), NextCursor: next.String()}
	for i, b := range bookings {
		out.Bookings[i] = toListedJSON(b.Listed, now)
		out.Bookings[i].User = toUserSummaryJSON(b.UserID, b.User)
	}
	return respond(w, http.StatusOK, out)
}

func (s *Server) listShowSales(w http.ResponseWriter, r *http.Request) error {
	req, err := pageRequest(r)
	if err != nil {
		return err
	}

	shows, next, err := s.reports.Shows(r.Context(), req)
	if err != nil {
		return err
	}

	out := showSalesPageJSON{Shows: make([]showSalesJSON, len(shows)), NextCursor: next.String()}
	for i, ss := range shows {
		out.Shows[i] = toShowSalesJSON(ss)
	}
	return respond(w, http.StatusOK, out)
}
