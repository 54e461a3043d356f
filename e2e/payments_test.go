package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/smtp/smtptest"
	"github.com/marquee-hq/marquee/internal/stripe/stripetest"
	"github.com/marquee-hq/marquee/internal/user"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

// hold is BOOKING_HOLD of the payment stack: long enough to pay within on
// two busy cores, short enough to wait out.
const hold = 8 * time.Second

// mailLimit bounds how long an e-mail may take to arrive after what
// causes it, through the Dev Server.
const mailLimit = 45 * time.Second

// theaterZone is THEATER_TIMEZONE of the payment stack.
const theaterZone = "Europe/Vienna"

// payStack is the server with Stripe pointed at a local stand-in, e-mail
// going to an SMTP sink, and a short hold.
type payStack struct {
	*stack
	stripe       *stripetest.Server
	stripeSecret string
	mail         *smtptest.Sink
	users        *user.Service
}

func startPayStack(t *testing.T) *payStack {
	t.Helper()
	p := &payStack{stripe: stripetest.NewServer(t), stripeSecret: stripetest.NewSecret(),
		mail: smtptest.Start(t)}
	p.stack = startStack(t,
		"BOOKING_HOLD="+hold.String(),
		"THEATER_TIMEZONE="+theaterZone,
		"REMINDER_WINDOW=3h",
		"STRIPE_SECRET_KEY=sk_test_marquee_e2e",
		"STRIPE_API_BASE="+p.stripe.URL,
		"STRIPE_WEBHOOK_SECRET="+p.stripeSecret,
		"SMTP_HOST="+p.mail.Host,
		"SMTP_PORT="+strconv.Itoa(p.mail.Port),
		"SMTP_FROM=Marquee Tickets <tickets@marquee.test>",
	)
	p.dev.WaitForFunctions(t, "marquee-expire-booking", "marquee-settle-checkout",
		"marquee-send-confirmation", "marquee-send-reminders", "marquee-announce-shows")
	p.users = user.NewService(mongostore.NewUsers(p.db), nil, time.Now)
	return p
}

// TestPayments drives bookings through Stripe Checkout, the Stripe webhook
// and the Inngest functions of the server binary, with the real Dev Server.
func TestPayments(t *testing.T) {
	p := startPayStack(t)
	ada := p.addUser(t, "ada_user_created", webhooktest.AdaID)
	bo := p.addUser(t, "bo_user_created", webhooktest.BoID)
	cy := p.addUser(t, "cy_user_created", webhooktest.CyID)

	_, showID := p.schedule(t, "The Quiet Lighthouse", 48*time.Hour)
	t.Run("new shows are announced", func(t *testing.T) {
		for _, u := range []user.User{ada, bo, cy} {
			p.waitMail(t, u.Email, "New shows: The Quiet Lighthouse")
		}
	})
	t.Run("an unpaid hold expires", func(t *testing.T) { testHoldExpires(t, p, ada, showID) })
	t.Run("paid in time stays paid", func(t *testing.T) { testPaidInTime(t, p, bo, showID) })
	t.Run("payment after expiry is refund_due", func(t *testing.T) {
		testLatePayment(t, p, cy, ada, showID)
	})
	t.Run("bad input on the Stripe route", func(t *testing.T) {
		testStripeBadInput(t, p, ada, showID)
	})
	t.Run("reminders are sent once", func(t *testing.T) { testRemindersOnce(t, p, ada, bo) })
}

// testHoldExpires books without paying: once the hold ends, the function
// settles the booking expired, closes its Stripe session and tells the
// buyer, and the seats are free for the next buyer.
func testHoldExpires(t *testing.T, p *payStack, ada user.User, showID string) {
	b := p.book(t, ada.ID, showID, "A1", "A2")
	sess := p.checkout(t, ada.ID, b.ID)

	msg := p.waitMail(t, ada.Email, "Your seats for The Quiet Lighthouse were released")
	for _, want := range []string{"A1, A2", "25.00 USD", b.ID} {
		if !strings.Contains(msg.Text, want) {
			t.Errorf("expiry e-mail lacks %q:\n%s", want, msg.Text)
		}
	}
	if got := p.status(t, ada.ID, b.ID); got != "expired" {
		t.Errorf("booking %s: %s, want expired", b.ID, got)
	}
	if got := p.outcome(t, b.ID); got != "expired" {
		t.Errorf("stored settlement of %s: %q, want expired", b.ID, got)
	}
	if s, _ := p.stripe.Session(sess.ID); s.Status != "expired" {
		t.Errorf("Stripe session of the expired booking: %s, want expired", s.Status)
	}
	taken := p.takenSeats(t, showID)
	if slices.Contains(taken, "A1") || slices.Contains(taken, "A2") {
		t.Errorf("seats taken after the hold: %v, want A1 and A2 free", taken)
	}
}

// testPaidInTime pays through Checkout before the hold ends: the booking is
// paid, stays paid after the hold, keeps its seats, and the buyer gets the
// confirmation. The same Stripe event twice, and the same session in a
// second event, change nothing; a second session paid is flagged for a
// refund.
func testPaidInTime(t *testing.T, p *payStack, bo user.User, showID string) {
	b := p.book(t, bo.ID, showID, "B1", "B2")
	sess := p.checkout(t, bo.ID, b.ID)
	if again := p.checkout(t, bo.ID, b.ID); again.ID != sess.ID {
		t.Errorf("second checkout: session %s, want the same %s", again.ID, sess.ID)
	}

	evt := stripetest.NewEventID()
	paid := stripetest.Event(t, evt, "checkout.session.completed", p.stripe.Pay(t, sess.ID))
	p.mustPostStripe(t, paid, "accepted")
	p.wantRunResult(t, evt, "paid")

	msg := p.waitMail(t, bo.Email, "Your tickets for The Quiet Lighthouse")
	starts := p.showStart(t, showID)
	for _, part := range []string{msg.Subject, msg.Text, msg.HTML} {
		if !strings.Contains(part, starts) {
			t.Errorf("confirmation lacks the start %q in %s:\n%s", starts, theaterZone, part)
		}
	}
	for _, body := range []string{msg.Text, msg.HTML} {
		for _, want := range []string{"The Quiet Lighthouse", "B1, B2", "25.00 USD", b.ID} {
			if !strings.Contains(body, want) {
				t.Errorf("confirmation lacks %q:\n%s", want, body)
			}
		}
	}

	// The same event again is not handed on; the same session in another
	// event settles nothing more and mails nothing more.
	p.mustPostStripe(t, paid, "duplicate")
	if runs := p.dev.WaitForRuns(t, evt, 1); len(runs) != 1 {
		t.Errorf("runs of event %s after a replay: %d, want 1", evt, len(runs))
	}
	second := stripetest.NewEventID()
	p.mustPostStripe(t, stripetest.Event(t, second, "checkout.session.async_payment_succeeded",
		p.stripe.Pay(t, sess.ID)), "accepted")
	p.wantRunResult(t, second, "paid")

	// A second session paid for the booking is recorded and logged as an
	// error for a refund; the booking stays paid and mails nothing more.
	dup := p.stripe.Pay(t, sess.ID)
	dupIntent := "pi_test_duplicate_" + b.ID
	dup.ID, dup.PaymentIntent = "cs_test_duplicate_"+b.ID, &dupIntent
	third := stripetest.NewEventID()
	p.mustPostStripe(t, stripetest.Event(t, third, "checkout.session.completed", dup), "accepted")
	p.wantRunResult(t, third, "duplicate_payment")
	for _, want := range []string{"refund due for a duplicate payment", dup.ID, dupIntent} {
		if !p.logged(want) {
			t.Errorf("the server log lacks %q after a duplicate payment", want)
		}
	}

	// Past the hold, once its function has run, the booking is still paid
	// and holds its seats.
	if runs := p.dev.WaitForRuns(t, "booking-created-"+b.ID, 1); runs[0].Status != "Completed" {
		t.Errorf("expire-booking run after payment: %s %s, want Completed", runs[0].Status,
			runs[0].Output)
	}
	if time.Now().Before(b.HoldExpiresAt) {
		t.Errorf("the hold's function ended before the hold did")
	}
	if got := p.status(t, bo.ID, b.ID); got != "paid" {
		t.Errorf("booking %s after its hold: %s, want paid", b.ID, got)
	}
	taken := p.takenSeats(t, showID)
	if !slices.Contains(taken, "B1") || !slices.Contains(taken, "B2") {
		t.Errorf("seats taken after the hold: %v, want B1 and B2 kept", taken)
	}
	if n := p.count(t, "payments", bson.D{{Key: "bookingId", Value: b.ID}}); n != 2 {
		t.Errorf("payments of %s: %d, want 2, the second due back", b.ID, n)
	}
	if got := p.mail.To(bo.Email); len(got) != 2 { // the news and one confirmation
		t.Errorf("Bo got e-mails %v, want the news and one confirmation", subjectsOf(got))
	}
}

// testLatePayment lets the hold of Cy's booking end and Ada take the seat,
// then has Cy's payment arrive: it is recorded, the booking shows
// refund_due to Cy and to the admin, and the seat stays Ada's.
func testLatePayment(t *testing.T, p *payStack, cy, ada user.User, showID string) {
	late := p.book(t, cy.ID, showID, "C1")
	sess := p.checkout(t, cy.ID, late.ID)
	p.waitMail(t, cy.Email, "Your seats for The Quiet Lighthouse were released")
	taker := p.pay(t, ada.ID, showID, "C1")

	evt := stripetest.NewEventID()
	paid := stripetest.Event(t, evt, "checkout.session.completed", p.stripe.Pay(t, sess.ID))
	p.mustPostStripe(t, paid, "accepted")
	p.wantRunResult(t, evt, "refund_due")

	if got := p.status(t, cy.ID, late.ID); got != "refund_due" {
		t.Errorf("late booking as its owner: %s, want refund_due", got)
	}
	if got := p.status(t, adminID, late.ID); got != "refund_due" {
		t.Errorf("late booking as the admin: %s, want refund_due", got)
	}
	if got := p.status(t, ada.ID, taker.ID); got != "paid" {
		t.Errorf("Ada's booking of the seat: %s, want paid", got)
	}
	if n := p.count(t, "payments", bson.D{{Key: "bookingId", Value: late.ID}}); n != 1 {
		t.Errorf("payments of the late booking: %d, want 1 recorded", n)
	}
	if taken := p.takenSeats(t, showID); !slices.Contains(taken, "C1") {
		t.Errorf("seats taken: %v, want C1 still Ada's", taken)
	}
	p.waitMail(t, cy.Email, "Your payment for The Quiet Lighthouse will be refunded")
}

// testStripeBadInput sends what Stripe would not: a forged body, a wrong
// secret, a session of no booking of ours, and one for another amount.
// None of them changes anything.
func testStripeBadInput(t *testing.T, p *payStack, ada user.User, showID string) {
	b := p.book(t, ada.ID, showID, "D1")
	sess := p.checkout(t, ada.ID, b.ID)
	paid := p.stripe.Pay(t, sess.ID)
	body := stripetest.Event(t, stripetest.NewEventID(), "checkout.session.completed", paid)

	forged := bytes.Replace(body, []byte(`"amount_total":1250`), []byte(`"amount_total":1`), 1)
	code, got := p.postStripe(t, forged, stripetest.Sign(body, p.stripeSecret))
	if code != http.StatusUnauthorized {
		t.Errorf("forged body: %d %s, want 401", code, got)
	}
	code, got = p.postStripe(t, body, stripetest.Sign(body, stripetest.NewSecret()))
	if code != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d %s, want 401", code, got)
	}

	unknown := paid
	unknown.Metadata = map[string]string{"booking_id": "no-such-booking"}
	unknown.ClientReferenceID = "no-such-booking"
	evt := stripetest.NewEventID()
	p.mustPostStripe(t, stripetest.Event(t, evt, "checkout.session.completed", unknown), "accepted")
	p.wantRunResult(t, evt, "unknown_booking")

	cheap := paid
	cheap.AmountTotal = 1
	evt = stripetest.NewEventID()
	p.mustPostStripe(t, stripetest.Event(t, evt, "checkout.session.completed", cheap), "accepted")
	p.wantRunResult(t, evt, "amount_mismatch")

	// The hold may have run out meanwhile; the booking was not paid.
	if got := p.status(t, ada.ID, b.ID); got != "held" && got != "expired" {
		t.Errorf("booking after bad Stripe input: %s, want held or expired", got)
	}
	if got := p.outcome(t, b.ID); got == "paid" {
		t.Errorf("stored settlement after bad Stripe input: %s, want none or expired", got)
	}
	if n := p.count(t, "payments", bson.D{{Key: "bookingId", Value: b.ID}}); n != 0 {
		t.Errorf("payments after bad Stripe input: %d, want none", n)
	}
	if n := p.count(t, "payments", bson.D{{Key: "bookingId", Value: "no-such-booking"}}); n != 0 {
		t.Errorf("payments of an unknown booking: %d, want none", n)
	}
}

// testRemindersOnce pays for seats of a show two hours away and runs the
// reminder function twice over the same window: each buyer is reminded
// once, and the show two days away is not reminded of.
func testRemindersOnce(t *testing.T, p *payStack, ada, bo user.User) {
	_, soon := p.schedule(t, "The Late Ferry", 2*time.Hour)
	p.pay(t, ada.ID, soon, "E1")
	p.pay(t, bo.ID, soon, "E2", "E3")

	for i := range 2 {
		id := fmt.Sprintf("reminders-%d-%d", time.Now().UnixNano(), i)
		p.sendEvent(t, id, "reminders/requested")
		if runs := p.dev.WaitForRuns(t, id, 1); runs[0].Status != "Completed" {
			t.Fatalf("reminder run %d: %s %s, want Completed", i, runs[0].Status, runs[0].Output)
		}
	}

	for _, u := range []user.User{ada, bo} {
		var reminders []smtptest.Message
		for _, m := range p.mail.To(u.Email) {
			if strings.HasPrefix(m.Subject, "Reminder:") {
				reminders = append(reminders, m)
			}
		}
		if len(reminders) != 1 || !strings.Contains(reminders[0].Subject, "The Late Ferry") {
			t.Errorf("%s got reminders %v, want one for The Late Ferry", u.ID, subjectsOf(reminders))
		}
	}
}

// pay books seats for userID and pays for them through Checkout and the
// Stripe webhook, and waits until the booking is settled as paid.
func (p *payStack) pay(t *testing.T, userID, showID string, seats ...string) booked {
	t.Helper()
	b := p.book(t, userID, showID, seats...)
	sess := p.checkout(t, userID, b.ID)
	evt := stripetest.NewEventID()
	paid := stripetest.Event(t, evt, "checkout.session.completed", p.stripe.Pay(t, sess.ID))
	p.mustPostStripe(t, paid, "accepted")
	p.wantRunResult(t, evt, "paid")
	return b
}

// addUser has Clerk create a user and waits until the server stores them.
func (p *payStack) addUser(t *testing.T, fixture, id string) user.User {
	t.Helper()
	p.mustPost(t, webhooktest.NewDeliveryID(), fixture, "accepted")
	return waitForUser(t, p.users, id, func(u user.User) bool { return u.Email != "" })
}

// schedule enters a movie and one show of it starting in startsIn, as the
// admin, and returns their ids.
func (p *payStack) schedule(t *testing.T, title string, startsIn time.Duration) (string, string) {
	t.Helper()
	var movie struct {
		Movie struct{ ID string } `json:"movie"`
	}
	in := map[string]any{"title": title, "runtime": 98}
	if code := p.call(t, http.MethodPost, "/api/movies", adminID, in, &movie); code != http.StatusCreated {
		t.Fatalf("enter %s: %d, want 201", title, code)
	}
	var shows struct {
		Shows []struct{ ID string } `json:"shows"`
	}
	at := time.Now().Add(startsIn).UTC().Truncate(time.Minute).Format(time.RFC3339)
	in = map[string]any{"movieId": movie.Movie.ID, "price": 1250, "currency": "usd",
		"startTimes": []string{at}}
	if code := p.call(t, http.MethodPost, "/api/shows", adminID, in, &shows); code != http.StatusCreated {
		t.Fatalf("schedule %s: %d, want 201", title, code)
	}
	return movie.Movie.ID, shows.Shows[0].ID
}

// booked is a booking as the API answers it.
type booked struct {
	ID            string    `json:"id"`
	Status        string    `json:"status"`
	HoldExpiresAt time.Time `json:"holdExpiresAt"`
}

func (p *payStack) book(t *testing.T, userID, showID string, seats ...string) booked {
	t.Helper()
	var out struct{ Booking booked }
	in := map[string]any{"showId": showID, "seats": seats}
	if code := p.call(t, http.MethodPost, "/api/bookings", userID, in, &out); code != http.StatusCreated {
		t.Fatalf("%s books %v: %d, want 201", userID, seats, code)
	}
	return out.Booking
}

func (p *payStack) status(t *testing.T, userID, bookingID string) string {
	t.Helper()
	var out struct{ Booking booked }
	code := p.call(t, http.MethodGet, "/api/bookings/"+bookingID, userID, nil, &out)
	if code != http.StatusOK {
		t.Fatalf("GET booking %s as %s: %d, want 200", bookingID, userID, code)
	}
	return out.Booking.Status
}

// checkout asks for the booking's payment page and returns the Stripe
// session behind it.
func (p *payStack) checkout(t *testing.T, userID, bookingID string) stripetest.Session {
	t.Helper()
	var out struct{ URL string }
	path := "/api/bookings/" + bookingID + "/checkout"
	if code := p.call(t, http.MethodPost, path, userID, nil, &out); code != http.StatusOK {
		t.Fatalf("POST %s: %d, want 200", path, code)
	}
	for _, s := range p.stripe.Sessions() {
		if s.URL == out.URL {
			if s.Metadata["booking_id"] != bookingID || s.AmountTotal == 0 {
				t.Errorf("session %v, want one for booking %s", s, bookingID)
			}
			return s
		}
	}
	t.Fatalf("POST %s: url %q is no session of Stripe's", path, out.URL)
	return stripetest.Session{}
}

// postStripe posts a Stripe event with the given signature header and
// returns the status and the answer's status or code.
func (p *payStack) postStripe(t *testing.T, body []byte, sig string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.URL+"/api/webhooks/stripe", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Stripe-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /api/webhooks/stripe: %v", err)
	}
	defer resp.Body.Close()
	var answer struct {
		Status any    `json:"status"`
		Code   string `json:"code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&answer)
	if resp.StatusCode >= 400 {
		return resp.StatusCode, answer.Code
	}
	return resp.StatusCode, fmt.Sprint(answer.Status)
}

func (p *payStack) mustPostStripe(t *testing.T, body []byte, want string) {
	t.Helper()
	if code, got := p.postStripe(t, body, stripetest.Sign(body, p.stripeSecret)); code != http.StatusOK ||
		got != want {
		t.Fatalf("POST a signed Stripe event: %d %q, want 200 %q", code, got, want)
	}
}

// wantRunResult waits for the settle-checkout run of a Stripe event and
// checks the result it reports.
func (p *payStack) wantRunResult(t *testing.T, eventID, want string) {
	t.Helper()
	runs := p.dev.WaitForRuns(t, eventID, 1)
	var out struct{ Result string }
	_ = json.Unmarshal(runs[0].Output, &out)
	if runs[0].Status != "Completed" || out.Result != want {
		t.Errorf("run of Stripe event %s: %s with %s, want Completed with result %q", eventID,
			runs[0].Status, runs[0].Output, want)
	}
}

// waitMail waits for a message to addr whose subject starts with subject.
func (p *payStack) waitMail(t *testing.T, addr, subject string) smtptest.Message {
	t.Helper()
	var found smtptest.Message
	p.mail.WaitFor(t, mailLimit, fmt.Sprintf("%q to %s", subject, addr), func([]smtptest.Message) bool {
		for _, m := range p.mail.To(addr) {
			if strings.HasPrefix(m.Subject, subject) {
				found = m
				return true
			}
		}
		return false
	})
	return found
}

// showStart is the show's start as e-mails give it, in the theatre's zone.
func (p *payStack) showStart(t *testing.T, showID string) string {
	t.Helper()
	var out struct {
		Show struct{ StartsAt time.Time } `json:"show"`
	}
	if code := p.call(t, http.MethodGet, "/api/shows/"+showID, "", nil, &out); code != http.StatusOK {
		t.Fatalf("GET show %s: %d", showID, code)
	}
	loc, err := time.LoadLocation(theaterZone)
	if err != nil {
		t.Fatal(err)
	}
	return out.Show.StartsAt.In(loc).Format("Mon 2 Jan 2006, 15:04 MST")
}

// outcome is the stored settlement of a booking, "" when unsettled.
func (p *payStack) outcome(t *testing.T, bookingID string) string {
	t.Helper()
	var doc struct{ Outcome string }
	err := p.db.Collection("settlements").FindOne(context.Background(),
		bson.D{{Key: "_id", Value: bookingID}}).Decode(&doc)
	if err != nil {
		return ""
	}
	return doc.Outcome
}

func (p *payStack) count(t *testing.T, collection string, filter bson.D) int64 {
	t.Helper()
	n, err := p.db.Collection(collection).CountDocuments(context.Background(), filter)
	if err != nil {
		t.Fatalf("count %s: %v", collection, err)
	}
	return n
}

// sendEvent sends an event to the Dev Server's event API.
func (p *payStack) sendEvent(t *testing.T, id, name string) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"id": id, "name": name, "data": map[string]any{}})
	resp, err := http.Post(p.dev.URL+"/e/test", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("send %s: %v", name, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("send %s: %s", name, resp.Status)
	}
}

func subjectsOf(msgs []smtptest.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Subject
	}
	return out
}
