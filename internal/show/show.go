// Package show schedules screenings of movies and knows their seating.
package show

import (
	"time"

	"github.com/marquee-hq/marquee/internal/money"
)

// Show is one screening of a movie at a start time, at one price per seat.
type Show struct {
	ID        string
	MovieID   string
	StartsAt  time.Time
	Price     money.Money
	Layout    Layout
	CreatedAt time.Time
}

// Started reports whether the show has started at now; a started show can no
// longer be booked.
func (s Show) Started(now time.Time) bool {
	return !now.Before(s.StartsAt)
}

// ByDay groups shows by the calendar day, "YYYY-MM-DD", on which they start
// in the theatre's time zone loc, keeping their order within each day.
func ByDay(shows []Show, loc *time.Location) map[string][]Show {
	days := map[string][]Show{}
	for _, sh := range shows {
		day := sh.StartsAt.In(loc).Format(time.DateOnly)
		days[day] = append(days[day], sh)
	}
	return days
}
