// Package stripe opens and closes Stripe Checkout sessions for the payment
// package, through stripe-go.
//
// Reading Stripe's webhooks is not done here but by package webhook, which
// verifies them with stripe-go's webhook package.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	stripego "github.com/stripe/stripe-go/v82"

	"github.com/marquee-hq/marquee/internal/payment"
)

// MetadataBookingID is the metadata key of a session, and of its payment
// intent, that holds the booking id.
const MetadataBookingID = "booking_id"

// Options configure a [Client].
type Options struct {
	SecretKey string // sk_live_... or sk_test_...

	// APIBase points the client at another server that speaks Stripe's
	// API, such as a local mock; empty means Stripe.
	APIBase string

	// HTTPClient makes the calls; nil means one with a 30-second timeout.
	HTTPClient *http.Client
}

// Client is a Stripe account's checkout. It implements payment.Gateway.
type Client struct {
	sc *stripego.Client
}

// New returns a Client. stripe-go retries a failed call twice, with the same
// idempotency key, and logs nothing of its own: errors are returned.
func New(o Options) *Client {
	cfg := &stripego.BackendConfig{
		HTTPClient:    o.HTTPClient,
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if o.APIBase != "" {
		cfg.URL = stripego.String(o.APIBase)
	}
	backends := stripego.NewBackendsWithConfig(cfg)
	return &Client{sc: stripego.NewClient(o.SecretKey, stripego.WithBackends(backends))}
}

// inUseAttempts is how often CreateCheckout asks while Stripe is still
// working on an earlier request with the same idempotency key.
const inUseAttempts = 6

// CreateCheckout opens a Checkout session in payment mode for r: one line
// item of r's amount, the booking id as the client reference and in the
// metadata of the session and of its payment intent. It fails with
// payment.ErrProvider.
//
// The idempotency key is the booking's, not the attempt's: a retry after a
// call that timed out here but succeeded at Stripe gets that session back
// instead of a second one. Stripe refuses a key used again with other
// parameters, so r must be the same on every attempt for the booking.
func (c *Client) CreateCheckout(ctx context.Context,
	r payment.CheckoutRequest) (payment.Checkout, error) {
	meta := map[string]string{MetadataBookingID: r.BookingID}
	params := &stripego.CheckoutSessionCreateParams{
		Mode:              stripego.String(string(stripego.CheckoutSessionModePayment)),
		ClientReferenceID: stripego.String(r.BookingID),
		SuccessURL:        stripego.String(r.SuccessURL),
		CancelURL:         stripego.String(r.CancelURL),
		ExpiresAt:         stripego.Int64(r.ExpiresAt.Unix()),
		Metadata:          meta,
		PaymentIntentData: &stripego.CheckoutSessionCreatePaymentIntentDataParams{Metadata: meta},
		LineItems: []*stripego.CheckoutSessionCreateLineItemParams{{
			Quantity: stripego.Int64(1),
			PriceData: &stripego.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:   stripego.String(string(r.Amount.Currency)),
				UnitAmount: stripego.Int64(r.Amount.Amount),
				ProductData: &stripego.CheckoutSessionCreateLineItemPriceDataProductDataParams{
					Name: stripego.String(r.Description),
				},
			},
		}},
	}
	params.SetIdempotencyKey("checkout-session-" + r.BookingID)

	s, err := c.createSession(ctx, params)
	if err != nil {
		return payment.Checkout{}, fmt.Errorf("create stripe checkout session: %w: %w",
			payment.ErrProvider, err)
	}
	return payment.Checkout{
		BookingID: r.BookingID,
		SessionID: s.ID,
		URL:       s.URL,
		ExpiresAt: time.Unix(s.ExpiresAt, 0).UTC(),
	}, nil
}

// createSession creates the session, and asks again while Stripe answers
// 409 idempotency_key_in_use: another request for the booking, such as a
// second click on Pay, is still in progress there. stripe-go does not retry
// that answer itself; once the other request is done, Stripe gives its
// session to this one too.
func (c *Client) createSession(ctx context.Context,
	params *stripego.CheckoutSessionCreateParams) (*stripego.CheckoutSession, error) {
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		s, err := c.sc.V1CheckoutSessions.Create(ctx, params)
		var serr *stripego.Error
		if attempt == inUseAttempts || !errors.As(err, &serr) ||
			serr.Code != stripego.ErrorCodeIdempotencyKeyInUse {
			return s, err
		}

		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("%w; gave up waiting: %w", err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// ExpireCheckout closes an open session. Stripe refuses to close a session
// that is complete or expired already; that counts as done. It fails with
// payment.ErrProvider.
func (c *Client) ExpireCheckout(ctx context.Context, sessionID string) error {
	params := &stripego.CheckoutSessionExpireParams{}
	_, err := c.sc.V1CheckoutSessions.Expire(ctx, sessionID, params)

	var serr *stripego.Error
	if errors.As(err, &serr) && serr.Type == stripego.ErrorTypeInvalidRequest &&
		serr.HTTPStatusCode == http.StatusBadRequest {
		return nil // not open any more
	}
	if err != nil {
		return fmt.Errorf("expire stripe checkout session %s: %w: %w", sessionID,
			payment.ErrProvider, err)
	}
	return nil
}
