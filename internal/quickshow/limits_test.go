package quickshow_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
)

// TestRateLimitsAreSharedWithTheRESTAPI: the surface counts against the
// REST API's budgets, per address for the catalogue and per user for
// booking, and a request over budget is told so with success false.
func TestRateLimitsAreSharedWithTheRESTAPI(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{
		Limits: httpapi.Limits{PublicPerMinute: 2, BookingsPerMinute: 1},
	})
	s := seeds{t, a}
	sh := s.shows(s.handMovie("Evening Tide").ID, s.in(24*time.Hour))[0]
	tok := a.Token("user_ines")

	if r := a.Do("GET", "/api/movies", "", nil); r.Status != http.StatusOK {
		t.Fatalf("GET /api/movies: %d %s", r.Status, r.Body)
	}
	succeeded(t, "the second catalogue request", call(t, a, "GET", "/api/show/all", "", nil),
		shape{"shows": list{movieShape}})
	msg := failed(t, "the third catalogue request", call(t, a, "GET", "/api/show/all", "", nil))
	if msg != "Too many requests. Please wait a minute and try again." {
		t.Errorf("over the per-address budget: message %q", msg)
	}

	r := a.Do("POST", "/api/bookings", tok, map[string]any{"showId": sh.ID, "seats": []string{"A1"}})
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /api/bookings: %d %s", r.Status, r.Body)
	}
	failed(t, "a second booking in the minute", book(t, a, tok, sh.ID, "A2"))
	if n := a.Count("bookings"); n != 1 {
		t.Errorf("%d bookings stored, want only the first", n)
	}
}
