package user

import (
	"fmt"
	"strings"
	"time"
)

// ClerkUser is a user the way Clerk describes one in a user.created or
// user.updated webhook, already decoded.
type ClerkUser struct {
	ID             string
	FirstName      string // "" when Clerk sends null or nothing
	LastName       string
	Emails         []ClerkEmail
	PrimaryEmailID string
	ImageURL       string

	// PublicRole and PrivateRole are the "role" entries of the user's
	// public and private metadata. Only the Clerk dashboard and backend can
	// set those; unsafe metadata, which the user can set, is never read.
	PublicRole  string
	PrivateRole string

	CreatedAt time.Time
	UpdatedAt time.Time
}

// ClerkEmail is one of a Clerk user's e-mail addresses.
type ClerkEmail struct {
	ID      string
	Address string
}

// User converts c into the user stored at now. It fails with [ErrInvalid]
// when c has no id or no time of its last update.
func (c ClerkUser) User(now time.Time) (User, error) {
	if c.ID == "" {
		return User{}, fmt.Errorf("%w: no id", ErrInvalid)
	}
	if c.UpdatedAt.IsZero() {
		return User{}, fmt.Errorf("%w: user %s has no updated_at", ErrInvalid, c.ID)
	}

	return User{
		ID:             c.ID,
		Name:           fullName(c.FirstName, c.LastName),
		Email:          c.primaryEmail(),
		ImageURL:       c.ImageURL,
		Role:           c.role(),
		ClerkUpdatedAt: c.UpdatedAt.UTC(),
		CreatedAt:      c.CreatedAt.UTC(),
		UpdatedAt:      now.UTC(),
	}, nil
}

// fullName joins the names Clerk has, leaving out a missing one.
func fullName(first, last string) string {
	return strings.TrimSpace(strings.TrimSpace(first) + " " + strings.TrimSpace(last))
}

// primaryEmail is the address the user marked primary. Clerk lists every
// address the user added, verified or not, so the first one is not it.
func (c ClerkUser) primaryEmail() string {
	for _, e := range c.Emails {
		if e.ID == c.PrimaryEmailID && e.ID != "" {
			return e.Address
		}
	}
	return ""
}

func (c ClerkUser) role() Role {
	if c.PublicRole == string(RoleAdmin) || c.PrivateRole == string(RoleAdmin) {
		return RoleAdmin
	}
	return RoleUser
}
