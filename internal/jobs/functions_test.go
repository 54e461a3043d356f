package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/jobs"
	"github.com/marquee-hq/marquee/internal/jobs/jobstest"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/user"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }

// TestClerkUserFunctionsOnDevServer runs the functions on the real Inngest
// Dev Server: events in, users stored, changed, kept from going back, and
// deleted.
func TestClerkUserFunctionsOnDevServer(t *testing.T) {
	t.Parallel()
	users, client, dev := startFunctions(t)
	ctx := context.Background()

	send(t, client, "ada_user_created")
	ada := waitForUser(t, users, webhooktest.AdaID, func(u user.User) bool { return true })
	if ada.Name != "Ada Quill" || ada.Email != "ada.quill@example.test" || ada.Role != user.RoleUser {
		t.Errorf("created user = %+v, want Ada Quill, ada.quill@example.test, role user", ada)
	}

	send(t, client, "ada_user_updated")
	ada = waitForUser(t, users, webhooktest.AdaID,
		func(u user.User) bool { return u.Name != "Ada Quill" })
	if ada.Name != "Ada Quill-Marsh" || ada.Email != "ada@quill-lettering.example" ||
		ada.Role != user.RoleAdmin {
		t.Errorf("updated user = %+v, want Ada Quill-Marsh, ada@quill-lettering.example, role admin", ada)
	}

	// The older version arrives again, as a new event: it must not win.
	older := send(t, client, "ada_user_created")
	runs := dev.WaitForRuns(t, older, 1)
	if runs[0].Status != "Completed" || !strings.Contains(string(runs[0].Output), `"stored":false`) {
		t.Errorf("run for an older version: %s with output %s, want Completed, not stored",
			runs[0].Status, runs[0].Output)
	}
	if got, err := users.User(ctx, webhooktest.AdaID); err != nil || got.Name != "Ada Quill-Marsh" {
		t.Errorf("after an older version: %+v, %v; want Ada Quill-Marsh kept", got, err)
	}

	// An event without a user id fails for good, without retries.
	bad := sendData(t, client, jobs.EventClerkUserUpdated, map[string]any{"first_name": "Nobody"})
	if runs := dev.WaitForRuns(t, bad, 1); runs[0].Status != "Failed" {
		t.Errorf("run for a user without an id: %s, want Failed", runs[0].Status)
	}

	// The same event twice: Inngest runs it once.
	again := jobs.Event{ID: older, Name: jobs.EventClerkUserCreated,
		Data: fixtureData(t, "ada_user_created")}
	if err := client.Send(ctx, again); err != nil {
		t.Fatalf("Send(event %s again): %v", older, err)
	}
	time.Sleep(time.Second) // time enough for the Dev Server to run it, were it to
	if runs := dev.WaitForRuns(t, older, 1); len(runs) != 1 {
		t.Errorf("event %s sent twice ran %d times, want once", older, len(runs))
	}

	send(t, client, "ada_user_deleted")
	waitFor(t, "Ada to be deleted", func() bool {
		_, err := users.User(ctx, webhooktest.AdaID)
		return errors.Is(err, user.ErrNotFound)
	})
}

// startFunctions serves the functions over a fresh database to a Dev
// Server of their own and waits until it has synced them.
func startFunctions(t testing.TB) (*user.Service, *jobs.Client, *jobstest.DevServer) {
	t.Helper()
	db := mongotest.NewDatabase(t)
	newID := func() string { return bson.NewObjectID().Hex() }
	bookings := booking.NewService(mongostore.NewBookings(db), mongostore.NewShows(db),
		mongostore.NewMovies(db), booking.Config{Hold: 10 * time.Minute, MaxSeats: 10}, time.Now, newID)
	users := user.NewService(mongostore.NewUsers(db), bookings, time.Now)

	dev := jobstest.New(t)
	client, err := jobs.NewClient(jobs.ClientOptions{
		AppID:   "marquee-jobs-test",
		Dev:     true,
		BaseURL: dev.URL,
		Logger:  slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := jobs.NewSyncClerkUser(client, users); err != nil {
		t.Fatalf("NewSyncClerkUser: %v", err)
	}
	if _, err := jobs.NewDeleteClerkUser(client, users); err != nil {
		t.Fatalf("NewDeleteClerkUser: %v", err)
	}

	mux := http.NewServeMux()
	mux.Handle("/api/inngest", client.Handler())
	app := httptest.NewServer(mux)
	t.Cleanup(app.Close)

	dev.Start(t, app.URL+"/api/inngest")
	dev.WaitForFunctions(t, "marquee-jobs-test-sync-clerk-user", "marquee-jobs-test-delete-clerk-user")
	return users, client, dev
}

// send sends the event Clerk's fixture stands for, as the webhook route
// would, and returns its id.
func send(t testing.TB, c *jobs.Client, fixture string) string {
	t.Helper()
	var msg struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(webhooktest.Clerk(t, fixture), &msg); err != nil {
		t.Fatalf("decode %s: %v", fixture, err)
	}
	name, _ := jobs.ClerkEventName(msg.Type)
	return sendData(t, c, name, fixtureData(t, fixture))
}

// fixtureData is the data object of Clerk's fixture.
func fixtureData(t testing.TB, fixture string) map[string]any {
	t.Helper()
	var msg struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(webhooktest.Clerk(t, fixture), &msg); err != nil {
		t.Fatalf("decode %s: %v", fixture, err)
	}
	return msg.Data
}

func sendData(t testing.TB, c *jobs.Client, name string, data map[string]any) string {
	t.Helper()
	e := jobs.Event{ID: webhooktest.NewDeliveryID(), Name: name, Data: data}
	if err := c.Send(context.Background(), e); err != nil {
		t.Fatalf("Send(%s): %v", name, err)
	}
	return e.ID
}

func waitForUser(t testing.TB, users *user.Service, id string, ok func(user.User) bool) user.User {
	t.Helper()
	var u user.User
	waitFor(t, "user "+id, func() bool {
		var err error
		u, err = users.User(context.Background(), id)
		return err == nil && ok(u)
	})
	return u
}

// waitFor polls cond until it holds, for at most 30 seconds.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
