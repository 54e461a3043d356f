package notify_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/notify"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/smtp"
	"github.com/marquee-hq/marquee/internal/smtp/smtptest"
	"github.com/marquee-hq/marquee/internal/user"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }

var (
	_ notify.Bookings   = (*booking.Service)(nil)
	_ notify.Users      = (*user.Service)(nil)
	_ notify.Recipients = (*mongostore.Users)(nil)
	_ notify.Shows      = (*show.Service)(nil)
	_ notify.Movies     = (*movie.Service)(nil)
	_ notify.Reminders  = (*mongostore.Reminders)(nil)
)

// fixture is the notify service over a fresh database and an SMTP sink, in
// the Europe/Vienna time zone, with a movie and a show in two hours.
type fixture struct {
	svc      *notify.Service
	bookings *booking.Service
	users    *mongostore.Users
	shows    *show.Service
	sink     *smtptest.Sink
	show     show.Show
	movie    movie.Movie
}

var vienna = mustLocation("Europe/Vienna")

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func newFixture(t testing.TB, mailOn bool) *fixture {
	t.Helper()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	var ids atomic.Int64
	newID := func() string { return fmt.Sprintf("id%05d", ids.Add(1)) }

	f := &fixture{users: mongostore.NewUsers(db), sink: smtptest.Start(t)}
	movieStore, showStore := mongostore.NewMovies(db), mongostore.NewShows(db)
	movies := movie.NewService(movieStore, nil, showStore, time.Now, newID)
	f.bookings = booking.NewService(mongostore.NewBookings(db), showStore, movieStore,
		booking.Config{Hold: 10 * time.Minute, MaxSeats: 10}, time.Now, newID)
	f.shows = show.NewService(showStore, movies, f.bookings, time.Now, newID)

	var mailer notify.Mailer
	if mailOn {
		m, err := smtp.New(smtp.Options{Host: f.sink.Host, Port: f.sink.Port,
			From: "tickets@marquee.test"})
		if err != nil {
			t.Fatal(err)
		}
		mailer = m
	}
	f.svc = notify.NewService(notify.Deps{
		Mailer:     mailer,
		Bookings:   f.bookings,
		Users:      user.NewService(f.users, f.bookings, time.Now),
		Recipients: f.users,
		Shows:      f.shows,
		Movies:     movies,
		Reminders:  mongostore.NewReminders(db),
	}, notify.Config{ClientURL: "https://tickets.marquee.test", Location: vienna,
		ReminderWindow: 3 * time.Hour}, time.Now)

	var err error
	f.movie, err = movies.Create(ctx, movie.Movie{Title: "The Lantern Keepers", Runtime: 104})
	if err != nil {
		t.Fatal(err)
	}
	f.show = f.schedule(t, time.Now().Add(2*time.Hour))[0]
	return f
}

func (f *fixture) schedule(t testing.TB, starts ...time.Time) []show.Show {
	t.Helper()
	shows, err := f.shows.Schedule(context.Background(), show.ScheduleInput{
		MovieID: f.movie.ID, Price: money.Money{Amount: 1250, Currency: "eur"},
		StartTimes: starts, Layout: show.DefaultLayout()})
	if err != nil {
		t.Fatalf("schedule: %v", err)
	}
	return shows
}

// addUser stores a user as Clerk's webhooks would.
func (f *fixture) addUser(t testing.TB, id, name, email string) {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Millisecond)
	u := user.User{ID: id, Name: name, Email: email, Role: user.RoleUser, ClerkUpdatedAt: now,
		CreatedAt: now, UpdatedAt: now}
	if err := f.users.InsertVersion(context.Background(), u); err != nil {
		t.Fatalf("insert user %s: %v", id, err)
	}
}

// paidBooking books seats of sh for userID and pays for them.
func (f *fixture) paidBooking(t testing.TB, sh show.Show, userID string,
	seats ...string) booking.Booking {
	t.Helper()
	ctx := context.Background()
	in := booking.CreateInput{UserID: userID, ShowID: sh.ID, Seats: seats}
	b, _, err := f.bookings.Create(ctx, in)
	if err != nil {
		t.Fatalf("book %v: %v", seats, err)
	}
	p := booking.Payment{SessionID: "cs_" + b.ID, BookingID: b.ID, Amount: b.Amount, At: time.Now()}
	if _, err := f.bookings.Pay(ctx, p); err != nil {
		t.Fatalf("pay %s: %v", b.ID, err)
	}
	return b
}

func TestConfirmationContent(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	f.addUser(t, "user_ada", "Ada Quill", "ada@marquee.test")
	b := f.paidBooking(t, f.show, "user_ada", "C4", "C5")

	out, err := f.svc.Confirmation(context.Background(), b.ID)
	if err != nil || out != notify.Sent {
		t.Fatalf("Confirmation(%s) = %q, %v; want sent", b.ID, out, err)
	}
	got := f.sink.To("ada@marquee.test")
	if len(got) != 1 {
		t.Fatalf("ada got %d messages, want 1", len(got))
	}
	m := got[0]
	starts := f.show.StartsAt.In(vienna).Format("Mon 2 Jan 2006, 15:04 MST")
	for _, part := range []struct{ name, body string }{{"subject", m.Subject}, {"text", m.Text},
		{"html", m.HTML}} {
		for _, want := range []string{"The Lantern Keepers", starts} {
			if !strings.Contains(part.body, want) {
				t.Errorf("%s lacks %q:\n%s", part.name, want, part.body)
			}
		}
	}
	for _, body := range []string{m.Text, m.HTML} {
		for _, want := range []string{"Ada Quill", "C4, C5", "25.00 EUR", b.ID,
			"https://tickets.marquee.test/my-bookings"} {
			if !strings.Contains(body, want) {
				t.Errorf("message lacks %q:\n%s", want, body)
			}
		}
	}
}

func TestNoticesThatDoNotApply(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()
	f.addUser(t, "user_ada", "Ada Quill", "ada@marquee.test")
	held, _, err := f.bookings.Create(ctx, booking.CreateInput{UserID: "user_ada", ShowID: f.show.ID,
		Seats: []string{"A1"}})
	if err != nil {
		t.Fatal(err)
	}
	unknown := f.paidBooking(t, f.show, "user_nobody", "A2")

	checks := []struct {
		name string
		call func() (notify.Outcome, error)
		want notify.Outcome
	}{
		{"confirmation of a held booking", func() (notify.Outcome, error) {
			return f.svc.Confirmation(ctx, held.ID)
		}, notify.NotDue},
		{"expiry of a held booking", func() (notify.Outcome, error) {
			return f.svc.HoldExpired(ctx, held.ID)
		}, notify.NotDue},
		{"confirmation to an unknown user", func() (notify.Outcome, error) {
			return f.svc.Confirmation(ctx, unknown.ID)
		}, notify.NoAddress},
	}
	for _, c := range checks {
		if got, err := c.call(); err != nil || got != c.want {
			t.Errorf("%s = %q, %v; want %q", c.name, got, err, c.want)
		}
	}
	if n := len(f.sink.Messages()); n != 0 {
		t.Errorf("%d messages sent, want none", n)
	}
}

func TestMailOffSkips(t *testing.T) {
	t.Parallel()
	f := newFixture(t, false)
	f.addUser(t, "user_ada", "Ada Quill", "ada@marquee.test")
	b := f.paidBooking(t, f.show, "user_ada", "B1")

	if out, err := f.svc.Confirmation(context.Background(), b.ID); err != nil || out != notify.Skipped {
		t.Errorf("Confirmation with e-mail off = %q, %v; want skipped", out, err)
	}
	if out, err := f.svc.Remind(context.Background(), b.ID); err != nil || out != notify.Skipped {
		t.Errorf("Remind with e-mail off = %q, %v; want skipped", out, err)
	}
}

// TestRemindersOnce runs the reminder pass twice over the same window, the
// second time as two concurrent runs: each paid booking of a show within
// the window is reminded once, and no other booking is.
func TestRemindersOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()
	f.addUser(t, "user_ada", "Ada Quill", "ada@marquee.test")
	f.addUser(t, "user_bo", "Bo Lindqvist", "bo@marquee.test")
	later := f.schedule(t, time.Now().Add(26*time.Hour))[0]

	soonAda := f.paidBooking(t, f.show, "user_ada", "A1")
	soonBo := f.paidBooking(t, f.show, "user_bo", "A2", "A3")
	f.paidBooking(t, later, "user_ada", "A1") // outside the window
	if _, _, err := f.bookings.Create(ctx, booking.CreateInput{UserID: "user_bo", ShowID: f.show.ID,
		Seats: []string{"B1"}}); err != nil { // held, not paid
		t.Fatal(err)
	}

	pass := func() {
		due, err := f.svc.DueReminders(ctx)
		if err != nil {
			t.Errorf("DueReminders: %v", err)
			return
		}
		for _, id := range due {
			if _, err := f.svc.Remind(ctx, id); err != nil {
				t.Errorf("Remind(%s): %v", id, err)
			}
		}
	}
	pass()
	var wg sync.WaitGroup
	wg.Go(pass)
	wg.Go(pass)
	wg.Wait()

	got := map[string]int{}
	for _, m := range f.sink.Messages() {
		if !strings.HasPrefix(m.Subject, "Reminder: The Lantern Keepers") {
			t.Errorf("unexpected message %q", m.Subject)
		}
		for _, id := range []string{soonAda.ID, soonBo.ID} {
			if strings.Contains(m.Text, id) {
				got[id]++
			}
		}
	}
	if got[soonAda.ID] != 1 || got[soonBo.ID] != 1 || len(f.sink.Messages()) != 2 {
		t.Errorf("reminders per booking = %v of %d messages, want one each for %s and %s",
			got, len(f.sink.Messages()), soonAda.ID, soonBo.ID)
	}
}

// TestAnnounceShowsPages tells every user with an address of new shows,
// page by page; a rejected address does not stop the others.
func TestAnnounceShowsPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t, true)
	ctx := context.Background()
	const users = 7
	for i := range users {
		f.addUser(t, fmt.Sprintf("user_%02d", i), fmt.Sprintf("Guest %d", i),
			fmt.Sprintf("guest%d@marquee.test", i))
	}
	f.addUser(t, "user_noaddress", "No Address", "")
	f.sink.Reject("guest3@marquee.test")
	shows := f.schedule(t, time.Now().Add(48*time.Hour), time.Now().Add(72*time.Hour))
	ids := []string{shows[0].ID, shows[1].ID}

	sent, pages := 0, 0
	var failed []string
	for cursor := ""; ; pages++ {
		page, err := f.svc.AnnounceShows(ctx, f.movie.ID, ids, cursor, 3)
		if err != nil {
			t.Fatalf("AnnounceShows after %q: %v", cursor, err)
		}
		sent += page.Sent
		failed = append(failed, page.Failed...)
		if cursor = page.Next; cursor == "" {
			break
		}
		if pages > users {
			t.Fatal("AnnounceShows never reached the last page")
		}
	}

	if sent != users-1 || len(failed) != 1 || failed[0] != "user_03" {
		t.Errorf("sent %d, failed %v; want %d sent and user_03 failed", sent, failed, users-1)
	}
	msgs := f.sink.Messages()
	if len(msgs) != users-1 {
		t.Fatalf("sink got %d messages, want %d", len(msgs), users-1)
	}
	for _, sh := range shows {
		when := sh.StartsAt.In(vienna).Format("Mon 2 Jan 2006, 15:04 MST")
		if !strings.Contains(msgs[0].Text, when) {
			t.Errorf("news lacks the show at %s:\n%s", when, msgs[0].Text)
		}
	}
	if !strings.Contains(msgs[0].HTML, "/movies/"+f.movie.ID) {
		t.Errorf("news HTML lacks the movie link:\n%s", msgs[0].HTML)
	}
}
