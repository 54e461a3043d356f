package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	svix "github.com/svix/svix-webhooks/go"

	"github.com/marquee-hq/marquee/internal/jobs"
)

// DefaultMaxBodyBytes caps a webhook body unless Options says
// otherwise. Clerk's user payloads are a few kilobytes.
const DefaultMaxBodyBytes = 256 << 10

// Options configure a webhook handler, Clerk's or Stripe's.
type Options struct {
	// Secret is the endpoint's signing secret, "whsec_..."
	// (CLERK_WEBHOOK_SECRET or STRIPE_WEBHOOK_SECRET). When it is empty
	// every request is answered 503: nothing can be verified.
	Secret string

	Deliveries Store

	// Events hands events to Inngest. When it is nil, Inngest is not
	// configured and every delivery is answered 503, so that the sender
	// keeps it and retries.
	Events EventSender

	Logger       *slog.Logger
	Metrics      DeliveryCounter  // counts nothing if nil
	MaxBodyBytes int64            // DefaultMaxBodyBytes if 0
	Lease        time.Duration    // DefaultLease if 0
	Now          func() time.Time // time.Now if nil
}

// clerkHandler serves POST /api/webhooks/clerk.
type clerkHandler struct {
	verifier *svix.Webhook // nil without a secret
	relay    relay
	logger   *slog.Logger
	metrics  DeliveryCounter
	maxBody  int64
}

// NewClerkHandler returns the handler of Clerk's webhooks: it verifies the
// Svix signature of the raw body before reading anything from it, and hands
// user.created, user.updated and user.deleted on to Inngest as
// clerk/user.created, clerk/user.updated and clerk/user.deleted events, at
// most once per svix-id (see the package comment). Other types are
// answered 200 and only logged. It fails when the secret is not a Svix
// secret.
func NewClerkHandler(o Options) (http.Handler, error) {
	h := &clerkHandler{logger: o.Logger, metrics: counterOr(o.Metrics), maxBody: o.MaxBodyBytes}
	if o.Secret != "" {
		v, err := svix.NewWebhook(o.Secret)
		if err != nil {
			return nil, errors.New("clerk webhook secret: not a Svix signing secret " +
				"(whsec_ and base64)")
		}
		h.verifier = v
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}

	h.relay = relay{store: o.Deliveries, events: o.Events, logger: o.Logger,
		now: o.Now, lease: o.Lease}
	if h.relay.now == nil {
		h.relay.now = time.Now
	}
	if h.relay.lease <= 0 {
		h.relay.lease = DefaultLease
	}
	return h, nil
}

func (h *clerkHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	res, err := h.serve(w, r)
	h.metrics.WebhookDelivery("clerk", countedAs(res, err))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": string(res)})
}

func (h *clerkHandler) serve(w http.ResponseWriter, r *http.Request) (result, error) {
	if h.verifier == nil || h.relay.events == nil {
		return "", errNotConfigured
	}

	body, err := readBody(w, r, h.maxBody)
	if err != nil {
		return "", err
	}
	id, err := verify(h.verifier, body, r.Header)
	if err != nil {
		return "", err
	}

	msg, err := decodeClerk(body)
	if err != nil {
		return "", err
	}
	name, ok := jobs.ClerkEventName(msg.Type)
	if !ok {
		h.logger.InfoContext(r.Context(), "ignored clerk webhook",
			"type", msg.Type, "delivery_id", id)
		return resultIgnored, nil
	}

	d := Delivery{ID: id, Source: "clerk", Type: msg.Type}
	e := jobs.Event{ID: id, Name: name, Data: msg.Data, Time: msg.time()}
	return h.relay.handOn(r.Context(), d, e)
}

// readBody reads the whole body, up to max bytes.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, errorf(http.StatusRequestEntityTooLarge, "body_too_large",
			fmt.Sprintf("the body must be at most %d bytes", tooBig.Limit))
	}
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "unreadable_body", "the body could not be read")
	}
	return body, nil
}

// verify checks the Svix signature of body and returns the delivery id. A
// request without the signature headers is malformed (400); one whose
// signature does not match, or is more than five minutes off, is not from
// Clerk (401).
func verify(v *svix.Webhook, body []byte, h http.Header) (string, error) {
	id, ok := deliveryID(h)
	if !ok {
		return "", errorf(http.StatusBadRequest, "missing_signature",
			"the svix-id, svix-timestamp and svix-signature headers are required")
	}
	if err := v.Verify(body, h); err != nil {
		return "", &httpError{Status: http.StatusUnauthorized, Code: "invalid_signature",
			Detail: "the signature does not match the body, or is too old", cause: err}
	}
	return id, nil
}

// deliveryID returns the delivery id when the request has the full set of
// signature headers, under Svix's names or the Standard Webhooks ones, as
// the Svix library reads them.
func deliveryID(h http.Header) (string, bool) {
	for _, prefix := range []string{"svix-", "webhook-"} {
		id := h.Get(prefix + "id")
		if id != "" && h.Get(prefix+"timestamp") != "" && h.Get(prefix+"signature") != "" {
			return id, true
		}
	}
	return "", false
}

// clerkMessage is the envelope of every Clerk webhook.
type clerkMessage struct {
	Type      string         `json:"type"`
	Object    string         `json:"object"`
	Data      map[string]any `json:"data"`
	Timestamp int64          `json:"timestamp"` // milliseconds since 1970
}

// decodeClerk decodes a verified body. Numbers in data stay exactly as
// Clerk wrote them, and fields we do not know are kept: data is handed on
// whole.
func decodeClerk(body []byte) (clerkMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()

	var msg clerkMessage
	if err := dec.Decode(&msg); err != nil {
		return clerkMessage{}, errorf(http.StatusBadRequest, "invalid_json",
			"the body is not a Clerk webhook in JSON")
	}
	if msg.Type == "" || msg.Data == nil {
		return clerkMessage{}, errorf(http.StatusBadRequest, "invalid_payload",
			"a Clerk webhook needs a type and a data object")
	}
	return msg, nil
}

func (m clerkMessage) time() time.Time {
	if m.Timestamp <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(m.Timestamp)
}
