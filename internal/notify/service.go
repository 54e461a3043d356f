package notify

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

// Bookings finds the bookings notices are about. It is implemented by
// booking.Service.
type Bookings interface {
	// Detail returns the booking with its show and movie, or
	// booking.ErrNotFound.
	Detail(ctx context.Context, id string) (booking.Listed, error)
	// PaidForShows returns the paid bookings of the shows.
	PaidForShows(ctx context.Context, showIDs []string) ([]booking.Listed, error)
}

// Users finds whom to write to. It is implemented by user.Service.
type Users interface {
	// User returns the user with id, or user.ErrNotFound.
	User(ctx context.Context, id string) (user.User, error)
}

// Recipients pages through every user, for news. It is implemented by
// mongostore.Users.
type Recipients interface {
	// UsersAfter returns up to limit users whose id sorts after the
	// cursor "after" ("" for the first page), in id order, and the cursor
	// of the next page, "" after the last.
	UsersAfter(ctx context.Context, after string, limit int) ([]user.User, string, error)
}

// Shows finds shows. It is implemented by show.Service.
type Shows interface {
	// Find returns the shows that match f, soonest first.
	Find(ctx context.Context, f show.Filter) ([]show.Show, error)
}

// Movies finds movies. It is implemented by movie.Service.
type Movies interface {
	// Movie returns the movie with id, or movie.ErrNotFound.
	Movie(ctx context.Context, id string) (movie.Movie, error)
}

// Reminders records which bookings were reminded of their show. It is
// implemented by mongostore.Reminders.
type Reminders interface {
	// InsertReminder records the booking's reminder, or fails with
	// ErrReminded when it is recorded already.
	InsertReminder(ctx context.Context, bookingID string, at time.Time) error
	// DeleteReminder forgets the booking's reminder.
	DeleteReminder(ctx context.Context, bookingID string) error
}

// ErrReminded is returned by [Reminders.InsertReminder] when the booking
// has been reminded already.
var ErrReminded = errors.New("reminder recorded")

// Config holds what messages link to and how they tell time.
type Config struct {
	// ClientURL is the web client's base URL, without a trailing slash.
	ClientURL string
	// Location is the theatre's time zone; nil means UTC.
	Location *time.Location
	// ReminderWindow is how long before its show a booking is reminded.
	ReminderWindow time.Duration
}

// Deps are the collaborators of a [Service]. Mailer may be nil: e-mail is
// then off.
type Deps struct {
	Mailer     Mailer
	Bookings   Bookings
	Users      Users
	Recipients Recipients
	Shows      Shows
	Movies     Movies
	Reminders  Reminders
}

// Service writes the notices.
type Service struct {
	Deps
	cfg Config
	loc *time.Location
	now func() time.Time
}

// NewService returns a Service.
func NewService(d Deps, cfg Config, now func() time.Time) *Service {
	return &Service{Deps: d, cfg: cfg, loc: location(cfg.Location), now: now}
}

// Enabled reports whether e-mail is on.
func (s *Service) Enabled() bool { return s.Mailer != nil }

// Confirmation tells the buyer of a paid booking that it is paid. It
// reports NotDue for a booking that is not paid.
func (s *Service) Confirmation(ctx context.Context, bookingID string) (Outcome, error) {
	return s.tellBuyer(ctx, kindConfirmation, bookingID, booking.StatusPaid)
}

// HoldExpired tells the buyer that their unpaid hold ran out and the seats
// were released. It reports NotDue for a booking that is not expired.
func (s *Service) HoldExpired(ctx context.Context, bookingID string) (Outcome, error) {
	return s.tellBuyer(ctx, kindExpired, bookingID, booking.StatusExpired)
}

// RefundDue tells the buyer that their payment came after the booking
// ended and will be refunded. It reports NotDue for a booking that is not
// refund_due.
func (s *Service) RefundDue(ctx context.Context, bookingID string) (Outcome, error) {
	return s.tellBuyer(ctx, kindRefund, bookingID, booking.StatusRefundDue)
}

// tellBuyer sends the message of kind about a booking in status want to its
// buyer. A message the server rejects fails with ErrRejected.
func (s *Service) tellBuyer(ctx context.Context, kind, bookingID string,
	want booking.Status) (Outcome, error) {
	if s.Mailer == nil {
		return Skipped, nil
	}
	msg, out, err := s.buyerMessage(ctx, kind, bookingID, want)
	if err != nil || out != "" {
		return out, err
	}
	return s.sendOne(ctx, msg)
}

// buyerMessage makes the message of kind for the buyer of a booking, or
// returns the outcome that stops it.
func (s *Service) buyerMessage(ctx context.Context, kind, bookingID string,
	want booking.Status) (Message, Outcome, error) {
	l, err := s.Bookings.Detail(ctx, bookingID)
	if err != nil {
		return Message{}, "", fmt.Errorf("%s of booking %s: %w", kind, bookingID, err)
	}
	if l.Status(s.now()) != want {
		return Message{}, NotDue, nil
	}

	u, err := s.Users.User(ctx, l.UserID)
	if errors.Is(err, user.ErrNotFound) || (err == nil && u.Email == "") {
		return Message{}, NoAddress, nil
	}
	if err != nil {
		return Message{}, "", fmt.Errorf("%s of booking %s: %w", kind, bookingID, err)
	}

	msg, err := s.bookingMessage(kind, u.Email, u.Name, l)
	return msg, "", err
}

func (s *Service) sendOne(ctx context.Context, msg Message) (Outcome, error) {
	errs, err := s.Mailer.Send(ctx, []Message{msg})
	if err != nil {
		return "", fmt.Errorf("send %q: %w", msg.Subject, err)
	}
	if errs[0] != nil {
		return "", fmt.Errorf("send %q: %w", msg.Subject, errs[0])
	}
	return Sent, nil
}

// DueReminders returns the ids of the paid bookings whose show starts
// within the reminder window from now, sorted.
func (s *Service) DueReminders(ctx context.Context) ([]string, error) {
	now := s.now()
	shows, err := s.Shows.Find(ctx, show.Filter{From: now, To: now.Add(s.cfg.ReminderWindow)})
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	ids := make([]string, len(shows))
	for i, sh := range shows {
		ids[i] = sh.ID
	}

	paid, err := s.Bookings.PaidForShows(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("due reminders: %w", err)
	}
	due := make([]string, len(paid))
	for i, l := range paid {
		due[i] = l.ID
	}
	slices.Sort(due)
	return due, nil
}

// Remind reminds the buyer of a paid booking of its show, once: a booking
// reminded before reports AlreadySent, whoever sent it.
//
// NOTE: the reminder is recorded under the booking's id before it is sent,
// so that of two runs only one sends. A send that fails forgets the record
// again, so that a later run tries anew; a run that dies between the two
// loses that one reminder rather than risk sending it twice.
func (s *Service) Remind(ctx context.Context, bookingID string) (Outcome, error) {
	if s.Mailer == nil {
		return Skipped, nil
	}
	msg, out, err := s.buyerMessage(ctx, kindReminder, bookingID, booking.StatusPaid)
	if err != nil || out != "" {
		return out, err
	}

	err = s.Reminders.InsertReminder(ctx, bookingID, s.now())
	if errors.Is(err, ErrReminded) {
		return AlreadySent, nil
	}
	if err != nil {
		return "", fmt.Errorf("remind booking %s: %w", bookingID, err)
	}

	out, err = s.sendOne(ctx, msg)
	if err != nil && !errors.Is(err, ErrRejected) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if derr := s.Reminders.DeleteReminder(ctx, bookingID); derr != nil {
			return "", errors.Join(err, fmt.Errorf("forget reminder: %w", derr))
		}
	}
	return out, err
}
