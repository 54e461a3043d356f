package booking

import (
	"context"
	"fmt"

	"github.com/marquee-hq/marquee/internal/page"
)

// All returns the page r asks for of every booking, newest first, with
// their shows and movies, and the cursor of the next page, zero on the
// last page. A booking made while someone pages through the list comes
// before the first page, so it never pushes another one onto a second page
// or lists it twice. Its queries do not grow in number with the page's
// size: one for the page, then those of enrich.
func (s *Service) All(ctx context.Context, r page.Request) ([]Listed, page.Cursor, error) {
	bookings, err := s.store.BookingsAfter(ctx, r.After, r.Fetch())
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("list bookings after %q: %w", r.After, err)
	}
	bookings, next := page.Split(bookings, r, position)

	listed, err := s.enrich(ctx, bookings)
	if err != nil {
		return nil, page.Cursor{}, fmt.Errorf("list bookings after %q: %w", r.After, err)
	}
	return listed, next, nil
}

// position is a booking's place in the list of all bookings.
func position(b Booking) page.Cursor { return page.At(b.CreatedAt, b.ID) }
