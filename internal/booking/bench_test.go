package booking_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/show"
)

// bigLayout is the largest layout: 26 rows of 50 seats.
func bigLayout() show.Layout {
	l := show.Layout{SeatsPerRow: show.MaxSeatsPerRow}
	for r := 'A'; r <= 'Z'; r++ {
		l.Rows = append(l.Rows, string(r))
	}
	return l
}

// seatAt returns the k-th seat of l, counting row by row.
func seatAt(l show.Layout, k int) string {
	return l.Rows[k/l.SeatsPerRow] + strconv.Itoa(k%l.SeatsPerRow+1)
}

// BenchmarkCreateBooking books two seats nobody else wants, on shows
// with no claims on them yet.
func BenchmarkCreateBooking(b *testing.B) {
	f := newFixture(b, fixtureOptions{layout: bigLayout()})
	l := f.show.Layout
	perShow := l.Capacity() / 2
	ctx := context.Background()

	b.ResetTimer()
	for i := range b.N {
		if i > 0 && i%perShow == 0 {
			b.StopTimer()
			f.show = f.addShow(b, f.show.StartsAt.Add(time.Hour), l)
			b.StartTimer()
		}
		k := 2 * (i % perShow)
		in := booking.CreateInput{
			UserID: "user_ada",
			ShowID: f.show.ID,
			Seats:  []string{seatAt(l, k), seatAt(l, k+1)},
		}
		if _, _, err := f.svc.Create(ctx, in); err != nil {
			b.Fatalf("Create(%v): %v", in.Seats, err)
		}
	}
}

// BenchmarkCreateBookingContended has 16 buyers per CPU ask for two
// adjacent seats among the 100 of rows A and B of one show; a buyer who
// gets them cancels at once, so the seats stay contested.
func BenchmarkCreateBookingContended(b *testing.B) {
	f := newFixture(b, fixtureOptions{layout: bigLayout()})
	l := f.show.Layout
	var won, lost, seed atomic.Int64

	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		n := seed.Add(1)
		rng := rand.New(rand.NewPCG(uint64(n), 7))
		user := fmt.Sprintf("user_%d", n)
		for pb.Next() {
			k := rng.IntN(2*l.SeatsPerRow - 1)
			in := booking.CreateInput{
				UserID: user,
				ShowID: f.show.ID,
				Seats:  []string{seatAt(l, k), seatAt(l, k+1)},
			}
			bk, _, err := f.svc.Create(ctx, in)
			var taken *booking.SeatsTakenError
			switch {
			case errors.As(err, &taken):
				lost.Add(1)
			case err != nil:
				b.Errorf("Create(%v): %v", in.Seats, err)
				return
			default:
				won.Add(1)
				if _, err := f.svc.Cancel(ctx, user, bk.ID); err != nil {
					b.Errorf("Cancel(%s): %v", bk.ID, err)
					return
				}
			}
		}
	})
	b.StopTimer()

	total := float64(won.Load() + lost.Load())
	b.ReportMetric(float64(lost.Load())/total, "conflicts/op")
	checkInvariants(b, f.db, f.show.ID, f.clock.Now())
}

// BenchmarkSeatMap reads the seat map of a show of 90 seats, 60 of them
// held by 20 bookings.
func BenchmarkSeatMap(b *testing.B) {
	f := newFixture(b, fixtureOptions{})
	l := f.show.Layout
	for i := range 20 {
		f.book(b, fmt.Sprintf("user_%d", i), seatAt(l, 3*i), seatAt(l, 3*i+1), seatAt(l, 3*i+2))
	}
	if n := len(f.taken(b)); n != 60 {
		b.Fatalf("seat map shows %d seats taken, want 60", n)
	}
	ctx := context.Background()

	b.ResetTimer()
	for range b.N {
		if _, err := f.svc.SeatMap(ctx, f.show.ID); err != nil {
			b.Fatalf("SeatMap: %v", err)
		}
	}
}
