package quickshow_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the theatre's zone must load on machines without zoneinfo

	"github.com/go-chi/chi/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
	"github.com/marquee-hq/marquee/internal/quickshow"
)

// contracted lists every route that a contract test below or in the other
// files of this package checks, field by field.
var contracted = []string{
	"GET /api/show/all",
	"GET /api/show/{movieId}",
	"GET /api/booking/seats/{showId}",
	"POST /api/booking/create",
	"GET /api/user/bookings",
	"POST /api/user/update-favorite",
	"GET /api/user/favorites",
	"GET /api/admin/is-admin",
	"GET /api/show/now-playing",
	"POST /api/show/add",
	"GET /api/admin/dashboard",
	"GET /api/admin/all-shows",
	"GET /api/admin/all-bookings",
}

func TestEveryRouteHasAContractTest(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{})
	served := slices.Sorted(maps.Keys(quickshowRoutes(t, a)))
	want := slices.Sorted(slices.Values(contracted))
	if diff := cmp.Diff(want, served); diff != "" {
		t.Errorf("routes served under /quickshow differ from those with a contract test "+
			"(-tested +served):\n%s", diff)
	}
}

func TestShowAllListsShowingMoviesOnceSoonestFirst(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{})
	s := seeds{t, a}
	imported, hand, gone := s.importMovie(), s.handMovie("Evening Tide"), s.handMovie("Last Week")
	s.shows(imported.ID, s.in(48*time.Hour), s.in(72*time.Hour))
	s.shows(hand.ID, s.in(24*time.Hour))
	s.shows(gone.ID, s.in(time.Hour))
	a.Clock.Advance(2 * time.Hour) // gone's only show has started

	ans := call(t, a, "GET", "/api/show/all", "", nil)
	succeeded(t, "GET /api/show/all", ans, shape{"shows": list{movieShape}})
	movies := items(t, ans, "shows")
	var ids []string
	for _, m := range movies {
		ids = append(ids, m["_id"].(string))
	}
	if want := []string{hand.ID, "550"}; !slices.Equal(ids, want) {
		t.Fatalf("shows are movies %v, want %v: each once, soonest show first", ids, want)
	}

	// The imported movie carries TMDB's fields; TMDB's nulls are "".
	got := movies[1]
	want := map[string]any{
		"title": "Lanterns at Low Tide", "release_date": "2026-11-20", "vote_average": 7.9,
		"runtime": 117.0, "original_language": "en",
		"genres": []any{map[string]any{"id": 18.0, "name": "Drama"}},
		"casts": []any{
			map[string]any{"name": "Mara Quill", "character": "Captain Ines",
				"profile_path": "/mara.jpg"},
			map[string]any{"name": "Tobiah Fenn", "character": "Harbourmaster", "profile_path": ""},
		},
	}
	for field, w := range want {
		if diff := cmp.Diff(w, got[field]); diff != "" {
			t.Errorf("movie 550 %s (-want +got):\n%s", field, diff)
		}
	}
	// A movie entered by hand still has every field, lists included.
	if m := movies[0]; m["release_date"] != "" || len(m["genres"].([]any)) != 0 {
		t.Errorf("hand-entered movie = %v, want empty strings and lists", m)
	}
}

func TestMoviePageGroupsShowsByTheTheatresDay(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	a := newAPI(t, apitest.Options{Location: berlin})
	s := seeds{t, a}
	m := s.importMovie()

	// 00:30 in Berlin is still the day before in UTC, all year round.
	day := a.Now().In(berlin).AddDate(0, 0, 3)
	evening := time.Date(day.Year(), day.Month(), day.Day(), 20, 0, 0, 0, berlin)
	lateNight := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 30, 0, 0, berlin)
	shows := s.shows(m.ID, evening, lateNight)

	ans := call(t, a, "GET", "/api/show/550", "", nil)
	succeeded(t, "GET /api/show/550", ans, shape{
		"movie":    movieShape,
		"dateTime": dict{key: dayRE, of: list{shape{"time": isoTime, "showId": str}}},
	})
	want := map[string]any{
		evening.Format(time.DateOnly): []any{
			map[string]any{"time": jsTime(evening), "showId": shows[0].ID},
		},
		lateNight.Format(time.DateOnly): []any{
			map[string]any{"time": jsTime(lateNight), "showId": shows[1].ID},
		},
	}
	if diff := cmp.Diff(want, ans["dateTime"]); diff != "" {
		t.Errorf("dateTime (-want +got):\n%s", diff)
	}

	msg := failed(t, "GET /api/show/404", call(t, a, "GET", "/api/show/404", "", nil))
	if msg != "Movie not found." {
		t.Errorf("unknown movie: message %q", msg)
	}
	empty := s.handMovie("Nothing Scheduled")
	ans = call(t, a, "GET", "/api/show/"+empty.ID, "", nil)
	succeeded(t, "GET /api/show/{movieId} without shows", ans, shape{
		"movie": movieShape, "dateTime": dict{key: dayRE, of: list{}},
	})
	if d, _ := ans["dateTime"].(map[string]any); len(d) != 0 {
		t.Errorf("dateTime of a movie without shows = %v, want {}", ans["dateTime"])
	}
}

func TestSeatsListsTheSeatsTakenNow(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{Hold: time.Minute})
	s := seeds{t, a}
	sh := s.shows(s.handMovie("Evening Tide").ID, s.in(24*time.Hour))[0]
	path := "/api/booking/seats/" + sh.ID

	ans := call(t, a, "GET", path, "", nil)
	succeeded(t, "GET "+path, ans, shape{"occupiedSeats": list{str}})
	if got := ans["occupiedSeats"].([]any); len(got) != 0 {
		t.Errorf("occupiedSeats of an empty show = %v, want []", got)
	}

	ctx := context.Background()
	for _, seats := range [][]string{{"B2", "A1"}, {"C3"}} {
		_, _, err := a.Bookings.Create(ctx, booking.CreateInput{UserID: "user_ivo", ShowID: sh.ID,
			Seats: seats})
		if err != nil {
			t.Fatalf("book %v: %v", seats, err)
		}
		a.Clock.Advance(40 * time.Second)
	}
	// The first hold has run out by now; the second has not.
	ans = call(t, a, "GET", path, "", nil)
	if diff := cmp.Diff([]any{"C3"}, ans["occupiedSeats"]); diff != "" {
		t.Errorf("occupiedSeats (-want +got):\n%s", diff)
	}

	msg := failed(t, "GET seats of an unknown show",
		call(t, a, "GET", "/api/booking/seats/000000000000000000000000", "", nil))
	if msg != "Show not found." {
		t.Errorf("unknown show: message %q", msg)
	}
}

// quickshowRoutes walks the router and returns each route of the surface,
// "METHOD /api/...", with its owner.
func quickshowRoutes(t *testing.T, a *apitest.API) map[string]httpapi.Owner {
	t.Helper()
	out := map[string]httpapi.Owner{}
	err := chi.Walk(a.Server.Router(), func(method, pattern string, _ http.Handler,
		_ ...func(http.Handler) http.Handler) error {
		if path, ok := strings.CutPrefix(pattern, quickshow.Prefix); ok {
			owner, _ := a.Server.OwnerOf(method, pattern)
			out[method+" "+path] = owner
		}
		return nil
	})
	if err != nil {
		t.Fatalf("chi.Walk: %v", err)
	}
	return out
}
