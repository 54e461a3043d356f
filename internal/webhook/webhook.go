// Package webhook receives signed webhooks and hands each delivery on to
// Inngest as an event, at most once per delivery id, answering the sender at
// once. The work the event stands for is done by the functions of package
// jobs, not here.
//
// NOTE: a delivery is handed on in three steps, in this order:
//
//  1. Insert a record under the delivery id, which is unique. Of two
//     requests with the same id only one inserts; the other is a duplicate
//     and sends nothing. No read-then-write decides this.
//  2. Send the event, with the delivery id as the event id, so Inngest
//     drops a second copy too.
//  3. Mark the record sent.
//
// If the send fails, the request deletes its own record (only the inserter
// does) and answers 503, so the sender's retry gets a clean second try:
// nothing is recorded for an event that was not handed on. Recording after
// the send instead would let two concurrent copies both send.
//
// A duplicate answers 200 only once the record is marked sent. While the
// first request is still sending it answers 409, because a 2xx would tell
// the sender to stop retrying an event that may yet fail to go out. A record
// left unsent for longer than any send can take means its request died
// between steps 1 and 3; the next retry deletes that record and starts
// again. Should two retries race through that recovery, both may send, and
// Inngest keeps one copy because the event id is the same.
package webhook

import (
	"context"
	"errors"
	"time"

	"github.com/marquee-hq/marquee/internal/jobs"
)

// Delivery is the record of one webhook delivery being handed on.
type Delivery struct {
	ID     string // the sender's delivery id, such as Svix's svix-id
	Source string // who sent it: "clerk"
	Type   string // the sender's event type, such as "user.created"

	// Attempt tells apart the requests that carried the same delivery: only
	// the request that inserted the record may delete it.
	Attempt string

	ReceivedAt time.Time
	SentAt     time.Time // zero until the event is handed on
}

// Store records deliveries. It is implemented by mongostore.Deliveries.
type Store interface {
	// Insert stores d, or fails with ErrDuplicate when a delivery with its
	// id is recorded.
	Insert(ctx context.Context, d Delivery) error
	// Delivery returns the record with id, or ErrNotFound.
	Delivery(ctx context.Context, id string) (Delivery, error)
	// MarkSent records that the delivery's event was handed on at t.
	// Marking a delivery twice is not an error.
	MarkSent(ctx context.Context, id string, t time.Time) error
	// Delete deletes the record with id if its attempt is attempt; a
	// record of another attempt stays.
	Delete(ctx context.Context, id, attempt string) error
}

// EventSender hands events to Inngest. It is implemented by jobs.Client.
type EventSender interface {
	// Send hands e over, or fails; sending again with the same id is safe.
	Send(ctx context.Context, e jobs.Event) error
}

// ErrDuplicate is returned by [Store.Insert] when the delivery is recorded
// already.
var ErrDuplicate = errors.New("delivery already recorded")

// ErrNotFound is returned by [Store.Delivery] when no delivery has the id.
var ErrNotFound = errors.New("delivery not found")

// ErrInProgress means another request is handing on the same delivery
// right now; the sender should try again later.
var ErrInProgress = errors.New("delivery is being handed on by another request")

// ErrNotSent means the event could not be handed to Inngest; nothing was
// recorded, and the sender should try again later.
var ErrNotSent = errors.New("event could not be handed on")
