// Package notify tells people about their bookings and about new shows by
// e-mail: a confirmation when a booking is paid, a note when a hold ran out
// or a late payment is due back, a reminder before the show, and news of
// shows just scheduled.
//
// Messages are made from the templates in templates/, in plain text and
// HTML, and handed to a [Mailer]. Without one, e-mail is off: every method
// reports [Skipped] and sends nothing.
package notify

import (
	"context"
	"errors"
)

// Message is one e-mail to one recipient.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string // may be empty
}

// Mailer sends e-mail. It is implemented by smtp.Mailer.
type Mailer interface {
	// Send sends msgs and returns one error per message, nil for a message
	// sent; an error wrapping ErrRejected will not pass on a retry. It
	// fails as a whole, sending nothing, when no message could be sent,
	// such as when the server is down.
	Send(ctx context.Context, msgs []Message) ([]error, error)
}

// ErrRejected marks a message that cannot be sent however often it is
// tried, such as one to a malformed or unknown address.
var ErrRejected = errors.New("message rejected")

// Outcome says what became of a notice.
type Outcome string

// The outcomes of a notice.
const (
	Sent        Outcome = "sent"
	Skipped     Outcome = "skipped"      // e-mail is off
	NoAddress   Outcome = "no_address"   // the user is unknown or has no address
	AlreadySent Outcome = "already_sent" // a reminder sent before
	NotDue      Outcome = "not_due"      // the booking is not in the state the notice is about
)
