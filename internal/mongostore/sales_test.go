package mongostore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/page"
	"github.com/marquee-hq/marquee/internal/report"
	"github.com/marquee-hq/marquee/internal/show"
)

var (
	_ report.SalesStore  = (*mongostore.Bookings)(nil)
	_ report.MovieFinder = (*mongostore.Movies)(nil)
	_ report.UserFinder  = (*mongostore.Users)(nil)
)

// sale is a booking of the sales fixtures and how it ended.
type sale struct {
	id, showID string
	seats      []string
	price      money.Money // per seat
	outcome    booking.Outcome
}

func storeSales(t *testing.T, s *mongostore.Bookings, sales ...sale) {
	t.Helper()
	ctx := context.Background()
	for i, sl := range sales {
		b := newBooking(sl.id, "user_ada", created.Add(time.Duration(i)*time.Second))
		b.ShowID, b.Seats, b.Amount = sl.showID, seats(sl.seats...), sl.price.Times(len(sl.seats))
		if err := s.InsertBooking(ctx, b); err != nil {
			t.Fatalf("InsertBooking(%s): %v", b.ID, err)
		}
		if sl.outcome == "" {
			continue
		}
		st := booking.Settlement{BookingID: b.ID, ShowID: b.ShowID, Outcome: sl.outcome,
			At: created}
		if sl.outcome == booking.OutcomePaid {
			st.Amount = b.Amount
		}
		if err := s.Settle(ctx, st); err != nil {
			t.Fatalf("Settle(%s as %s): %v", b.ID, sl.outcome, err)
		}
	}
}

func TestBookingsSales(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewBookings(mongotest.NewDatabase(t))
	usd := money.Money{Amount: 1250, Currency: "usd"}
	eur := money.Money{Amount: 900, Currency: "eur"}
	storeSales(t, s,
		sale{"b1", "s1", []string{"A1", "A2"}, usd, booking.OutcomePaid},
		sale{"b2", "s1", []string{"A3"}, usd, booking.OutcomePaid},
		sale{"b3", "s1", []string{"A4"}, usd, booking.OutcomeCancelled},
		sale{"b4", "s1", []string{"B1"}, usd, ""}, // held
		sale{"b5", "s2", []string{"A1", "A2", "A3"}, eur, booking.OutcomePaid},
		sale{"b6", "s2", []string{"A4"}, eur, booking.OutcomeExpired},
		sale{"b7", "s3", []string{"A1"}, usd, booking.OutcomePaid},
	)

	if n, err := s.CountBookings(ctx); err != nil || n != 7 {
		t.Errorf("CountBookings() = %d, %v; want 7", n, err)
	}
	if n, err := s.CountPaid(ctx); err != nil || n != 4 {
		t.Errorf("CountPaid() = %d, %v; want 4", n, err)
	}

	revenue, err := s.Revenue(ctx)
	if err != nil {
		t.Fatalf("Revenue(): %v", err)
	}
	wantRevenue := []money.Money{{Amount: 2700, Currency: "eur"}, {Amount: 5000, Currency: "usd"}}
	if diff := cmp.Diff(wantRevenue, revenue); diff != "" {
		t.Errorf("Revenue() (-want +got):\n%s", diff)
	}

	shows := []show.Show{newShow("s1", "m1", evening), newShow("s2", "m1", evening),
		newShow("s4", "m1", evening)}
	sales, err := s.ShowSales(ctx, shows)
	if err != nil {
		t.Fatalf("ShowSales(s1, s2, s4): %v", err)
	}
	want := map[string]report.Sales{
		"s1": {Seats: 3, Revenue: map[money.Currency]int64{"usd": 3750}},
		"s2": {Seats: 3, Revenue: map[money.Currency]int64{"eur": 2700}},
	}
	if diff := cmp.Diff(want, sales); diff != "" {
		t.Errorf("ShowSales(s1, s2, s4) (-want +got):\n%s", diff)
	}
}

func TestBookingsSalesOfNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewBookings(mongotest.NewDatabase(t))

	if revenue, err := s.Revenue(ctx); err != nil || len(revenue) != 0 {
		t.Errorf("Revenue() of no bookings = %v, %v; want none", revenue, err)
	}
	if n, err := s.CountPaid(ctx); err != nil || n != 0 {
		t.Errorf("CountPaid() of no bookings = %d, %v; want 0", n, err)
	}
	sales, err := s.ShowSales(ctx, []show.Show{newShow("s1", "m1", evening)})
	if err != nil || len(sales) != 0 {
		t.Errorf("ShowSales(s1) of no bookings = %v, %v; want none", sales, err)
	}
}

// TestBookingsAfterWalksEveryBooking pages through bookings of which many
// were made in the same millisecond: every one comes once, newest first.
func TestBookingsAfterWalksEveryBooking(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewBookings(mongotest.NewDatabase(t))

	var want []string
	for i := range 23 {
		// Three bookings per millisecond; the greater id comes first.
		at := created.Add(time.Duration(22-i) / 3 * time.Millisecond)
		b := newBooking(fmt.Sprintf("b%02d", 22-i), "user_ada", at)
		if err := s.InsertBooking(ctx, b); err != nil {
			t.Fatalf("InsertBooking(%s): %v", b.ID, err)
		}
		want = append(want, b.ID)
	}

	var got []string
	after := page.Cursor{}
	for range len(want) {
		batch, err := s.BookingsAfter(ctx, after, 4)
		if err != nil {
			t.Fatalf("BookingsAfter(%q, 4): %v", after, err)
		}
		if len(batch) == 0 {
			break
		}
		for _, b := range batch {
			got = append(got, b.ID)
		}
		last := batch[len(batch)-1]
		after = page.At(last.CreatedAt, last.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bookings four at a time (-want +got):\n%s", diff)
	}
}

// TestListQueriesTakeOneRoundTrip reads more documents than the 101 a
// server sends first by default, and checks that each read is still one
// command.
func TestListQueriesTakeOneRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var counter mongotest.Counter
	db := mongotest.NewDatabaseWithMonitor(t, counter.Monitor())
	s := mongostore.NewBookings(db)

	const n = 150
	ids := make([]string, n)
	for i := range n {
		at := created.Add(time.Duration(i) * time.Second)
		b := newBooking(fmt.Sprintf("b%03d", i), "user_ada", at)
		if err := s.InsertBooking(ctx, b); err != nil {
			t.Fatalf("InsertBooking(%s): %v", b.ID, err)
		}
		st := booking.Settlement{BookingID: b.ID, ShowID: b.ShowID, Outcome: booking.OutcomePaid,
			Amount: b.Amount, At: created}
		if err := s.Settle(ctx, st); err != nil {
			t.Fatalf("Settle(%s): %v", b.ID, err)
		}
		ids[i] = b.ID
	}

	reads := map[string]func() (int, error){
		"BookingsAfter": func() (int, error) {
			list, err := s.BookingsAfter(ctx, page.Cursor{}, n)
			return len(list), err
		},
		"Settlements": func() (int, error) {
			m, err := s.Settlements(ctx, ids)
			return len(m), err
		},
		"ShowSales (two queries)": func() (int, error) {
			// Paid bookings cannot outnumber the seats.
			big := newShow("s1", "m1", evening)
			big.Layout = show.Layout{Rows: []string{"A", "B", "C", "D"}, SeatsPerRow: 50}
			m, err := s.ShowSales(ctx, []show.Show{big})
			return m["s1"].Seats / 2, err
		},
	}
	for name, read := range reads {
		counter.Reset()
		got, err := read()
		if err != nil || got != n {
			t.Errorf("%s read %d, %v; want %d", name, got, err, n)
		}
		want := 1
		if name == "ShowSales (two queries)" {
			want = 2
		}
		if counter.Total() != want {
			t.Errorf("%s sent %v, want %d command(s)", name, counter.Counts(), want)
		}
	}
}
