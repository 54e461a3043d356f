package httpapi

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/marquee-hq/marquee/internal/booking"
)

// maxIdempotencyKey bounds the Idempotency-Key header.
const maxIdempotencyKey = 255

type bookingJSON struct {
	ID            string            `json:"id"`
	UserID        string            `json:"userId"`
	ShowID        string            `json:"showId"`
	Seats         []string          `json:"seats"`
	Amount        int64             `json:"amount"`
	Currency      string            `json:"currency"`
	Status        booking.Status    `json:"status"`
	HoldExpiresAt time.Time         `json:"holdExpiresAt"`
	CreatedAt     time.Time         `json:"createdAt"`
	PaidAt        *time.Time        `json:"paidAt,omitempty"`
	Show          *showSummaryJSON  `json:"show,omitempty"`
	Movie         *movieSummaryJSON `json:"movie,omitempty"`
	User          *userSummaryJSON  `json:"user,omitempty"` // in the admin's list only
}

type showSummaryJSON struct {
	ID       string    `json:"id"`
	StartsAt time.Time `json:"startsAt"`
}

type movieSummaryJSON struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	PosterPath string `json:"posterPath,omitempty"`
	Runtime    int    `json:"runtime,omitempty"`
}

func toBookingJSON(b booking.Booking, now time.Time) bookingJSON {
	out := bookingJSON{
		ID:            b.ID,
		UserID:        b.UserID,
		ShowID:        b.ShowID,
		Seats:         seatIDs(b.Seats),
		Amount:        b.Amount.Amount,
		Currency:      string(b.Amount.Currency),
		Status:        b.Status(now),
		HoldExpiresAt: b.HoldExpiresAt.UTC(),
		CreatedAt:     b.CreatedAt.UTC(),
	}
	if paid := b.PaidAt(); !paid.IsZero() {
		paid = paid.UTC()
		out.PaidAt = &paid
	}
	return out
}

func toListedJSON(l booking.Listed, now time.Time) bookingJSON {
	out := toBookingJSON(l.Booking, now)
	if l.Show.ID != "" {
		out.Show = &showSummaryJSON{ID: l.Show.ID, StartsAt: l.Show.StartsAt.UTC()}
	}
	if l.Movie.ID != "" {
		out.Movie = &movieSummaryJSON{
			ID:         l.Movie.ID,
			Title:      l.Movie.Title,
			PosterPath: l.Movie.PosterPath,
			Runtime:    l.Movie.Runtime,
		}
	}
	return out
}

// newBookingJSON is the body of POST /api/bookings. There is no price or
// amount: the server computes it, and such a field is refused as unknown.
type newBookingJSON struct {
	ShowID string   `json:"showId"`
	Seats  []string `json:"seats"`
}

func (s *Server) createBooking(w http.ResponseWriter, r *http.Request) error {
	key := r.Header.Get("Idempotency-Key")
	if len(key) > maxIdempotencyKey {
		return invalidFields(map[string]string{"Idempotency-Key": "must be at most 255 characters"})
	}
	var body newBookingJSON
	if err := decode(w, r, s.maxBody, &body); err != nil {
		return err
	}

	in := booking.CreateInput{
		UserID:         caller(r).UserID,
		ShowID:         body.ShowID,
		Seats:          body.Seats,
		IdempotencyKey: key,
	}
	b, replayed, err := s.bookings.Create(r.Context(), in)
	s.metrics.Booking(bookingOutcome(err, replayed))
	if replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	if err != nil {
		return err
	}
	return respond(w, http.StatusCreated, map[string]any{"booking": toBookingJSON(b, s.now())})
}

func (s *Server) listBookings(w http.ResponseWriter, r *http.Request) error {
	listed, err := s.bookings.OfUser(r.Context(), caller(r).UserID)
	if err != nil {
		return err
	}

	now := s.now()
	out := make([]bookingJSON, len(listed))
	for i, l := range listed {
		out[i] = toListedJSON(l, now)
	}
	return respond(w, http.StatusOK, map[string]any{"bookings": out})
}

func (s *Server) getBooking(w http.ResponseWriter, r *http.Request) error {
	c, id := caller(r), chi.URLParam(r, "bookingId")

	v := booking.Viewer{UserID: c.UserID, Admin: c.Admin}
	b, err := s.bookings.Booking(r.Context(), v, id)
	if errors.Is(err, booking.ErrNotFound) && !c.Admin && s.roles != nil {
		// Not the caller's: an admin by stored role may still read it.
		admin, rerr := s.roles.IsAdmin(r.Context(), c.UserID)
		if rerr != nil {
			return rerr
		}
		if admin {
			b, err = s.bookings.Booking(r.Context(), booking.Viewer{Admin: true}, id)
		}
	}
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, map[string]any{"booking": toBookingJSON(b, s.now())})
}

func (s *Server) cancelBooking(w http.ResponseWriter, r *http.Request) error {
	b, err := s.bookings.Cancel(r.Context(), caller(r).UserID, chi.URLParam(r, "bookingId"))
	if err != nil {
		return err
	}
	s.metrics.Booking(outcomeCancelled)
	return respond(w, http.StatusOK, map[string]any{"booking": toBookingJSON(b, s.now())})
}
