package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/show"
)

// TestOrphanedClaimFreesItsSeat: a request that died after claiming a seat
// but before storing its booking (a crash, the database gone) leaves a claim
// no booking will ever own. Once it is older than a booking could take to
// be made, the next buyer gives it up instead of waiting for its hold to
// run out; a young one, which may belong to a booking being made, still
// blocks, and so does an old claim whose booking exists.
func TestOrphanedClaimFreesItsSeat(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	ctx := context.Background()
	store := mongostore.NewBookings(f.db)

	ghost := booking.Claim{
		ShowID: f.show.ID, Seat: show.MustParseSeat("A1"), Seq: 1, BookingID: "ghost",
		HoldExpiresAt: start.Add(10 * time.Minute), ClaimedAt: start,
	}
	if err := store.InsertClaim(ctx, ghost); err != nil {
		t.Fatalf("InsertClaim: %v", err)
	}
	held := f.book(t, "user_held", "B1")

	_, _, err := f.svc.Create(ctx, booking.CreateInput{UserID: "user_ana", ShowID: f.show.ID,
		Seats: []string{"A1"}})
	wantTaken(t, "Create(A1) with a claim made a moment ago", err, "A1")

	f.clock.Advance(31 * time.Second)

	b := f.book(t, "user_ana", "A1")
	settled, err := store.Settlements(ctx, []string{"ghost"})
	if err != nil {
		t.Fatal(err)
	}
	if got := settled["ghost"].Outcome; got != booking.OutcomeAbandoned {
		t.Errorf("the orphan's booking settled as %q, want abandoned", got)
	}
	if got := b.Status(f.clock.Now()); got != booking.StatusHeld {
		t.Errorf("new booking of A1: status %s, want held", got)
	}

	_, _, err = f.svc.Create(ctx, booking.CreateInput{UserID: "user_bo", ShowID: f.show.ID,
		Seats: []string{"B1"}})
	wantTaken(t, "Create(B1) held by booking "+held.ID, err, "B1")
}
