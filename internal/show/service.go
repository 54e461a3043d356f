package show

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/page"
)

// Store keeps shows. It is implemented by mongostore.Shows.
type Store interface {
	// InsertMany stores shows, all or none. A start time already taken for
	// the movie fails with a *DuplicateError naming the clashing times.
	InsertMany(ctx context.Context, shows []Show) error
	// Show returns the show with id, or ErrNotFound.
	Show(ctx context.Context, id string) (Show, error)
	// Find returns shows that match f, soonest first.
	Find(ctx context.Context, f Filter) ([]Show, error)
	// Delete removes the show with id, or returns ErrNotFound.
	Delete(ctx context.Context, id string) error
}

// Closer ends the bookings of a show that is about to be deleted.
type Closer interface {
	// CloseShow ends every booking of the show that has not ended, or
	// fails with ErrHasPaidBookings, ending nothing, when one is paid.
	CloseShow(ctx context.Context, showID string) error
}

// MovieChecker tells whether a movie exists.
type MovieChecker interface {
	MovieExists(ctx context.Context, id string) (bool, error)
}

// Filter selects shows. Zero fields select everything.
type Filter struct {
	MovieID string
	From    time.Time // start at or after
	To      time.Time // start before
	// After leaves out the shows up to and including this position in
	// the order shows are found in: by start time, then by id.
	After page.Cursor
	Limit int
}

// ScheduleInput asks for one show of a movie per start time.
type ScheduleInput struct {
	MovieID    string
	Price      money.Money
	StartTimes []time.Time
	Layout     Layout
}

// ErrUnknownMovie is returned by [Service.Schedule] for a movie id that is
// not in the catalogue.
var ErrUnknownMovie = errors.New("movie not found")

// MaxPrice is the highest price of a seat, in the currency's minor unit:
// the most Stripe charges for one item. It also keeps a booking's amount,
// price times seats, far from overflowing.
const MaxPrice = 99_999_999

// ErrInvalidPrice is returned by [Service.Schedule] for a price that is not
// between 1 and MaxPrice.
var ErrInvalidPrice = errors.New("price must be between 1 and 99999999 minor units")

// ErrPastStart is returned by [Service.Schedule] for a start time that is not
// in the future.
var ErrPastStart = errors.New("start time is in the past")

// Events hears of shows as they are scheduled, so that background work can
// follow them up. It is implemented by jobs.Emitter.
type Events interface {
	// Scheduled is told of the shows of one movie scheduled together. It
	// cannot fail the scheduling; an implementation logs its own failures.
	Scheduled(ctx context.Context, shows []Show)
}

// Service schedules and finds shows.
type Service struct {
	store  Store
	movies MovieChecker
	closer Closer
	events Events // nil: no one is told
	now    func() time.Time
	newID  func() string
}

// Option changes a Service made by [NewService].
type Option func(*Service)

// WithEvents has the Service tell e of the shows it schedules.
func WithEvents(e Events) Option {
	return func(s *Service) { s.events = e }
}

// NewService returns a Service. now and newID are injected so tests control
// time and ids.
func NewService(store Store, movies MovieChecker, closer Closer,
	now func() time.Time, newID func() string, opts ...Option) *Service {
	s := &Service{store: store, movies: movies, closer: closer, now: now, newID: newID}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Schedule stores one show per start time, all or none. It fails with
// ErrInvalidPrice, ErrUnknownMovie, ErrPastStart, or a *DuplicateError.
func (s *Service) Schedule(ctx context.Context, in ScheduleInput) ([]Show, error) {
	if in.Price.Amount < 1 || in.Price.Amount > MaxPrice {
		return nil, ErrInvalidPrice
	}
	ok, err := s.movies.MovieExists(ctx, in.MovieID)
	if err != nil {
		return nil, fmt.Errorf("schedule shows of movie %s: %w", in.MovieID, err)
	}
	if !ok {
		return nil, ErrUnknownMovie
	}

	now := s.now()
	shows := make([]Show, 0, len(in.StartTimes))
	for _, t := range in.StartTimes {
		if !t.After(now) {
			return nil, ErrPastStart
		}
		shows = append(shows, Show{
			ID:        s.newID(),
			MovieID:   in.MovieID,
			StartsAt:  t.UTC().Truncate(time.Second),
			Price:     in.Price,
			Layout:    in.Layout,
			CreatedAt: now,
		})
	}
	slices.SortFunc(shows, func(a, b Show) int { return a.StartsAt.Compare(b.StartsAt) })

	if err := s.store.InsertMany(ctx, shows); err != nil {
		return nil, fmt.Errorf("schedule shows of movie %s: %w", in.MovieID, err)
	}
	if s.events != nil {
		s.events.Scheduled(ctx, shows)
	}
	return shows, nil
}

// Show returns the show with id, or ErrNotFound.
func (s *Service) Show(ctx context.Context, id string) (Show, error) {
	sh, err := s.store.Show(ctx, id)
	if err != nil {
		return Show{}, fmt.Errorf("find show %s: %w", id, err)
	}
	return sh, nil
}

// Find returns the shows that match f, soonest first.
func (s *Service) Find(ctx context.Context, f Filter) ([]Show, error) {
	shows, err := s.store.Find(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("find shows: %w", err)
	}
	return shows, nil
}

// Upcoming returns the shows that have not started yet, soonest first.
func (s *Service) Upcoming(ctx context.Context, movieID string) ([]Show, error) {
	return s.Find(ctx, Filter{MovieID: movieID, From: s.now()})
}

// Delete removes a show nobody has paid for. Its held bookings are
// cancelled first, so that none of them can still be paid. It fails with
// ErrNotFound or ErrHasPaidBookings.
func (s *Service) Delete(ctx context.Context, id string) error {
	if _, err := s.store.Show(ctx, id); err != nil {
		return fmt.Errorf("delete show %s: %w", id, err)
	}

	if err := s.closer.CloseShow(ctx, id); err != nil {
		return fmt.Errorf("delete show %s: %w", id, err)
	}

	if err := s.store.Delete(ctx, id); err != nil {
		return fmt.Errorf("delete show %s: %w", id, err)
	}
	return nil
}
