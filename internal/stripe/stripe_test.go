package stripe_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/stripe"
	"github.com/marquee-hq/marquee/internal/stripe/stripetest"
)

var _ payment.Gateway = (*stripe.Client)(nil)

func checkoutRequest(bookingID string) payment.CheckoutRequest {
	return payment.CheckoutRequest{
		BookingID:   bookingID,
		Amount:      money.Money{Amount: 1250, Currency: "usd"},
		Description: "The Lantern Keepers, seat A1",
		SuccessURL:  "http://localhost:5173/my-bookings?checkout=success",
		CancelURL:   "http://localhost:5173/my-bookings?checkout=cancelled",
		ExpiresAt:   time.Now().Add(time.Hour).Truncate(time.Second),
	}
}

// TestCreateCheckoutOncePerBooking asks for the session of a booking while
// Stripe is still making it for an earlier call: both calls get the same
// session. Another booking gets its own; the same booking asking for
// something else is refused, as Stripe refuses an idempotency key reused
// with other parameters.
func TestCreateCheckoutOncePerBooking(t *testing.T) {
	t.Parallel()
	srv := stripetest.NewServer(t)
	c := stripe.New(stripe.Options{SecretKey: "sk_test_marquee", APIBase: srv.URL})
	ctx := context.Background()
	req := checkoutRequest("bk1")

	made := srv.AnswerLate(500 * time.Millisecond)
	type result struct {
		c   payment.Checkout
		err error
	}
	firstDone := make(chan result, 1)
	go func() {
		got, err := c.CreateCheckout(ctx, req)
		firstDone <- result{got, err}
	}()
	<-made
	second, err := c.CreateCheckout(ctx, req)
	first := <-firstDone
	if first.err != nil || err != nil || second.SessionID != first.c.SessionID {
		t.Fatalf("CreateCheckout(bk1) twice at once = %s, %v and %s, %v; want one session",
			first.c.SessionID, first.err, second.SessionID, err)
	}
	if n := len(srv.Sessions()); n != 1 {
		t.Errorf("Stripe made %d sessions for one booking, want 1", n)
	}

	other, err := c.CreateCheckout(ctx, checkoutRequest("bk2"))
	if err != nil || other.SessionID == first.c.SessionID {
		t.Errorf("CreateCheckout(bk2) = %s, %v; want a session of its own", other.SessionID, err)
	}
	changed := req
	changed.ExpiresAt = changed.ExpiresAt.Add(time.Minute)
	if got, err := c.CreateCheckout(ctx, changed); !errors.Is(err, payment.ErrProvider) {
		t.Errorf("CreateCheckout(bk1) with another expiry = %s, %v; want ErrProvider",
			got.SessionID, err)
	}
}
