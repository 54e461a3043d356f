package quickshow_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
	"github.com/marquee-hq/marquee/internal/stripe/stripetest"
)

// book asks the surface for seats of a show and returns its answer.
func book(t *testing.T, a *apitest.API, token, showID string, seats ...string) answer {
	t.Helper()
	return call(t, a, "POST", "/api/booking/create", token,
		map[string]any{"showId": showID, "selectedSeats": seats})
}

// occupied returns the seats the surface says are taken in a show.
func occupied(t *testing.T, a *apitest.API, showID string) []string {
	t.Helper()
	ans := call(t, a, "GET", "/api/booking/seats/"+showID, "", nil)
	succeeded(t, "GET /api/booking/seats/"+showID, ans, shape{"occupiedSeats": list{str}})
	var seats []string
	for _, s := range ans["occupiedSeats"].([]any) {
		seats = append(seats, s.(string))
	}
	return seats
}

func TestCreateBookingWithoutPaymentsGoesToMyBookings(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{})
	s := seeds{t, a}
	sh := s.shows(s.handMovie("Evening Tide").ID, s.in(24*time.Hour))[0]

	ans := book(t, a, a.Token("user_ines"), sh.ID, "A1", "A2")
	succeeded(t, "POST /api/booking/create", ans, shape{"url": str})
	if want := apitest.ClientURL + "/my-bookings"; ans["url"] != want {
		t.Errorf("url = %v, want %s", ans["url"], want)
	}

	msg := failed(t, "booking taken seats", book(t, a, a.Token("user_otto"), sh.ID, "A3", "A2", "A1"))
	if !strings.Contains(msg, "A1, A2") || strings.Contains(msg, "A3") {
		t.Errorf("seats taken: message %q, want it to name A1 and A2 only", msg)
	}
	a.CheckSeatsSoldOnce(t, sh.ID, occupied(t, a, sh.ID))
	if got := occupied(t, a, sh.ID); !slices.Equal(got, []string{"A1", "A2"}) {
		t.Errorf("taken after a refused booking: %v, want [A1 A2]", got)
	}
}

func TestCreateBookingRefusesWithReadableMessages(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{MaxSeats: 3})
	s := seeds{t, a}
	m := s.handMovie("Evening Tide")
	sh := s.shows(m.ID, s.in(24*time.Hour))[0]
	soon := s.shows(m.ID, s.in(time.Minute))[0]
	a.Clock.Advance(2 * time.Minute)
	tok := a.Token("user_ines")

	body := func(showID string, seats ...string) map[string]any {
		return map[string]any{"showId": showID, "selectedSeats": seats}
	}
	tests := []struct {
		name string
		body any
		want string // in the message
	}{
		{"no seats", body(sh.ID), "at least one seat"},
		{"too many", body(sh.ID, "A1", "A2", "A3", "A4"), "at most 3 seats"},
		{"unknown seat", body(sh.ID, "Z1"), "Z1"},
		{"unknown show", body("000000000000000000000000", "A1"), "Show not found"},
		{"no show", body("", "A1"), "choose a show"},
		{"started show", body(soon.ID, "A1"), "already started"},
		{"not JSON", `showId=x`, "not valid JSON"},
		{"seats not a list", map[string]any{"showId": sh.ID, "selectedSeats": "A1"},
			"selectedSeats"},
	}
	for _, tt := range tests {
		msg := failed(t, tt.name, call(t, a, "POST", "/api/booking/create", tok, tt.body))
		if !strings.Contains(msg, tt.want) {
			t.Errorf("%s: message %q, want it to say %q", tt.name, msg, tt.want)
		}
	}
	for _, coll := range []string{"bookings", "claims"} {
		if n := a.Count(coll); n != 0 {
			t.Errorf("refused bookings stored %d documents in %s", n, coll)
		}
	}
}

func TestCreateBookingAnswersWithTheStripeCheckoutPage(t *testing.T) {
	t.Parallel()
	stripe := stripetest.NewServer(t)
	a := newAPI(t, apitest.Options{StripeAPIBase: stripe.URL, StripeKey: "sk_test_quickshow"})
	s := seeds{t, a}
	sh := s.shows(s.handMovie("Evening Tide").ID, s.in(24*time.Hour))[0]
	tok := a.Token("user_ines")

	ans := book(t, a, tok, sh.ID, "C1", "C2")
	succeeded(t, "POST /api/booking/create", ans, shape{"url": str})
	sessions := stripe.Sessions()
	if len(sessions) != 1 || ans["url"] != sessions[0].URL {
		t.Fatalf("url = %v, want the URL of the one Stripe session of %v", ans["url"], sessions)
	}
	if sessions[0].AmountTotal != 2500 || sessions[0].Currency != "usd" {
		t.Errorf("session charges %d %s, want 2500 usd", sessions[0].AmountTotal,
			sessions[0].Currency)
	}

	// My bookings offers the same page to pay the held booking.
	mine := call(t, a, "GET", "/api/user/bookings", tok, nil)
	bookings := items(t, mine, "bookings")
	if len(bookings) != 1 || bookings[0]["paymentLink"] != sessions[0].URL {
		t.Errorf("my bookings = %v, want the held booking with its checkout page", bookings)
	}
}

// TestFailedCheckoutLeavesNoSeatsHeld: when Stripe refuses the checkout,
// the answer is success false and the seats are free at once.
func TestFailedCheckoutLeavesNoSeatsHeld(t *testing.T) {
	t.Parallel()
	stripe := stripetest.NewServer(t)
	a := newAPI(t, apitest.Options{StripeAPIBase: stripe.URL, StripeKey: "rk_revoked"})
	s := seeds{t, a}
	sh := s.shows(s.handMovie("Evening Tide").ID, s.in(24*time.Hour))[0]

	msg := failed(t, "booking with Stripe down", book(t, a, a.Token("user_ines"), sh.ID, "D4", "D5"))
	if !strings.Contains(msg, "payment could not be started") {
		t.Errorf("message %q, want it to say the payment could not be started", msg)
	}
	if got := occupied(t, a, sh.ID); len(got) != 0 {
		t.Errorf("seats %v are taken after a failed checkout, want none", got)
	}
	a.CheckSeatsSoldOnce(t, sh.ID, nil)

	listed, err := a.Bookings.OfUser(context.Background(), "user_ines")
	if err != nil || len(listed) != 1 || listed[0].Status(a.Now()) != booking.StatusCancelled {
		t.Errorf("bookings of the buyer: %v, %v; want one, cancelled", listed, err)
	}
	if ans := book(t, a, a.Token("user_otto"), sh.ID, "D4"); ans["success"] != false ||
		strings.Contains(ans["message"].(string), "taken") {
		t.Errorf("another buyer of the released seat: %v, want only the payment to fail", ans)
	}
}

func TestMyBookingsArePopulatedNewestFirst(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{Hold: 10 * time.Minute})
	s := seeds{t, a}
	m := s.importMovie()
	shows := s.shows(m.ID, s.in(24*time.Hour), s.in(48*time.Hour))
	tok := a.Token("user_ines")
	ctx := context.Background()

	succeeded(t, "book E1", book(t, a, tok, shows[0].ID, "E1"), shape{"url": str})
	a.Clock.Advance(11 * time.Minute) // that hold runs out: such bookings are not listed
	succeeded(t, "book F1 F2", book(t, a, tok, shows[0].ID, "F1", "F2"), shape{"url": str})
	a.Clock.Advance(time.Minute)
	succeeded(t, "book G7", book(t, a, tok, shows[1].ID, "G7"), shape{"url": str})
	book(t, a, a.Token("user_otto"), shows[1].ID, "H1") // someone else's

	listed, err := a.Bookings.OfUser(ctx, "user_ines")
	if err != nil {
		t.Fatal(err)
	}
	paid := listed[1] // F1 F2
	_, err = a.Bookings.Pay(ctx, booking.Payment{SessionID: "cs_test_paid", BookingID: paid.ID,
		Amount: paid.Amount, At: a.Now()})
	if err != nil {
		t.Fatalf("pay booking %s: %v", paid.ID, err)
	}

	ans := call(t, a, "GET", "/api/user/bookings", tok, nil)
	succeeded(t, "GET /api/user/bookings", ans, shape{"bookings": list{bookingShape(str)}})
	got := items(t, ans, "bookings")
	type row struct {
		Seats  []any
		Amount float64
		IsPaid bool
		Show   string
		Title  string
		User   string
	}
	var rows []row
	for _, b := range got {
		sh := b["show"].(map[string]any)
		rows = append(rows, row{Seats: b["bookedSeats"].([]any), Amount: b["amount"].(float64),
			IsPaid: b["isPaid"].(bool), Show: sh["_id"].(string),
			Title: sh["movie"].(map[string]any)["title"].(string), User: b["user"].(string)})
	}
	want := []row{
		{[]any{"G7"}, 12.5, false, shows[1].ID, m.Title, "user_ines"},
		{[]any{"F1", "F2"}, 25, true, shows[0].ID, m.Title, "user_ines"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("my bookings (-want +got):\n%s", diff)
	}
	// The show's occupiedSeats are every seat taken in it, not only mine.
	seats := got[0]["show"].(map[string]any)["occupiedSeats"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"G7": true, "H1": true}, seats); diff != "" {
		t.Errorf("occupiedSeats of show %s (-want +got):\n%s", shows[1].ID, diff)
	}
	if got[1]["paymentLink"] != "" {
		t.Errorf("paid booking has paymentLink %v, want \"\"", got[1]["paymentLink"])
	}
}
