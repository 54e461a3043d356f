package booking_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/booking"
)

func TestIdempotencyKeyReplays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, fixtureOptions{})
	in := booking.CreateInput{
		UserID:         "user_ada",
		ShowID:         f.show.ID,
		Seats:          []string{"F2", "F1"},
		IdempotencyKey: "k1",
	}

	first, replayed, err := f.svc.Create(ctx, in)
	if err != nil || replayed {
		t.Fatalf("first Create = replayed %t, %v; want a new booking", replayed, err)
	}
	// The same seats named in another order are the same request.
	in.Seats = []string{"F1", "F2"}
	again, replayed, err := f.svc.Create(ctx, in)
	if err != nil || !replayed {
		t.Fatalf("second Create = replayed %t, %v; want the first booking replayed", replayed, err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("replayed booking (-first +replayed):\n%s", diff)
	}

	in.Seats = []string{"F3"}
	if _, _, err := f.svc.Create(ctx, in); !errors.Is(err, booking.ErrIdempotencyMismatch) {
		t.Errorf("Create with the key and other seats = %v, want booking.ErrIdempotencyMismatch", err)
	}

	// Keys belong to a user: another user's k1 is a new request.
	other := booking.CreateInput{
		UserID:         "user_bo",
		ShowID:         f.show.ID,
		Seats:          []string{"F3"},
		IdempotencyKey: "k1",
	}
	if _, replayed, err := f.svc.Create(ctx, other); err != nil || replayed {
		t.Errorf("another user's Create with the same key = replayed %t, %v; want a new booking",
			replayed, err)
	}
	if n := countBookings(t, f, "user_ada"); n != 1 {
		t.Errorf("user_ada has %d bookings, want 1", n)
	}
}

// TestIdempotencyKeyReplaysConflict replays a request whose first answer
// was seats_taken: it stays seats_taken even after the seat is freed.
func TestIdempotencyKeyReplaysConflict(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, fixtureOptions{})
	held := f.book(t, "user_ada", "G1")
	in := booking.CreateInput{
		UserID:         "user_bo",
		ShowID:         f.show.ID,
		Seats:          []string{"G1", "G2"},
		IdempotencyKey: "k2",
	}

	_, replayed, err := f.svc.Create(ctx, in)
	wantTaken(t, "first Create", err, "G1")
	if replayed {
		t.Error("first Create: replayed = true, want false")
	}

	if _, err := f.svc.Cancel(ctx, "user_ada", held.ID); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	_, replayed, err = f.svc.Create(ctx, in)
	wantTaken(t, "Create replayed after the seat was freed", err, "G1")
	if !replayed {
		t.Error("second Create: replayed = false, want true")
	}
	if n := countBookings(t, f, "user_bo"); n != 0 {
		t.Errorf("user_bo has %d bookings, want 0", n)
	}
}

// TestIdempotencyKeyConcurrent sends one request with one key twenty times
// at once: one booking is made, and every request that succeeds gets it.
func TestIdempotencyKeyConcurrent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	in := booking.CreateInput{
		UserID:         "user_ada",
		ShowID:         f.show.ID,
		Seats:          []string{"H1", "H2"},
		IdempotencyKey: "k3",
	}

	const requests = 20
	ids := make([]string, requests)
	errs := make([]error, requests)
	ready := make(chan struct{})
	var wg sync.WaitGroup
	for i := range requests {
		wg.Go(func() {
			<-ready
			b, _, err := f.svc.Create(context.Background(), in)
			ids[i], errs[i] = b.ID, err
		})
	}
	close(ready)
	wg.Wait()

	booked, inProgress := map[string]int{}, 0
	for i, err := range errs {
		switch {
		case err == nil:
			booked[ids[i]]++
		case errors.Is(err, booking.ErrIdempotencyInProgress):
			inProgress++
		default:
			t.Errorf("request %d: Create = %v, want the booking or ErrIdempotencyInProgress", i, err)
		}
	}
	if len(booked) != 1 {
		t.Errorf("requests got %d different bookings (%v), want 1", len(booked), booked)
	}
	if n := countBookings(t, f, "user_ada"); n != 1 {
		t.Errorf("stored bookings of user_ada = %d, want 1", n)
	}
	t.Logf("%d requests with one key: %d answered with the booking, %d told it was in progress",
		requests, requests-inProgress, inProgress)
	checkInvariants(t, f.db, f.show.ID, f.clock.Now())
}

func countBookings(t testing.TB, f *fixture, userID string) int64 {
	t.Helper()
	byUser := bson.D{{Key: "userId", Value: userID}}
	n, err := f.db.Collection("bookings").CountDocuments(context.Background(), byUser)
	if err != nil {
		t.Fatalf("count bookings of %s: %v", userID, err)
	}
	return n
}
