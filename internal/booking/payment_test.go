package booking_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
)

// paymentFor is a payment of b's amount through session.
func paymentFor(b booking.Booking, session string, at time.Time) booking.Payment {
	return booking.Payment{
		SessionID:       session,
		BookingID:       b.ID,
		PaymentIntentID: "pi_" + session,
		Amount:          b.Amount,
		At:              at,
	}
}

// status reads the booking back and returns its status at the fixture's
// clock.
func (f *fixture) status(t testing.TB, id string) booking.Status {
	t.Helper()
	b, err := f.svc.Booking(context.Background(), booking.Viewer{Admin: true}, id)
	if err != nil {
		t.Fatalf("Booking(%s): %v", id, err)
	}
	return b.Status(f.clock.Now())
}

func (f *fixture) countPayments(t testing.TB) int64 {
	t.Helper()
	n, err := f.db.Collection("payments").CountDocuments(context.Background(), map[string]any{})
	if err != nil {
		t.Fatalf("count payments: %v", err)
	}
	return n
}

func TestPayHeldBooking(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	ctx := context.Background()
	b := f.book(t, "user_ada", "A1", "A2")

	p := paymentFor(b, "cs_test_1", f.clock.Now())
	got, err := f.svc.Pay(ctx, p)
	if err != nil {
		t.Fatalf("Pay(%s): %v", b.ID, err)
	}
	if st := got.Status(f.clock.Now()); st != booking.StatusPaid || got.PaidAt().IsZero() {
		t.Errorf("Pay(%s) = status %s, paid at %v; want paid with a time", b.ID, st, got.PaidAt())
	}
	if diff := cmp.Diff(&p, got.Payment); diff != "" {
		t.Errorf("Pay(%s) payment (-want +got):\n%s", b.ID, diff)
	}

	// The same session's webhook again changes nothing.
	if _, err := f.svc.Pay(ctx, p); err != nil {
		t.Fatalf("Pay(%s) again: %v", b.ID, err)
	}
	if n := f.countPayments(t); n != 1 {
		t.Errorf("after paying twice with one session, %d payments are stored, want 1", n)
	}

	// Paid seats stay taken after the hold would have run out.
	f.clock.Advance(time.Hour)
	if diff := cmp.Diff([]string{"A1", "A2"}, f.taken(t)); diff != "" {
		t.Errorf("taken seats after the hold (-want +got):\n%s", diff)
	}
	if st := f.status(t, b.ID); st != booking.StatusPaid {
		t.Errorf("status after the hold = %s, want paid", st)
	}
}

// TestPayTwice pays one booking through two checkout sessions, the second
// reported first although it was paid later: the booking stays paid through
// the session that settled it, and the other payment is recorded and
// flagged as due back, however often either is reported.
func TestPayTwice(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	ctx := context.Background()
	b := f.book(t, "user_ada", "D1")
	first := paymentFor(b, "cs_first", f.clock.Now().Add(time.Second))
	second := paymentFor(b, "cs_second", f.clock.Now())

	for i, p := range []booking.Payment{first, second, first, second} {
		got, err := f.svc.Pay(ctx, p)
		if err != nil {
			t.Fatalf("Pay %d through %s: %v", i+1, p.SessionID, err)
		}
		if st := got.Status(f.clock.Now()); st != booking.StatusPaid {
			t.Errorf("Pay %d through %s = status %s, want paid", i+1, p.SessionID, st)
		}
		if got.PaidBy(p.SessionID) != (p.SessionID == first.SessionID) {
			t.Errorf("Pay %d through %s: PaidBy(%s) = %t, want true only for %s", i+1,
				p.SessionID, p.SessionID, got.PaidBy(p.SessionID), first.SessionID)
		}
	}
	if n := f.countPayments(t); n != 2 {
		t.Errorf("after paying through two sessions, %d payments are stored, want 2", n)
	}

	read, err := f.svc.Booking(ctx, booking.Viewer{Admin: true}, b.ID)
	if err != nil || !read.PaidBy(first.SessionID) || read.PaidBy(second.SessionID) {
		t.Errorf("Booking(%s) read back: %v; want paid by %s, not by %s", b.ID, err,
			first.SessionID, second.SessionID)
	}
}

func TestPayAfterSeatsWentToAnother(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{hold: time.Minute})
	ctx := context.Background()
	late := f.book(t, "user_ada", "B1", "B2")

	// The hold runs out and another buyer takes one of the seats, which
	// settles the first booking as expired.
	f.clock.Advance(2 * time.Minute)
	other := f.book(t, "user_bo", "B2")

	got, err := f.svc.Pay(ctx, paymentFor(late, "cs_late", f.clock.Now()))
	if err != nil {
		t.Fatalf("Pay(%s) after its seats went: %v", late.ID, err)
	}
	if st := got.Status(f.clock.Now()); st != booking.StatusRefundDue {
		t.Errorf("Pay(%s) after its seats went = status %s, want refund_due", late.ID, st)
	}
	if got.Payment == nil || got.Settlement.Outcome != booking.OutcomeExpired {
		t.Errorf("Pay(%s) = payment %v, settlement %+v; want the payment kept and expired",
			late.ID, got.Payment, got.Settlement)
	}

	if diff := cmp.Diff([]string{"B2"}, f.taken(t)); diff != "" {
		t.Errorf("taken seats after the late payment (-want +got):\n%s", diff)
	}
	live := checkInvariants(t, f.db, f.show.ID, f.clock.Now())
	if _, ok := live[other.ID]; !ok || len(live) != 1 {
		t.Errorf("live bookings = %v, want only %s of the second buyer", live, other.ID)
	}
	if st := f.status(t, late.ID); st != booking.StatusRefundDue {
		t.Errorf("late booking read back: status %s, want refund_due", st)
	}
}

func TestPayCancelledBooking(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	ctx := context.Background()
	b := f.book(t, "user_ada", "C1")
	if _, err := f.svc.Cancel(ctx, "user_ada", b.ID); err != nil {
		t.Fatalf("Cancel(%s): %v", b.ID, err)
	}

	got, err := f.svc.Pay(ctx, paymentFor(b, "cs_cancelled", f.clock.Now()))
	if err != nil {
		t.Fatalf("Pay(%s) after cancel: %v", b.ID, err)
	}
	if st := got.Status(f.clock.Now()); st != booking.StatusRefundDue {
		t.Errorf("Pay(%s) after cancel = status %s, want refund_due", b.ID, st)
	}
	if taken := f.taken(t); len(taken) != 0 {
		t.Errorf("taken seats after paying a cancelled booking = %v, want none", taken)
	}
}

func TestPayRefusesWrongPayments(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	ctx := context.Background()
	b := f.book(t, "user_ada", "D1", "D2")

	tests := []struct {
		name string
		edit func(*booking.Payment)
		want error
	}{
		{"amount", func(p *booking.Payment) { p.Amount.Amount = 1 }, booking.ErrAmountMismatch},
		{"currency", func(p *booking.Payment) { p.Amount.Currency = money.Currency("eur") },
			booking.ErrAmountMismatch},
		{"unknown booking", func(p *booking.Payment) { p.BookingID = "no-such-booking" },
			booking.ErrNotFound},
	}
	for _, tt := range tests {
		p := paymentFor(b, "cs_"+tt.name, f.clock.Now())
		tt.edit(&p)
		if _, err := f.svc.Pay(ctx, p); !errors.Is(err, tt.want) {
			t.Errorf("Pay with a wrong %s = %v, want %v", tt.name, err, tt.want)
		}
	}

	if n := f.countPayments(t); n != 0 {
		t.Errorf("%d payments stored after wrong payments, want none", n)
	}
	if st := f.status(t, b.ID); st != booking.StatusHeld {
		t.Errorf("status after wrong payments = %s, want held", st)
	}
}

func TestExpire(t *testing.T) {
	t.Parallel()
	f := newFixture(t, fixtureOptions{})
	ctx := context.Background()
	b := f.book(t, "user_ada", "E1")

	got, ended, err := f.svc.Expire(ctx, b.ID)
	if err != nil || !ended || got.Status(f.clock.Now()) != booking.StatusExpired {
		t.Fatalf("Expire(%s) = %v, %v, %v; want expired by this call", b.ID, got.Settlement, ended, err)
	}
	if taken := f.taken(t); len(taken) != 0 {
		t.Errorf("taken seats after Expire = %v, want none", taken)
	}

	_, ended, err = f.svc.Expire(ctx, b.ID)
	if err != nil || ended {
		t.Errorf("Expire(%s) again = %v, %v; want not ended by this call, no error", b.ID, ended, err)
	}
	if _, _, err := f.svc.Expire(ctx, "no-such-booking"); !errors.Is(err, booking.ErrNotFound) {
		t.Errorf("Expire(no-such-booking) = %v, want ErrNotFound", err)
	}
}

// TestPayRacesExpiry fires a payment, the hold's expiry and a second buyer
// at the same booking at the same instant, many times over. Whatever the
// order, the booking ends exactly once: paid, with the seats kept, or
// expired with the payment due for a refund and the seats free or the
// second buyer's.
func TestPayRacesExpiry(t *testing.T) {
	t.Parallel()
	const rounds = 40
	f := newFixture(t, fixtureOptions{hold: time.Minute})
	ctx := context.Background()

	outcomes := map[booking.Status]int{}
	for i := range rounds {
		seat := fmt.Sprintf("%c%d", 'A'+i/9, i%9+1)
		b := f.book(t, "user_ada", seat)
		f.clock.Advance(time.Minute) // the hold ends as the payment arrives

		var wg sync.WaitGroup
		var payErr, expireErr, otherErr error
		wg.Go(func() { _, payErr = f.svc.Pay(ctx, paymentFor(b, "cs_race_"+b.ID, f.clock.Now())) })
		wg.Go(func() { _, _, expireErr = f.svc.Expire(ctx, b.ID) })
		wg.Go(func() {
			_, _, otherErr = f.svc.Create(ctx, booking.CreateInput{
				UserID: "user_bo", ShowID: f.show.ID, Seats: []string{seat}})
		})
		wg.Wait()

		var taken *booking.SeatsTakenError
		if payErr != nil || expireErr != nil || (otherErr != nil && !errors.As(otherErr, &taken)) {
			t.Fatalf("round %d: Pay = %v, Expire = %v, second buyer = %v", i, payErr, expireErr,
				otherErr)
		}

		st := f.status(t, b.ID)
		outcomes[st]++
		switch st {
		case booking.StatusPaid:
			if otherErr == nil {
				t.Errorf("round %d: booking paid, yet the second buyer got seat %s", i, seat)
			}
		case booking.StatusRefundDue:
		default:
			t.Errorf("round %d: status %s, want paid or refund_due", i, st)
		}
		checkInvariants(t, f.db, f.show.ID, f.clock.Now())
	}

	if n := f.countPayments(t); n != rounds {
		t.Errorf("%d payments stored after %d rounds, want one each", n, rounds)
	}
	s := readStored(t, f.db, f.show.ID)
	for id, b := range s.bookings {
		if _, ok := s.outcomes[id]; !ok && b.UserID == "user_ada" {
			t.Errorf("booking %s has no settlement after the race", id)
		}
	}
	t.Logf("outcomes over %d rounds: %v", rounds, outcomes)
}
