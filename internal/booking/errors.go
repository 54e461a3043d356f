package booking

import (
	"errors"
	"strings"

	"github.com/marquee-hq/marquee/internal/show"
)

// ErrNotFound means no booking has the given id, or the caller may not see it.
var ErrNotFound = errors.New("booking not found")

// ErrShowStarted means the show has started and can no longer be booked.
var ErrShowStarted = errors.New("show has started")

// ErrNotHeld is returned when a booking that has already ended is cancelled
// or paid for.
var ErrNotHeld = errors.New("booking is no longer held")

// ErrIdempotencyMismatch means an Idempotency-Key was reused for a different
// request.
var ErrIdempotencyMismatch = errors.New("idempotency key was used for a different request")

// ErrIdempotencyInProgress means the first request with the same
// Idempotency-Key has not finished yet.
var ErrIdempotencyInProgress = errors.New("a request with this idempotency key is in progress")

// ErrClaimExists is returned by [Store.InsertClaim] when the claim's
// sequence number for the seat is taken.
var ErrClaimExists = errors.New("claim exists")

// ErrSettled is returned by [Store.Settle] when the booking already has a
// settlement.
var ErrSettled = errors.New("booking already settled")

// ErrKeyExists is returned by [Store.InsertIdempotencyKey] when the user has
// used the key before.
var ErrKeyExists = errors.New("idempotency key exists")

// SeatsTakenError means some of the requested seats are held or sold. The
// booking was not made and holds nothing.
type SeatsTakenError struct {
	Seats []show.Seat
}

func (e *SeatsTakenError) Error() string {
	ids := make([]string, len(e.Seats))
	for i, s := range e.Seats {
		ids[i] = s.String()
	}
	return "seats taken: " + strings.Join(ids, ", ")
}

// ValidationError lists what is wrong with each field of a request, by the
// field's name in the API.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	parts := make([]string, 0, len(e.Fields))
	for f, msg := range e.Fields {
		parts = append(parts, f+" "+msg)
	}
	return "invalid booking: " + strings.Join(parts, "; ")
}
