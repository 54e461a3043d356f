package booking_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
)

// TestConcurrentBuyers lets many buyers race for overlapping seats of one
// show at once, then checks what is stored: no seat is sold twice, every
// stored booking holds all its seats, and every loser was told which seats
// were taken and holds nothing.
func TestConcurrentBuyers(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})

	// 120 buyers want 1 to 4 seats among the 18 of rows A and B.
	const buyers = 120
	rng := rand.New(rand.NewPCG(1, 2))
	pool := []string{"A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9",
		"B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9"}
	wants := make([][]string, buyers)
	for i := range wants {
		wants[i] = slices.Clone(pool)
		rng.Shuffle(len(wants[i]), func(a, b int) { wants[i][a], wants[i][b] = wants[i][b], wants[i][a] })
		wants[i] = wants[i][:1+rng.IntN(4)]
	}

	type result struct {
		b   booking.Booking
		err error
	}
	results := make([]result, buyers)
	ready := make(chan struct{})
	var wg sync.WaitGroup
	for i := range buyers {
		wg.Go(func() {
			<-ready
			in := booking.CreateInput{
				UserID: fmt.Sprintf("user_%03d", i),
				ShowID: f.show.ID,
				Seats:  wants[i],
			}
			b, _, err := f.svc.Create(context.Background(), in)
			results[i] = result{b, err}
		})
	}
	began := time.Now()
	close(ready)
	wg.Wait()
	took := time.Since(began)

	winners := map[string]int{} // booking id -> buyer
	conflicts := 0
	sold := map[string]int{} // seat -> buyer
	for i, r := range results {
		var taken *booking.SeatsTakenError
		switch {
		case r.err == nil:
			winners[r.b.ID] = i
			for _, seat := range seatIDs(r.b.Seats) {
				if j, ok := sold[seat]; ok {
					t.Errorf("seat %s was sold to buyers %d and %d", seat, j, i)
				}
				sold[seat] = i
			}
		case errors.As(r.err, &taken):
			conflicts++
			if len(taken.Seats) == 0 {
				t.Errorf("buyer %d: SeatsTakenError names no seat", i)
			}
			for _, seat := range seatIDs(taken.Seats) {
				if !slices.Contains(wants[i], seat) {
					t.Errorf("buyer %d asked for %v but was told %s was taken", i, wants[i], seat)
				}
			}
		default:
			t.Errorf("buyer %d: Create(%v) = %v, want a booking or a *SeatsTakenError", i, wants[i], r.err)
		}
	}
	if len(winners)+conflicts != buyers {
		t.Errorf("%d winners + %d conflicts, want %d buyers", len(winners), conflicts, buyers)
	}
	if len(winners) == 0 {
		t.Error("no buyer got any seat")
	}

	live := checkInvariants(t, f.db, f.show.ID, f.clock.Now())
	for id := range live {
		if _, ok := winners[id]; !ok {
			t.Errorf("stored live booking %s was not returned to any buyer", id)
		}
	}
	for id, i := range winners {
		if _, ok := live[id]; !ok {
			t.Errorf("buyer %d got booking %s, which is not stored as live", i, id)
		}
	}
	t.Logf("%d buyers for %d seats: %d winners holding %d seats, %d conflicts, in %s (%.0f requests/s)",
		buyers, len(pool), len(winners), len(sold), conflicts, took.Round(time.Millisecond),
		float64(buyers)/took.Seconds())

	// Seats that losers claimed before losing another seat were freed when
	// they gave up: every seat the map shows free can still be bought.
	for _, seat := range pool {
		if _, ok := sold[seat]; !ok {
			f.book(t, "user_late", seat)
		}
	}
	if got := f.taken(t); len(got) != len(pool) {
		t.Errorf("after buying the rest, %d seats are taken (%v), want all %d", len(got), got, len(pool))
	}
	checkInvariants(t, f.db, f.show.ID, f.clock.Now())
}

// TestTwoBuyersManyRounds races two buyers for the same seats again and
// again; the winner cancels after each round. Exactly one wins every time.
func TestTwoBuyersManyRounds(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	ctx := context.Background()

	const rounds = 40
	for round := range rounds {
		var errs [2]error
		var got [2]booking.Booking
		ready := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				<-ready
				in := booking.CreateInput{
					UserID: fmt.Sprintf("user_%d", i),
					ShowID: f.show.ID,
					Seats:  []string{"C5", "C4"},
				}
				got[i], _, errs[i] = f.svc.Create(ctx, in)
			})
		}
		close(ready)
		wg.Wait()

		winner := -1
		for i, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("round %d: both buyers got seats C4 and C5", round)
				}
				winner = i
				continue
			}
			// The loser lost C4, the first seat both claim; whether C5
			// is named too depends on when it looked.
			var taken *booking.SeatsTakenError
			if !errors.As(err, &taken) || seatIDs(taken.Seats)[0] != "C4" {
				t.Fatalf("round %d, buyer %d: Create = %v, want a *SeatsTakenError naming C4 first",
					round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: neither buyer got the seats: %v", round, errs)
		}
		checkInvariants(t, f.db, f.show.ID, f.clock.Now())

		if _, err := f.svc.Cancel(ctx, fmt.Sprintf("user_%d", winner), got[winner].ID); err != nil {
			t.Fatalf("round %d: Cancel: %v", round, err)
		}
	}
}
