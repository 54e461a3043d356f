package report

import (
	"context"
	"fmt"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/page"
	"github.com/marquee-hq/marquee/internal/show"
)

// Bookings returns the page r asks for of every booking, newest first, each
// with its show, movie and buyer, and the cursor of the next page, zero on
// the last page. It costs one query more than [BookingLister.All], for the
// buyers, whatever the page's size.
func (s *Service) Bookings(ctx context.Context, r page.Request) ([]Booking, page.Cursor, error) {
	listed, next, err := s.bookings.All(ctx, r)
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("report bookings: %w", err)
	}

	out := make([]Booking, len(listed))
	if len(listed) == 0 {
		return out, next, nil
	}
	ids := make([]string, len(listed))
	for i, l := range listed {
		ids[i] = l.UserID
	}
	users, err := s.users.UsersByID(ctx, distinct(ids))
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("report bookings: %w", err)
	}

	for i, l := range listed {
		out[i] = Booking{Listed: l, User: users[l.UserID]}
	}
	return out, next, nil
}

// Shows returns the page r asks for of the shows still to start, soonest
// first, each with its movie and what it has sold, and the cursor of the
// next page, zero on the last page. Its queries do not grow in number with
// the page's size: one for the shows, one for their movies, and the
// store's for their sales.
func (s *Service) Shows(ctx context.Context, r page.Request) ([]ShowSales, page.Cursor, error) {
	shows, err := s.shows.Find(ctx, show.Filter{From: s.now(), After: r.After, Limit: r.Fetch()})
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("report shows: %w", err)
	}
	shows, next := page.Split(shows, r, showPosition)

	listed, err := s.withMovies(ctx, shows)
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("report shows: %w", err)
	}
	sales, err := s.sales.ShowSales(ctx, shows)
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("report shows: %w", err)
	}

	out := make([]ShowSales, len(listed))
	for i, l := range listed {
		sold, cur := sales[l.ID], l.Price.Currency
		out[i] = ShowSales{
			ShowOfMovie: l,
			SeatsSold:   sold.Seats,
			Revenue:     money.Money{Amount: sold.Revenue[cur], Currency: cur},
		}
	}
	return out, next, nil
}

// showPosition is a show's place in the schedule, as [show.Filter.After]
// reads it.
func showPosition(sh show.Show) page.Cursor { return page.At(sh.StartsAt, sh.ID) }
