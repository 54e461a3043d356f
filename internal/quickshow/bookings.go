package quickshow

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
)

// cancelTimeout bounds cancelling a booking whose checkout could not be
// opened; it runs even when the request has given up.
const cancelTimeout = 5 * time.Second

// newBookingJSON is the body of POST /api/booking/create. There is no
// price: the booking service computes the amount.
type newBookingJSON struct {
	ShowID        string   `json:"showId"`
	SelectedSeats []string `json:"selectedSeats"`
}

// createBooking holds the selected seats, all or none, and answers with
// where the buyer goes next.
func (s *Surface) createBooking(w http.ResponseWriter, r *http.Request) error {
	var body newBookingJSON
	if err := s.decode(w, r, &body); err != nil {
		return err
	}

	userID := callerID(r)
	in := booking.CreateInput{UserID: userID, ShowID: body.ShowID, Seats: body.SelectedSeats}
	b, _, err := s.bookings.Create(r.Context(), in)
	if err != nil {
		return err
	}

	url, err := s.nextPage(r.Context(), userID, b.ID)
	if err != nil {
		return err
	}
	return succeed(w, map[string]any{"url": url})
}

// errCheckoutFailed is what the buyer of a booking is told when its
// checkout could not be opened and the booking was cancelled.
var errCheckoutFailed = badInput("The payment could not be started, so your seats were " +
	"released. Please try again.")

// nextPage returns where the buyer of a new booking goes: the booking's
// Stripe Checkout page, or the client's bookings page when payments are
// not configured.
//
// When the checkout cannot be opened, the booking is cancelled before the
// answer, so that an answer of success: false never leaves seats held: the
// client shows the message and the buyer picks seats again.
func (s *Surface) nextPage(ctx context.Context, userID, bookingID string) (string, error) {
	if s.payments == nil || !s.payments.Enabled() {
		return s.clientURL + "/my-bookings", nil
	}
	c, err := s.payments.Checkout(ctx, userID, bookingID)
	if err == nil {
		return c.URL, nil
	}

	// The request may be the reason the checkout failed, by running out
	// of time or going away: the cancellation must not depend on it.
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cancelTimeout)
	defer cancel()
	_, cerr := s.bookings.Cancel(cctx, userID, bookingID)
	if cerr != nil && !errors.Is(cerr, booking.ErrNotHeld) {
		return "", errors.Join(fmt.Errorf("open checkout of booking %s: %w", bookingID, err),
			fmt.Errorf("cancel the booking after its checkout failed: %w", cerr))
	}
	s.logger.WarnContext(ctx, "checkout failed; booking cancelled", "booking_id", bookingID,
		"err", err)
	return "", errCheckoutFailed
}

// listMyBookings answers GET /api/user/bookings with the caller's bookings,
// newest first, with show and show.movie populated.
func (s *Surface) listMyBookings(w http.ResponseWriter, r *http.Request) error {
	listed, err := s.bookings.OfUser(r.Context(), callerID(r))
	if err != nil {
		return err
	}
	listed = s.current(listed)

	taken, err := s.takenSeats(r.Context(), showIDs(listed))
	if err != nil {
		return err
	}
	now := s.now()
	out := make([]bookingDoc, len(listed))
	for i, l := range listed {
		out[i] = toBookingDoc(l, now, taken[l.ShowID], s.paymentLink(r.Context(), l))
	}
	return succeed(w, map[string]any{"bookings": out})
}

// current keeps the bookings the client can show: held ones, which it
// offers to pay, and paid ones. The old back end deleted a booking whose
// hold ran out, so the client knows no other kind; and it needs the show,
// so a booking whose show was deleted is left out too.
func (s *Surface) current(listed []booking.Listed) []booking.Listed {
	now := s.now()
	out := listed[:0:0]
	for _, l := range listed {
		st := l.Status(now)
		if l.Show.ID != "" && (st == booking.StatusHeld || st == booking.StatusPaid) {
			out = append(out, l)
		}
	}
	return out
}

func showIDs(listed []booking.Listed) []string {
	ids := make([]string, len(listed))
	for i, l := range listed {
		ids[i] = l.ShowID
	}
	return ids
}

// paymentLink returns the Stripe Checkout page of a held booking, opening
// it when the booking has none yet, or "" when there is nothing to pay or
// no way to pay it. A failure costs the booking its link, not the list its
// answer.
func (s *Surface) paymentLink(ctx context.Context, l booking.Listed) string {
	if s.payments == nil || !s.payments.Enabled() || l.Status(s.now()) != booking.StatusHeld {
		return ""
	}
	c, err := s.payments.Checkout(ctx, l.UserID, l.ID)
	if err != nil {
		if !errors.Is(err, booking.ErrNotHeld) {
			s.logger.WarnContext(ctx, "no payment link for a held booking", "booking_id", l.ID,
				"err", err)
		}
		return ""
	}
	return c.URL
}
