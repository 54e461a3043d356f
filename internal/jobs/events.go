package jobs

import (
	"time"

	"github.com/marquee-hq/marquee/internal/user"
)

// The events the functions react to. Clerk's events are named and shaped as
// in Clerk's own Inngest integration: "clerk/" and the webhook's type, with
// the webhook's data object as the event's data. A deployment that routes
// Clerk straight to Inngest therefore works unchanged.
const (
	EventClerkUserCreated = "clerk/user.created"
	EventClerkUserUpdated = "clerk/user.updated"
	EventClerkUserDeleted = "clerk/user.deleted"
)

// clerkEvents maps the Clerk webhook types some function handles to their
// event names.
var clerkEvents = map[string]string{
	"user.created": EventClerkUserCreated,
	"user.updated": EventClerkUserUpdated,
	"user.deleted": EventClerkUserDeleted,
}

// ClerkEventName returns the event name for a Clerk webhook type, and false
// for a type that no function handles.
func ClerkEventName(webhookType string) (string, bool) {
	name, ok := clerkEvents[webhookType]
	return name, ok
}

// ClerkUserData is the data of clerk/user.created and clerk/user.updated:
// the fields of Clerk's User object that the server keeps. Clerk sends null
// for a missing name or primary address, which decodes as "".
type ClerkUserData struct {
	ID                    string              `json:"id"`
	FirstName             string              `json:"first_name"`
	LastName              string              `json:"last_name"`
	EmailAddresses        []ClerkEmailAddress `json:"email_addresses"`
	PrimaryEmailAddressID string              `json:"primary_email_address_id"`
	ImageURL              string              `json:"image_url"`
	PublicMetadata        map[string]any      `json:"public_metadata"`
	PrivateMetadata       map[string]any      `json:"private_metadata"`
	CreatedAt             int64               `json:"created_at"` // milliseconds since 1970
	UpdatedAt             int64               `json:"updated_at"`
}

// ClerkEmailAddress is one entry of a Clerk user's email_addresses.
type ClerkEmailAddress struct {
	ID           string `json:"id"`
	EmailAddress string `json:"email_address"`
}

// ClerkDeletedData is the data of clerk/user.deleted: Clerk's deleted
// object, which carries the user's id and little else.
type ClerkDeletedData struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// toClerkUser converts the event data into the user package's input.
func (d ClerkUserData) toClerkUser() user.ClerkUser {
	emails := make([]user.ClerkEmail, len(d.EmailAddresses))
	for i, e := range d.EmailAddresses {
		emails[i] = user.ClerkEmail{ID: e.ID, Address: e.EmailAddress}
	}
	return user.ClerkUser{
		ID:             d.ID,
		FirstName:      d.FirstName,
		LastName:       d.LastName,
		Emails:         emails,
		PrimaryEmailID: d.PrimaryEmailAddressID,
		ImageURL:       d.ImageURL,
		PublicRole:     metadataRole(d.PublicMetadata),
		PrivateRole:    metadataRole(d.PrivateMetadata),
		CreatedAt:      fromMillis(d.CreatedAt),
		UpdatedAt:      fromMillis(d.UpdatedAt),
	}
}

// metadataRole is the "role" entry of Clerk metadata when it is a string.
func metadataRole(m map[string]any) string {
	role, _ := m["role"].(string)
	return role
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
