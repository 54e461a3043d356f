package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/inngest/inngestgo"
	"github.com/inngest/inngestgo/experimental"
	"github.com/inngest/inngestgo/step"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/notify"
)

// BookingExpirer ends unpaid bookings. It is implemented by
// booking.Service.
type BookingExpirer interface {
	// Expire ends an unpaid booking as expired and reports whether this
	// call ended it. It fails with booking.ErrNotFound.
	Expire(ctx context.Context, id string) (booking.Booking, bool, error)
}

// CheckoutCloser closes the payment page of a booking that ended unpaid. It
// is implemented by payment.Service.
type CheckoutCloser interface {
	// CloseCheckout closes the booking's checkout session, if any.
	CloseCheckout(ctx context.Context, bookingID string) error
}

// HoldNotices tells buyers that their hold ran out. It is implemented by
// notify.Service.
type HoldNotices interface {
	// HoldExpired e-mails the buyer of an expired booking.
	HoldExpired(ctx context.Context, bookingID string) (notify.Outcome, error)
}

// expiry is what the expire-booking step found.
type expiry struct {
	Ended  bool           `json:"ended"` // this run ended the booking
	Status booking.Status `json:"status"`
}

// NewExpireBooking registers the function expire-booking: on
// booking/created it sleeps until the hold ends, then settles the booking
// as expired unless a payment or a cancellation settled it first, closes
// its payment page unless it was paid, and tells the buyer when this run
// ended it.
//
// The seats are free once the hold ends whether or not this runs (see
// package booking); the function tidies up and tells the buyer.
func NewExpireBooking(c *Client, bookings BookingExpirer, checkouts CheckoutCloser,
	notices HoldNotices) (inngestgo.ServableFunction, error) {
	return inngestgo.CreateFunction(c.inngest,
		inngestgo.FunctionOpts{ID: "expire-booking", Name: "End an unpaid hold"},
		inngestgo.EventTrigger(EventBookingCreated, nil),
		func(ctx context.Context, in inngestgo.Input[BookingCreatedData]) (any, error) {
			id := in.Event.Data.BookingID
			if id == "" {
				err := errors.New("booking/created without a booking id")
				return nil, inngestgo.NoRetryError(err)
			}
			// A sleep that is already over takes the shortest time.
			left := time.Until(in.Event.Data.HoldExpiresAt)
			step.Sleep(ctx, "wait-for-hold-end", max(left, time.Second))

			e, err := step.Run(ctx, "expire-booking", func(ctx context.Context) (expiry, error) {
				b, ended, err := bookings.Expire(ctx, id)
				if errors.Is(err, booking.ErrNotFound) {
					return expiry{}, inngestgo.NoRetryError(err)
				}
				return expiry{Ended: ended, Status: b.Status(time.Now())}, err
			})
			if err != nil {
				return nil, err
			}

			if e.Status != booking.StatusPaid {
				_, err := step.Run(ctx, "close-checkout", func(ctx context.Context) (bool, error) {
					return true, checkouts.CloseCheckout(ctx, id)
				})
				if err != nil {
					return nil, err
				}
			}

			out := map[string]any{"bookingId": id, "ended": e.Ended, "status": e.Status}
			if e.Ended {
				sent, err := step.Run(ctx, "tell-buyer",
					func(ctx context.Context) (notify.Outcome, error) {
						return noRetryIfRejected(notices.HoldExpired(ctx, id))
					})
				if err != nil {
					return nil, err
				}
				out["email"] = sent
			}
			experimental.LoggerFromContext(ctx).InfoContext(ctx, "hold ended", "booking_id", id,
				"ended_here", e.Ended, "status", e.Status, "email", out["email"])
			return out, nil
		})
}

// noRetryIfRejected marks a message the mail server turned down for good as
// a failure not worth retrying.
func noRetryIfRejected(out notify.Outcome, err error) (notify.Outcome, error) {
	if errors.Is(err, notify.ErrRejected) {
		return out, inngestgo.NoRetryError(err)
	}
	return out, err
}
