package user

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Store keeps the versions of users (see the package comment). No method
// updates a document in place. It is implemented by mongostore.Users.
type Store interface {
	// InsertVersion stores u as the user's state at u.ClerkUpdatedAt, or
	// fails with ErrVersionExists when that version is stored already.
	InsertVersion(ctx context.Context, u User) error
	// InsertTombstone records that the user was deleted at the given time.
	// The tombstone outranks every version; storing it twice is not an
	// error.
	InsertTombstone(ctx context.Context, id string, at time.Time) error
	// Newest returns the user's newest version. It fails with ErrDeleted
	// when the user has a tombstone, and ErrNotFound when nothing of the
	// user is stored.
	Newest(ctx context.Context, id string) (User, error)
	// DeleteVersionsBefore deletes the user's versions older than t. It
	// never deletes a tombstone.
	DeleteVersionsBefore(ctx context.Context, id string, t time.Time) error
	// DeleteVersion deletes the user's version at t, if it is stored.
	DeleteVersion(ctx context.Context, id string, t time.Time) error
	// Count counts the users that have a version and no tombstone.
	Count(ctx context.Context) (int, error)
	// DeleteFavorites forgets the user's favourite movies and returns how
	// many there were.
	DeleteFavorites(ctx context.Context, userID string) (int, error)
}

// HoldCanceller ends the bookings of a user who is gone. It is
// implemented by booking.Service.
type HoldCanceller interface {
	// CancelHeldOfUser cancels the user's held bookings, so their seats
	// are free at once, keeps the paid ones and returns how many it
	// cancelled. Calling it again cancels nothing more.
	CancelHeldOfUser(ctx context.Context, userID string) (int, error)
}

// Service mirrors Clerk's users.
type Service struct {
	store    Store
	bookings HoldCanceller
	now      func() time.Time
}

// NewService returns a Service.
func NewService(store Store, bookings HoldCanceller, now func() time.Time) *Service {
	return &Service{store: store, bookings: bookings, now: now}
}

// Upsert stores the user c describes, unless a newer version of the user,
// or the user's deletion, is stored already. It reports whether c is now the
// user's newest version; storing the same version again reports true.
//
// It fails with [ErrInvalid] for a Clerk user without an id or an
// updated_at; other errors are worth retrying.
func (s *Service) Upsert(ctx context.Context, c ClerkUser) (bool, error) {
	u, err := c.User(s.now())
	if err != nil {
		return false, err
	}

	err = s.store.InsertVersion(ctx, u)
	if err != nil && !errors.Is(err, ErrVersionExists) {
		return false, fmt.Errorf("upsert user %s: %w", u.ID, err)
	}

	// Every version is stored by now, ours included. Whichever is newest
	// wins; the others may go, as their writers will agree.
	newest, err := s.store.Newest(ctx, u.ID)
	switch {
	case errors.Is(err, ErrDeleted):
		return false, s.dropVersion(ctx, u)
	case err != nil:
		return false, fmt.Errorf("upsert user %s: %w", u.ID, err)
	case newest.ClerkUpdatedAt.After(u.ClerkUpdatedAt):
		return false, s.dropVersion(ctx, u)
	}

	if err := s.store.DeleteVersionsBefore(ctx, u.ID, u.ClerkUpdatedAt); err != nil {
		return true, fmt.Errorf("upsert user %s: drop older versions: %w", u.ID, err)
	}
	return true, nil
}

// dropVersion deletes u's version after a newer one, or a tombstone, was
// seen stored.
func (s *Service) dropVersion(ctx context.Context, u User) error {
	if err := s.store.DeleteVersion(ctx, u.ID, u.ClerkUpdatedAt); err != nil {
		return fmt.Errorf("upsert user %s: drop superseded version: %w", u.ID, err)
	}
	return nil
}

// Delete removes the user for good: their held bookings are cancelled so
// the seats are free at once, paid bookings are kept (the money was taken),
// their favourites are forgotten, and a tombstone keeps a late update from
// bringing them back. Deleting a user twice, or one never stored, is not an
// error.
func (s *Service) Delete(ctx context.Context, id string) (Deletion, error) {
	if id == "" {
		return Deletion{}, fmt.Errorf("%w: no id", ErrInvalid)
	}

	var d Deletion
	var err error
	if d.CancelledBookings, err = s.bookings.CancelHeldOfUser(ctx, id); err != nil {
		return d, fmt.Errorf("delete user %s: %w", id, err)
	}
	if d.Favorites, err = s.store.DeleteFavorites(ctx, id); err != nil {
		return d, fmt.Errorf("delete user %s: %w", id, err)
	}

	// The tombstone goes first: from then on the user is gone for readers,
	// and the versions left behind are only garbage.
	if err := s.store.InsertTombstone(ctx, id, s.now()); err != nil {
		return d, fmt.Errorf("delete user %s: %w", id, err)
	}
	if err := s.store.DeleteVersionsBefore(ctx, id, maxTime); err != nil {
		return d, fmt.Errorf("delete user %s: drop versions: %w", id, err)
	}
	return d, nil
}

// maxTime is later than any version of a user.
var maxTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// User returns the user with id, or ErrNotFound.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	u, err := s.store.Newest(ctx, id)
	if errors.Is(err, ErrDeleted) {
		err = ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("find user %s: %w", id, err)
	}
	return u, nil
}

// IsAdmin reports whether the user's stored role is admin. Unknown and
// deleted users are not admins.
func (s *Service) IsAdmin(ctx context.Context, id string) (bool, error) {
	u, err := s.User(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return u.Role == RoleAdmin, nil
}

// Count counts the users who have not been deleted.
func (s *Service) Count(ctx context.Context) (int, error) {
	n, err := s.store.Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return n, nil
}
