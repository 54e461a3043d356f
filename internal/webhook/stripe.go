package webhook

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"time"

	stripego "github.com/stripe/stripe-go/v82"
	stripewebhook "github.com/stripe/stripe-go/v82/webhook"

	"github.com/marquee-hq/marquee/internal/jobs"
)

// stripeHandler serves POST /api/webhooks/stripe.
type stripeHandler struct {
	secret  string
	relay   relay
	logger  *slog.Logger
	metrics DeliveryCounter
	maxBody int64
}

// NewStripeHandler returns the handler of Stripe's webhooks: it verifies
// the Stripe-Signature header of the raw body with stripe-go before reading
// anything from it, and hands the Checkout session events
// (checkout.session.completed, .async_payment_succeeded,
// .async_payment_failed and .expired) on to Inngest as "stripe/" events,
// at most once per Stripe event id (see the package comment). Other types
// are answered 200 and only logged.
//
// Events written for another Stripe API version than stripe-go's are
// verified and read all the same: the few session fields used here are the
// same in every version.
func NewStripeHandler(o Options) http.Handler {
	h := &stripeHandler{secret: o.Secret, logger: o.Logger, metrics: counterOr(o.Metrics),
		maxBody: o.MaxBodyBytes}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	h.relay = relay{store: o.Deliveries, events: o.Events, logger: o.Logger, now: o.Now,
		lease: o.Lease}
	if h.relay.now == nil {
		h.relay.now = time.Now
	}
	if h.relay.lease <= 0 {
		h.relay.lease = DefaultLease
	}
	return h
}

func (h *stripeHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	res, err := h.serve(w, r)
	h.metrics.WebhookDelivery("stripe", countedAs(res, err))
	if err != nil {
		failure(w, r, h.logger, "stripe webhook", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": string(res)})
}

func (h *stripeHandler) serve(w http.ResponseWriter, r *http.Request) (result, error) {
	if h.secret == "" || h.relay.events == nil {
		return "", errNotConfigured
	}

	body, err := readBody(w, r, h.maxBody)
	if err != nil {
		return "", err
	}
	evt, err := h.verify(body, r.Header.Get("Stripe-Signature"))
	if err != nil {
		return "", err
	}

	name, ok := jobs.StripeEventName(string(evt.Type))
	if !ok {
		h.logger.InfoContext(r.Context(), "ignored stripe webhook", "type", evt.Type,
			"event_id", evt.ID)
		return resultIgnored, nil
	}
	data, err := checkoutData(evt)
	if err != nil {
		return "", err
	}

	d := Delivery{ID: evt.ID, Source: "stripe", Type: string(evt.Type)}
	e := jobs.Event{ID: evt.ID, Name: name, Data: data.Map(), Time: time.Unix(evt.Created, 0)}
	return h.relay.handOn(r.Context(), d, e)
}

// verify checks the signature of body and decodes the event. A request
// without the header is malformed (400); one whose signature does not
// match, or is more than five minutes old, is not from Stripe (401).
func (h *stripeHandler) verify(body []byte, sig string) (stripego.Event, error) {
	if sig == "" {
		return stripego.Event{}, errorf(http.StatusBadRequest, "missing_signature",
			"the Stripe-Signature header is required")
	}

	evt, err := stripewebhook.ConstructEventWithOptions(body, sig, h.secret,
		stripewebhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	switch {
	case errors.Is(err, stripewebhook.ErrInvalidHeader), errors.Is(err, stripewebhook.ErrNotSigned):
		return stripego.Event{}, &httpError{Status: http.StatusBadRequest,
			Code: "missing_signature", Detail: "the Stripe-Signature header is malformed", cause: err}
	case errors.Is(err, stripewebhook.ErrNoValidSignature), errors.Is(err, stripewebhook.ErrTooOld):
		return stripego.Event{}, &httpError{Status: http.StatusUnauthorized,
			Code: "invalid_signature", cause: err,
			Detail: "the signature does not match the body, or is too old"}
	case err != nil:
		// Signed by Stripe, but not an event in JSON.
		return stripego.Event{}, &httpError{Status: http.StatusBadRequest, Code: "invalid_json",
			Detail: "the body is not a Stripe event in JSON", cause: err}
	}
	if evt.ID == "" || evt.Type == "" || evt.Data == nil {
		return stripego.Event{}, errorf(http.StatusBadRequest, "invalid_payload",
			"a Stripe event needs an id, a type and a data object")
	}
	return evt, nil
}

// checkoutData reads the Checkout session an event is about.
func checkoutData(evt stripego.Event) (jobs.StripeCheckoutData, error) {
	var s stripego.CheckoutSession
	if err := json.Unmarshal(evt.Data.Raw, &s); err != nil || s.ID == "" {
		return jobs.StripeCheckoutData{}, errorf(http.StatusBadRequest, "invalid_payload",
			"the event's data object is not a Checkout session")
	}

	d := jobs.StripeCheckoutData{
		ID:                s.ID,
		BookingID:         s.Metadata["booking_id"],
		ClientReferenceID: s.ClientReferenceID,
		Status:            string(s.Status),
		PaymentStatus:     string(s.PaymentStatus),
		AmountTotal:       s.AmountTotal,
		Currency:          string(s.Currency),
	}
	if d.BookingID == "" {
		d.BookingID = s.ClientReferenceID
	}
	if s.PaymentIntent != nil {
		d.PaymentIntent = s.PaymentIntent.ID
	}
	return d, nil
}

// failure logs err once, at the level its status deserves, and writes it
// as a problem document.
func failure(w http.ResponseWriter, r *http.Request, logger *slog.Logger, what string, err error) {
	p := toProblem(err)
	if p.Status >= 500 {
		logger.ErrorContext(r.Context(), what+" failed", "status", p.Status, "err", err)
	} else {
		logger.DebugContext(r.Context(), what+" refused", "status", p.Status, "code", p.Code,
			"err", err)
	}

	w.Header().Set("X-Content-Type-Options", "nosniff")
	writeBody(w, p.Status, "application/problem+json", p)
}
