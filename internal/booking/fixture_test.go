package booking_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// start is the fixtures' clock at the beginning of every test, to the
// millisecond, which is what BSON dates keep.
var start = time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)

// clock is a time source that moves only when told to.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is a booking service on a fresh database with one movie and one
// show tomorrow.
type fixture struct {
	svc   *booking.Service
	db    *mongo.Database
	shows *mongostore.Shows
	clock *clock
	show  show.Show
	ids   atomic.Int64
}

type fixtureOptions struct {
	layout   show.Layout
	hold     time.Duration
	maxSeats int
}

func newFixture(t testing.TB, opt fixtureOptions) *fixture {
	t.Helper()
	if opt.layout.SeatsPerRow == 0 {
		opt.layout = show.DefaultLayout()
	}
	if opt.hold == 0 {
		opt.hold = 10 * time.Minute
	}
	if opt.maxSeats == 0 {
		opt.maxSeats = 10
	}

	db := mongotest.NewDatabase(t)
	f := &fixture{db: db, shows: mongostore.NewShows(db), clock: &clock{now: start}}
	cfg := booking.Config{Hold: opt.hold, MaxSeats: opt.maxSeats}
	f.svc = booking.NewService(mongostore.NewBookings(db), f.shows, mongostore.NewMovies(db),
		cfg, f.clock.Now, f.newID)

	m := movie.Movie{ID: "m1", Title: "The Lantern Keepers", CreatedAt: start, UpdatedAt: start}
	if err := mongostore.NewMovies(db).Insert(context.Background(), m); err != nil {
		t.Fatalf("insert movie: %v", err)
	}
	f.show = f.addShow(t, start.Add(24*time.Hour), opt.layout)
	return f
}

func (f *fixture) newID() string {
	return fmt.Sprintf("id%06d", f.ids.Add(1))
}

// addShow stores a show of the fixture's movie.
func (f *fixture) addShow(t testing.TB, startsAt time.Time, layout show.Layout) show.Show {
	t.Helper()
	sh := show.Show{
		ID:        f.newID(),
		MovieID:   "m1",
		StartsAt:  startsAt,
		Price:     money.Money{Amount: 1250, Currency: "usd"},
		Layout:    layout,
		CreatedAt: start,
	}
	if err := f.shows.InsertMany(context.Background(), []show.Show{sh}); err != nil {
		t.Fatalf("insert show: %v", err)
	}
	return sh
}

// book asks for seats of the fixture's show for user and fails the test
// unless it gets them.
func (f *fixture) book(t testing.TB, userID string, seats ...string) booking.Booking {
	t.Helper()
	in := booking.CreateInput{UserID: userID, ShowID: f.show.ID, Seats: seats}
	b, _, err := f.svc.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("Create(%s, %v): %v", userID, seats, err)
	}
	return b
}

// wantTaken checks that err is a *booking.SeatsTakenError naming seats.
func wantTaken(t testing.TB, call string, err error, seats ...string) {
	t.Helper()
	var taken *booking.SeatsTakenError
	if !errors.As(err, &taken) {
		t.Fatalf("%s = %v, want a *booking.SeatsTakenError", call, err)
	}
	if diff := cmp.Diff(seats, seatIDs(taken.Seats)); diff != "" {
		t.Errorf("%s taken seats (-want +got):\n%s", call, diff)
	}
}

// taken returns the seats the seat map shows as taken.
func (f *fixture) taken(t testing.TB) []string {
	t.Helper()
	m, err := f.svc.SeatMap(context.Background(), f.show.ID)
	if err != nil {
		t.Fatalf("SeatMap(%s): %v", f.show.ID, err)
	}
	return seatIDs(m.Taken)
}

func seatIDs(seats []show.Seat) []string {
	ids := []string{}
	for _, s := range seats {
		ids = append(ids, s.String())
	}
	return ids
}

// The shapes of the stored documents, read back without mongostore so the
// checks below see what is in the database and not what the store makes
// of it.
type (
	storedClaim struct {
		ShowID        string    `bson:"showId"`
		Seat          string    `bson:"seat"`
		Seq           int       `bson:"seq"`
		BookingID     string    `bson:"bookingId"`
		HoldExpiresAt time.Time `bson:"holdExpiresAt"`
	}
	storedSettlement struct {
		BookingID string `bson:"_id"`
		Outcome   string `bson:"outcome"`
	}
	storedBooking struct {
		ID            string    `bson:"_id"`
		UserID        string    `bson:"userId"`
		Seats         []string  `bson:"seats"`
		HoldExpiresAt time.Time `bson:"holdExpiresAt"`
	}
)

// stored is everything stored about one show.
type stored struct {
	claims   []storedClaim
	outcomes map[string]string // by booking id
	bookings map[string]storedBooking
}

func readStored(t testing.TB, db *mongo.Database, showID string) stored {
	t.Helper()
	s := stored{outcomes: map[string]string{}, bookings: map[string]storedBooking{}}
	byShow := bson.D{{Key: "showId", Value: showID}}
	readAll(t, db.Collection("claims"), byShow, &s.claims)

	var settlements []storedSettlement
	readAll(t, db.Collection("settlements"), byShow, &settlements)
	for _, st := range settlements {
		s.outcomes[st.BookingID] = st.Outcome
	}

	var bookings []storedBooking
	readAll(t, db.Collection("bookings"), byShow, &bookings)
	for _, b := range bookings {
		s.bookings[b.ID] = b
	}
	return s
}

func readAll[T any](t testing.TB, coll *mongo.Collection, filter bson.D, docs *[]T) {
	t.Helper()
	ctx := context.Background()
	cur, err := coll.Find(ctx, filter)
	if err != nil {
		t.Fatalf("find in %s: %v", coll.Name(), err)
	}
	if err := cur.All(ctx, docs); err != nil {
		t.Fatalf("read %s: %v", coll.Name(), err)
	}
}

// live reports whether the booking holds its seats at now: it is unsettled
// and its hold has not run out, or it was paid.
func (s stored) live(bookingID string, holdExpiresAt, now time.Time) bool {
	if outcome, ok := s.outcomes[bookingID]; ok {
		return outcome == string(booking.OutcomePaid)
	}
	return now.Before(holdExpiresAt)
}

// checkInvariants checks the promises of docs/design.md §5 on what is
// stored for a show, and returns the live bookings by id:
//   - no seat is claimed by two live bookings;
//   - a live booking is the newest claim of each of its seats;
//   - a claim of a booking that was never stored (it lost) is settled, so
//     it holds nothing.
func checkInvariants(t testing.TB, db *mongo.Database, showID string,
	now time.Time) map[string]storedBooking {
	t.Helper()
	s := readStored(t, db, showID)

	newest := map[string]storedClaim{}
	holders := map[string][]string{} // live bookings claiming each seat
	for _, c := range s.claims {
		if n, ok := newest[c.Seat]; !ok || c.Seq > n.Seq {
			newest[c.Seat] = c
		}
		_, saved := s.bookings[c.BookingID]
		switch {
		case saved && s.live(c.BookingID, c.HoldExpiresAt, now):
			if !slices.Contains(holders[c.Seat], c.BookingID) {
				holders[c.Seat] = append(holders[c.Seat], c.BookingID)
			}
		case !saved && s.outcomes[c.BookingID] == "":
			t.Errorf("seat %s claim #%d belongs to booking %s, which was never stored nor settled",
				c.Seat, c.Seq, c.BookingID)
		}
	}
	for seat, ids := range holders {
		if len(ids) > 1 {
			t.Errorf("seat %s is held by %d live bookings: %v", seat, len(ids), ids)
		}
	}

	live := map[string]storedBooking{}
	for id, b := range s.bookings {
		if !s.live(id, b.HoldExpiresAt, now) {
			continue
		}
		live[id] = b
		for _, seat := range b.Seats {
			if c := newest[seat]; c.BookingID != id {
				t.Errorf("live booking %s: newest claim of seat %s is #%d of booking %q, want its own",
					id, seat, c.Seq, c.BookingID)
			}
		}
	}
	return live
}
