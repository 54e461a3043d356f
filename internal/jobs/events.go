package jobs

import (
	"encoding/json"
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

// The events of bookings, payments and shows. Their data are the typed
// structs below.
const (
	EventBookingCreated = "booking/created" // BookingCreatedData
	EventBookingPaid    = "booking/paid"    // BookingData
	EventShowsScheduled = "shows/scheduled" // ShowsScheduledData

	// EventRemindersRequested runs send-reminders now, besides its
	// schedule.
	EventRemindersRequested = "reminders/requested" // RemindersData

	// Stripe's Checkout events, named "stripe/" and Stripe's type, with a
	// StripeCheckoutData of the session as their data.
	EventStripeCheckoutCompleted     = "stripe/checkout.session.completed"
	EventStripeAsyncPaymentSucceeded = "stripe/checkout.session.async_payment_succeeded"
	EventStripeAsyncPaymentFailed    = "stripe/checkout.session.async_payment_failed"
	EventStripeCheckoutExpired       = "stripe/checkout.session.expired"
)

// StripeEventName returns the event name for a Stripe event type, and
// false for a type that no function handles.
func StripeEventName(stripeType string) (string, bool) {
	switch name := "stripe/" + stripeType; name {
	case EventStripeCheckoutCompleted, EventStripeAsyncPaymentSucceeded,
		EventStripeAsyncPaymentFailed, EventStripeCheckoutExpired:
		return name, true
	}
	return "", false
}

// BookingCreatedData is the data of booking/created.
type BookingCreatedData struct {
	BookingID     string    `json:"bookingId"`
	HoldExpiresAt time.Time `json:"holdExpiresAt"`
}

// BookingData is the data of events about one booking, such as
// booking/paid.
type BookingData struct {
	BookingID string `json:"bookingId"`
}

// ShowsScheduledData is the data of shows/scheduled: shows of one movie
// scheduled together.
type ShowsScheduledData struct {
	MovieID string   `json:"movieId"`
	ShowIDs []string `json:"showIds"`
}

// StripeCheckoutData is what the Stripe events carry of a Checkout session:
// the fields that decide a booking's outcome, in Stripe's names.
type StripeCheckoutData struct {
	ID                string `json:"id"`
	BookingID         string `json:"bookingId"` // from the session's metadata
	ClientReferenceID string `json:"client_reference_id"`
	Status            string `json:"status"`
	PaymentStatus     string `json:"payment_status"`
	AmountTotal       int64  `json:"amount_total"`
	Currency          string `json:"currency"`
	PaymentIntent     string `json:"payment_intent"`
}

// eventData turns typed event data into the map an Event carries.
func eventData(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Map returns d as the data of an [Event].
func (d StripeCheckoutData) Map() map[string]any {
	m, _ := eventData(d) // strings and numbers always encode
	return m
}
