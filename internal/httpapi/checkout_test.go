package httpapi_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/stripe/stripetest"
)

// TestCheckoutWithoutStripe: with no STRIPE_SECRET_KEY the route answers
// 503 payments_disabled, and the booking stays held. The route with Stripe
// is exercised end to end in package e2e.
func TestCheckoutWithoutStripe(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	tok := a.token("user_ada")

	order := map[string]any{"showId": sh.ID, "seats": []string{"A1"}}
	res := a.do(http.MethodPost, "/api/bookings", tok, order)
	if res.status != http.StatusCreated {
		t.Fatalf("POST /api/bookings: %d %s, want 201", res.status, res.body)
	}
	var created struct{ Booking struct{ ID string } }
	res.decode(t, &created)

	path := "/api/bookings/" + created.Booking.ID + "/checkout"
	res = a.do(http.MethodPost, path, tok, nil)
	if res.status != http.StatusServiceUnavailable || res.problemCode() != "payments_disabled" {
		t.Errorf("POST %s without Stripe: %d %q, want 503 payments_disabled", path, res.status,
			res.problemCode())
	}
	if res = a.do(http.MethodPost, path, "", nil); res.status != http.StatusUnauthorized {
		t.Errorf("POST %s signed out: %d, want 401", path, res.status)
	}

	var got struct{ Booking struct{ Status string } }
	a.do(http.MethodGet, "/api/bookings/"+created.Booking.ID, tok, nil).decode(t, &got)
	if got.Booking.Status != "held" {
		t.Errorf("booking after a refused checkout: %s, want held", got.Booking.Status)
	}
}

// TestCheckoutStripeTimeout: a Stripe call that runs out of the request's
// time answers 502 payment_provider_unavailable, not the 503 of other
// timeouts, and the booking stays held.
func TestCheckoutStripeTimeout(t *testing.T) {
	t.Parallel()
	stripe := stripetest.NewServer(t)
	a := newTestAPI(t, apiOptions{stripe: stripe.URL,
		limits: httpapi.Limits{RequestTimeout: 3 * time.Second}})
	sh := a.seedShow(24 * time.Hour)
	tok := a.token("user_ada")

	order := map[string]any{"showId": sh.ID, "seats": []string{"A2"}}
	res := a.do(http.MethodPost, "/api/bookings", tok, order)
	if res.status != http.StatusCreated {
		t.Fatalf("POST /api/bookings: %d %s, want 201", res.status, res.body)
	}
	var created struct{ Booking struct{ ID string } }
	res.decode(t, &created)

	stripe.AnswerLate(time.Minute)
	path := "/api/bookings/" + created.Booking.ID + "/checkout"
	res = a.do(http.MethodPost, path, tok, nil)
	if res.status != http.StatusBadGateway || res.problemCode() != "payment_provider_unavailable" {
		t.Errorf("POST %s with Stripe too slow: %d %s, want 502 payment_provider_unavailable",
			path, res.status, res.body)
	}

	var got struct{ Booking struct{ Status string } }
	a.do(http.MethodGet, "/api/bookings/"+created.Booking.ID, tok, nil).decode(t, &got)
	if got.Booking.Status != "held" {
		t.Errorf("booking after the timed-out checkout: %s, want held", got.Booking.Status)
	}
}
