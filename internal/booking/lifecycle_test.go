package booking_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/booking"
)

// TestExpiredHoldFreesSeats lets a hold run out with nobody tidying up:
// the seats are free to the next buyer at once, and the old booking ends
// as expired.
func TestExpiredHoldFreesSeats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, fixtureOptions{hold: 2 * time.Second})
	old := f.book(t, "user_ada", "D1", "D2")
	if want := start.Add(2 * time.Second); !old.HoldExpiresAt.Equal(want) {
		t.Errorf("HoldExpiresAt = %s, want %s", old.HoldExpiresAt, want)
	}
	in := booking.CreateInput{UserID: "user_bo", ShowID: f.show.ID, Seats: []string{"D2", "D3"}}

	f.clock.Advance(2*time.Second - time.Millisecond)
	_, _, err := f.svc.Create(ctx, in)
	wantTaken(t, "Create a millisecond before the hold ends", err, "D2")

	f.clock.Advance(time.Millisecond)
	if diff := cmp.Diff([]string{}, f.taken(t)); diff != "" {
		t.Errorf("seats taken once the hold ended (-want +got):\n%s", diff)
	}
	got, err := f.svc.Booking(ctx, booking.Viewer{UserID: "user_ada"}, old.ID)
	if err != nil {
		t.Fatalf("Booking(%s): %v", old.ID, err)
	}
	if s := got.Status(f.clock.Now()); s != booking.StatusExpired || got.Settlement != nil {
		t.Errorf("old booking before anyone settles it: status %s, settlement %+v; want expired, none",
			s, got.Settlement)
	}

	if _, _, err := f.svc.Create(ctx, in); err != nil {
		t.Fatalf("Create after the hold ended: %v", err)
	}
	got, err = f.svc.Booking(ctx, booking.Viewer{UserID: "user_ada"}, old.ID)
	if err != nil {
		t.Fatalf("Booking(%s): %v", old.ID, err)
	}
	if got.Settlement == nil || got.Settlement.Outcome != booking.OutcomeExpired {
		t.Errorf("old booking's settlement = %+v, want outcome expired", got.Settlement)
	}
	if s := got.Status(f.clock.Now()); s != booking.StatusExpired {
		t.Errorf("old booking's status = %s, want expired", s)
	}
	if _, err := f.svc.Cancel(ctx, "user_ada", old.ID); !errors.Is(err, booking.ErrNotHeld) {
		t.Errorf("Cancel of the expired booking = %v, want booking.ErrNotHeld", err)
	}
	if diff := cmp.Diff([]string{"D2", "D3"}, f.taken(t)); diff != "" {
		t.Errorf("seats taken (-want +got):\n%s", diff)
	}
	checkInvariants(t, f.db, f.show.ID, f.clock.Now())
}

// TestCancelFreesSeats cancels a hold: its seats are free at once, and it
// can be cancelled only once, only by its owner.
func TestCancelFreesSeats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, fixtureOptions{})
	b := f.book(t, "user_ada", "E5", "E6")

	if _, err := f.svc.Cancel(ctx, "user_bo", b.ID); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("Cancel by another user = %v, want booking.ErrNotFound", err)
	}
	cancelled, err := f.svc.Cancel(ctx, "user_ada", b.ID)
	if err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	if s := cancelled.Status(f.clock.Now()); s != booking.StatusCancelled {
		t.Errorf("status after Cancel = %s, want cancelled", s)
	}
	if diff := cmp.Diff([]string{}, f.taken(t)); diff != "" {
		t.Errorf("seats taken after Cancel (-want +got):\n%s", diff)
	}
	if _, err := f.svc.Cancel(ctx, "user_ada", b.ID); !errors.Is(err, booking.ErrNotHeld) {
		t.Errorf("second Cancel = %v, want booking.ErrNotHeld", err)
	}

	f.book(t, "user_bo", "E6")
	got, err := f.svc.Booking(ctx, booking.Viewer{UserID: "user_ada"}, b.ID)
	if err != nil {
		t.Fatalf("Booking(%s): %v", b.ID, err)
	}
	if got.Settlement == nil || got.Settlement.Outcome != booking.OutcomeCancelled {
		t.Errorf("settlement of the cancelled booking after its seat was sold again = %+v, want cancelled",
			got.Settlement)
	}
	checkInvariants(t, f.db, f.show.ID, f.clock.Now())
}

// TestAllOrNothing asks for a free seat and a taken one: the request fails
// and leaves the free seat free.
func TestAllOrNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, fixtureOptions{})
	f.book(t, "user_ada", "A2")

	in := booking.CreateInput{UserID: "user_bo", ShowID: f.show.ID, Seats: []string{"A2", "A1"}}
	_, _, err := f.svc.Create(ctx, in)
	wantTaken(t, "Create(A1, A2) with A2 taken", err, "A2")

	if diff := cmp.Diff([]string{"A2"}, f.taken(t)); diff != "" {
		t.Errorf("seats taken after the failed request (-want +got):\n%s", diff)
	}
	live := checkInvariants(t, f.db, f.show.ID, f.clock.Now())
	if len(live) != 1 {
		t.Errorf("live bookings = %d, want only user_ada's", len(live))
	}
	f.book(t, "user_cy", "A1")
}
