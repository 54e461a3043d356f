package httpapi_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/page"
)

type moneyBody struct {
	Amount   int64
	Currency string
}

type dashboardBody struct {
	TotalBookings     int
	PaidBookings      int
	Revenue           moneyBody
	RevenueByCurrency []moneyBody
	TotalUsers        int
	ActiveShows       []struct {
		ID    string
		Movie *struct{ ID, Title string }
	}
}

type showSalesBody struct {
	Shows []struct {
		ID        string
		SeatsSold int
		Revenue   moneyBody
		Movie     *struct{ Title string }
	}
	NextCursor *string
}

type bookingPageBody struct {
	Bookings []struct {
		ID     string
		UserID string
		Status string
		Amount int64
		User   *struct{ ID, Name, Email string }
		Show   *struct{ ID string }
		Movie  *struct{ Title string }
	}
	NextCursor *string
}

// TestAdminReportsAddUpWhatWasSold makes bookings through the API, pays for
// some as the payment flow does, cancels one, and checks every figure the
// admin sees against them.
func TestAdminReportsAddUpWhatWasSold(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	admin := a.token(adminID)
	a.seedUser("user_alice", "Alice", "Archer")
	a.seedUser("user_bob", "Bob", "Baker")
	// user_carol books before Clerk's webhook brings her here.

	harbour, moons := a.seedMovie("Harbour Lights"), a.seedMovie("Paper Moons")
	early := a.seedShowOf(harbour.ID, 24*time.Hour, usd)
	late := a.seedShowOf(harbour.ID, 48*time.Hour, usd)
	paris := a.seedShowOf(moons.ID, 36*time.Hour, money.Money{Amount: 900, Currency: "eur"})

	aliceEarly := a.book("user_alice", early.ID, "A1", "A2") // 2500 usd, paid
	bobEarly := a.book("user_bob", early.ID, "A3")           // 1250 usd, paid
	carolLate := a.book("user_carol", late.ID, "B1")         // held
	aliceLate := a.book("user_alice", late.ID, "C1", "C2")   // cancelled
	bobParis := a.book("user_bob", paris.ID, "A1", "A2")     // 1800 eur, paid
	for _, b := range []booking.Booking{aliceEarly, bobEarly, bobParis} {
		a.pay(b)
	}
	if _, err := a.bookings.Cancel(context.Background(), "user_alice", aliceLate.ID); err != nil {
		t.Fatalf("cancel %s: %v", aliceLate.ID, err)
	}

	var d dashboardBody
	a.do("GET", "/api/admin/dashboard", admin, nil).decode(t, &d)
	wantD := dashboardBody{
		TotalBookings: 5,
		PaidBookings:  3,
		// Two currencies: the default one leads, and each has its total.
		Revenue:           moneyBody{3750, "usd"},
		RevenueByCurrency: []moneyBody{{1800, "eur"}, {3750, "usd"}},
		TotalUsers:        2,
	}
	activeShows := d.ActiveShows
	d.ActiveShows = nil
	if diff := gocmp.Diff(wantD, d); diff != "" {
		t.Errorf("GET /api/admin/dashboard (-want +got):\n%s", diff)
	}
	var active []string
	for _, sh := range activeShows {
		if sh.Movie == nil {
			t.Errorf("active show %s has no movie", sh.ID)
			continue
		}
		active = append(active, sh.ID+" "+sh.Movie.Title)
	}
	wantActive := []string{
		early.ID + " Harbour Lights", paris.ID + " Paper Moons", late.ID + " Harbour Lights",
	}
	if diff := gocmp.Diff(wantActive, active); diff != "" {
		t.Errorf("dashboard's active shows, soonest first (-want +got):\n%s", diff)
	}

	var shows showSalesBody
	a.do("GET", "/api/admin/shows", admin, nil).decode(t, &shows)
	var sold []string
	for _, sh := range shows.Shows {
		sold = append(sold, fmt.Sprintf("%s %s: %d seats, %d %s",
			sh.ID, sh.Movie.Title, sh.SeatsSold, sh.Revenue.Amount, sh.Revenue.Currency))
	}
	wantSold := []string{
		early.ID + " Harbour Lights: 3 seats, 3750 usd",
		paris.ID + " Paper Moons: 2 seats, 1800 eur",
		late.ID + " Harbour Lights: 0 seats, 0 usd", // held and cancelled seats are not sold
	}
	if diff := gocmp.Diff(wantSold, sold); diff != "" {
		t.Errorf("GET /api/admin/shows (-want +got):\n%s", diff)
	}

	var list bookingPageBody
	a.do("GET", "/api/admin/bookings", admin, nil).decode(t, &list)
	var rows []string
	for _, b := range list.Bookings {
		who := b.User.ID
		if b.User.Name != "" {
			who += " (" + b.User.Name + ", " + b.User.Email + ")"
		}
		rows = append(rows, fmt.Sprintf("%s %s %s %d %s %s", b.ID, b.Status, who, b.Amount,
			b.Show.ID, b.Movie.Title))
	}
	wantRows := []string{
		bobParis.ID + " paid user_bob (Bob Baker, bob@example.test) 1800 " + paris.ID +
			" Paper Moons",
		aliceLate.ID + " cancelled user_alice (Alice Archer, alice@example.test) 2500 " + late.ID +
			" Harbour Lights",
		carolLate.ID + " held user_carol 1250 " + late.ID + " Harbour Lights",
		bobEarly.ID + " paid user_bob (Bob Baker, bob@example.test) 1250 " + early.ID +
			" Harbour Lights",
		aliceEarly.ID + " paid user_alice (Alice Archer, alice@example.test) 2500 " + early.ID +
			" Harbour Lights",
	}
	if diff := gocmp.Diff(wantRows, rows); diff != "" {
		t.Errorf("GET /api/admin/bookings, newest first (-want +got):\n%s", diff)
	}
	if list.NextCursor != nil {
		t.Errorf("five bookings fit one page, yet nextCursor = %q", *list.NextCursor)
	}
}

// TestDashboardOfOneCurrency checks the revenue of api.md when every
// payment came in one currency: that total, and no list by currency.
func TestDashboardOfOneCurrency(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	empty := a.do("GET", "/api/admin/dashboard", a.token(adminID), nil)
	if !strings.Contains(string(empty.body), `"revenue":{"amount":0,"currency":"usd"}`) {
		t.Errorf("dashboard before any booking: %s, want revenue 0 usd", empty.body)
	}

	sh := a.seedShowOf(a.seedMovie("Paper Moons").ID, 24*time.Hour,
		money.Money{Amount: 900, Currency: "eur"})
	a.pay(a.book("user_alice", sh.ID, "A1", "A2", "A3"))

	got := a.do("GET", "/api/admin/dashboard", a.token(adminID), nil)
	var raw map[string]json.RawMessage
	got.decode(t, &raw)
	if string(raw["revenue"]) != `{"amount":2700,"currency":"eur"}` {
		t.Errorf("dashboard revenue = %s, want 2700 eur", raw["revenue"])
	}
	if _, ok := raw["revenueByCurrency"]; ok {
		t.Errorf("dashboard of one currency has revenueByCurrency: %s", got.body)
	}
}

// TestAdminBookingsPagesWhileBookingsArrive walks every page of bookings of
// which many were made in the same millisecond, while new ones keep
// arriving: each booking that was there when the walk began comes once, in
// order, and none of the new ones does.
func TestAdminBookingsPagesWhileBookingsArrive(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	admin := a.token(adminID)
	sh := a.seedShowOf(a.seedMovie("Harbour Lights").ID, 24*time.Hour, usd)

	// Made a minute ago, so that every booking made during the walk is newer.
	start := a.clock.Now().Add(-time.Minute).Truncate(time.Millisecond)
	var want []booking.Booking
	for i := range 23 {
		// Three bookings a millisecond, so that pages end inside one.
		at := start.Add(time.Duration(i/3) * time.Millisecond)
		want = append(want, a.insertBooking(fmt.Sprintf("user_%02d", i), sh, at, "A1"))
	}
	// Newest first: by time, then by id, both descending.
	slices.SortFunc(want, func(x, y booking.Booking) int {
		return -cmp.Or(x.CreatedAt.Compare(y.CreatedAt), strings.Compare(x.ID, y.ID))
	})

	var got []string
	path := "/api/admin/bookings?limit=4"
	for pages := 0; ; pages++ {
		if pages > len(want) {
			t.Fatalf("still walking after %d pages", pages)
		}
		resp := a.do("GET", path, admin, nil)
		if resp.status != http.StatusOK {
			t.Fatalf("GET %s: got %d %s", path, resp.status, resp.body)
		}
		var list bookingPageBody
		resp.decode(t, &list)
		for _, b := range list.Bookings {
			got = append(got, b.ID)
		}
		// Someone books between every two pages.
		a.clock.Advance(time.Millisecond)
		a.book(fmt.Sprintf("user_late_%02d", pages), sh.ID, fmt.Sprintf("J%d", 1+pages%9))

		if list.NextCursor == nil {
			break
		}
		path = "/api/admin/bookings?limit=4&cursor=" + *list.NextCursor
	}

	var wantIDs []string
	for _, b := range want {
		wantIDs = append(wantIDs, b.ID)
	}
	if diff := gocmp.Diff(wantIDs, got); diff != "" {
		t.Errorf("walking every page (-want +got):\n%s", diff)
	}

	var first bookingPageBody
	a.do("GET", "/api/admin/bookings?limit=200", admin, nil).decode(t, &first)
	late := 0
	for _, b := range first.Bookings {
		if strings.HasPrefix(b.UserID, "user_late_") {
			late++
		}
	}
	if late < 6 || !strings.HasPrefix(first.Bookings[0].UserID, "user_late_") {
		t.Errorf("a fresh walk lists %d bookings made during the last one, first %+v; "+
			"want 6 or more, first", late, first.Bookings[:min(1, len(first.Bookings))])
	}
}

func TestAdminShowsPages(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	m := a.seedMovie("Harbour Lights")
	var want []string
	for i := range 7 {
		want = append(want, a.seedShowOf(m.ID, time.Duration(24+i)*time.Hour, usd).ID)
	}
	// A show that has started is not listed.
	a.seedShowOf(m.ID, time.Hour, usd)
	a.clock.Advance(2 * time.Hour)

	var got []string
	path := "/api/admin/shows?limit=3"
	for range len(want) {
		var list showSalesBody
		a.do("GET", path, a.token(adminID), nil).decode(t, &list)
		for _, sh := range list.Shows {
			got = append(got, sh.ID)
		}
		if list.NextCursor == nil {
			break
		}
		path = "/api/admin/shows?limit=3&cursor=" + *list.NextCursor
	}
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("upcoming shows three at a time (-want +got):\n%s", diff)
	}
}

func TestListsRefuseBadPages(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	forged := page.At(time.Now(), "x").String()[2:] // no longer base64 of a cursor
	tokens := map[string]string{"/api/admin/bookings": a.token(adminID),
		"/api/admin/shows": a.token(adminID), "/api/me/favorites": a.token("user_alice")}

	for path, tok := range tokens {
		for _, tt := range []struct {
			query, field string
		}{
			{"limit=0", "limit"},
			{"limit=201", "limit"},
			{"limit=-5", "limit"},
			{"limit=ten", "limit"},
			{"cursor=not-a-cursor", "cursor"},
			{"cursor=" + forged, "cursor"},
			{"cursor=bm90IGEgY3Vyc29y", "cursor"}, // base64 of "not a cursor"
		} {
			got := a.do("GET", path+"?"+tt.query, tok, nil)
			var p problemBody
			got.decode(t, &p)
			if got.status != http.StatusUnprocessableEntity || p.Code != "validation_failed" ||
				p.Fields[tt.field] == "" {
				t.Errorf("GET %s?%s: got %d %s, want 422 validation_failed naming %s",
					path, tt.query, got.status, got.body, tt.field)
			}
		}
		if got := a.do("GET", path+"?limit=200", tok, nil); got.status != http.StatusOK {
			t.Errorf("GET %s?limit=200: got %d %s, want 200", path, got.status, got.body)
		}
	}
}
