package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/webhook"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

func TestClerkHandsOnVerifiedDelivery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := webhooktest.Clerk(t, "ada_user_created")
	id := webhooktest.NewDeliveryID()

	checkAnswer(t, h.postSigned(t, id, body), http.StatusOK, "accepted")

	var sent struct {
		Data      json.RawMessage `json:"data"`
		Timestamp int64           `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatal(err)
	}
	got := h.events.received()
	if len(got) != 1 {
		t.Fatalf("%d events sent, want 1", len(got))
	}
	if e := got[0]; e.ID != id || e.Name != "clerk/user.created" || e.TS != sent.Timestamp {
		t.Errorf("event id, name, ts = %q, %q, %d; want %q, %q, %d",
			e.ID, e.Name, e.TS, id, "clerk/user.created", sent.Timestamp)
	}
	if diff := cmp.Diff(decodeJSON(t, sent.Data), decodeJSON(t, got[0].Data)); diff != "" {
		t.Errorf("event data is not Clerk's data object (-want +got):\n%s", diff)
	}

	d, ok := h.recorded(t, id)
	if !ok || d.Source != "clerk" || d.Type != "user.created" || d.SentAt.IsZero() {
		t.Errorf("delivery record = %+v, %v; want a clerk user.created delivery marked sent", d, ok)
	}
}

func TestClerkRefusesUnverifiedDelivery(t *testing.T) {
	t.Parallel()
	body := webhooktest.Clerk(t, "ada_user_created")
	tests := []struct {
		name   string
		header func(secret, id string) http.Header
		body   []byte
		status int
		code   string
	}{
		{
			name: "forged signature",
			header: func(secret, id string) http.Header {
				h := webhooktest.Headers(t, secret, id, time.Now(), body)
				h.Set("svix-signature", "v1,"+strings.Repeat("A", 43)+"=")
				return h
			},
			status: http.StatusUnauthorized, code: "invalid_signature",
		},
		{
			name: "wrong secret",
			header: func(_, id string) http.Header {
				return webhooktest.Headers(t, webhooktest.NewSecret(), id, time.Now(), body)
			},
			status: http.StatusUnauthorized, code: "invalid_signature",
		},
		{
			name: "tampered body",
			header: func(secret, id string) http.Header {
				return webhooktest.Headers(t, secret, id, time.Now(), body)
			},
			body:   bytes.Replace(body, []byte(`"Quill"`), []byte(`"Quilt"`), 1),
			status: http.StatusUnauthorized, code: "invalid_signature",
		},
		{
			name: "stale timestamp",
			header: func(secret, id string) http.Header {
				return webhooktest.Headers(t, secret, id, time.Now().Add(-6*time.Minute), body)
			},
			status: http.StatusUnauthorized, code: "invalid_signature",
		},
		{
			name: "timestamp from the future",
			header: func(secret, id string) http.Header {
				return webhooktest.Headers(t, secret, id, time.Now().Add(6*time.Minute), body)
			},
			status: http.StatusUnauthorized, code: "invalid_signature",
		},
		{
			name: "signed as another delivery",
			header: func(secret, id string) http.Header {
				h := webhooktest.Headers(t, secret, "msg_other", time.Now(), body)
				h.Set("svix-id", id)
				return h
			},
			status: http.StatusUnauthorized, code: "invalid_signature",
		},
		{
			name:   "no signature headers",
			header: func(_, _ string) http.Header { return http.Header{} },
			status: http.StatusBadRequest, code: "missing_signature",
		},
	}
	for _, missing := range []string{"svix-id", "svix-timestamp", "svix-signature"} {
		tests = append(tests, struct {
			name   string
			header func(secret, id string) http.Header
			body   []byte
			status int
			code   string
		}{
			name: "no " + missing,
			header: func(secret, id string) http.Header {
				h := webhooktest.Headers(t, secret, id, time.Now(), body)
				h.Del(missing)
				return h
			},
			status: http.StatusBadRequest, code: "missing_signature",
		})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			id := webhooktest.NewDeliveryID()
			sent := body
			if tt.body != nil {
				sent = tt.body
			}

			checkAnswer(t, h.post(t, tt.header(h.secret, id), sent), tt.status, tt.code)
			h.checkNothingKept(t, id)
		})
	}
}

func TestClerkRefusesOversizedBody(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(o *webhook.Options) { o.MaxBodyBytes = 1024 })
	body := webhooktest.Clerk(t, "ada_user_created") // about 2.5 kB
	id := webhooktest.NewDeliveryID()

	checkAnswer(t, h.postSigned(t, id, body), http.StatusRequestEntityTooLarge, "body_too_large")
	h.checkNothingKept(t, id)
}

func TestClerkRefusesSignedNonsense(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		code string
	}{
		{"not JSON", `{"type": "user.created", "data": {`, "invalid_json"},
		{"no type", `{"object": "event", "data": {"id": "user_x"}}`, "invalid_payload"},
		{"no data", `{"object": "event", "type": "user.created"}`, "invalid_payload"},
		{"data not an object", `{"type": "user.created", "data": "user_x"}`, "invalid_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			id := webhooktest.NewDeliveryID()

			checkAnswer(t, h.postSigned(t, id, []byte(tt.body)), http.StatusBadRequest, tt.code)
			h.checkNothingKept(t, id)
		})
	}
}

func TestClerkIgnoresUnhandledType(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := webhooktest.NewDeliveryID()

	rec := h.postSigned(t, id, webhooktest.Clerk(t, "session_created"))
	checkAnswer(t, rec, http.StatusOK, "ignored")
	h.checkNothingKept(t, id)
}

func TestClerkHandsOnDuplicateOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := webhooktest.Clerk(t, "ada_user_updated")
	id := webhooktest.NewDeliveryID()

	checkAnswer(t, h.postSigned(t, id, body), http.StatusOK, "accepted")
	checkAnswer(t, h.postSigned(t, id, body), http.StatusOK, "duplicate")

	if got := h.events.received(); len(got) != 1 {
		t.Errorf("%d events sent for one delivery posted twice, want 1", len(got))
	}
}

// TestClerkConcurrentDuplicates posts one delivery many times at once: it
// is handed on once, the others are duplicates or told to retry, and the
// sender ends up with a 200.
func TestClerkConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := webhooktest.Clerk(t, "bo_user_created")
	id := webhooktest.NewDeliveryID()
	header := webhooktest.Headers(t, h.secret, id, time.Now(), body)

	const copies = 20
	codes := make([]int, copies)
	var wg sync.WaitGroup
	for i := range copies {
		wg.Go(func() { codes[i] = h.post(t, header.Clone(), body).Code })
	}
	wg.Wait()

	ok := 0
	for i, code := range codes {
		switch code {
		case http.StatusOK:
			ok++
		case http.StatusConflict:
		default:
			t.Errorf("copy %d answered %d, want 200 or 409", i, code)
		}
	}
	if ok == 0 {
		t.Errorf("no copy answered 200: %v", codes)
	}
	if got := h.events.received(); len(got) != 1 {
		t.Errorf("%d events sent for %d concurrent copies of one delivery, want 1", len(got), copies)
	}
	checkAnswer(t, h.postSigned(t, id, body), http.StatusOK, "duplicate")
}

func TestClerkInngestDown(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := webhooktest.Clerk(t, "ada_user_deleted")
	id := webhooktest.NewDeliveryID()

	h.events.down.Store(true)
	checkAnswer(t, h.postSigned(t, id, body), http.StatusServiceUnavailable, "unavailable")
	h.checkNothingKept(t, id)

	// Clerk retries once Inngest is back, and gets a clean second try.
	h.events.down.Store(false)
	checkAnswer(t, h.postSigned(t, id, body), http.StatusOK, "accepted")
	if got := h.events.received(); len(got) != 1 || got[0].ID != id {
		t.Errorf("events after the retry = %+v, want the one delivery %s", got, id)
	}
}

func TestClerkInngestUnreachable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.events.Close() // connection refused from now on
	id := webhooktest.NewDeliveryID()

	checkAnswer(t, h.postSigned(t, id, webhooktest.Clerk(t, "ada_user_created")),
		http.StatusServiceUnavailable, "unavailable")
	h.checkNothingKept(t, id)
}

func TestClerkDeliveryInProgress(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := webhooktest.Clerk(t, "cy_user_created")
	id := webhooktest.NewDeliveryID()
	recordUnsent(t, h, id, time.Now())

	checkAnswer(t, h.postSigned(t, id, body), http.StatusConflict, "delivery_in_progress")
	if got := h.events.received(); len(got) != 0 {
		t.Errorf("%d events sent while another request holds the delivery, want 0", len(got))
	}
}

func TestClerkReplacesAbandonedDelivery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	body := webhooktest.Clerk(t, "cy_user_created")
	id := webhooktest.NewDeliveryID()
	recordUnsent(t, h, id, time.Now().Add(-2*webhook.DefaultLease))

	checkAnswer(t, h.postSigned(t, id, body), http.StatusOK, "accepted")
	if got := h.events.received(); len(got) != 1 {
		t.Errorf("%d events sent for a delivery left unsent, want 1", len(got))
	}
	if d, ok := h.recorded(t, id); !ok || d.Attempt == "dead-request" || d.SentAt.IsZero() {
		t.Errorf("delivery record = %+v, %v; want a new attempt marked sent", d, ok)
	}
}

// recordUnsent records delivery id as a request that has not sent it yet,
// received at t.
func recordUnsent(t testing.TB, h *harness, id string, at time.Time) {
	t.Helper()
	d := webhook.Delivery{ID: id, Source: "clerk", Type: "user.created",
		Attempt: "dead-request", ReceivedAt: at}
	if err := h.deliveries.Insert(context.Background(), d); err != nil {
		t.Fatalf("Insert(%s): %v", id, err)
	}
}

func TestClerkNotConfigured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opt  harnessOption
	}{
		{"no Inngest client", func(o *webhook.Options) { o.Events = nil }},
		{"no signing secret", func(o *webhook.Options) { o.Secret = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, tt.opt)
			id := webhooktest.NewDeliveryID()

			rec := h.postSigned(t, id, webhooktest.Clerk(t, "ada_user_created"))
			checkAnswer(t, rec, http.StatusServiceUnavailable, "unavailable")
			h.checkNothingKept(t, id)
		})
	}
}

func TestNewClerkHandlerRefusesBadSecret(t *testing.T) {
	t.Parallel()
	_, err := webhook.NewClerkHandler(webhook.Options{
		Secret: "whsec_not*base64",
		Logger: slog.New(slog.DiscardHandler),
	})
	if err == nil {
		t.Errorf("NewClerkHandler(secret %q) = nil error, want one", "whsec_not*base64")
	}
}

func decodeJSON(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return v
}
