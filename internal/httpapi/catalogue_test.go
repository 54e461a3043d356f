package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/tmdb"
)

func newCatalogueAPI(t *testing.T) *testAPI {
	source := tmdb.New(tmdb.Options{
		APIKey:  "test-api-key",
		BaseURL: apitest.FakeTMDB(t),
		Timeout: time.Second,
	})
	return newTestAPI(t, apiOptions{source: source})
}

func TestImportMovieFromTMDB(t *testing.T) {
	a := newCatalogueAPI(t)
	admin := a.token(adminID)

	got := a.do("POST", "/api/movies", admin, map[string]any{"tmdbId": 550})
	if got.status != http.StatusCreated {
		t.Fatalf("import: got %d %s, want 201", got.status, got.body)
	}
	var m struct {
		Movie struct {
			ID, Title, ReleaseDate string
			TMDBID                 int64 `json:"tmdbId"`
			Runtime                int
			Cast                   []struct{ Name string }
			Genres                 []struct{ Name string }
		}
	}
	got.decode(t, &m)
	if m.Movie.ID != "550" || m.Movie.TMDBID != 550 || m.Movie.Runtime != 117 ||
		len(m.Movie.Cast) != 2 || len(m.Movie.Genres) != 1 {
		t.Errorf("imported movie = %+v", m.Movie)
	}

	again := a.do("POST", "/api/movies", admin, map[string]any{"tmdbId": 550})
	if again.status != http.StatusOK {
		t.Errorf("second import: got %d, want 200 with the stored movie", again.status)
	}
	if n := a.count("movies"); n != 1 {
		t.Errorf("two imports stored %d movies, want 1", n)
	}

	nulls := a.do("POST", "/api/movies", admin, map[string]any{"tmdbId": 551})
	if nulls.status != http.StatusCreated || strings.Contains(string(nulls.body), "releaseDate") ||
		strings.Contains(string(nulls.body), "runtime") {
		t.Errorf("import with TMDB nulls: got %d %s, want 201 without releaseDate and runtime",
			nulls.status, nulls.body)
	}
}

func TestImportMovieWhenTMDBFails(t *testing.T) {
	a := newCatalogueAPI(t)
	admin := a.token(adminID)

	for _, tc := range []struct {
		tmdbID int
		status int
		code   string
	}{
		{404, http.StatusNotFound, "tmdb_not_found"},
		{429, http.StatusBadGateway, "tmdb_unavailable"},
		{504, http.StatusGatewayTimeout, "tmdb_timeout"},
	} {
		got := a.do("POST", "/api/movies", admin, map[string]any{"tmdbId": tc.tmdbID})
		if got.status != tc.status || got.problemCode() != tc.code {
			t.Errorf("import %d: got %d %s, want %d %s", tc.tmdbID, got.status, got.body, tc.status, tc.code)
		}
		if strings.Contains(string(got.body), "status_message") || strings.Contains(string(got.body), "over the limit") {
			t.Errorf("import %d leaked TMDB's text: %s", tc.tmdbID, got.body)
		}
	}
	if n := a.count("movies"); n != 0 {
		t.Errorf("failed imports stored %d movies", n)
	}
}

func TestNowPlaying(t *testing.T) {
	a := newCatalogueAPI(t)
	var got struct {
		Movies []struct {
			TMDBID int64 `json:"tmdbId"`
			Title  string
		}
	}
	a.do("GET", "/api/admin/tmdb/now-playing", a.token(adminID), nil).decode(t, &got)
	if len(got.Movies) != 1 || got.Movies[0].TMDBID != 550 {
		t.Errorf("now playing = %+v", got.Movies)
	}
}

func TestScheduleShows(t *testing.T) {
	a := newCatalogueAPI(t)
	admin := a.token(adminID)
	var m struct{ Movie struct{ ID string } }
	a.do("POST", "/api/movies", admin, map[string]any{"title": "Paper Moons", "runtime": 95}).decode(t, &m)

	t1 := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	t2 := t1.Add(3 * time.Hour)
	body := map[string]any{"movieId": m.Movie.ID, "price": 1100,
		"startTimes": []string{t1.Format(time.RFC3339), t2.Format(time.RFC3339)}}

	got := a.do("POST", "/api/shows", admin, body)
	if got.status != http.StatusCreated {
		t.Fatalf("schedule: got %d %s", got.status, got.body)
	}

	dup := map[string]any{"movieId": m.Movie.ID, "price": 1100,
		"startTimes": []string{t2.Add(time.Hour).Format(time.RFC3339), t1.Format(time.RFC3339)}}
	if got := a.do("POST", "/api/shows", admin, dup); got.status != 409 || got.problemCode() != "show_exists" {
		t.Errorf("scheduling a taken start time: got %d %s, want 409 show_exists", got.status, got.body)
	}
	if n := a.count("shows"); n != 2 {
		t.Errorf("after a refused batch %d shows are stored, want 2 (all or none)", n)
	}

	for name, bad := range map[string]map[string]any{
		"past":     {"movieId": m.Movie.ID, "price": 1100, "startTimes": []string{"2020-01-01T10:00:00Z"}},
		"no price": {"movieId": m.Movie.ID, "startTimes": []string{t1.Format(time.RFC3339)}},
		"huge price": {"movieId": m.Movie.ID, "price": int64(1) << 62,
			"startTimes": []string{t2.Add(time.Hour).Format(time.RFC3339)}},
		"price past Stripe's": {"movieId": m.Movie.ID, "price": 100_000_000,
			"startTimes": []string{t2.Add(time.Hour).Format(time.RFC3339)}},
		"bad time":      {"movieId": m.Movie.ID, "price": 900, "startTimes": []string{"tomorrow"}},
		"bad layout":    {"movieId": m.Movie.ID, "price": 900, "startTimes": []string{t2.Add(time.Hour).Format(time.RFC3339)}, "layout": map[string]any{"rows": []string{"a"}, "seatsPerRow": 0}},
		"bad currency":  {"movieId": m.Movie.ID, "price": 900, "currency": "EURO", "startTimes": []string{t2.Add(time.Hour).Format(time.RFC3339)}},
		"unknown movie": {"movieId": "nope", "price": 900, "startTimes": []string{t2.Add(time.Hour).Format(time.RFC3339)}},
	} {
		if got := a.do("POST", "/api/shows", admin, bad); got.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: got %d %s, want 422", name, got.status, got.body)
		}
	}
	if n := a.count("shows"); n != 2 {
		t.Errorf("refused requests stored shows: %d, want 2", n)
	}
}

func TestMoviePageGroupsShowsByTheatreDay(t *testing.T) {
	a := newCatalogueAPI(t)
	sh := a.seedShow(30 * time.Hour)

	var page struct {
		Movie       struct{ ID string }
		ShowsByDate map[string][]struct{ ShowID string }
	}
	a.do("GET", "/api/movies/"+sh.MovieID, "", nil).decode(t, &page)
	day := sh.StartsAt.UTC().Format(time.DateOnly)
	if len(page.ShowsByDate[day]) != 1 || page.ShowsByDate[day][0].ShowID != sh.ID {
		t.Errorf("showsByDate = %+v, want show %s on %s", page.ShowsByDate, sh.ID, day)
	}

	var list struct{ Movies []struct{ ID string } }
	a.do("GET", "/api/movies", "", nil).decode(t, &list)
	if len(list.Movies) != 1 || list.Movies[0].ID != sh.MovieID {
		t.Errorf("now showing = %+v, want the one movie with a show", list.Movies)
	}

	if got := a.do("GET", "/api/movies/unknown", "", nil); got.status != 404 {
		t.Errorf("unknown movie: got %d, want 404", got.status)
	}
	if got := a.do("GET", "/api/shows/unknown/seats", "", nil); got.status != 404 {
		t.Errorf("unknown show's seats: got %d, want 404", got.status)
	}
}

func TestDeleteShow(t *testing.T) {
	a := newCatalogueAPI(t)
	admin, buyer := a.token(adminID), a.token("user_kim")
	sh := a.seedShow(24 * time.Hour)

	// A hold on a deleted show is cancelled, so it can no longer be paid.
	var held bookingBody
	a.do("POST", "/api/bookings", buyer, map[string]any{"showId": sh.ID, "seats": []string{"F1"}}).
		decode(t, &held)

	if got := a.do("DELETE", "/api/shows/"+sh.ID, admin, nil); got.status != http.StatusNoContent {
		t.Errorf("delete: got %d %s, want 204", got.status, got.body)
	}
	if got := a.do("DELETE", "/api/shows/"+sh.ID, admin, nil); got.status != http.StatusNotFound {
		t.Errorf("delete again: got %d %s, want 404", got.status, got.body)
	}
	var after bookingBody
	a.do("GET", "/api/bookings/"+held.Booking.ID, buyer, nil).decode(t, &after)
	if after.Booking.Status != "cancelled" {
		t.Errorf("hold on a deleted show: status %q, want cancelled", after.Booking.Status)
	}
}

func TestDeleteShowWithPaidBookings(t *testing.T) {
	a := newCatalogueAPI(t)
	admin, buyer := a.token(adminID), a.token("user_lou")
	sh := a.seedShow(24 * time.Hour)

	var paid, held bookingBody
	a.do("POST", "/api/bookings", buyer, map[string]any{"showId": sh.ID, "seats": []string{"G1"}}).
		decode(t, &paid)
	a.do("POST", "/api/bookings", buyer, map[string]any{"showId": sh.ID, "seats": []string{"G2"}}).
		decode(t, &held)
	st := booking.Settlement{BookingID: paid.Booking.ID, ShowID: sh.ID, Outcome: booking.OutcomePaid,
		Amount: money.Money{Amount: paid.Booking.Amount, Currency: "usd"}, At: a.clock.Now()}
	if err := a.bookingStore.Settle(context.Background(), st); err != nil {
		t.Fatalf("settle as paid: %v", err)
	}

	got := a.do("DELETE", "/api/shows/"+sh.ID, admin, nil)
	if got.status != http.StatusConflict || got.problemCode() != "show_has_paid_bookings" {
		t.Errorf("delete a paid show: got %d %s, want 409 show_has_paid_bookings", got.status, got.body)
	}
	var after bookingBody
	a.do("GET", "/api/bookings/"+held.Booking.ID, buyer, nil).decode(t, &after)
	if after.Booking.Status != "held" {
		t.Errorf("a refused delete changed a hold: status %q, want held", after.Booking.Status)
	}
	if got := a.do("GET", "/api/shows/"+sh.ID, "", nil); got.status != http.StatusOK {
		t.Errorf("a refused delete removed the show: got %d", got.status)
	}
}
