package payment

import (
	"context"
	"errors"
	"fmt"

	"github.com/marquee-hq/marquee/internal/booking"
)

// Result says what a report about a checkout session did to its booking.
type Result string

// The results of [Service.Completed] and [Service.Failed].
const (
	// ResultPaid: the booking is paid.
	ResultPaid Result = "paid"
	// ResultRefundDue: the money came after the booking ended; it is
	// recorded and due back to the buyer.
	ResultRefundDue Result = "refund_due"
	// ResultDuplicatePayment: the booking was paid already through
	// another session. This money is recorded and due back to the buyer;
	// the booking stays paid.
	ResultDuplicatePayment Result = "duplicate_payment"
	// ResultAwaitingPayment: the session completed with a delayed payment
	// method whose money has not arrived; nothing changed.
	ResultAwaitingPayment Result = "awaiting_payment"
	// ResultExpired: the booking ended unpaid because of this report.
	ResultExpired Result = "expired"
	// ResultAlreadyEnded: the booking had ended before; nothing changed.
	ResultAlreadyEnded Result = "already_ended"
	// ResultUnknownBooking: the session names no booking of ours; nothing
	// changed.
	ResultUnknownBooking Result = "unknown_booking"
	// ResultAmountMismatch: the session charged another amount or
	// currency than the booking's; nothing changed.
	ResultAmountMismatch Result = "amount_mismatch"
)

// Ignored reports whether r means the report was not acted on because it
// does not fit any booking of ours: someone should look at it.
func (r Result) Ignored() bool {
	return r == ResultUnknownBooking || r == ResultAmountMismatch
}

// Completed handles a session that completed, or whose delayed payment
// succeeded. When the money was taken, the booking is settled as paid, or
// marked refund_due if it ended first; a payment is never turned down. A
// second session paid for a booking that is paid already is recorded too,
// and reported as ResultDuplicatePayment: its money is due back.
// Reports that do not fit a booking of ours change nothing and say so in
// the result, not as an error. Handling the same report twice changes
// nothing more. The booking comes back when one was found.
func (s *Service) Completed(ctx context.Context, sess Session) (Result, booking.Booking, error) {
	if sess.PaymentStatus != PaymentPaid {
		return ResultAwaitingPayment, booking.Booking{}, nil
	}

	p := booking.Payment{
		SessionID:       sess.ID,
		BookingID:       sess.BookingID,
		PaymentIntentID: sess.PaymentIntentID,
		Amount:          sess.Amount,
		At:              sess.At,
	}
	b, err := s.bookings.Pay(ctx, p)
	switch {
	case errors.Is(err, booking.ErrNotFound):
		return ResultUnknownBooking, booking.Booking{}, nil
	case errors.Is(err, booking.ErrAmountMismatch):
		return ResultAmountMismatch, booking.Booking{}, nil
	case err != nil:
		return "", booking.Booking{}, fmt.Errorf("session %s completed: %w", sess.ID, err)
	}

	switch {
	case b.Status(s.now()) != booking.StatusPaid:
		return ResultRefundDue, b, nil
	case !b.PaidBy(sess.ID):
		return ResultDuplicatePayment, b, nil
	}
	return ResultPaid, b, nil
}

// Failed handles a session that expired unpaid, or whose delayed payment
// failed: the booking ends as expired unless it ended before, and its
// seats are free.
func (s *Service) Failed(ctx context.Context, sess Session) (Result, booking.Booking, error) {
	b, ended, err := s.bookings.Expire(ctx, sess.BookingID)
	switch {
	case errors.Is(err, booking.ErrNotFound):
		return ResultUnknownBooking, booking.Booking{}, nil
	case err != nil:
		return "", booking.Booking{}, fmt.Errorf("session %s failed: %w", sess.ID, err)
	case ended:
		return ResultExpired, b, nil
	}
	return ResultAlreadyEnded, b, nil
}
