package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
)

// roundTrips is what each list endpoint may send to the database, counted
// by the driver's command monitor: one command is one round trip. The
// numbers are pinned so that a query added to a request shows up here.
var roundTrips = []struct {
	path   string
	caller string // "admin" or "fan"
	key    string // the list in the response
	rows   func(n int) int
	want   int
	why    string
}{
	{"/api/admin/bookings?limit=200", "admin", "bookings", pageOf(200, 2), 6,
		"bookings page, settlements, payments, shows, movies, users"},
	{"/api/admin/shows?limit=200", "admin", "shows", pageOf(200, 1), 4,
		"shows page, movies, paid settlements, seats of those bookings"},
	{"/api/admin/dashboard", "admin", "activeShows", pageOf(50, 1), 7,
		"count bookings, count paid, revenue aggregation, live users, deleted users, shows, " +
			"movies"},
	{"/api/me/favorites?limit=200", "fan", "movies", pageOf(200, 1), 2, "favourites page, movies"},
	{"/api/bookings", "fan", "bookings", pageOf(1<<30, 1), 5,
		"bookings of the user, settlements, payments, shows, movies"},
	{"/api/movies", "", "movies", pageOf(1<<30, 1), 2, "movies of upcoming shows, movies"},
	{"/api/shows?limit=200", "", "shows", pageOf(200, 1), 1, "shows page"},
}

// pageOf returns the rows a list holds when seedCinema stored perShow of
// them for each of n shows, and a page holds at most size.
func pageOf(size, perShow int) func(n int) int {
	return func(n int) int { return min(n*perShow, size) }
}

// TestListsCostFixedRoundTrips counts the commands each list endpoint sends
// to the database for lists of 1, 10, 100 and 200 rows, and fails when the
// count grows with the rows: every join is one batched query, and every
// query reads its whole answer in one reply.
func TestListsCostFixedRoundTrips(t *testing.T) {
	t.Parallel()
	sizes := []int{1, 10, 100, 200}
	got := make([][]int, len(roundTrips)) // by endpoint, then size

	for _, n := range sizes {
		var counter mongotest.Counter
		a := newTestAPI(t, apiOptions{counter: &counter})
		c := a.seedCinema(n)
		tokens := map[string]string{"admin": a.token(adminID), "fan": a.token(c.fan), "": ""}

		for i, rt := range roundTrips {
			counter.Reset()
			resp := a.do("GET", rt.path, tokens[rt.caller], nil)
			commands := counter.Counts()
			if resp.status != http.StatusOK {
				t.Fatalf("GET %s with %d rows: got %d %s, want 200",
					rt.path, n, resp.status, resp.body)
			}
			var body map[string]json.RawMessage
			resp.decode(t, &body)
			var rows []json.RawMessage
			wantRows := rt.rows(n)
			if err := json.Unmarshal(body[rt.key], &rows); err != nil || len(rows) != wantRows {
				t.Errorf("GET %s with %d rows: %q holds %d rows (%v), want %d",
					rt.path, n, rt.key, len(rows), err, wantRows)
			}
			got[i] = append(got[i], counter.Total())
			t.Logf("GET %s with %d rows: %d commands %v", rt.path, n, counter.Total(), commands)
		}
	}

	for i, rt := range roundTrips {
		want := make([]int, len(sizes))
		for j := range want {
			want[j] = rt.want
		}
		if fmt.Sprint(got[i]) != fmt.Sprint(want) {
			t.Errorf("GET %s sent %v commands for %v rows, want %d each time (%s)",
				rt.path, got[i], sizes, rt.want, rt.why)
		}
	}
}
