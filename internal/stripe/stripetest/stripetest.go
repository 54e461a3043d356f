// Package stripetest stands in for Stripe in tests: a local server that
// speaks the part of Stripe's API that package stripe calls, Idempotency-Key
// included, and webhook events in Stripe's shape, signed with stripe-go's
// own test helper.
package stripetest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v82/webhook"
)

// OtherAPIVersion is the API version written into events, older than the
// one stripe-go is built for, as sent by an account pinned to it: such
// events must still be read.
const OtherAPIVersion = "2024-06-20"

// Session is a Checkout session as the server keeps it, in Stripe's field
// names.
type Session struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"`
	Mode              string            `json:"mode"`
	Status            string            `json:"status"`         // open, complete, expired
	PaymentStatus     string            `json:"payment_status"` // unpaid, paid
	AmountTotal       int64             `json:"amount_total"`
	Currency          string            `json:"currency"`
	ClientReferenceID string            `json:"client_reference_id"`
	Metadata          map[string]string `json:"metadata"`
	PaymentIntent     *string           `json:"payment_intent"`
	SuccessURL        string            `json:"success_url"`
	CancelURL         string            `json:"cancel_url"`
	URL               string            `json:"url"`
	Created           int64             `json:"created"`
	ExpiresAt         int64             `json:"expires_at"`
	Livemode          bool              `json:"livemode"`

	// ProductName is the line item's name, which Stripe keeps in the
	// line items rather than the session.
	ProductName string `json:"-"`
}

// Server is a local stand-in for Stripe's API: it creates, reads and
// expires Checkout sessions. Point stripe.Options.APIBase at its URL.
type Server struct {
	*httptest.Server

	mu       sync.Mutex
	sessions map[string]*Session
	order    []string
	keys     map[string]*keyUse // by Idempotency-Key
	late     *lateAnswer        // for the next request that succeeds
}

// keyUse is what the server remembers of an Idempotency-Key, as Stripe does
// for a day: the request that first used it and, once that request has
// finished, its answer.
type keyUse struct {
	path   string
	params url.Values
	answer *httptest.ResponseRecorder // nil while the request is in progress
}

// lateAnswer holds back the answer of a request; see [Server.AnswerLate].
type lateAnswer struct {
	after time.Duration
	done  chan struct{} // closed once the request has taken effect
}

// NewServer starts a Server, closed when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{sessions: map[string]*Session{}, keys: map[string]*keyUse{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/checkout/sessions", s.idempotent(s.create))
	mux.HandleFunc("GET /v1/checkout/sessions/{id}", s.retrieve)
	mux.HandleFunc("POST /v1/checkout/sessions/{id}/expire", s.idempotent(s.expire))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound,
			"Unrecognized request URL ("+r.Method+": "+r.URL.Path+").")
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

// AnswerLate makes the next request that succeeds take effect at once but
// finish only after d, or as soon as its caller gives up: a call that times
// out at the caller although Stripe carried it out. Until it finishes, its
// Idempotency-Key is in progress. The channel is closed once it has taken
// effect.
func (s *Server) AnswerLate(d time.Duration) <-chan struct{} {
	late := &lateAnswer{after: d, done: make(chan struct{})}
	s.mu.Lock()
	s.late = late
	s.mu.Unlock()
	return late.done
}

// idempotent serves a POST the way Stripe honours its Idempotency-Key. The
// first request with a key runs h. A later one with the same key, path and
// parameters gets the first one's answer again, marked Idempotent-Replayed,
// without running h; with other parameters it is refused with an
// idempotency_error, and while the first is in progress with 409
// idempotency_key_in_use. As at Stripe, a refused request (4xx) leaves no
// answer behind, so its key can be used again.
func (s *Server) idempotent(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			writeError(w, http.StatusBadRequest, "Invalid form body.")
			return
		}
		key := r.Header.Get("Idempotency-Key")
		s.mu.Lock()
		use, seen := s.keys[key]
		var answer *httptest.ResponseRecorder
		switch {
		case seen:
			answer = use.answer
		case key != "":
			s.keys[key] = &keyUse{path: r.URL.Path, params: r.PostForm}
		}
		s.mu.Unlock()

		switch {
		case seen && (use.path != r.URL.Path || !sameParams(use.params, r.PostForm)):
			writeStripeError(w, http.StatusBadRequest, "idempotency_error", "",
				"Keys for idempotent requests can only be used with the same parameters "+
					"they were first used with. Try using a key other than '"+key+
					"' if you meant to execute a different request.")
		case seen && answer == nil:
			writeStripeError(w, http.StatusConflict, "idempotency_error",
				"idempotency_key_in_use", "There is currently another in-progress request "+
					"using this Idempotency Key: "+key+". Please try again later.")
		case seen:
			w.Header().Set("Idempotent-Replayed", "true")
			copyAnswer(w, answer)
		default:
			copyAnswer(w, s.run(h, r, key))
		}
	}
}

// run runs h for the first request with key, holds its answer back when
// [Server.AnswerLate] asked for it, and keeps the answer for the key.
func (s *Server) run(h http.HandlerFunc, r *http.Request, key string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h(rec, r)
	refused := rec.Code >= 400 && rec.Code < 500

	s.mu.Lock()
	late := s.late
	if !refused {
		s.late = nil
	}
	s.mu.Unlock()
	if late != nil && !refused {
		close(late.done)
		select {
		case <-time.After(late.after):
		case <-r.Context().Done():
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case key == "":
	case refused:
		delete(s.keys, key)
	default:
		s.keys[key].answer = rec
	}
	return rec
}

func sameParams(a, b url.Values) bool {
	return maps.EqualFunc(a, b, slices.Equal)
}

func copyAnswer(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer sk_") {
		writeErrorType(w, http.StatusUnauthorized, "invalid_request_error",
			"Invalid API Key provided.")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeError(w, http.StatusBadRequest, "Invalid form body.")
		return
	}
	f := r.PostForm
	amount, err := strconv.ParseInt(f.Get("line_items[0][price_data][unit_amount]"), 10, 64)
	if err != nil || f.Get("mode") != "payment" {
		writeError(w, http.StatusBadRequest,
			"Missing required param: line_items[0][price_data][unit_amount].")
		return
	}
	qty, _ := strconv.ParseInt(f.Get("line_items[0][quantity]"), 10, 64)
	expires, _ := strconv.ParseInt(f.Get("expires_at"), 10, 64)
	now := time.Now().Unix()
	if expires < now+30*60 || expires > now+24*60*60 {
		writeError(w, http.StatusBadRequest,
			"The `expires_at` timestamp must be between 30 minutes and 24 hours "+
				"from Checkout Session creation.")
		return
	}

	id := "cs_test_" + rand.Text()
	sess := &Session{
		ID:                id,
		Object:            "checkout.session",
		Mode:              "payment",
		Status:            "open",
		PaymentStatus:     "unpaid",
		AmountTotal:       amount * qty,
		Currency:          f.Get("line_items[0][price_data][currency]"),
		ClientReferenceID: f.Get("client_reference_id"),
		Metadata:          map[string]string{"booking_id": f.Get("metadata[booking_id]")},
		SuccessURL:        f.Get("success_url"),
		CancelURL:         f.Get("cancel_url"),
		URL:               "https://checkout.stripe.test/c/pay/" + id,
		Created:           now,
		ExpiresAt:         expires,
		ProductName:       f.Get("line_items[0][price_data][product_data][name]"),
	}
	s.mu.Lock()
	s.sessions[id] = sess
	s.order = append(s.order, id)
	snapshot := *sess
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, snapshot)
}

func (s *Server) retrieve(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.Session(r.PathValue("id"))
	if !ok {
		writeError(w, http.StatusNotFound, "No such checkout.session: '"+r.PathValue("id")+"'")
		return
	}
	writeJSON(w, http.StatusOK, sess)
}

func (s *Server) expire(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	sess, ok := s.sessions[r.PathValue("id")]
	var snapshot Session
	var open bool
	if ok {
		open = sess.Status == "open"
		if open {
			sess.Status = "expired"
		}
		snapshot = *sess
	}
	s.mu.Unlock()

	switch {
	case !ok:
		writeError(w, http.StatusNotFound, "No such checkout.session: '"+r.PathValue("id")+"'")
	case !open:
		writeError(w, http.StatusBadRequest,
			"Only Checkout Sessions with a status in [\"open\"] can be expired.")
	default:
		writeJSON(w, http.StatusOK, snapshot)
	}
}

// Session returns the session with id as it stands.
func (s *Server) Session(id string) (Session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		return Session{}, false
	}
	return *sess, true
}

// Sessions returns every session created, oldest first.
func (s *Server) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Session, len(s.order))
	for i, id := range s.order {
		out[i] = *s.sessions[id]
	}
	return out
}

// Pay completes the session as a buyer paying by card would, and returns it.
func (s *Server) Pay(t testing.TB, id string) Session {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessions[id]
	if !ok {
		t.Fatalf("stripetest: no session %s to pay", id)
	}
	pi := "pi_test_" + rand.Text()
	sess.Status, sess.PaymentStatus, sess.PaymentIntent = "complete", "paid", &pi
	return *sess
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Request-Id", "req_"+rand.Text())
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeErrorType(w, status, "invalid_request_error", msg)
}

func writeErrorType(w http.ResponseWriter, status int, typ, msg string) {
	writeStripeError(w, status, typ, "", msg)
}

func writeStripeError(w http.ResponseWriter, status int, typ, code, msg string) {
	e := map[string]string{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	writeJSON(w, status, map[string]any{"error": e})
}

// Event returns a webhook event of type typ about sess, as Stripe sends it,
// with id evtID and the API version [OtherAPIVersion].
func Event(t testing.TB, evtID, typ string, sess Session) []byte {
	t.Helper()
	e := map[string]any{
		"id":               evtID,
		"object":           "event",
		"api_version":      OtherAPIVersion,
		"created":          time.Now().Unix(),
		"type":             typ,
		"livemode":         false,
		"pending_webhooks": 1,
		"request":          map[string]any{"id": nil, "idempotency_key": nil},
		"data":             map[string]any{"object": sess},
	}
	body, err := json.Marshal(e)
	if err != nil {
		t.Fatalf("stripetest: encode event: %v", err)
	}
	return body
}

// NewEventID returns a random event id in Stripe's form, "evt_...".
func NewEventID() string {
	return "evt_" + rand.Text()
}

// NewSecret returns a random webhook signing secret in Stripe's form.
func NewSecret() string {
	return "whsec_" + rand.Text()
}

// Sign returns the Stripe-Signature header of body signed now with secret,
// made by stripe-go's test helper.
func Sign(body []byte, secret string) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: body, Secret: secret, Timestamp: time.Now(),
	}).Header
}

// SignAt is Sign with the signature's time given, such as one too old.
func SignAt(body []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload: body, Secret: secret, Timestamp: at,
	}).Header
}

// String describes sess for failure messages.
func (s Session) String() string {
	return fmt.Sprintf("%s %s/%s %d %s booking %s", s.ID, s.Status, s.PaymentStatus,
		s.AmountTotal, s.Currency, s.Metadata["booking_id"])
}
