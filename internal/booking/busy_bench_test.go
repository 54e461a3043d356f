package booking_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/show"
)

// BenchmarkSeatMapBusyDatabase is BenchmarkSeatMap with 1000 claims of
// other shows in the database, each of a booking that was abandoned, as a
// rush leaves them. On MongoDB the claims index keeps the seat map's cost
// to its own show; the embedded FerretDB reads every claim and settlement
// of every show, so this one shows how that cost grows with the database.
func BenchmarkSeatMapBusyDatabase(b *testing.B) {
	f := newFixture(b, fixtureOptions{})
	l := f.show.Layout
	for i := range 20 {
		f.book(b, fmt.Sprintf("user_%d", i), seatAt(l, 3*i), seatAt(l, 3*i+1), seatAt(l, 3*i+2))
	}
	addAbandonedClaims(b, f, 1000)
	ctx := context.Background()

	for b.Loop() {
		if _, err := f.svc.SeatMap(ctx, f.show.ID); err != nil {
			b.Fatalf("SeatMap: %v", err)
		}
	}
}

// addAbandonedClaims stores n claims of other shows, 90 to a show, each
// with its booking settled as abandoned, through the store.
func addAbandonedClaims(b *testing.B, f *fixture, n int) {
	b.Helper()
	store := mongostore.NewBookings(f.db)
	ctx := context.Background()
	l := show.DefaultLayout()
	for i := range n {
		showID, bookingID := fmt.Sprintf("other-show-%d", i/90), fmt.Sprintf("other-booking-%d", i)
		seat, err := show.ParseSeat(seatAt(l, i%90))
		if err != nil {
			b.Fatal(err)
		}
		c := booking.Claim{ShowID: showID, Seat: seat, Seq: 1, BookingID: bookingID,
			HoldExpiresAt: start.Add(10 * time.Minute)}
		if err := store.InsertClaim(ctx, c); err != nil {
			b.Fatalf("InsertClaim: %v", err)
		}
		st := booking.Settlement{BookingID: bookingID, ShowID: showID,
			Outcome: booking.OutcomeAbandoned, At: start}
		if err := store.Settle(ctx, st); err != nil {
			b.Fatalf("Settle: %v", err)
		}
	}
}
