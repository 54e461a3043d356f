package quickshow_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
	"github.com/marquee-hq/marquee/internal/money"
)

func TestIsAdmin(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{})

	ans := call(t, a, "GET", "/api/admin/is-admin", a.Token(apitest.AdminID), nil)
	succeeded(t, "is-admin as an admin", ans, shape{"isAdmin": boolean})
	if ans["isAdmin"] != true {
		t.Errorf("is-admin as an admin: %v, want isAdmin true", ans)
	}
	for name, tok := range map[string]string{"a user": a.Token("user_ines"), "signed out": "null"} {
		failed(t, "is-admin as "+name, call(t, a, "GET", "/api/admin/is-admin", tok, nil))
	}
}

func TestNowPlaying(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{})

	ans := call(t, a, "GET", "/api/show/now-playing", a.Token(apitest.AdminID), nil)
	succeeded(t, "GET /api/show/now-playing", ans, shape{"movies": list{shape{
		"id": num, "title": str, "overview": str, "poster_path": str, "release_date": str,
		"vote_average": num, "vote_count": num,
	}}})
	want := []any{map[string]any{
		"id": 550.0, "title": "Lanterns at Low Tide", "overview": "A ferry captain...",
		"poster_path": "/lanterns.jpg", "release_date": "2026-11-20", "vote_average": 7.9,
		"vote_count": 812.0,
	}}
	if diff := cmp.Diff(want, ans["movies"]); diff != "" {
		t.Errorf("movies (-want +got):\n%s", diff)
	}
}

// theatreDay returns a day some weeks ahead in loc, as the admin's form
// writes it.
func theatreDay(a *apitest.API, loc *time.Location, days int) (string, time.Time) {
	d := a.Now().In(loc).AddDate(0, 0, days)
	return d.Format(time.DateOnly), d
}

func TestAddShowsReadsTimesInTheTheatresZone(t *testing.T) {
	t.Parallel()
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	a := newAPI(t, apitest.Options{Location: tokyo})
	admin := a.Token(apitest.AdminID)
	date, d := theatreDay(a, tokyo, 10)

	// The client sends the TMDB id as a number, the price as typed.
	ans := call(t, a, "POST", "/api/show/add", admin, map[string]any{
		"movieId":    550,
		"showsInput": []any{map[string]any{"date": date, "time": []string{"09:15", "21:00"}}},
		"showPrice":  "12.5",
	})
	succeeded(t, "POST /api/show/add", ans, shape{"message": str})

	shows, err := a.Shows.Upcoming(context.Background(), "550")
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		StartsAt time.Time
		Price    money.Money
	}
	var got []stored
	for _, sh := range shows {
		got = append(got, stored{sh.StartsAt, sh.Price})
	}
	price := money.Money{Amount: 1250, Currency: "usd"}
	want := []stored{
		{time.Date(d.Year(), d.Month(), d.Day(), 9, 15, 0, 0, tokyo).UTC(), price},
		{time.Date(d.Year(), d.Month(), d.Day(), 21, 0, 0, 0, tokyo).UTC(), price},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stored shows (-want +got):\n%s", diff)
	}
	// Both are on the theatre's day, though 09:15 in Tokyo is the day
	// before in UTC.
	page := call(t, a, "GET", "/api/show/550", "", nil)
	if days := page["dateTime"].(map[string]any); len(days) != 1 || days[date] == nil {
		t.Errorf("dateTime = %v, want both shows on %s", days, date)
	}
}

func TestAddShowsRefusesWithReadableMessages(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	a := newAPI(t, apitest.Options{Location: berlin})
	s := seeds{t, a}
	admin := a.Token(apitest.AdminID)
	hand := s.handMovie("Evening Tide")
	date, _ := theatreDay(a, berlin, 5)
	yesterday, _ := theatreDay(a, berlin, -1)
	gap := springForward(t, a.Now(), berlin)
	succeeded(t, "schedule 20:00", call(t, a, "POST", "/api/show/add", admin, map[string]any{
		"movieId": hand.ID, "showPrice": 9.99,
		"showsInput": []any{map[string]any{"date": date, "time": []string{"20:00"}}},
	}), shape{"message": str})

	form := func(movieID any, price any, date string, times ...string) map[string]any {
		return map[string]any{"movieId": movieID, "showPrice": price,
			"showsInput": []any{map[string]any{"date": date, "time": times}}}
	}
	tests := []struct {
		name string
		body any
		want string
	}{
		{"no movie", form("", 10, date, "18:00"), "choose a movie"},
		{"no price", form(hand.ID, nil, date, "18:00"), "price above zero"},
		{"zero price", form(hand.ID, 0, date, "18:00"), "price above zero"},
		{"price with a tenth of a cent", form(hand.ID, 12.505, date, "18:00"), "not an amount"},
		{"price not a number", form(hand.ID, "twelve", date, "18:00"), "must be a number"},
		{"no times", form(hand.ID, 10, date), "at least one show time"},
		{"time not HH:MM", form(hand.ID, 10, date, "8pm"), "(HH:MM)"},
		{"date not a date", form(hand.ID, 10, "05/12/2026", "18:00"), "(YYYY-MM-DD)"},
		{"time in the past", form(hand.ID, 10, yesterday, "18:00"), "in the future"},
		{"time the clocks skip", form(hand.ID, 10, gap, "02:30"), "does not exist in Europe/Berlin"},
		{"time already scheduled", form(hand.ID, 10, date, "19:00", "20:00"), "already scheduled at"},
		{"unknown movie", form("64b000000000000000000000", 10, date, "18:00"), "Movie not found"},
		{"unknown to TMDB", form(404, 10, date, "18:00"), "TMDB does not know"},
	}
	for _, tt := range tests {
		msg := failed(t, tt.name, call(t, a, "POST", "/api/show/add", admin, tt.body))
		if !strings.Contains(msg, tt.want) {
			t.Errorf("%s: message %q, want it to say %q", tt.name, msg, tt.want)
		}
	}
	if n := a.Count("shows"); n != 1 {
		t.Errorf("%d shows stored, want only the first request's one", n)
	}
}

// springForward returns the next day after now on which loc's clocks skip
// 02:30.
func springForward(t *testing.T, now time.Time, loc *time.Location) string {
	t.Helper()
	for d := now.In(loc); d.Before(now.AddDate(2, 0, 0)); d = d.AddDate(0, 0, 1) {
		at := time.Date(d.Year(), d.Month(), d.Day(), 2, 30, 0, 0, loc)
		if at.Hour() != 2 {
			return d.Format(time.DateOnly)
		}
	}
	t.Fatalf("%s skips no 02:30 in two years", loc)
	return ""
}

// adminCinema is two shows of a movie: in the first, a paid booking of a
// synced user and a held one of a user Clerk has not sent yet.
type adminCinema struct {
	a            *apitest.API
	first, later string // show ids
	paid, held   booking.Booking
}

func newAdminCinema(t *testing.T) adminCinema {
	t.Helper()
	a := newAPI(t, apitest.Options{})
	s := seeds{t, a}
	m := s.importMovie()
	shows := s.shows(m.ID, s.in(24*time.Hour), s.in(48*time.Hour))
	s.user("user_ines", "Ines", "Ferro")
	s.user("user_otto", "Otto", "Brand")
	ctx := context.Background()

	c := adminCinema{a: a, first: shows[0].ID, later: shows[1].ID}
	var err error
	c.paid, _, err = a.Bookings.Create(ctx, booking.CreateInput{UserID: "user_ines",
		ShowID: c.first, Seats: []string{"A1", "A2"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.Bookings.Pay(ctx, booking.Payment{SessionID: "cs_test_1", BookingID: c.paid.ID,
		Amount: c.paid.Amount, At: a.Now()})
	if err != nil {
		t.Fatal(err)
	}
	a.Clock.Advance(time.Second)
	c.held, _, err = a.Bookings.Create(ctx, booking.CreateInput{UserID: "user_unsynced",
		ShowID: c.first, Seats: []string{"B3"}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDashboard(t *testing.T) {
	t.Parallel()
	c := newAdminCinema(t)

	ans := call(t, c.a, "GET", "/api/admin/dashboard", c.a.Token(apitest.AdminID), nil)
	succeeded(t, "GET /api/admin/dashboard", ans, shape{"dashboardData": shape{
		"totalBookings": num, "totalRevenue": num, "activeShows": list{showShape}, "totalUser": num,
	}})
	d := ans["dashboardData"].(map[string]any)
	got := fmt.Sprint(d["totalBookings"], " ", d["totalRevenue"], " ", d["totalUser"])
	if want := "1 25 2"; got != want {
		t.Errorf("totalBookings, totalRevenue, totalUser = %s, want %s: the paid booking, "+
			"its 2 seats at 12.50, the 2 synced users", got, want)
	}
	shows := d["activeShows"].([]any)
	if len(shows) != 2 || shows[0].(map[string]any)["_id"] != c.first {
		t.Errorf("activeShows = %v, want both shows, soonest first", shows)
	}
}

func TestAllShows(t *testing.T) {
	t.Parallel()
	c := newAdminCinema(t)

	ans := call(t, c.a, "GET", "/api/admin/all-shows", c.a.Token(apitest.AdminID), nil)
	succeeded(t, "GET /api/admin/all-shows", ans, shape{"shows": list{showShape}})
	shows := items(t, ans, "shows")
	if len(shows) != 2 || shows[0]["_id"] != c.first || shows[1]["_id"] != c.later {
		t.Fatalf("shows = %v, want %s then %s", shows, c.first, c.later)
	}
	want := map[string]any{"A1": true, "A2": true, "B3": true}
	if diff := cmp.Diff(want, shows[0]["occupiedSeats"]); diff != "" {
		t.Errorf("occupiedSeats of the first show (-want +got):\n%s", diff)
	}
	if got := shows[1]["occupiedSeats"]; !cmp.Equal(got, map[string]any{}) {
		t.Errorf("occupiedSeats of an empty show = %#v, want {}", got)
	}
	if got := shows[0]["showPrice"]; got != 12.5 {
		t.Errorf("showPrice = %v, want 12.5", got)
	}
}

func TestAllBookingsPopulateEveryBuyer(t *testing.T) {
	t.Parallel()
	c := newAdminCinema(t)

	ans := call(t, c.a, "GET", "/api/admin/all-bookings", c.a.Token(apitest.AdminID), nil)
	succeeded(t, "GET /api/admin/all-bookings", ans, shape{"bookings": list{bookingShape(userShape)}})
	got := items(t, ans, "bookings")
	if len(got) != 2 || got[0]["_id"] != c.held.ID || got[1]["_id"] != c.paid.ID {
		t.Fatalf("bookings = %v, want the held then the paid one, newest first", got)
	}
	wantUsers := []any{
		map[string]any{"_id": "user_unsynced", "name": "", "email": "", "image": ""},
		map[string]any{"_id": "user_ines", "name": "Ines Ferro", "email": "ines@example.test",
			"image": "https://img.example.test/user_ines.png"},
	}
	if diff := cmp.Diff(wantUsers, []any{got[0]["user"], got[1]["user"]}); diff != "" {
		t.Errorf("users (-want +got):\n%s", diff)
	}
	if got[1]["isPaid"] != true || got[1]["amount"] != 25.0 {
		t.Errorf("paid booking = %v, want isPaid true and amount 25", got[1])
	}
}
