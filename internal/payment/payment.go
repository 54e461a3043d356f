// Package payment takes the money for bookings through a payment
// provider's hosted checkout page (Stripe Checkout), and turns what the
// provider reports about a checkout session into the booking's outcome.
//
// A booking gets one checkout session. Every request to open it asks the
// provider in the booking's name, so they all get the same session: two
// racing requests, and a retry after a request that timed out here while
// the provider made the session. The first to insert its record under the
// booking id stores it, so a buyer only ever sees one payment page per
// booking.
//
// NOTE: a session ends the provider's shortest lifetime (30 minutes at
// Stripe) after the hold does, so a buyer can still pay after the hold
// ended. The session is closed when the hold ends (see
// [Service.CloseCheckout]), which leaves a small window; a payment that
// still arrives for a booking that ended is recorded and shown as
// refund_due by package booking, and never takes the seats back.
package payment

import (
	"context"
	"errors"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
)

// Checkout is the checkout session opened for a booking.
type Checkout struct {
	BookingID string
	SessionID string
	URL       string // the provider's payment page
	ExpiresAt time.Time
	CreatedAt time.Time
}

// CheckoutRequest asks the provider for a checkout session.
type CheckoutRequest struct {
	BookingID   string
	Amount      money.Money
	Description string // what is bought, as the buyer sees it on the page
	SuccessURL  string
	CancelURL   string
	ExpiresAt   time.Time
}

// Session is what the provider reports about a checkout session.
type Session struct {
	ID              string
	BookingID       string // as given when the session was opened
	PaymentStatus   string // "paid", "unpaid" or "no_payment_required"
	PaymentIntentID string
	Amount          money.Money // the amount the session charged
	At              time.Time   // when the provider reported it
}

// The payment statuses of a checkout session that matter here.
const (
	// PaymentPaid means the money was taken. A session can complete
	// without it when the payment method is a delayed one; its payment then
	// succeeds or fails later.
	PaymentPaid = "paid"
)

// Gateway opens and closes checkout sessions at the provider. It is
// implemented by stripe.Client.
type Gateway interface {
	// CreateCheckout opens a session for r. Asked again for the same
	// booking with the same r, it returns the same session, even when
	// the first call failed here after the provider made it; a different
	// r for the booking may be refused. It fails with ErrProvider when
	// the provider could not be reached or refused.
	CreateCheckout(ctx context.Context, r CheckoutRequest) (Checkout, error)
	// ExpireCheckout closes an open session so it can no longer be paid.
	// Closing a session that is no longer open is not an error.
	ExpireCheckout(ctx context.Context, sessionID string) error
}

// Store keeps the checkout session of each booking. It is implemented by
// mongostore.Checkouts.
type Store interface {
	// InsertCheckout stores c, or fails with ErrCheckoutExists when the
	// booking has a checkout session stored already.
	InsertCheckout(ctx context.Context, c Checkout) error
	// Checkout returns the checkout session of the booking, or
	// ErrNotFound.
	Checkout(ctx context.Context, bookingID string) (Checkout, error)
}

// ErrDisabled means payments are not configured: there is no provider key.
var ErrDisabled = errors.New("payments are not configured")

// ErrProvider means the payment provider could not be reached, or refused
// a request it should have taken; trying again later may help.
var ErrProvider = errors.New("payment provider unavailable")

// ErrCheckoutExists is returned by [Store.InsertCheckout] when the booking
// has a checkout session already.
var ErrCheckoutExists = errors.New("checkout session exists")

// ErrNotFound is returned by [Store.Checkout] when the booking has no
// checkout session.
var ErrNotFound = errors.New("checkout session not found")
