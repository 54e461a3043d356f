package booking

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/marquee-hq/marquee/internal/show"
)

// maxClaimAttempts bounds how often one seat is retried after losing the race
// for its next claim number. The winner of such a race holds the seat, so a
// second loss is already unusual.
const maxClaimAttempts = 3

// errSeatTaken is what claim returns when the seat is not to be had.
var errSeatTaken = errors.New("seat taken")

// claimAll claims b's seats in order. When one is taken, it abandons b, which
// frees the seats it got so far, and returns every requested seat that was
// seen taken.
func (s *Service) claimAll(ctx context.Context, b Booking) error {
	view, err := s.claimView(ctx, b.ShowID, b.Seats)
	if err != nil {
		return fmt.Errorf("create booking: %w", err)
	}

	for i, seat := range b.Seats {
		err := s.claim(ctx, b, seat, view)
		if err == nil {
			continue
		}
		if aerr := s.abandon(ctx, b); aerr != nil {
			return errors.Join(fmt.Errorf("claim seat %s: %w", seat, err), aerr)
		}
		if !errors.Is(err, errSeatTaken) {
			return fmt.Errorf("claim seat %s of show %s: %w", seat, b.ShowID, err)
		}
		return &SeatsTakenError{Seats: append([]show.Seat{seat}, view.takenOf(b.Seats[i+1:])...)}
	}
	return nil
}

// claimView is what the store said about some seats when a booking began:
// their newest claims, and how those claims' bookings were settled.
type claimView struct {
	now     time.Time
	latest  map[show.Seat]Claim
	settled map[string]Settlement
}

func (s *Service) claimView(ctx context.Context, showID string, seats []show.Seat) (claimView, error) {
	claims, err := s.store.LatestClaims(ctx, showID, seats)
	if err != nil {
		return claimView{}, err
	}

	v := claimView{now: s.now(), latest: make(map[show.Seat]Claim, len(claims))}
	ids := make([]string, 0, len(claims))
	for _, c := range claims {
		v.latest[c.Seat] = c
		ids = append(ids, c.BookingID)
	}
	if len(ids) == 0 {
		return v, nil
	}

	v.settled, err = s.store.Settlements(ctx, ids)
	if err != nil {
		return claimView{}, err
	}
	return v, nil
}

// live reports whether c held its seat when the view was taken. An
// unsettled claim whose hold has run out is not live.
func (v claimView) live(c Claim) bool {
	if st, ok := v.settled[c.BookingID]; ok {
		return st.Outcome == OutcomePaid
	}
	return v.now.Before(c.HoldExpiresAt)
}

func (v claimView) takenOf(seats []show.Seat) []show.Seat {
	var taken []show.Seat
	for _, seat := range seats {
		if c, ok := v.latest[seat]; ok && v.live(c) {
			taken = append(taken, seat)
		}
	}
	return taken
}

// claim inserts the next claim of seat for b. The seat's newest claim must
// not be live; if its hold ran out unsettled, that booking is first settled
// as expired so that a late payment for it can never win the seat back.
func (s *Service) claim(ctx context.Context, b Booking, seat show.Seat, v claimView) error {
	prev, ok := v.latest[seat]
	for range maxClaimAttempts {
		next := 1
		if ok {
			free, err := s.free(ctx, prev, v)
			if err != nil {
				return err
			}
			if !free {
				return errSeatTaken
			}
			next = prev.Seq + 1
		}

		c := Claim{ShowID: b.ShowID, Seat: seat, Seq: next, BookingID: b.ID,
			HoldExpiresAt: b.HoldExpiresAt, ClaimedAt: s.now().UTC().Truncate(time.Millisecond)}
		err := s.store.InsertClaim(ctx, c)
		if !errors.Is(err, ErrClaimExists) {
			return err
		}

		// Someone else took number next first: judge their claim instead.
		if prev, ok, err = s.latestClaim(ctx, b.ShowID, seat); err != nil {
			return err
		}
		v = claimView{now: s.now()}
	}
	return errSeatTaken
}

// free reports whether the seat of c, its newest claim, may be claimed again.
func (s *Service) free(ctx context.Context, c Claim, v claimView) (bool, error) {
	if v.settled == nil {
		settled, err := s.store.Settlements(ctx, []string{c.BookingID})
		if err != nil {
			return false, err
		}
		v.settled = settled
	}
	outcome := OutcomeExpired
	if v.live(c) {
		orphan, err := s.orphaned(ctx, c, v)
		if err != nil || !orphan {
			return false, err
		}
		outcome = OutcomeAbandoned
	}
	if _, ok := v.settled[c.BookingID]; ok {
		return true, nil
	}

	st := Settlement{BookingID: c.BookingID, ShowID: c.ShowID, Outcome: outcome, At: v.now}
	err := s.store.Settle(ctx, st)
	if !errors.Is(err, ErrSettled) {
		return err == nil, err
	}

	// Someone settled it first; a payment would keep the seat taken.
	settled, err := s.store.Settlements(ctx, []string{c.BookingID})
	if err != nil {
		return false, err
	}
	return settled[c.BookingID].Outcome != OutcomePaid, nil
}

// orphanGrace is how long a claim may wait for its booking to be stored.
// Making a booking takes milliseconds; a claim whose booking is still
// missing after this belongs to a request that died part way, in a crash or
// with the database gone, before it could abandon its claims.
const orphanGrace = 30 * time.Second

// orphaned reports whether c, an unsettled claim with time left on its hold,
// belongs to a booking that was never stored and never will be. Such a
// claim would otherwise block its seat until the hold ran out.
func (s *Service) orphaned(ctx context.Context, c Claim, v claimView) (bool, error) {
	if _, ok := v.settled[c.BookingID]; ok {
		return false, nil
	}
	// Claims from before ClaimedAt was recorded are left to their hold.
	if c.ClaimedAt.IsZero() || v.now.Sub(c.ClaimedAt) < orphanGrace {
		return false, nil
	}
	_, err := s.store.Booking(ctx, c.BookingID)
	if errors.Is(err, ErrNotFound) {
		return true, nil
	}
	return false, err
}

func (s *Service) latestClaim(ctx context.Context, showID string, seat show.Seat) (Claim, bool, error) {
	claims, err := s.store.LatestClaims(ctx, showID, []show.Seat{seat})
	if err != nil || len(claims) == 0 {
		return Claim{}, false, err
	}
	return claims[0], true, nil
}

// SeatMap returns the show's layout and the seats of live holds and paid
// bookings. It reads only: expired holds are left for the next buyer to
// settle.
func (s *Service) SeatMap(ctx context.Context, showID string) (SeatMap, error) {
	sh, err := s.shows.Show(ctx, showID)
	if err != nil {
		return SeatMap{}, fmt.Errorf("seat map of show %s: %w", showID, err)
	}

	v, err := s.claimView(ctx, showID, nil)
	if err != nil {
		return SeatMap{}, fmt.Errorf("seat map of show %s: %w", showID, err)
	}

	taken := []show.Seat{}
	for seat, c := range v.latest {
		if v.live(c) {
			taken = append(taken, seat)
		}
	}
	slices.SortFunc(taken, compareSeats)
	return SeatMap{ShowID: showID, Layout: sh.Layout, Taken: taken}, nil
}
