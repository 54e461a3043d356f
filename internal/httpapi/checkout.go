package httpapi

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/marquee-hq/marquee/internal/payment"
)

// checkoutJSON is the answer of POST /api/bookings/{bookingId}/checkout.
type checkoutJSON struct {
	URL string `json:"url"`
}

// checkoutBooking answers with the payment page of a held booking of the
// caller's; asking again gives the same page.
func (s *Server) checkoutBooking(w http.ResponseWriter, r *http.Request) error {
	if s.payments == nil || !s.payments.Enabled() {
		return payment.ErrDisabled
	}
	c, err := s.payments.Checkout(r.Context(), caller(r).UserID, chi.URLParam(r, "bookingId"))
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, checkoutJSON{URL: c.URL})
}
