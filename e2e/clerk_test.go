package e2e

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/user"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

// syncLimit bounds how long a delivery may take to reach the database
// through the Dev Server.
const syncLimit = 30 * time.Second

// TestClerkWebhooks posts signed Clerk deliveries to the server binary and
// watches them reach its database through the real Inngest Dev Server.
func TestClerkWebhooks(t *testing.T) {
	s := startStack(t)
	users := user.NewService(mongostore.NewUsers(s.db), nil, time.Now)

	t.Run("user appears, changes and disappears", func(t *testing.T) {
		testUserLifecycle(t, s, users)
	})
	t.Run("deleting a user frees their held seats", func(t *testing.T) {
		testDeletionFreesSeats(t, s, users)
	})
}

func testUserLifecycle(t *testing.T, s *stack, users *user.Service) {
	ctx := context.Background()
	created := webhooktest.NewDeliveryID()
	s.mustPost(t, created, "ada_user_created", "accepted")
	ada := waitForUser(t, users, webhooktest.AdaID, func(u user.User) bool { return true })
	if ada.Name != "Ada Quill" || ada.Email != "ada.quill@example.test" || ada.Role != user.RoleUser {
		t.Errorf("created: %+v; want Ada Quill, ada.quill@example.test, role user", ada)
	}
	const adminRoute = "/api/admin/tmdb/now-playing"
	code := s.call(t, http.MethodGet, adminRoute, webhooktest.AdaID, nil, nil)
	if code != http.StatusForbidden {
		t.Errorf("admin route as Ada before she is an admin: %d, want 403", code)
	}

	s.mustPost(t, webhooktest.NewDeliveryID(), "ada_user_updated", "accepted")
	ada = waitForUser(t, users, webhooktest.AdaID,
		func(u user.User) bool { return u.Name != "Ada Quill" })
	if ada.Name != "Ada Quill-Marsh" || ada.Email != "ada@quill-lettering.example" ||
		ada.Role != user.RoleAdmin {
		t.Errorf("updated: %+v; want Ada Quill-Marsh, ada@quill-lettering.example, role admin", ada)
	}
	// No TMDB key is configured, so an admin gets 503, a user 403.
	if code := s.call(t, http.MethodGet, adminRoute, webhooktest.AdaID, nil, nil); code == http.StatusForbidden {
		t.Errorf("admin route as Ada after Clerk made her an admin: 403")
	}

	// Svix retries the first delivery: it is not handed on again.
	s.mustPost(t, created, "ada_user_created", "duplicate")
	if runs := s.dev.WaitForRuns(t, created, 1); len(runs) != 1 {
		t.Errorf("runs for delivery %s after a replay: %d, want 1", created, len(runs))
	}
	// The older version comes again as a new delivery: it runs, and loses.
	older := webhooktest.NewDeliveryID()
	s.mustPost(t, older, "ada_user_created", "accepted")
	if runs := s.dev.WaitForRuns(t, older, 1); runs[0].Status != "Completed" {
		t.Errorf("run for an older version: %s, want Completed", runs[0].Status)
	}
	if got, err := users.User(ctx, webhooktest.AdaID); err != nil || got.Name != "Ada Quill-Marsh" {
		t.Errorf("after an older version and a replay: %+v, %v; want Ada Quill-Marsh kept", got, err)
	}

	s.mustPost(t, webhooktest.NewDeliveryID(), "session_created", "ignored")

	s.mustPost(t, webhooktest.NewDeliveryID(), "ada_user_deleted", "accepted")
	waitFor(t, syncLimit, "Ada to be deleted", func() bool {
		_, err := users.User(ctx, webhooktest.AdaID)
		return errors.Is(err, user.ErrNotFound)
	})
}

func testDeletionFreesSeats(t *testing.T, s *stack, users *user.Service) {
	showID := s.scheduleShow(t)
	s.mustPost(t, webhooktest.NewDeliveryID(), "bo_user_created", "accepted")
	waitForUser(t, users, webhooktest.BoID, func(u user.User) bool { return true })

	var booked struct {
		Booking struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"booking"`
	}
	order := map[string]any{"showId": showID, "seats": []string{"C4", "C5"}}
	code := s.call(t, http.MethodPost, "/api/bookings", webhooktest.BoID, order, &booked)
	if code != http.StatusCreated {
		t.Fatalf("Bo books C4 and C5: %d, want 201", code)
	}
	if taken := s.takenSeats(t, showID); !slices.Equal(taken, []string{"C4", "C5"}) {
		t.Fatalf("seats taken after Bo's booking: %q, want [C4 C5]", taken)
	}

	s.mustPost(t, webhooktest.NewDeliveryID(), "bo_user_deleted", "accepted")
	waitFor(t, syncLimit, "Bo's seats to be free", func() bool {
		return len(s.takenSeats(t, showID)) == 0
	})

	path := "/api/bookings/" + booked.Booking.ID
	if code := s.call(t, http.MethodGet, path, adminID, nil, &booked); code != http.StatusOK ||
		booked.Booking.Status != "cancelled" {
		t.Errorf("GET %s as admin: %d, status %q; want 200, cancelled", path, code, booked.Booking.Status)
	}
	waitFor(t, syncLimit, "Bo to be deleted", func() bool {
		_, err := users.User(context.Background(), webhooktest.BoID)
		return errors.Is(err, user.ErrNotFound)
	})
}

// mustPost posts a Clerk fixture as delivery id and fails unless the
// answer is 200 with the given status.
func (s *stack) mustPost(t testing.TB, id, fixture, want string) {
	t.Helper()
	code, got := s.postClerk(t, id, webhooktest.Clerk(t, fixture))
	if code != http.StatusOK || got != want {
		t.Fatalf("POST %s as %s: %d %q, want 200 %q", fixture, id, code, got, want)
	}
}

// scheduleShow enters a movie and schedules one show of it two days from
// now, as the admin, and returns the show's id.
func (s *stack) scheduleShow(t testing.TB) string {
	t.Helper()
	var movie struct {
		Movie struct {
			ID string `json:"id"`
		} `json:"movie"`
	}
	in := map[string]any{"title": "The Quiet Lighthouse", "runtime": 104, "releaseDate": "2026-10-09"}
	if code := s.call(t, http.MethodPost, "/api/movies", adminID, in, &movie); code != http.StatusCreated {
		t.Fatalf("enter a movie: %d, want 201", code)
	}

	var shows struct {
		Shows []struct {
			ID string `json:"id"`
		} `json:"shows"`
	}
	startsAt := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Minute).Format(time.RFC3339)
	in = map[string]any{"movieId": movie.Movie.ID, "price": 1250, "startTimes": []string{startsAt}}
	if code := s.call(t, http.MethodPost, "/api/shows", adminID, in, &shows); code != http.StatusCreated ||
		len(shows.Shows) != 1 {
		t.Fatalf("schedule a show: %d with %d shows, want 201 with 1", code, len(shows.Shows))
	}
	return shows.Shows[0].ID
}

// takenSeats reads the show's seat map through the public API.
func (s *stack) takenSeats(t testing.TB, showID string) []string {
	t.Helper()
	var seats struct {
		Taken []string `json:"taken"`
	}
	code := s.call(t, http.MethodGet, "/api/shows/"+showID+"/seats", "", nil, &seats)
	if code != http.StatusOK {
		t.Fatalf("seat map of show %s: %d, want 200", showID, code)
	}
	return seats.Taken
}

func waitForUser(t testing.TB, users *user.Service, id string, ok func(user.User) bool) user.User {
	t.Helper()
	var u user.User
	waitFor(t, syncLimit, "user "+id+" to be stored", func() bool {
		var err error
		u, err = users.User(context.Background(), id)
		return err == nil && ok(u)
	})
	return u
}
