package quickshow

import (
	"net/http"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/page"
	"github.com/marquee-hq/marquee/internal/report"
)

// isAdmin answers GET /api/admin/is-admin. httpapi lets only admins reach
// it, and answers everyone else with success: false.
func (s *Surface) isAdmin(w http.ResponseWriter, r *http.Request) error {
	return succeed(w, map[string]any{"isAdmin": true})
}

// nowPlaying answers GET /api/show/now-playing with TMDB's list.
func (s *Surface) nowPlaying(w http.ResponseWriter, r *http.Request) error {
	list, err := s.movies.NowPlaying(r.Context())
	if err != nil {
		return err
	}

	out := make([]nowPlayingDoc, len(list))
	for i, m := range list {
		out[i] = toNowPlayingDoc(m)
	}
	return succeed(w, map[string]any{"movies": out})
}

// dashboardDoc is the dashboardData of GET /api/admin/dashboard: the paid
// bookings, what they brought in, and the shows still to start.
type dashboardDoc struct {
	TotalBookings int       `json:"totalBookings"`
	TotalRevenue  float64   `json:"totalRevenue"`
	ActiveShows   []showDoc `json:"activeShows"`
	TotalUser     int       `json:"totalUser"`
}

func (s *Surface) dashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := s.reports.Dashboard(r.Context())
	if err != nil {
		return err
	}
	shows, err := s.showDocs(r, d.ActiveShows)
	if err != nil {
		return err
	}

	out := dashboardDoc{
		TotalBookings: d.PaidBookings,
		TotalRevenue:  d.Revenue.Major(),
		ActiveShows:   shows,
		TotalUser:     d.TotalUsers,
	}
	return succeed(w, map[string]any{"dashboardData": out})
}

// listAllShows answers GET /api/admin/all-shows with the shows still to
// start, soonest first, with their movies.
func (s *Surface) listAllShows(w http.ResponseWriter, r *http.Request) error {
	sales, _, err := s.reports.Shows(r.Context(), page.Request{Limit: listLimit})
	if err != nil {
		return err
	}

	shows := make([]report.ShowOfMovie, len(sales))
	for i, ss := range sales {
		shows[i] = ss.ShowOfMovie
	}
	out, err := s.showDocs(r, shows)
	if err != nil {
		return err
	}
	return succeed(w, map[string]any{"shows": out})
}

// showDocs converts shows with their movies, and the seats taken in each.
func (s *Surface) showDocs(r *http.Request, shows []report.ShowOfMovie) ([]showDoc, error) {
	ids := make([]string, len(shows))
	for i, sh := range shows {
		ids[i] = sh.ID
	}
	taken, err := s.takenSeats(r.Context(), ids)
	if err != nil {
		return nil, err
	}

	out := make([]showDoc, len(shows))
	for i, sh := range shows {
		out[i] = toShowDoc(sh.Show, sh.Movie, taken[sh.ID])
	}
	return out, nil
}

// listAllBookings answers GET /api/admin/all-bookings with the newest
// bookings, each with its buyer, show and movie populated.
func (s *Surface) listAllBookings(w http.ResponseWriter, r *http.Request) error {
	all, _, err := s.reports.Bookings(r.Context(), page.Request{Limit: listLimit})
	if err != nil {
		return err
	}
	buyers := make(map[string]report.Booking, len(all))
	listed := make([]booking.Listed, len(all))
	for i, b := range all {
		buyers[b.ID], listed[i] = b, b.Listed
	}
	listed = s.current(listed)

	taken, err := s.takenSeats(r.Context(), showIDs(listed))
	if err != nil {
		return err
	}
	now := s.now()
	out := make([]bookingDoc, len(listed))
	for i, l := range listed {
		// The admin's list offers no payment, so it opens no checkout.
		out[i] = toBookingDoc(l, now, taken[l.ShowID], "")
		out[i].User = toUserDoc(l.UserID, buyers[l.ID].User)
	}
	return succeed(w, map[string]any{"bookings": out})
}
