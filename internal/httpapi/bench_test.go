package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// The benchmarks here measure whole requests: real HTTP on loopback, the
// router and its middleware, session tokens verified with RSA, and the
// embedded FerretDB. They are what a client waits for, less the network.

// seedCatalogue enters movies movies with showsEach shows each, starting
// tomorrow, and returns the movies.
func (a *testAPI) seedCatalogue(movies, showsEach int) []movie.Movie {
	a.t.Helper()
	ctx := context.Background()
	first := a.clock.Now().Add(24 * time.Hour).Truncate(time.Hour)
	var stored []movie.Movie
	for i := range movies {
		m, err := a.movies.Create(ctx, movie.Movie{Title: fmt.Sprintf("Harbour Lights %d", i+1),
			Overview: "A keeper and a ferry.", Runtime: 90 + i})
		if err != nil {
			a.t.Fatalf("create movie %d: %v", i, err)
		}
		times := make([]time.Time, showsEach)
		for j := range times {
			times[j] = first.Add(time.Duration(j)*3*time.Hour + time.Duration(i)*time.Minute)
		}
		_, err = a.shows.Schedule(ctx, show.ScheduleInput{MovieID: m.ID,
			Price: money.Money{Amount: 1250, Currency: "usd"}, StartTimes: times,
			Layout: show.DefaultLayout()})
		if err != nil {
			a.t.Fatalf("schedule shows of movie %d: %v", i, err)
		}
		stored = append(stored, m)
	}
	return stored
}

// mustGet fails the benchmark unless GET path answers 200.
func (a *testAPI) mustGet(b *testing.B, path string) response {
	resp := a.do(http.MethodGet, path, "", nil)
	if resp.status != http.StatusOK {
		b.Fatalf("GET %s: got %d %s, want 200", path, resp.status, resp.body)
	}
	return resp
}

// BenchmarkListMovies lists the movies now showing when 20 movies have
// 200 upcoming shows between them.
func BenchmarkListMovies(b *testing.B) {
	a := newTestAPI(b, apiOptions{})
	a.seedCatalogue(20, 10)
	var list struct{ Movies []struct{ ID string } }
	a.mustGet(b, "/api/movies").decode(b, &list)
	if len(list.Movies) != 20 {
		b.Fatalf("GET /api/movies lists %d movies, want 20", len(list.Movies))
	}

	for b.Loop() {
		a.mustGet(b, "/api/movies")
	}
}

// BenchmarkGetMovie reads a movie page, with its 10 upcoming shows, in a
// catalogue of 20 movies and 200 shows.
func BenchmarkGetMovie(b *testing.B) {
	a := newTestAPI(b, apiOptions{})
	movies := a.seedCatalogue(20, 10)
	path := "/api/movies/" + movies[7].ID

	for b.Loop() {
		a.mustGet(b, path)
	}
}

// BenchmarkGetSeatMap reads the seat map of a show of 90 seats, 60 of
// them held by 20 bookings.
func BenchmarkGetSeatMap(b *testing.B) {
	a := newTestAPI(b, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	ctx := context.Background()
	for i := range 20 {
		l := sh.Layout
		seats := []string{seatOf(l, 3*i), seatOf(l, 3*i+1), seatOf(l, 3*i+2)}
		in := booking.CreateInput{UserID: fmt.Sprintf("user_%d", i), ShowID: sh.ID, Seats: seats}
		if _, _, err := a.bookings.Create(ctx, in); err != nil {
			b.Fatalf("book %v: %v", seats, err)
		}
	}
	path := "/api/shows/" + sh.ID + "/seats"
	var m struct{ Taken []string }
	a.mustGet(b, path).decode(b, &m)
	if len(m.Taken) != 60 {
		b.Fatalf("seat map shows %d seats taken, want 60", len(m.Taken))
	}

	for b.Loop() {
		a.mustGet(b, path)
	}
}

// BenchmarkPostBooking books two seats nobody else wants, as a signed-in
// user; when a show is full the next one is scheduled, off the clock.
func BenchmarkPostBooking(b *testing.B) {
	a := newTestAPI(b, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	token := a.token("user_bench")
	perShow := sh.Layout.Capacity() / 2
	i := 0

	for b.Loop() {
		if i == perShow {
			b.StopTimer()
			sh, i = a.seedShow(24*time.Hour), 0
			b.StartTimer()
		}
		seats := []string{seatOf(sh.Layout, 2*i), seatOf(sh.Layout, 2*i+1)}
		body := map[string]any{"showId": sh.ID, "seats": seats}
		if resp := a.do(http.MethodPost, "/api/bookings", token, body); resp.status != 201 {
			b.Fatalf("POST /api/bookings %v: got %d %s, want 201", seats, resp.status, resp.body)
		}
		i++
	}
}

// seatOf returns the k-th seat of l, counting row by row.
func seatOf(l show.Layout, k int) string {
	return l.Rows[k/l.SeatsPerRow] + strconv.Itoa(k%l.SeatsPerRow+1)
}
