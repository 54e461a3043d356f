package payment_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/stripe"
	"github.com/marquee-hq/marquee/internal/stripe/stripetest"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }

var (
	_ payment.Store    = (*mongostore.Checkouts)(nil)
	_ payment.Gateway  = (*stripe.Client)(nil)
	_ payment.Bookings = (*booking.Service)(nil)
)

// fixture is the payment service over a fresh database and a stand-in
// Stripe, with one show tomorrow.
type fixture struct {
	svc      *payment.Service
	bookings *booking.Service
	stripe   *stripetest.Server
	show     show.Show
	now      atomic.Int64 // offset from the real time
}

func (f *fixture) clock() time.Time { return time.Now().Add(time.Duration(f.now.Load())) }

func newFixture(t testing.TB, hold time.Duration) *fixture {
	t.Helper()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	f := &fixture{stripe: stripetest.NewServer(t)}
	var ids atomic.Int64
	newID := func() string { return fmt.Sprintf("bk%05d", ids.Add(1)) }

	movies, shows := mongostore.NewMovies(db), mongostore.NewShows(db)
	f.bookings = booking.NewService(mongostore.NewBookings(db), shows, movies,
		booking.Config{Hold: hold, MaxSeats: 10}, f.clock, newID)
	gw := stripe.New(stripe.Options{SecretKey: "sk_test_marquee", APIBase: f.stripe.URL})
	f.svc = payment.NewService(gw, mongostore.NewCheckouts(db), f.bookings,
		payment.Config{ClientURL: "http://localhost:5173"}, f.clock)

	if err := movies.Insert(ctx, movie.Movie{ID: "m1", Title: "The Lantern Keepers"}); err != nil {
		t.Fatalf("insert movie: %v", err)
	}
	f.show = show.Show{ID: "s1", MovieID: "m1", StartsAt: time.Now().Add(24 * time.Hour).UTC(),
		Price: money.Money{Amount: 1250, Currency: "usd"}, Layout: show.DefaultLayout()}
	if err := shows.InsertMany(ctx, []show.Show{f.show}); err != nil {
		t.Fatalf("insert show: %v", err)
	}
	return f
}

func (f *fixture) book(t testing.TB, userID string, seats ...string) booking.Booking {
	t.Helper()
	b, _, err := f.bookings.Create(context.Background(),
		booking.CreateInput{UserID: userID, ShowID: f.show.ID, Seats: seats})
	if err != nil {
		t.Fatalf("Create(%v): %v", seats, err)
	}
	return b
}

func TestCheckoutOpensOneSession(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10*time.Minute)
	ctx := context.Background()
	b := f.book(t, "user_ada", "A1", "A2")

	c, err := f.svc.Checkout(ctx, "user_ada", b.ID)
	if err != nil {
		t.Fatalf("Checkout(%s): %v", b.ID, err)
	}
	sess, ok := f.stripe.Session(c.SessionID)
	if !ok || sess.URL != c.URL {
		t.Fatalf("Checkout(%s) = %+v, not a session Stripe made", b.ID, c)
	}
	if sess.AmountTotal != 2500 || sess.Currency != "usd" || sess.Metadata["booking_id"] != b.ID ||
		sess.ClientReferenceID != b.ID {
		t.Errorf("session = %v ref %s, want 2500 usd for booking %s", sess, sess.ClientReferenceID,
			b.ID)
	}
	success, _ := url.Parse(sess.SuccessURL)
	if success.Path != "/my-bookings" || success.Query().Get("bookingId") != b.ID ||
		success.Query().Get("checkout") != "success" {
		t.Errorf("success URL = %q, want the client's /my-bookings for booking %s",
			sess.SuccessURL, b.ID)
	}
	ends := time.Unix(sess.ExpiresAt, 0)
	if want := b.HoldExpiresAt.Add(31 * time.Minute); !ends.Equal(want.Truncate(time.Second)) {
		t.Errorf("session ends %v, want Stripe's shortest, 30 minutes and a margin, after the "+
			"hold: %v", ends, want)
	}
	if sess.ProductName == "" {
		t.Error("the line item has no name")
	}

	again, err := f.svc.Checkout(ctx, "user_ada", b.ID)
	if err != nil || again.SessionID != c.SessionID {
		t.Errorf("Checkout(%s) again = %s, %v; want the same session %s", b.ID, again.SessionID, err,
			c.SessionID)
	}
	if n := len(f.stripe.Sessions()); n != 1 {
		t.Errorf("Stripe has %d sessions, want 1", n)
	}
}

// TestCheckoutRace has many requests open the checkout of one booking at
// once: all get the same session, and every other session Stripe made for
// it is closed.
func TestCheckoutRace(t *testing.T) {
	t.Parallel()
	const callers = 12
	f := newFixture(t, 10*time.Minute)
	b := f.book(t, "user_ada", "B1")

	var wg sync.WaitGroup
	got := make([]payment.Checkout, callers)
	errs := make([]error, callers)
	for i := range callers {
		wg.Go(func() { got[i], errs[i] = f.svc.Checkout(context.Background(), "user_ada", b.ID) })
	}
	wg.Wait()

	for i := range callers {
		if errs[i] != nil || got[i].SessionID != got[0].SessionID {
			t.Errorf("caller %d: Checkout = %s, %v; want session %s like caller 0", i,
				got[i].SessionID, errs[i], got[0].SessionID)
		}
	}
	open := 0
	for _, s := range f.stripe.Sessions() {
		if s.Status == "open" {
			open++
			if s.ID != got[0].SessionID {
				t.Errorf("session %s is open, but the booking's is %s", s.ID, got[0].SessionID)
			}
		}
	}
	if open != 1 {
		t.Errorf("%d sessions are open, want 1", open)
	}
	if n := len(f.stripe.Sessions()); n != 1 {
		t.Errorf("Stripe made %d sessions, want 1", n)
	}
}

// TestCheckoutRetryAfterTimeout has Stripe make the session but answer
// after the request gave up; the buyer asks again a little later and gets
// that session, not a second one.
func TestCheckoutRetryAfterTimeout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10*time.Minute)
	b := f.book(t, "user_ada", "B2")

	ctx, cancel := context.WithCancel(context.Background())
	made := f.stripe.AnswerLate(time.Minute)
	go func() {
		select {
		case <-made:
			cancel() // as a deadline would, with Stripe done
		case <-ctx.Done():
		}
	}()
	_, err := f.svc.Checkout(ctx, "user_ada", b.ID)
	cancel()
	if !errors.Is(err, payment.ErrProvider) {
		t.Fatalf("Checkout(%s) answered late = %v, want ErrProvider", b.ID, err)
	}
	first := f.stripe.Sessions()
	if len(first) != 1 {
		t.Fatalf("Stripe made %d sessions for the call that gave up, want 1", len(first))
	}

	f.now.Store(int64(time.Minute))
	c, err := f.svc.Checkout(context.Background(), "user_ada", b.ID)
	if err != nil || c.SessionID != first[0].ID {
		t.Errorf("Checkout(%s) again = %s, %v; want the session Stripe made, %s", b.ID,
			c.SessionID, err, first[0].ID)
	}
	if n := len(f.stripe.Sessions()); n != 1 {
		t.Errorf("Stripe has %d sessions after the retry, want 1", n)
	}
	if s, _ := f.stripe.Session(first[0].ID); s.Status != "open" {
		t.Errorf("session after the retry: %s, want open", s.Status)
	}
}

func TestCheckoutRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Minute)
	ctx := context.Background()
	b := f.book(t, "user_ada", "C1")
	cancelled := f.book(t, "user_ada", "C2")
	if _, err := f.bookings.Cancel(ctx, "user_ada", cancelled.ID); err != nil {
		t.Fatal(err)
	}

	if _, err := f.svc.Checkout(ctx, "user_bo", b.ID); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("Checkout of another user's booking = %v, want booking.ErrNotFound", err)
	}
	if _, err := f.svc.Checkout(ctx, "user_ada", "nope"); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("Checkout of no booking = %v, want booking.ErrNotFound", err)
	}
	if _, err := f.svc.Checkout(ctx, "user_ada", cancelled.ID); !errors.Is(err, booking.ErrNotHeld) {
		t.Errorf("Checkout of a cancelled booking = %v, want booking.ErrNotHeld", err)
	}
	f.now.Store(int64(2 * time.Minute))
	if _, err := f.svc.Checkout(ctx, "user_ada", b.ID); !errors.Is(err, booking.ErrNotHeld) {
		t.Errorf("Checkout after the hold = %v, want booking.ErrNotHeld", err)
	}

	off := payment.NewService(nil, nil, f.bookings, payment.Config{}, time.Now)
	if _, err := off.Checkout(ctx, "user_ada", b.ID); !errors.Is(err, payment.ErrDisabled) {
		t.Errorf("Checkout without Stripe = %v, want ErrDisabled", err)
	}
	if n := len(f.stripe.Sessions()); n != 0 {
		t.Errorf("Stripe has %d sessions after refusals, want none", n)
	}
}

func TestCompletedAndFailed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10*time.Minute)
	ctx := context.Background()
	paid := f.book(t, "user_ada", "D1")
	late := f.book(t, "user_ada", "D2")
	failed := f.book(t, "user_ada", "D3")
	if _, _, err := f.bookings.Expire(ctx, late.ID); err != nil {
		t.Fatal(err)
	}

	sess := func(b booking.Booking, status string) payment.Session {
		return payment.Session{ID: "cs_" + b.ID, BookingID: b.ID, PaymentStatus: status,
			PaymentIntentID: "pi_" + b.ID, Amount: b.Amount, At: time.Now()}
	}
	wrongAmount := sess(paid, "paid")
	wrongAmount.Amount.Amount++
	unknown := sess(paid, "paid")
	unknown.BookingID = "no-such-booking"
	secondSession := sess(paid, "paid")
	secondSession.ID, secondSession.PaymentIntentID = "cs_second", "pi_second"

	tests := []struct {
		name string
		call func() (payment.Result, booking.Booking, error)
		want payment.Result
	}{
		{"unpaid", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, sess(paid, "unpaid"))
		}, payment.ResultAwaitingPayment},
		{"wrong amount", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, wrongAmount)
		}, payment.ResultAmountMismatch},
		{"unknown booking", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, unknown)
		}, payment.ResultUnknownBooking},
		{"paid", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, sess(paid, "paid"))
		}, payment.ResultPaid},
		{"paid again", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, sess(paid, "paid"))
		}, payment.ResultPaid},
		{"paid through a second session", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, secondSession)
		}, payment.ResultDuplicatePayment},
		{"first session again", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, sess(paid, "paid"))
		}, payment.ResultPaid},
		{"late", func() (payment.Result, booking.Booking, error) {
			return f.svc.Completed(ctx, sess(late, "paid"))
		}, payment.ResultRefundDue},
		{"failed", func() (payment.Result, booking.Booking, error) {
			return f.svc.Failed(ctx, sess(failed, "unpaid"))
		}, payment.ResultExpired},
		{"failed after paid", func() (payment.Result, booking.Booking, error) {
			return f.svc.Failed(ctx, sess(paid, "unpaid"))
		}, payment.ResultAlreadyEnded},
		{"failed unknown", func() (payment.Result, booking.Booking, error) {
			return f.svc.Failed(ctx, unknown)
		}, payment.ResultUnknownBooking},
	}
	for _, tt := range tests {
		got, _, err := tt.call()
		if err != nil || got != tt.want {
			t.Errorf("%s: result %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}

	v := booking.Viewer{Admin: true}
	for id, want := range map[string]booking.Status{paid.ID: booking.StatusPaid,
		late.ID: booking.StatusRefundDue, failed.ID: booking.StatusExpired} {
		b, err := f.bookings.Booking(ctx, v, id)
		if err != nil || b.Status(time.Now()) != want {
			t.Errorf("booking %s: status %s, %v; want %s", id, b.Status(time.Now()), err, want)
		}
	}
}

func TestCloseCheckout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10*time.Minute)
	ctx := context.Background()
	b := f.book(t, "user_ada", "E1")
	c, err := f.svc.Checkout(ctx, "user_ada", b.ID)
	if err != nil {
		t.Fatal(err)
	}

	for range 2 { // closing twice is fine
		if err := f.svc.CloseCheckout(ctx, b.ID); err != nil {
			t.Fatalf("CloseCheckout(%s): %v", b.ID, err)
		}
	}
	if s, _ := f.stripe.Session(c.SessionID); s.Status != "expired" {
		t.Errorf("session after CloseCheckout: %s, want expired", s.Status)
	}
	if err := f.svc.CloseCheckout(ctx, "no-checkout"); err != nil {
		t.Errorf("CloseCheckout of a booking without a session = %v, want nil", err)
	}
}
