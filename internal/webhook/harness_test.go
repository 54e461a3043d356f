package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/jobs"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/webhook"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }

// eventAPI is a stand-in for Inngest's event API, speaking its wire format:
// POST /e/{eventKey} with a JSON array of events, answered with their ids.
// While down, it answers 503 to every send.
type eventAPI struct {
	*httptest.Server
	down atomic.Bool

	mu     sync.Mutex
	events []sentEvent
}

// sentEvent is an event as the SDK puts it on the wire.
type sentEvent struct {
	ID   string          `json:"id"`
	Name string          `json:"name"`
	Data json.RawMessage `json:"data"`
	TS   int64           `json:"ts"`
}

func newEventAPI(t testing.TB) *eventAPI {
	t.Helper()
	api := &eventAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(api.serve))
	t.Cleanup(api.Close)
	return api
}

func (a *eventAPI) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/e/") {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if a.down.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"error":"event API is down","status":503}`)
		return
	}

	var events []sentEvent
	if err := json.NewDecoder(r.Body).Decode(&events); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":"invalid JSON","status":400}`)
		return
	}
	ids := make([]string, len(events))
	a.mu.Lock()
	for i, e := range events {
		a.events = append(a.events, e)
		ids[i] = "01JF" + e.ID
	}
	a.mu.Unlock()
	_ = json.NewEncoder(w).Encode(map[string]any{"ids": ids, "status": 200})
}

// received returns the events sent so far.
func (a *eventAPI) received() []sentEvent {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]sentEvent(nil), a.events...)
}

// harness is the Clerk webhook handler over a fresh database and a
// stand-in event API, with a real Inngest client between them.
type harness struct {
	handler    http.Handler
	secret     string
	deliveries *mongostore.Deliveries
	events     *eventAPI
}

type harnessOption func(*webhook.Options)

func newHarness(t testing.TB, opts ...harnessOption) *harness {
	t.Helper()
	api := newEventAPI(t)
	client, err := jobs.NewClient(jobs.ClientOptions{
		AppID:   "marquee-test",
		Dev:     true,
		BaseURL: api.URL,
		Logger:  slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("jobs.NewClient: %v", err)
	}

	h := &harness{
		secret:     webhooktest.NewSecret(),
		deliveries: mongostore.NewDeliveries(mongotest.NewDatabase(t)),
		events:     api,
	}
	o := webhook.Options{
		Secret:     h.secret,
		Deliveries: h.deliveries,
		Events:     client,
		Logger:     slog.New(slog.DiscardHandler),
	}
	for _, opt := range opts {
		opt(&o)
	}
	h.handler, err = webhook.NewClerkHandler(o)
	if err != nil {
		t.Fatalf("NewClerkHandler: %v", err)
	}
	return h
}

// post sends body with the given headers and returns the answer.
func (h *harness) post(t testing.TB, header http.Header, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/api/webhooks/clerk", bytes.NewReader(body))
	req.Header = header
	rec := httptest.NewRecorder()
	h.handler.ServeHTTP(rec, req)
	return rec
}

// postSigned sends body signed now as delivery id.
func (h *harness) postSigned(t testing.TB, id string, body []byte) *httptest.ResponseRecorder {
	t.Helper()
	return h.post(t, webhooktest.Headers(t, h.secret, id, time.Now(), body), body)
}

// recorded returns the delivery record with id, or false.
func (h *harness) recorded(t testing.TB, id string) (webhook.Delivery, bool) {
	t.Helper()
	d, err := h.deliveries.Delivery(context.Background(), id)
	if errors.Is(err, webhook.ErrNotFound) {
		return webhook.Delivery{}, false
	}
	if err != nil {
		t.Fatalf("Delivery(%s): %v", id, err)
	}
	return d, true
}

// checkAnswer fails unless rec has the status, the content type that goes
// with it, and the status or problem code want.
func checkAnswer(t testing.TB, rec *httptest.ResponseRecorder, status int, want string) {
	t.Helper()
	var body struct {
		Status any    `json:"status"`
		Code   string `json:"code"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("answer %d %q is not JSON: %v", rec.Code, rec.Body.String(), err)
	}

	wantType, got := "application/json", body.Status
	if status >= 400 {
		wantType, got = "application/problem+json", body.Code
	}
	if rec.Code != status || got != want {
		t.Errorf("answer: %d %v, want %d %q (body %s)",
			rec.Code, got, status, want, rec.Body.String())
	}
	if ct := rec.Header().Get("Content-Type"); ct != wantType {
		t.Errorf("answer Content-Type = %q, want %q", ct, wantType)
	}
}

// checkNothingKept fails if delivery id was recorded or any event was sent.
func (h *harness) checkNothingKept(t testing.TB, id string) {
	t.Helper()
	if d, ok := h.recorded(t, id); ok {
		t.Errorf("delivery %s was recorded: %+v", id, d)
	}
	if got := h.events.received(); len(got) != 0 {
		t.Errorf("%d events were sent, want none: %+v", len(got), got)
	}
}
