package booking

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// replay answers a request whose Idempotency-Key the user has used before
// with what the first request got.
func (s *Service) replay(ctx context.Context, k IdempotencyKey) (Booking, error) {
	first, err := s.store.IdempotencyKey(ctx, k.UserID, k.Key)
	if err != nil {
		return Booking{}, fmt.Errorf("replay idempotency key: %w", err)
	}
	if first.Fingerprint != k.Fingerprint {
		return Booking{}, ErrIdempotencyMismatch
	}

	if f := first.Failure; f != nil {
		if f.Code == "show_started" {
			return Booking{}, ErrShowStarted
		}
		return Booking{}, &SeatsTakenError{Seats: f.Seats}
	}

	b, err := s.store.Booking(ctx, first.BookingID)
	if errors.Is(err, ErrNotFound) {
		return Booking{}, ErrIdempotencyInProgress
	}
	if err != nil {
		return Booking{}, fmt.Errorf("replay idempotency key: %w", err)
	}
	return b, nil
}

// remember records how the first request with an Idempotency-Key ended, so
// that replays get the same answer, and returns err. A failure that a retry
// could mend, such as the database being down, forgets the key instead.
func (s *Service) remember(ctx context.Context, k IdempotencyKey, err error) error {
	if err == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()

	var f *Failure
	var taken *SeatsTakenError
	switch {
	case errors.As(err, &taken):
		f = &Failure{Code: "seats_taken", Seats: taken.Seats}
	case errors.Is(err, ErrShowStarted):
		f = &Failure{Code: "show_started"}
	}

	if f != nil {
		if serr := s.store.FinishIdempotencyKey(ctx, k.UserID, k.Key, f); serr != nil {
			return errors.Join(err, fmt.Errorf("finish idempotency key: %w", serr))
		}
		return err
	}
	if derr := s.store.DeleteIdempotencyKey(ctx, k.UserID, k.Key, k.BookingID); derr != nil {
		return errors.Join(err, fmt.Errorf("forget idempotency key: %w", derr))
	}
	return err
}
