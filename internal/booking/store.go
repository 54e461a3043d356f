package booking

import (
	"context"
	"time"

	"github.com/marquee-hq/marquee/internal/page"
	"github.com/marquee-hq/marquee/internal/show"
)

// Store keeps bookings, claims and settlements. Every method that decides a
// race is an insert under a unique key. It is implemented by
// mongostore.Bookings.
type Store interface {
	// InsertClaim stores c, or fails with ErrClaimExists when the seat
	// already has a claim with c's sequence number.
	InsertClaim(ctx context.Context, c Claim) error
	// LatestClaims returns the newest claim of each seat of the show that
	// has one; with no seats given, of every seat.
	LatestClaims(ctx context.Context, showID string, seats []show.Seat) ([]Claim, error)

	// Settle stores s, or fails with ErrSettled when the booking already
	// has a settlement.
	Settle(ctx context.Context, s Settlement) error
	// Settlements returns the settlements of the given bookings, by
	// booking id; unsettled bookings are absent.
	Settlements(ctx context.Context, bookingIDs []string) (map[string]Settlement, error)
	// PaidSettlements returns the paid settlements of the given shows.
	PaidSettlements(ctx context.Context, showIDs []string) ([]Settlement, error)

	// InsertPayment stores p, or fails with ErrPaymentExists when the
	// payment of p's checkout session is stored already.
	InsertPayment(ctx context.Context, p Payment) error
	// Payments returns the payments of the given bookings, by booking id;
	// bookings without one are absent.
	Payments(ctx context.Context, bookingIDs []string) (map[string]Payment, error)

	// InsertBooking stores b without its settlement.
	InsertBooking(ctx context.Context, b Booking) error
	// Booking returns the booking with id without its settlement, or
	// ErrNotFound.
	Booking(ctx context.Context, id string) (Booking, error)
	// BookingsOfUser returns a user's bookings, newest first, without
	// their settlements.
	BookingsOfUser(ctx context.Context, userID string) ([]Booking, error)
	// BookingsOfShow returns the bookings of a show, newest first, without
	// their settlements.
	BookingsOfShow(ctx context.Context, showID string) ([]Booking, error)
	// BookingsByID returns the bookings with the given ids that exist,
	// without their settlements, in no particular order.
	BookingsByID(ctx context.Context, ids []string) ([]Booking, error)
	// BookingsAfter returns at most limit bookings that come after the
	// cursor in the order newest first (CreatedAt, then ID, both
	// descending), without their settlements. The zero cursor starts at
	// the newest booking.
	BookingsAfter(ctx context.Context, after page.Cursor, limit int) ([]Booking, error)

	// InsertIdempotencyKey records that a user's key belongs to a request,
	// or fails with ErrKeyExists.
	InsertIdempotencyKey(ctx context.Context, k IdempotencyKey) error
	// IdempotencyKey returns the record of a user's key, or ErrNotFound.
	IdempotencyKey(ctx context.Context, userID, key string) (IdempotencyKey, error)
	// FinishIdempotencyKey records the failure that the key's request
	// ended with.
	FinishIdempotencyKey(ctx context.Context, userID, key string, f *Failure) error
	// DeleteIdempotencyKey forgets a key whose request failed for a
	// reason worth retrying.
	DeleteIdempotencyKey(ctx context.Context, userID, key, bookingID string) error
}

// IdempotencyKey ties a user's Idempotency-Key to the booking its first
// request made, or to the failure it ended with.
type IdempotencyKey struct {
	UserID      string
	Key         string
	Fingerprint string
	BookingID   string
	Failure     *Failure
	CreatedAt   time.Time
}

// Failure is the answer a request ended with, kept so that a replay of the
// same Idempotency-Key gets the same answer.
type Failure struct {
	Code  string // "seats_taken" or "show_started"
	Seats []show.Seat
}
