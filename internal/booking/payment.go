package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
)

// Payment is money a buyer paid for a booking through a checkout session.
type Payment struct {
	// SessionID names the checkout session that took the money; a session
	// pays once, so it is the payment's key.
	SessionID string
	BookingID string
	// PaymentIntentID names the charge at the payment provider, for a
	// refund; it may be empty.
	PaymentIntentID string
	Amount          money.Money
	At              time.Time
}

// ErrAmountMismatch is returned by [Service.Pay] when the amount paid is
// not the booking's amount, in value or currency. Nothing is recorded.
var ErrAmountMismatch = errors.New("amount paid does not match the booking")

// ErrPaymentExists is returned by [Store.InsertPayment] when the checkout
// session's payment is recorded already.
var ErrPaymentExists = errors.New("payment exists")

// Pay records p and settles its booking as paid through p's session. A
// booking that has ended already, because its hold ran out and was given up
// or it was cancelled, keeps its ending: the seats may be someone else's by
// now. Its payment is still recorded, and the booking shows as refund_due.
//
// A booking paid already through another session stays paid, and p is
// recorded beside that payment: the buyer paid twice. The booking that
// comes back then reports false for [Booking.PaidBy] of p's session, which
// flags p's money as due back.
//
// NOTE: the booking's status does not become refund_due for a duplicate
// payment. refund_due means that the booking ended and the seats are not
// the buyer's; here they are, and only the second payment is owed back.
//
// Whether it is paid or due a refund, the booking comes back with its
// settlement and payment. Paying with the same session again changes
// nothing and returns the same. It fails with ErrNotFound when no booking
// has p.BookingID, and with ErrAmountMismatch, recording nothing, when p is
// for another amount.
func (s *Service) Pay(ctx context.Context, p Payment) (Booking, error) {
	b, err := s.store.Booking(ctx, p.BookingID)
	if err != nil {
		return Booking{}, fmt.Errorf("pay booking %s: %w", p.BookingID, err)
	}
	if p.Amount != b.Amount {
		return Booking{}, fmt.Errorf("pay booking %s: %w: paid %s, booked %s",
			b.ID, ErrAmountMismatch, p.Amount, b.Amount)
	}

	// The payment is recorded first, so that a payment is never lost
	// whichever way the settlement below goes, even if we stop between.
	err = s.store.InsertPayment(ctx, p)
	if err != nil && !errors.Is(err, ErrPaymentExists) {
		return Booking{}, fmt.Errorf("pay booking %s: %w", b.ID, err)
	}

	st := Settlement{BookingID: b.ID, ShowID: b.ShowID, Outcome: OutcomePaid, Amount: p.Amount,
		At: p.At, SessionID: p.SessionID}
	if err := s.store.Settle(ctx, st); err != nil && !errors.Is(err, ErrSettled) {
		return Booking{}, fmt.Errorf("pay booking %s: %w", b.ID, err)
	}
	return s.attach(ctx, b)
}

// Expire ends an unpaid booking as expired now, whether or not its hold has
// run out, which frees its seats. It reports whether this call ended it; a
// booking that had ended already keeps its ending. Either way the booking
// comes back as it now stands. It fails with ErrNotFound when no booking
// has the id.
func (s *Service) Expire(ctx context.Context, id string) (Booking, bool, error) {
	b, err := s.store.Booking(ctx, id)
	if err != nil {
		return Booking{}, false, fmt.Errorf("expire booking %s: %w", id, err)
	}

	st := Settlement{BookingID: id, ShowID: b.ShowID, Outcome: OutcomeExpired, At: s.now()}
	err = s.store.Settle(ctx, st)
	if err != nil && !errors.Is(err, ErrSettled) {
		return Booking{}, false, fmt.Errorf("expire booking %s: %w", id, err)
	}

	b, aerr := s.attach(ctx, b)
	if aerr != nil {
		return Booking{}, false, fmt.Errorf("expire booking %s: %w", id, aerr)
	}
	return b, err == nil, nil
}

// attach returns b with its settlement and payment as stored.
func (s *Service) attach(ctx context.Context, b Booking) (Booking, error) {
	ids := []string{b.ID}
	settled, err := s.store.Settlements(ctx, ids)
	if err != nil {
		return Booking{}, err
	}
	paid, err := s.store.Payments(ctx, ids)
	if err != nil {
		return Booking{}, err
	}

	b.Settlement, b.Payment = nil, nil
	if st, ok := settled[b.ID]; ok {
		b.Settlement = &st
	}
	if p, ok := paid[b.ID]; ok {
		b.Payment = &p
	}
	return b, nil
}
