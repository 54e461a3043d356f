package user_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }

var t0 = time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)

// clock is a settable time for the services under test.
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

// env is a user service and a booking service over one fresh database.
type env struct {
	db       *mongo.Database
	users    *user.Service
	bookings *booking.Service
	store    *mongostore.Bookings
	clock    *clock
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := mongotest.NewDatabase(t)
	c := &clock{now: t0}
	e := &env{db: db, store: mongostore.NewBookings(db), clock: c}
	e.bookings = booking.NewService(e.store, mongostore.NewShows(db), mongostore.NewMovies(db),
		booking.Config{Hold: 10 * time.Minute, MaxSeats: 10}, c.Now, newID)
	e.users = user.NewService(mongostore.NewUsers(db), e.bookings, c.Now)
	return e
}

func newID() string { return bson.NewObjectID().Hex() }

// clerkUser is Ela Brook as Clerk describes her at updated.
func clerkUser(id string, updated time.Time, lastName string) user.ClerkUser {
	return user.ClerkUser{
		ID:             id,
		FirstName:      "Ela",
		LastName:       lastName,
		Emails:         []user.ClerkEmail{{ID: "idn_ela", Address: "ela.brook@example.test"}},
		PrimaryEmailID: "idn_ela",
		CreatedAt:      t0.Add(-time.Hour),
		UpdatedAt:      updated,
	}
}

func mustUpsert(t testing.TB, s *user.Service, c user.ClerkUser, want bool) {
	t.Helper()
	stored, err := s.Upsert(context.Background(), c)
	if err != nil || stored != want {
		t.Fatalf("Upsert(%s at %v) = %v, %v; want %v, nil", c.ID, c.UpdatedAt, stored, err, want)
	}
}

func mustUser(t testing.TB, s *user.Service, id string) user.User {
	t.Helper()
	u, err := s.User(context.Background(), id)
	if err != nil {
		t.Fatalf("User(%s) = %v", id, err)
	}
	return u
}

func TestUpsertNeverGoesBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	mustUpsert(t, e.users, clerkUser("user_ela", t0.Add(2*time.Second), "Brook-Vale"), true)
	mustUpsert(t, e.users, clerkUser("user_ela", t0, "Brook"), false)
	mustUpsert(t, e.users, clerkUser("user_ela", t0.Add(2*time.Second), "Brook-Vale"), true)

	if got := mustUser(t, e.users, "user_ela"); got.Name != "Ela Brook-Vale" {
		t.Errorf("after a stale update: name %q, want %q", got.Name, "Ela Brook-Vale")
	}
	if n := versions(t, e.db, "user_ela"); n != 1 {
		t.Errorf("%d versions of user_ela kept, want 1", n)
	}
}

// TestUpsertConcurrentVersions stores many versions of one user at once,
// in random order: the newest wins and only it is kept.
func TestUpsertConcurrentVersions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	const n = 24
	order := rand.Perm(n)
	var wg sync.WaitGroup
	for _, i := range order {
		wg.Go(func() {
			c := clerkUser("user_ela", t0.Add(time.Duration(i)*time.Millisecond), fmt.Sprint("v", i))
			if _, err := e.users.Upsert(context.Background(), c); err != nil {
				t.Errorf("Upsert(version %d) = %v", i, err)
			}
		})
	}
	wg.Wait()

	want := fmt.Sprint("Ela v", n-1)
	if got := mustUser(t, e.users, "user_ela"); got.Name != want {
		t.Errorf("after %d concurrent versions: name %q, want %q", n, got.Name, want)
	}
	if got := versions(t, e.db, "user_ela"); got != 1 {
		t.Errorf("%d versions of user_ela kept, want 1", got)
	}
}

func TestUpsertInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := e.users.Upsert(context.Background(), user.ClerkUser{ID: "user_ela"})
	if !errors.Is(err, user.ErrInvalid) {
		t.Errorf("Upsert(no updated_at) = %v, want %v", err, user.ErrInvalid)
	}
}

func TestIsAdminAndCount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()

	admin := clerkUser("user_admin", t0, "Admin")
	admin.PrivateRole = "admin"
	mustUpsert(t, e.users, admin, true)
	mustUpsert(t, e.users, clerkUser("user_plain", t0, "Plain"), true)

	admins := map[string]bool{"user_admin": true, "user_plain": false, "user_nobody": false}
	for id, want := range admins {
		if got, err := e.users.IsAdmin(ctx, id); err != nil || got != want {
			t.Errorf("IsAdmin(%s) = %v, %v; want %v, nil", id, got, err, want)
		}
	}
	if n, err := e.users.Count(ctx); err != nil || n != 2 {
		t.Errorf("Count() = %d, %v; want 2, nil", n, err)
	}
}

func TestDeleteIsFinal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	mustUpsert(t, e.users, clerkUser("user_ela", t0, "Brook"), true)

	for range 2 {
		if _, err := e.users.Delete(ctx, "user_ela"); err != nil {
			t.Fatalf("Delete(user_ela) = %v", err)
		}
	}
	if _, err := e.users.User(ctx, "user_ela"); !errors.Is(err, user.ErrNotFound) {
		t.Errorf("User(deleted) = %v, want %v", err, user.ErrNotFound)
	}

	// An update that was on its way when the user was deleted arrives late.
	mustUpsert(t, e.users, clerkUser("user_ela", t0.Add(time.Hour), "Brook"), false)
	if _, err := e.users.User(ctx, "user_ela"); !errors.Is(err, user.ErrNotFound) {
		t.Errorf("User(deleted, then updated late) = %v, want %v", err, user.ErrNotFound)
	}
	if admin, err := e.users.IsAdmin(ctx, "user_ela"); err != nil || admin {
		t.Errorf("IsAdmin(deleted) = %v, %v; want false, nil", admin, err)
	}
	if n, err := e.users.Count(ctx); err != nil || n != 0 {
		t.Errorf("Count() = %d, %v; want 0, nil", n, err)
	}
}

// TestDeleteFreesHeldSeats deletes a user with a held booking, a paid one,
// one whose hold ran out, and favourites.
func TestDeleteFreesHeldSeats(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	sh := e.insertShow(t)
	mustUpsert(t, e.users, clerkUser("user_ela", t0, "Brook"), true)

	lapsed := e.book(t, "user_ela", sh.ID, "C1")
	e.clock.Advance(11 * time.Minute)
	held := e.book(t, "user_ela", sh.ID, "A1", "A2")
	paid := e.book(t, "user_ela", sh.ID, "B1")
	paidAt := booking.Settlement{BookingID: paid.ID, ShowID: sh.ID, Outcome: booking.OutcomePaid,
		Amount: paid.Amount, At: e.clock.Now()}
	if err := e.store.Settle(ctx, paidAt); err != nil {
		t.Fatalf("Settle(paid) = %v", err)
	}
	other := e.book(t, "user_someone_else", sh.ID, "D1")
	favs := []any{
		bson.D{{Key: "userId", Value: "user_ela"}, {Key: "movieId", Value: "m1"}},
		bson.D{{Key: "userId", Value: "user_someone_else"}, {Key: "movieId", Value: "m1"}},
	}
	if _, err := e.db.Collection("favorites").InsertMany(ctx, favs); err != nil {
		t.Fatalf("insert favorites: %v", err)
	}

	d, err := e.users.Delete(ctx, "user_ela")
	if err != nil {
		t.Fatalf("Delete(user_ela) = %v", err)
	}
	if d != (user.Deletion{CancelledBookings: 1, Favorites: 1}) {
		t.Errorf("Delete(user_ela) = %+v, want 1 cancelled booking and 1 favourite", d)
	}

	now := e.clock.Now()
	wantStatus := map[string]booking.Status{
		held.ID:   booking.StatusCancelled,
		paid.ID:   booking.StatusPaid,
		lapsed.ID: booking.StatusExpired,
		other.ID:  booking.StatusHeld,
	}
	for id, want := range wantStatus {
		b, err := e.bookings.Booking(ctx, booking.Viewer{Admin: true}, id)
		if err != nil || b.Status(now) != want {
			t.Errorf("booking %s after Delete: %v, %v; want %s", id, b.Status(now), err, want)
		}
	}
	seats, err := e.bookings.SeatMap(ctx, sh.ID)
	if err != nil {
		t.Fatalf("SeatMap = %v", err)
	}
	if got := seatIDs(seats.Taken); got != "B1 D1" {
		t.Errorf("seats taken after Delete = %q, want %q", got, "B1 D1")
	}

	if again, err := e.users.Delete(ctx, "user_ela"); err != nil || again.CancelledBookings != 0 {
		t.Errorf("Delete(user_ela) again = %+v, %v; want nothing cancelled", again, err)
	}
}

func (e *env) insertShow(t testing.TB) show.Show {
	t.Helper()
	sh := show.Show{
		ID:        newID(),
		MovieID:   "m1",
		StartsAt:  t0.Add(48 * time.Hour),
		Price:     money.Money{Amount: 1250, Currency: "usd"},
		Layout:    show.DefaultLayout(),
		CreatedAt: t0,
	}
	if err := mongostore.NewShows(e.db).InsertMany(context.Background(), []show.Show{sh}); err != nil {
		t.Fatalf("insert show: %v", err)
	}
	return sh
}

func (e *env) book(t testing.TB, userID, showID string, seats ...string) booking.Booking {
	t.Helper()
	in := booking.CreateInput{UserID: userID, ShowID: showID, Seats: seats}
	b, _, err := e.bookings.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("Create(%+v) = %v", in, err)
	}
	return b
}

func versions(t testing.TB, db *mongo.Database, userID string) int64 {
	t.Helper()
	n, err := db.Collection("users").CountDocuments(context.Background(),
		bson.D{{Key: "userId", Value: userID}})
	if err != nil {
		t.Fatalf("count versions of %s: %v", userID, err)
	}
	return n
}

func seatIDs(seats []show.Seat) string {
	s := ""
	for i, seat := range seats {
		if i > 0 {
			s += " "
		}
		s += seat.String()
	}
	return s
}
