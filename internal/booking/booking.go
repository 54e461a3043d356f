// Package booking sells seats of shows: it holds seats for a buyer, lets
// the hold be paid, cancelled or run out, and keeps every seat sold at most
// once.
//
// NOTE: FerretDB, the embedded database, does not make conditional updates
// atomic, and has no transactions. Every decision here that two requests can
// race on is therefore made by inserting a document under a unique key:
//
//   - a Claim per (show, seat, sequence number): the next number for a seat
//     can be inserted once, so of two buyers only one gets the seat;
//   - a Settlement per booking: paid, expired, cancelled or abandoned,
//     whichever is inserted first is how the booking ended;
//   - a Payment per checkout session: money taken for a booking, recorded
//     before the booking is settled as paid, so that a payment which loses
//     the race to an expiry or a cancellation is still known, and refunded.
//
// Nothing is updated or deleted to free a seat. A seat is taken while its
// newest claim is live: the booking was paid, or it is unsettled and its hold
// has not run out. An expired hold therefore frees its seats by itself; the
// next buyer settles it as expired before claiming the seat, so a payment
// that arrives later finds the booking already ended.
//
// A request that dies between claiming seats and storing its booking, in a
// crash or with the database gone, leaves claims no booking will own. The
// next buyer of such a seat settles that booking as abandoned once the claim
// is older than a booking takes to make (orphanGrace), rather than waiting
// for its hold to run out; the seat map shows the seat taken until then.
package booking

import (
	"time"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/show"
)

// Status says where a booking is in its life.
type Status string

// The statuses of a booking. Held is the only one that changes.
const (
	StatusHeld      Status = "held"
	StatusPaid      Status = "paid"
	StatusExpired   Status = "expired"
	StatusCancelled Status = "cancelled"
	StatusRefundDue Status = "refund_due"
)

// Booking is a buyer's hold on seats of one show, and what became of it.
type Booking struct {
	ID            string
	UserID        string
	ShowID        string
	Seats         []show.Seat
	Amount        money.Money
	HoldExpiresAt time.Time
	CreatedAt     time.Time

	// Settlement is how the booking ended, nil while it has not.
	Settlement *Settlement

	// Payment is the money taken for the booking, nil while none was.
	Payment *Payment
}

// Status derives the booking's status at now. An unsettled booking whose
// hold has run out is expired even before anyone settles it. A booking
// that was paid for but ended otherwise, because the payment came after
// its hold was given up, is refund_due.
func (b Booking) Status(now time.Time) Status {
	st := StatusHeld
	switch {
	case b.Settlement != nil:
		st = b.Settlement.Outcome.Status()
	case !now.Before(b.HoldExpiresAt):
		st = StatusExpired
	}

	if b.Payment != nil && st != StatusPaid && st != StatusHeld {
		return StatusRefundDue
	}
	return st
}

// PaidBy reports whether the booking was paid through the checkout session
// sessionID. A paid booking that was not paid through a session that took
// money for it was paid twice: that session's payment is due back, while
// the booking stays paid.
func (b Booking) PaidBy(sessionID string) bool {
	if b.Settlement == nil || b.Settlement.Outcome != OutcomePaid {
		return false
	}
	by := b.Settlement.SessionID
	if by == "" && b.Payment != nil {
		// Settled before settlements named their session: the earliest
		// payment counts as the one that paid.
		by = b.Payment.SessionID
	}
	return by == sessionID
}

// PaidAt is when the booking was paid, or the zero time.
func (b Booking) PaidAt() time.Time {
	if b.Settlement == nil || b.Settlement.Outcome != OutcomePaid {
		return time.Time{}
	}
	return b.Settlement.At
}

// Outcome is how a booking ended.
type Outcome string

// The outcomes a booking can settle with.
const (
	OutcomePaid      Outcome = "paid"
	OutcomeExpired   Outcome = "expired"
	OutcomeCancelled Outcome = "cancelled"
	// OutcomeAbandoned ends a booking whose creation failed part way, so
	// the seats it claimed are free again. It is never shown to anyone.
	OutcomeAbandoned Outcome = "abandoned"
)

// Status is the booking status that shows the outcome.
func (o Outcome) Status() Status {
	switch o {
	case OutcomePaid:
		return StatusPaid
	case OutcomeCancelled:
		return StatusCancelled
	default:
		return StatusExpired
	}
}

// Settlement records how a booking ended. At most one exists per booking.
type Settlement struct {
	BookingID string
	ShowID    string
	Outcome   Outcome
	Amount    money.Money
	At        time.Time

	// SessionID names the checkout session that paid a paid booking; it
	// is empty for the other outcomes.
	SessionID string
}

// Claim says that a booking holds a seat. Claims of a seat are numbered from
// 1; only the newest one counts.
type Claim struct {
	ShowID        string
	Seat          show.Seat
	Seq           int
	BookingID     string
	HoldExpiresAt time.Time
	// ClaimedAt is when the claim was made; zero on claims stored before
	// it was recorded.
	ClaimedAt time.Time
}

// SeatMap is a show's layout and the seats taken right now.
type SeatMap struct {
	ShowID string
	Layout show.Layout
	Taken  []show.Seat
}
