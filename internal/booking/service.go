package booking

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/marquee-hq/marquee/internal/dependency"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// Config holds the rules a cinema can tune.
type Config struct {
	Hold     time.Duration // how long seats are held for payment
	MaxSeats int           // seats one booking may take
}

// ShowFinder finds the shows bookings are for.
type ShowFinder interface {
	Show(ctx context.Context, id string) (show.Show, error)
	ShowsByID(ctx context.Context, ids []string) (map[string]show.Show, error)
}

// MovieFinder finds the movies of shows.
type MovieFinder interface {
	MoviesByID(ctx context.Context, ids []string) (map[string]movie.Movie, error)
}

// Events hears of bookings as they are made, so that background work can
// follow them up. It is implemented by jobs.Emitter.
type Events interface {
	// Created is told of each booking made. It cannot fail the booking,
	// because nothing depends on it: an unpaid hold ends by itself (see
	// the package comment). An implementation logs its own failures.
	Created(ctx context.Context, b Booking)
}

// Service makes, finds and ends bookings.
type Service struct {
	store  Store
	shows  ShowFinder
	movies MovieFinder
	events Events // nil: no one is told
	cfg    Config
	now    func() time.Time
	newID  func() string
}

// Option changes a Service made by [NewService].
type Option func(*Service)

// WithEvents has the Service tell e of every booking it makes.
func WithEvents(e Events) Option {
	return func(s *Service) { s.events = e }
}

// NewService returns a Service.
func NewService(store Store, shows ShowFinder, movies MovieFinder, cfg Config,
	now func() time.Time, newID func() string, opts ...Option) *Service {
	s := &Service{store: store, shows: shows, movies: movies, cfg: cfg, now: now, newID: newID}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Viewer is who asks to see a booking.
type Viewer struct {
	UserID string
	Admin  bool
}

// CanSee reports whether v may see b: its owner and admins may.
func (v Viewer) CanSee(b Booking) bool {
	return v.Admin || (v.UserID != "" && v.UserID == b.UserID)
}

// CreateInput asks for seats of a show. IdempotencyKey is optional.
type CreateInput struct {
	UserID         string
	ShowID         string
	Seats          []string
	IdempotencyKey string
}

// Create holds the requested seats for the user, all or none, for the
// configured hold. The amount is the show's price times the seats.
//
// It fails with a *ValidationError (no seats, too many, unknown seat ids, no
// such show), ErrShowStarted, or a *SeatsTakenError, and then holds nothing.
// With an IdempotencyKey the user has used before, it returns the first
// request's booking or error with replayed true; or ErrIdempotencyMismatch
// when the request differs, or ErrIdempotencyInProgress while the first
// request runs, with replayed false.
func (s *Service) Create(ctx context.Context, in CreateInput) (b Booking, replayed bool, err error) {
	seats, err := s.parseSeats(in)
	if err != nil {
		return Booking{}, false, err
	}
	if in.IdempotencyKey == "" {
		b, err := s.create(ctx, in.UserID, in.ShowID, seats, s.newID())
		return b, false, err
	}

	k := IdempotencyKey{
		UserID:      in.UserID,
		Key:         in.IdempotencyKey,
		Fingerprint: fingerprint(in.ShowID, seats),
		BookingID:   s.newID(),
		CreatedAt:   s.now(),
	}
	err = s.store.InsertIdempotencyKey(ctx, k)
	if errors.Is(err, ErrKeyExists) {
		b, err := s.replay(ctx, k)
		var taken *SeatsTakenError
		replayed := err == nil || errors.As(err, &taken) || errors.Is(err, ErrShowStarted)
		return b, replayed, err
	}
	if err != nil {
		return Booking{}, false, fmt.Errorf("create booking: %w", err)
	}

	b, err = s.create(ctx, in.UserID, in.ShowID, seats, k.BookingID)
	return b, false, s.remember(ctx, k, err)
}

func (s *Service) parseSeats(in CreateInput) ([]show.Seat, error) {
	fields := map[string]string{}
	if in.ShowID == "" {
		fields["showId"] = "is required"
	}
	switch {
	case len(in.Seats) == 0:
		fields["seats"] = "must name at least one seat"
	case len(in.Seats) > s.cfg.MaxSeats:
		fields["seats"] = fmt.Sprintf("must name at most %d seats", s.cfg.MaxSeats)
	}

	seats := make([]show.Seat, 0, len(in.Seats))
	var bad []string
	for _, id := range in.Seats {
		seat, err := show.ParseSeat(id)
		if err != nil || slices.Contains(seats, seat) {
			bad = append(bad, fmt.Sprintf("%q", id))
			continue
		}
		seats = append(seats, seat)
	}
	if len(bad) > 0 && fields["seats"] == "" {
		fields["seats"] = "has invalid or repeated seat ids: " + strings.Join(bad, ", ")
	}

	if len(fields) > 0 {
		return nil, &ValidationError{Fields: fields}
	}
	slices.SortFunc(seats, compareSeats)
	return seats, nil
}

func compareSeats(a, b show.Seat) int {
	switch {
	case a.Less(b):
		return -1
	case b.Less(a):
		return 1
	}
	return 0
}

// create validates the request against the show, claims every seat and
// stores the booking. Seats are claimed in one order for everyone, so of two
// buyers whose seats overlap, the one who claims the first shared seat wins.
func (s *Service) create(ctx context.Context, userID, showID string, seats []show.Seat,
	id string) (Booking, error) {
	sh, err := s.shows.Show(ctx, showID)
	if errors.Is(err, show.ErrNotFound) {
		return Booking{}, &ValidationError{Fields: map[string]string{"showId": "names no show"}}
	}
	if err != nil {
		return Booking{}, fmt.Errorf("create booking: %w", err)
	}

	// Stored times keep milliseconds; answer with what a later read gives.
	now := s.now().UTC().Truncate(time.Millisecond)
	if sh.Started(now) {
		return Booking{}, ErrShowStarted
	}
	if err := checkLayout(sh.Layout, seats); err != nil {
		return Booking{}, err
	}

	b := Booking{
		ID:            id,
		UserID:        userID,
		ShowID:        showID,
		Seats:         seats,
		Amount:        sh.Price.Times(len(seats)),
		HoldExpiresAt: now.Add(s.cfg.Hold),
		CreatedAt:     now,
	}
	if err := s.claimAll(ctx, b); err != nil {
		return Booking{}, err
	}

	if err := s.store.InsertBooking(ctx, b); err != nil {
		return Booking{}, errors.Join(fmt.Errorf("create booking %s: %w", b.ID, err), s.abandon(ctx, b))
	}
	if err := s.checkNotOrphaned(ctx, b, now); err != nil {
		return Booking{}, err
	}
	if s.events != nil {
		s.events.Created(ctx, b)
	}
	return b, nil
}

// checkNotOrphaned makes sure that a booking whose creation took so long
// that another buyer could take it for orphaned was not given up meanwhile:
// then its seats may be someone else's, and the buyer must try again.
func (s *Service) checkNotOrphaned(ctx context.Context, b Booking, began time.Time) error {
	if s.now().Sub(began) < orphanGrace/3 {
		return nil
	}
	settled, err := s.store.Settlements(ctx, []string{b.ID})
	if err != nil {
		return fmt.Errorf("create booking %s: %w", b.ID, err)
	}
	if st, ok := settled[b.ID]; ok {
		return fmt.Errorf("create booking %s: given up as %s after %v: %w", b.ID, st.Outcome,
			s.now().Sub(began), dependency.ErrUnavailable)
	}
	return nil
}

func checkLayout(l show.Layout, seats []show.Seat) error {
	var bad []string
	for _, seat := range seats {
		if !l.Contains(seat) {
			bad = append(bad, seat.String())
		}
	}
	if len(bad) > 0 {
		msg := "are not in the show's layout: " + strings.Join(bad, ", ")
		return &ValidationError{Fields: map[string]string{"seats": msg}}
	}
	return nil
}

// abandon ends a booking whose creation failed, which frees any seat it had
// claimed. It runs even when the request was cancelled.
func (s *Service) abandon(ctx context.Context, b Booking) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()

	st := Settlement{BookingID: b.ID, ShowID: b.ShowID, Outcome: OutcomeAbandoned, At: s.now()}
	if err := s.store.Settle(ctx, st); err != nil && !errors.Is(err, ErrSettled) {
		return fmt.Errorf("abandon booking %s: %w", b.ID, err)
	}
	return nil
}

func fingerprint(showID string, seats []show.Seat) string {
	var sb strings.Builder
	sb.WriteString(showID)
	for _, seat := range seats {
		sb.WriteByte(' ')
		sb.WriteString(seat.String())
	}
	return sb.String()
}
