package webhook_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/jobs"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/stripe/stripetest"
	"github.com/marquee-hq/marquee/internal/webhook"
)

// stripeHarness is the Stripe webhook handler over a fresh database and a
// stand-in event API, with a real Inngest client between them.
type stripeHarness struct {
	harness
}

func newStripeHarness(t testing.TB) *stripeHarness {
	t.Helper()
	api := newEventAPI(t)
	client, err := jobs.NewClient(jobs.ClientOptions{
		AppID: "marquee-test", Dev: true, BaseURL: api.URL, Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("jobs.NewClient: %v", err)
	}
	h := &stripeHarness{harness{
		secret:     stripetest.NewSecret(),
		deliveries: mongostore.NewDeliveries(mongotest.NewDatabase(t)),
		events:     api,
	}}
	h.handler = webhook.NewStripeHandler(webhook.Options{
		Secret:     h.secret,
		Deliveries: h.deliveries,
		Events:     client,
		Logger:     slog.New(slog.DiscardHandler),
	})
	return h
}

// postStripe sends body with the Stripe-Signature header sig.
func (h *stripeHarness) postStripe(t testing.TB, sig string,
	body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if sig != "" {
		req.Header.Set("Stripe-Signature", sig)
	}
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, req)
	return rec
}

// paidSession is a completed, paid session of booking bk0001.
func paidSession() stripetest.Session {
	pi := "pi_test_1"
	return stripetest.Session{
		ID: "cs_test_1", Object: "checkout.session", Mode: "payment", Status: "complete",
		PaymentStatus: "paid", AmountTotal: 2500, Currency: "usd", ClientReferenceID: "bk0001",
		Metadata: map[string]string{"booking_id": "bk0001"}, PaymentIntent: &pi,
	}
}

func TestStripeHandsOnVerifiedEvent(t *testing.T) {
	t.Parallel()
	h := newStripeHarness(t)
	id := stripetest.NewEventID()
	body := stripetest.Event(t, id, "checkout.session.completed", paidSession())

	rec := h.postStripe(t, stripetest.Sign(body, h.secret), body)
	checkAnswer(t, rec, http.StatusOK, "accepted")

	got := h.events.received()
	if len(got) != 1 || got[0].ID != id || got[0].Name != jobs.EventStripeCheckoutCompleted {
		t.Fatalf("events sent = %+v, want one %s with id %s", got,
			jobs.EventStripeCheckoutCompleted, id)
	}
	var data jobs.StripeCheckoutData
	if err := json.Unmarshal(got[0].Data, &data); err != nil {
		t.Fatal(err)
	}
	want := jobs.StripeCheckoutData{ID: "cs_test_1", BookingID: "bk0001", ClientReferenceID: "bk0001",
		Status: "complete", PaymentStatus: "paid", AmountTotal: 2500, Currency: "usd",
		PaymentIntent: "pi_test_1"}
	if diff := cmp.Diff(want, data); diff != "" {
		t.Errorf("event data (-want +got):\n%s", diff)
	}
	if d, ok := h.recorded(t, id); !ok || d.Source != "stripe" || d.SentAt.IsZero() {
		t.Errorf("delivery %s recorded = %+v, %v; want a sent stripe delivery", id, d, ok)
	}

	// The same event again is a duplicate and sends nothing more.
	rec = h.postStripe(t, stripetest.Sign(body, h.secret), body)
	checkAnswer(t, rec, http.StatusOK, "duplicate")
	if n := len(h.events.received()); n != 1 {
		t.Errorf("%d events sent after a duplicate, want 1", n)
	}
}

func TestStripeRefusesUnverifiedEvent(t *testing.T) {
	t.Parallel()
	h := newStripeHarness(t)
	id := stripetest.NewEventID()
	body := stripetest.Event(t, id, "checkout.session.completed", paidSession())
	forged := bytes.Replace(body, []byte(`"amount_total":2500`), []byte(`"amount_total":1`), 1)

	tests := []struct {
		name   string
		sig    string
		body   []byte
		status int
		code   string
	}{
		{"no signature", "", body, http.StatusBadRequest, "missing_signature"},
		{"malformed header", "t=abc,v1", body, http.StatusBadRequest, "missing_signature"},
		{"wrong secret", stripetest.Sign(body, stripetest.NewSecret()), body,
			http.StatusUnauthorized, "invalid_signature"},
		{"forged body", stripetest.Sign(body, h.secret), forged,
			http.StatusUnauthorized, "invalid_signature"},
		{"too old", stripetest.SignAt(body, h.secret, time.Now().Add(-time.Hour)), body,
			http.StatusUnauthorized, "invalid_signature"},
		{"signed nonsense", stripetest.Sign([]byte("not json"), h.secret), []byte("not json"),
			http.StatusBadRequest, "invalid_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkAnswer(t, h.postStripe(t, tt.sig, tt.body), tt.status, tt.code)
		})
	}
	h.checkNothingKept(t, id)
}

func TestStripeIgnoresOtherTypes(t *testing.T) {
	t.Parallel()
	h := newStripeHarness(t)
	id := stripetest.NewEventID()
	body := stripetest.Event(t, id, "customer.created", paidSession())

	checkAnswer(t, h.postStripe(t, stripetest.Sign(body, h.secret), body), http.StatusOK, "ignored")
	h.checkNothingKept(t, id)
}

func TestStripeNotConfigured(t *testing.T) {
	t.Parallel()
	h := webhook.NewStripeHandler(webhook.Options{Logger: slog.New(slog.DiscardHandler)})
	body := stripetest.Event(t, stripetest.NewEventID(), "checkout.session.completed", paidSession())
	req := httptest.NewRequest(http.MethodPost, "/api/webhooks/stripe", bytes.NewReader(body))
	req.Header.Set("Stripe-Signature", stripetest.Sign(body, "whsec_any"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	checkAnswer(t, rec, http.StatusServiceUnavailable, "unavailable")
}
