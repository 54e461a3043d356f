package booking

import (
	"context"
	"errors"
	"fmt"

	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// Listed is a booking with the show and movie it is for. A show or movie
// deleted since the booking was made is the zero value.
type Listed struct {
	Booking
	Show  show.Show
	Movie movie.Movie
}

// Booking returns the booking with id if v may see it, or ErrNotFound.
func (s *Service) Booking(ctx context.Context, v Viewer, id string) (Booking, error) {
	b, err := s.store.Booking(ctx, id)
	if err != nil {
		return Booking{}, fmt.Errorf("find booking %s: %w", id, err)
	}
	if !v.CanSee(b) {
		return Booking{}, ErrNotFound
	}

	b, err = s.attach(ctx, b)
	if err != nil {
		return Booking{}, fmt.Errorf("find booking %s: %w", id, err)
	}
	return b, nil
}

// Detail returns the booking with id with its show and movie, for whoever
// tells its buyer about it. It fails with ErrNotFound.
func (s *Service) Detail(ctx context.Context, id string) (Listed, error) {
	b, err := s.store.Booking(ctx, id)
	if err != nil {
		return Listed{}, fmt.Errorf("find booking %s: %w", id, err)
	}
	listed, err := s.enrich(ctx, []Booking{b})
	if err != nil {
		return Listed{}, fmt.Errorf("find booking %s: %w", id, err)
	}
	return listed[0], nil
}

// PaidForShows returns the paid bookings of the given shows, with their
// shows and movies, in no particular order.
func (s *Service) PaidForShows(ctx context.Context, showIDs []string) ([]Listed, error) {
	if len(showIDs) == 0 {
		return nil, nil
	}
	settled, err := s.store.PaidSettlements(ctx, showIDs)
	if err != nil {
		return nil, fmt.Errorf("paid bookings of %d shows: %w", len(showIDs), err)
	}
	if len(settled) == 0 {
		return nil, nil
	}

	ids := make([]string, len(settled))
	for i, st := range settled {
		ids[i] = st.BookingID
	}
	bookings, err := s.store.BookingsByID(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("paid bookings of %d shows: %w", len(showIDs), err)
	}
	listed, err := s.enrich(ctx, bookings)
	if err != nil {
		return nil, fmt.Errorf("paid bookings of %d shows: %w", len(showIDs), err)
	}
	return listed, nil
}

// OfUser returns a user's bookings, newest first, with their shows and
// movies, in five queries whatever their number.
func (s *Service) OfUser(ctx context.Context, userID string) ([]Listed, error) {
	bookings, err := s.store.BookingsOfUser(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("bookings of user %s: %w", userID, err)
	}
	listed, err := s.enrich(ctx, bookings)
	if err != nil {
		return nil, fmt.Errorf("bookings of user %s: %w", userID, err)
	}
	return listed, nil
}

// enrich attaches settlements, payments, shows and movies to bookings with
// one batched query for each.
func (s *Service) enrich(ctx context.Context, bookings []Booking) ([]Listed, error) {
	listed := make([]Listed, len(bookings))
	if len(bookings) == 0 {
		return listed, nil
	}

	ids := make([]string, len(bookings))
	showIDs := make([]string, len(bookings))
	for i, b := range bookings {
		ids[i], showIDs[i] = b.ID, b.ShowID
	}
	settled, err := s.store.Settlements(ctx, ids)
	if err != nil {
		return nil, err
	}
	paid, err := s.store.Payments(ctx, ids)
	if err != nil {
		return nil, err
	}
	shows, err := s.shows.ShowsByID(ctx, showIDs)
	if err != nil {
		return nil, err
	}

	movieIDs := make([]string, 0, len(shows))
	for _, sh := range shows {
		movieIDs = append(movieIDs, sh.MovieID)
	}
	movies, err := s.movies.MoviesByID(ctx, movieIDs)
	if err != nil {
		return nil, err
	}

	for i, b := range bookings {
		if st, ok := settled[b.ID]; ok {
			b.Settlement = &st
		}
		if p, ok := paid[b.ID]; ok {
			b.Payment = &p
		}
		sh := shows[b.ShowID]
		listed[i] = Listed{Booking: b, Show: sh, Movie: movies[sh.MovieID]}
	}
	return listed, nil
}

// Cancel ends a held booking of the user's; its seats are free at once. It
// fails with ErrNotFound for a booking that is not the user's, and ErrNotHeld
// for one that has already ended.
func (s *Service) Cancel(ctx context.Context, userID, id string) (Booking, error) {
	b, err := s.Booking(ctx, Viewer{UserID: userID}, id)
	if err != nil {
		return Booking{}, fmt.Errorf("cancel booking: %w", err)
	}
	if b.Status(s.now()) != StatusHeld {
		return Booking{}, ErrNotHeld
	}

	st := Settlement{BookingID: id, ShowID: b.ShowID, Outcome: OutcomeCancelled, At: s.now()}
	err = s.store.Settle(ctx, st)
	if errors.Is(err, ErrSettled) {
		return Booking{}, ErrNotHeld
	}
	if err != nil {
		return Booking{}, fmt.Errorf("cancel booking %s: %w", id, err)
	}
	b.Settlement = &st
	return b, nil
}

// CancelHeldOfUser ends every booking of the user that has not ended, for a
// user who is gone: a held one is cancelled, so its seats are free at once,
// and one whose hold ran out is settled as expired, so a late payment for it
// is refunded. Paid bookings are kept. It returns how many held bookings it
// cancelled. A booking settled meanwhile by someone else, such as a
// payment, stays as they settled it; calling it again cancels nothing more.
func (s *Service) CancelHeldOfUser(ctx context.Context, userID string) (int, error) {
	bookings, err := s.store.BookingsOfUser(ctx, userID)
	if err != nil {
		return 0, fmt.Errorf("cancel bookings of user %s: %w", userID, err)
	}
	cancelled, _, err := s.endUnsettled(ctx, bookings, false)
	if err != nil {
		return cancelled, fmt.Errorf("cancel bookings of user %s: %w", userID, err)
	}
	return cancelled, nil
}

// CloseShow ends every booking of a show about to be deleted, so that no
// hold on it can still be paid: a payment that arrives later is refunded.
// It fails with show.ErrHasPaidBookings, ending nothing, when the show has a
// paid booking.
func (s *Service) CloseShow(ctx context.Context, showID string) error {
	bookings, err := s.store.BookingsOfShow(ctx, showID)
	if err != nil {
		return fmt.Errorf("close show %s: %w", showID, err)
	}
	_, paid, err := s.endUnsettled(ctx, bookings, true)
	if err != nil {
		return fmt.Errorf("close show %s: %w", showID, err)
	}
	if paid {
		return show.ErrHasPaidBookings
	}
	return nil
}

// endUnsettled settles every unsettled booking of bookings: cancelled while
// held, expired once its hold ran out. It reports how many it cancelled and
// whether any booking is paid, counting one paid meanwhile. With
// stopOnPaid, a paid booking found before settling ends nothing.
func (s *Service) endUnsettled(ctx context.Context, bookings []Booking,
	stopOnPaid bool) (cancelled int, paid bool, err error) {
	if len(bookings) == 0 {
		return 0, false, nil
	}
	ids := make([]string, len(bookings))
	for i, b := range bookings {
		ids[i] = b.ID
	}
	settled, err := s.store.Settlements(ctx, ids)
	if err != nil {
		return 0, false, err
	}
	for _, st := range settled {
		paid = paid || st.Outcome == OutcomePaid
	}
	if paid && stopOnPaid {
		return 0, true, nil
	}

	for _, b := range bookings {
		if _, ok := settled[b.ID]; ok {
			continue
		}
		now := s.now()
		st := Settlement{BookingID: b.ID, ShowID: b.ShowID, Outcome: OutcomeCancelled, At: now}
		if b.Status(now) == StatusExpired {
			st.Outcome = OutcomeExpired
		}

		err := s.store.Settle(ctx, st)
		if errors.Is(err, ErrSettled) {
			// Settled meanwhile, perhaps by a payment.
			again, err := s.store.Settlements(ctx, []string{b.ID})
			if err != nil {
				return cancelled, paid, err
			}
			paid = paid || again[b.ID].Outcome == OutcomePaid
			continue
		}
		if err != nil {
			return cancelled, paid, fmt.Errorf("end booking %s: %w", b.ID, err)
		}
		if st.Outcome == OutcomeCancelled {
			cancelled++
		}
	}
	return cancelled, paid, nil
}
