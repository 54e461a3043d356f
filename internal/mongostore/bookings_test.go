package mongostore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/show"
)

var _ booking.Store = (*mongostore.Bookings)(nil)

// holdEnd is when the fixtures' holds run out, to the millisecond.
var holdEnd = created.Add(10*time.Minute + 123*time.Millisecond)

func seats(ids ...string) []show.Seat {
	s := make([]show.Seat, len(ids))
	for i, id := range ids {
		s[i] = show.MustParseSeat(id)
	}
	return s
}

func claimOf(showID, seat string, seq int, bookingID string) booking.Claim {
	return booking.Claim{
		ShowID:        showID,
		Seat:          show.MustParseSeat(seat),
		Seq:           seq,
		BookingID:     bookingID,
		HoldExpiresAt: holdEnd,
	}
}

func insertClaims(t *testing.T, s *mongostore.Bookings, claims ...booking.Claim) {
	t.Helper()
	for _, c := range claims {
		if err := s.InsertClaim(context.Background(), c); err != nil {
			t.Fatalf("InsertClaim(%s %s #%d): %v", c.ShowID, c.Seat, c.Seq, err)
		}
	}
}

func TestBookingsInsertClaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	s := mongostore.NewBookings(db)
	insertClaims(t, s, claimOf("s1", "A1", 1, "b1"))

	tests := []struct {
		name string
		c    booking.Claim
		want error
	}{
		{"same number of the same seat", claimOf("s1", "A1", 1, "b2"), booking.ErrClaimExists},
		{"next number", claimOf("s1", "A1", 2, "b2"), nil},
		{"another seat", claimOf("s1", "A2", 1, "b2"), nil},
		{"another show", claimOf("s2", "A1", 1, "b2"), nil},
	}
	for _, tt := range tests {
		if err := s.InsertClaim(ctx, tt.c); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("InsertClaim, %s: %v, want %v", tt.name, err, tt.want)
		}
	}

	var raw bson.M
	byID := bson.D{{Key: "_id", Value: "s1/A1/2"}}
	if err := db.Collection("claims").FindOne(ctx, byID).Decode(&raw); err != nil {
		t.Fatalf("read claim s1/A1/2 by its id: %v", err)
	}
}

// TestBookingsInsertClaimRace inserts one claim from many goroutines: the
// unique id lets exactly one of them in.
func TestBookingsInsertClaimRace(t *testing.T) {
	t.Parallel()
	s := mongostore.NewBookings(mongotest.NewDatabase(t))

	const buyers = 50
	errs := make([]error, buyers)
	var wg sync.WaitGroup
	for i := range buyers {
		wg.Go(func() { errs[i] = s.InsertClaim(context.Background(), claimOf("s1", "C3", 1, "b")) })
	}
	wg.Wait()

	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, booking.ErrClaimExists):
			t.Errorf("buyer %d: InsertClaim = %v, want nil or booking.ErrClaimExists", i, err)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent inserts of one claim won, want 1", won, buyers)
	}
}

func TestBookingsLatestClaims(t *testing.T) {
	t.Parallel()
	s := mongostore.NewBookings(mongotest.NewDatabase(t))
	insertClaims(t, s,
		claimOf("s1", "A1", 1, "b1"), claimOf("s1", "A1", 2, "b2"), claimOf("s1", "A1", 3, "b3"),
		claimOf("s1", "A2", 1, "b1"),
		// Numbers compare as numbers: 10 is newer than 9.
		claimOf("s1", "B1", 9, "b9"), claimOf("s1", "B1", 10, "b10"),
		claimOf("s2", "A1", 5, "other"),
	)

	tests := []struct {
		name  string
		show  string
		seats []show.Seat
		want  []booking.Claim
	}{
		{"some seats", "s1", seats("A1", "B1", "C1"), []booking.Claim{
			claimOf("s1", "A1", 3, "b3"), claimOf("s1", "B1", 10, "b10"),
		}},
		{"every seat", "s1", nil, []booking.Claim{
			claimOf("s1", "A1", 3, "b3"), claimOf("s1", "A2", 1, "b1"), claimOf("s1", "B1", 10, "b10"),
		}},
		{"another show", "s2", nil, []booking.Claim{claimOf("s2", "A1", 5, "other")}},
		{"no claims", "s3", nil, nil},
	}
	for _, tt := range tests {
		got, err := s.LatestClaims(context.Background(), tt.show, tt.seats)
		if err != nil {
			t.Fatalf("LatestClaims(%s, %v): %v", tt.show, tt.seats, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("LatestClaims, %s (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestBookingsSettle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewBookings(mongotest.NewDatabase(t))
	paid := booking.Settlement{
		BookingID: "b1", ShowID: "s1", Outcome: booking.OutcomePaid,
		Amount: money.Money{Amount: 2500, Currency: "usd"}, At: created,
	}
	settle := []booking.Settlement{
		paid,
		{BookingID: "b2", ShowID: "s1", Outcome: booking.OutcomeExpired, At: created},
		{BookingID: "b3", ShowID: "s1", Outcome: booking.OutcomePaid, At: created},
		{BookingID: "b4", ShowID: "s2", Outcome: booking.OutcomePaid, At: created},
	}
	for _, st := range settle {
		if err := s.Settle(ctx, st); err != nil {
			t.Fatalf("Settle(%s): %v", st.BookingID, err)
		}
	}

	again := booking.Settlement{BookingID: "b1", ShowID: "s1", Outcome: booking.OutcomeCancelled, At: created}
	if err := s.Settle(ctx, again); !errors.Is(err, booking.ErrSettled) {
		t.Errorf("Settle of a settled booking = %v, want booking.ErrSettled", err)
	}

	got, err := s.Settlements(ctx, []string{"b1", "b2", "b9"})
	if err != nil {
		t.Fatalf("Settlements: %v", err)
	}
	want := map[string]booking.Settlement{"b1": paid, "b2": settle[1]}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Settlements (-want +got):\n%s", diff)
	}

}

func newBooking(id, userID string, createdAt time.Time) booking.Booking {
	return booking.Booking{
		ID:            id,
		UserID:        userID,
		ShowID:        "s1",
		Seats:         seats("A1", "A2"),
		Amount:        money.Money{Amount: 2500, Currency: "usd"},
		HoldExpiresAt: createdAt.Add(10 * time.Minute),
		CreatedAt:     createdAt,
	}
}

func TestBookingsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewBookings(mongotest.NewDatabase(t))
	first := newBooking("b1", "user_ada", created)
	second := newBooking("b2", "user_ada", created.Add(time.Millisecond))
	tie := newBooking("b3", "user_ada", created.Add(time.Millisecond))
	other := newBooking("b4", "user_bo", created.Add(time.Hour))
	for _, b := range []booking.Booking{first, second, tie, other} {
		if err := s.InsertBooking(ctx, b); err != nil {
			t.Fatalf("InsertBooking(%s): %v", b.ID, err)
		}
	}

	got, err := s.Booking(ctx, "b1")
	if err != nil {
		t.Fatalf("Booking(b1): %v", err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("Booking(b1) (-want +got):\n%s", diff)
	}
	if _, err := s.Booking(ctx, "nope"); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("Booking(unknown) = %v, want booking.ErrNotFound", err)
	}

	list, err := s.BookingsOfUser(ctx, "user_ada")
	if err != nil {
		t.Fatalf("BookingsOfUser: %v", err)
	}
	// Newest first; of two made at once, the greater id first.
	if diff := cmp.Diff([]booking.Booking{tie, second, first}, list); diff != "" {
		t.Errorf("BookingsOfUser(user_ada) (-want +got):\n%s", diff)
	}
	if list, err := s.BookingsOfUser(ctx, "user_cy"); err != nil || len(list) != 0 {
		t.Errorf("BookingsOfUser(no bookings) = %v, %v; want none", list, err)
	}

	// All four are of show s1: newest first again, whoever made them.
	list, err = s.BookingsOfShow(ctx, "s1")
	if err != nil {
		t.Fatalf("BookingsOfShow: %v", err)
	}
	if diff := cmp.Diff([]booking.Booking{other, tie, second, first}, list); diff != "" {
		t.Errorf("BookingsOfShow(s1) (-want +got):\n%s", diff)
	}
	if list, err := s.BookingsOfShow(ctx, "s9"); err != nil || len(list) != 0 {
		t.Errorf("BookingsOfShow(no bookings) = %v, %v; want none", list, err)
	}
}

func TestBookingsIdempotencyKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	s := mongostore.NewBookings(db)
	k := booking.IdempotencyKey{
		UserID:      "user_ada",
		Key:         "key/with/slashes",
		Fingerprint: "s1 A1 A2",
		BookingID:   "b1",
		CreatedAt:   created,
	}
	if err := s.InsertIdempotencyKey(ctx, k); err != nil {
		t.Fatalf("InsertIdempotencyKey: %v", err)
	}
	if err := s.InsertIdempotencyKey(ctx, k); !errors.Is(err, booking.ErrKeyExists) {
		t.Errorf("InsertIdempotencyKey again = %v, want booking.ErrKeyExists", err)
	}
	readKey(t, s, k)
	if n, err := db.Collection("idempotency_keys").CountDocuments(ctx,
		bson.D{{Key: "failure", Value: bson.D{{Key: "$exists", Value: true}}}}); err != nil || n != 0 {
		t.Errorf("keys stored with a failure field before FinishIdempotencyKey: %d, %v; want 0", n, err)
	}

	f := &booking.Failure{Code: "seats_taken", Seats: seats("A2")}
	if err := s.FinishIdempotencyKey(ctx, k.UserID, k.Key, f); err != nil {
		t.Fatalf("FinishIdempotencyKey: %v", err)
	}
	k.Failure = f
	readKey(t, s, k)
	if err := s.FinishIdempotencyKey(ctx, "user_bo", k.Key, f); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("FinishIdempotencyKey(another user's key) = %v, want booking.ErrNotFound", err)
	}

	if err := s.DeleteIdempotencyKey(ctx, k.UserID, k.Key, "b2"); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("DeleteIdempotencyKey(another booking) = %v, want booking.ErrNotFound", err)
	}
	readKey(t, s, k)
	if err := s.DeleteIdempotencyKey(ctx, k.UserID, k.Key, "b1"); err != nil {
		t.Fatalf("DeleteIdempotencyKey: %v", err)
	}
	if _, err := s.IdempotencyKey(ctx, k.UserID, k.Key); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("IdempotencyKey after delete = %v, want booking.ErrNotFound", err)
	}
}

func readKey(t *testing.T, s *mongostore.Bookings, want booking.IdempotencyKey) {
	t.Helper()
	got, err := s.IdempotencyKey(context.Background(), want.UserID, want.Key)
	if err != nil {
		t.Fatalf("IdempotencyKey(%s, %s): %v", want.UserID, want.Key, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("IdempotencyKey(%s, %s) (-want +got):\n%s", want.UserID, want.Key, diff)
	}
}
