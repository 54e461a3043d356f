package payment

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
)

// MinSessionLifetime is the shortest time Stripe lets a checkout session
// live, counted from its creation.
const MinSessionLifetime = 30 * time.Minute

// MaxSessionLifetime is the longest time Stripe lets a checkout session
// live.
const MaxSessionLifetime = 24 * time.Hour

// sessionMargin is added to MinSessionLifetime so that a session asked for
// at the end of a hold is still at least that long-lived when the provider's
// clock creates it.
const sessionMargin = time.Minute

// Bookings is what the service needs of package booking. It is implemented
// by booking.Service.
type Bookings interface {
	// Detail returns the booking with its show and movie, or
	// booking.ErrNotFound.
	Detail(ctx context.Context, id string) (booking.Listed, error)
	// Pay records the payment and settles the booking as paid unless it
	// ended already. It fails with booking.ErrNotFound or
	// booking.ErrAmountMismatch.
	Pay(ctx context.Context, p booking.Payment) (booking.Booking, error)
	// Expire ends an unpaid booking as expired and reports whether this
	// call ended it. It fails with booking.ErrNotFound.
	Expire(ctx context.Context, id string) (booking.Booking, bool, error)
}

// Config holds where the provider sends buyers back to, and how the
// payment page names the show.
type Config struct {
	// ClientURL is the web client's base URL, without a trailing slash.
	// Buyers come back to its /my-bookings page after paying or giving up.
	ClientURL string

	// Location is the theatre's time zone, in which the payment page
	// gives the show's start; nil means UTC.
	Location *time.Location
}

// Service opens checkout sessions for bookings and settles bookings by what
// the provider reports.
type Service struct {
	gateway  Gateway // nil when payments are not configured
	store    Store
	bookings Bookings
	cfg      Config
	now      func() time.Time
}

// NewService returns a Service. A nil gateway means payments are not
// configured: checkouts fail with ErrDisabled, while reports of sessions
// opened before are still handled.
func NewService(gateway Gateway, store Store, bookings Bookings, cfg Config,
	now func() time.Time) *Service {
	return &Service{gateway: gateway, store: store, bookings: bookings, cfg: cfg, now: now}
}

// Enabled reports whether checkout sessions can be opened.
func (s *Service) Enabled() bool { return s.gateway != nil }

// Checkout returns the checkout session of a held booking of the user's,
// opening it on the first call. Later calls return the same session, which
// lives at least as long as the hold.
//
// It fails with ErrDisabled, booking.ErrNotFound for a booking that is not
// the user's, booking.ErrNotHeld for one that has ended or whose hold ran
// out, and ErrProvider.
func (s *Service) Checkout(ctx context.Context, userID, bookingID string) (Checkout, error) {
	if s.gateway == nil {
		return Checkout{}, ErrDisabled
	}
	l, err := s.bookings.Detail(ctx, bookingID)
	if err != nil {
		return Checkout{}, fmt.Errorf("checkout booking %s: %w", bookingID, err)
	}
	if !(booking.Viewer{UserID: userID}).CanSee(l.Booking) {
		return Checkout{}, booking.ErrNotFound
	}
	if l.Status(s.now()) != booking.StatusHeld {
		return Checkout{}, booking.ErrNotHeld
	}

	c, err := s.store.Checkout(ctx, bookingID)
	if err == nil {
		return c, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Checkout{}, fmt.Errorf("checkout booking %s: %w", bookingID, err)
	}
	return s.open(ctx, l)
}

// open asks the provider for the session of l and stores it, unless a
// concurrent request stored it first.
//
// NOTE: the provider gives every request for a booking the same session
// (see [Gateway]), so a session is never closed just because storing it
// failed or another request stored it first: it is the stored one, or the
// one a retry will store. Closing it would leave the retry, which gets the
// same session back, with a page that can no longer be paid.
func (s *Service) open(ctx context.Context, l booking.Listed) (Checkout, error) {
	c, err := s.gateway.CreateCheckout(ctx, CheckoutRequest{
		BookingID:   l.ID,
		Amount:      l.Amount,
		Description: describe(l, s.cfg.Location),
		SuccessURL:  s.returnURL(l.ID, "success"),
		CancelURL:   s.returnURL(l.ID, "cancelled"),
		ExpiresAt:   sessionExpiry(l.Booking),
	})
	if err != nil {
		return Checkout{}, fmt.Errorf("checkout booking %s: %w", l.ID, err)
	}
	c.BookingID, c.CreatedAt = l.ID, s.now()

	err = s.store.InsertCheckout(ctx, c)
	if errors.Is(err, ErrCheckoutExists) {
		return s.stored(ctx, c)
	}
	if err != nil {
		return Checkout{}, fmt.Errorf("checkout booking %s: %w", l.ID, err)
	}
	return c, nil
}

// stored returns the booking's stored session, which another request stored
// while this one made c. Should c be another session, one the provider made
// without knowing of the stored one (for a session stored before the
// gateway's requests were the booking's, or once the provider has forgotten
// the request, after a day at Stripe), c is closed.
func (s *Service) stored(ctx context.Context, c Checkout) (Checkout, error) {
	stored, err := s.store.Checkout(ctx, c.BookingID)
	if err != nil {
		return Checkout{}, fmt.Errorf("checkout booking %s: %w", c.BookingID, err)
	}
	if stored.SessionID == c.SessionID {
		return stored, nil
	}
	if err := s.gateway.ExpireCheckout(context.WithoutCancel(ctx), c.SessionID); err != nil {
		return Checkout{}, fmt.Errorf("checkout booking %s: close the extra session: %w",
			c.BookingID, err)
	}
	return stored, nil
}

// sessionExpiry is when the checkout session of b ends: the provider's
// shortest lifetime, and a margin, after the hold ends, so that the session
// outlives the hold whenever during the hold it is opened. It depends on the
// booking alone, never on the time of the request, because every attempt
// must ask the provider for exactly the same session (see [Gateway]).
//
// A session lives at most the provider's longest lifetime, counted here
// from the booking. So with a hold of nearly a day, a session opened late
// in the hold would end too soon, and the provider refuses it.
func sessionExpiry(b booking.Booking) time.Time {
	expires := b.HoldExpiresAt.Add(MinSessionLifetime + sessionMargin)
	if longest := b.CreatedAt.Add(MaxSessionLifetime - sessionMargin); expires.After(longest) {
		expires = longest
	}
	return expires
}

// returnURL is the client page a buyer comes back to, with what happened.
func (s *Service) returnURL(bookingID, outcome string) string {
	q := url.Values{"bookingId": {bookingID}, "checkout": {outcome}}
	return s.cfg.ClientURL + "/my-bookings?" + q.Encode()
}

// describe names what is bought: the movie, the show's local start and the
// seats.
func describe(l booking.Listed, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	seats := make([]string, len(l.Seats))
	for i, seat := range l.Seats {
		seats[i] = seat.String()
	}
	title := l.Movie.Title
	if title == "" {
		title = "Show"
	}
	return fmt.Sprintf("%s, %s, seats %s", title,
		l.Show.StartsAt.In(loc).Format("Mon 2 Jan 2006 15:04 MST"), strings.Join(seats, ", "))
}

// CloseCheckout closes the booking's checkout session, if it has one, so
// that it can no longer be paid. It is called once the booking has ended
// unpaid; with payments not configured it does nothing.
func (s *Service) CloseCheckout(ctx context.Context, bookingID string) error {
	if s.gateway == nil {
		return nil
	}
	c, err := s.store.Checkout(ctx, bookingID)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("close checkout of booking %s: %w", bookingID, err)
	}
	if err := s.gateway.ExpireCheckout(ctx, c.SessionID); err != nil {
		return fmt.Errorf("close checkout of booking %s: %w", bookingID, err)
	}
	return nil
}
