// Package user keeps the server's copy of the people who sign in with Clerk.
//
// Clerk owns the users; this package mirrors what its webhooks say, so that
// the API can show profiles, count users and find admins without calling
// Clerk. Every change arrives as a whole user stamped with Clerk's
// updated_at, possibly late, twice or out of order, and a newer state must
// never be overwritten by an older one.
//
// NOTE: FerretDB does not make conditional updates atomic, so "update if
// newer" cannot be one write. Each state is instead inserted as a version of
// its own, keyed by (user id, Clerk's updated_at), and the newest version is
// the user. Inserting a version never conflicts with another, and a version
// is only ever deleted by a writer that has seen a newer one stored, so the
// newest survives any interleaving of writers. A deleted user gets a
// tombstone that outranks every version, so a late update cannot bring the
// user back. Relying on Inngest running one function at a time per user
// would have been simpler, but it would make correctness depend on the
// queue's configuration rather than on the database.
package user

import (
	"errors"
	"time"
)

// Role is what a user may do.
type Role string

// The roles of users.
const (
	RoleUser  Role = "user"
	RoleAdmin Role = "admin"
)

// User is someone who signed up with Clerk.
type User struct {
	ID       string // the Clerk user id, such as "user_2abc..."
	Name     string // first and last name, either of which may be missing
	Email    string // the primary e-mail address, or ""
	ImageURL string
	Role     Role

	// ClerkUpdatedAt is when Clerk last changed the user; it orders the
	// versions of a user.
	ClerkUpdatedAt time.Time
	// CreatedAt is when the user signed up with Clerk.
	CreatedAt time.Time
	// UpdatedAt is when this server stored this version.
	UpdatedAt time.Time
}

// Deletion says what deleting a user removed.
type Deletion struct {
	// CancelledBookings counts the held bookings that were cancelled.
	CancelledBookings int
	// Favorites counts the favourite movies that were forgotten.
	Favorites int
}

// ErrNotFound means no user has the given id, or the user was deleted.
var ErrNotFound = errors.New("user not found")

// ErrInvalid means a Clerk user lacks what every user must have, such as an
// id or a time of its last update. Trying again will not help.
var ErrInvalid = errors.New("invalid clerk user")

// ErrVersionExists is returned by [Store.InsertVersion] when the user's
// version at that time is stored already.
var ErrVersionExists = errors.New("user version exists")

// ErrDeleted is returned by [Store.Newest] when the user's tombstone is
// stored: the user was deleted and stays deleted.
var ErrDeleted = errors.New("user deleted")
