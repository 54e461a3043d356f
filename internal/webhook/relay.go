package webhook

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/marquee-hq/marquee/internal/jobs"
)

// DefaultLease is how long a delivery may stay recorded but unsent before
// its request counts as dead and a retry may replace its record. It is far
// longer than a send can take (see jobs.Client.Send).
const DefaultLease = time.Minute

// maxClaimAttempts bounds how often a request tries to record a delivery
// whose earlier record it found abandoned or just deleted.
const maxClaimAttempts = 3

// cleanupTimeout bounds deleting a record after a failed send; the delete
// runs even when the request was cancelled.
const cleanupTimeout = 5 * time.Second

// result says what became of a delivery; it is the "status" of the 200
// answer.
type result string

const (
	resultAccepted  result = "accepted"  // handed on now
	resultDuplicate result = "duplicate" // handed on before
	resultIgnored   result = "ignored"   // a type no function handles
)

// relay hands deliveries on as events, in the order the package comment
// gives.
type relay struct {
	store  Store
	events EventSender // nil when Inngest is not configured
	logger *slog.Logger
	now    func() time.Time
	lease  time.Duration
}

// handOn records d and sends e, unless d was handed on before. It fails
// with ErrInProgress while another request hands d on, and with ErrNotSent,
// recording nothing, when e could not be sent.
func (r *relay) handOn(ctx context.Context, d Delivery, e jobs.Event) (result, error) {
	claimed, err := r.claim(ctx, &d)
	if err != nil {
		return "", err
	}
	if !claimed {
		return resultDuplicate, nil
	}

	if err := r.events.Send(ctx, e); err != nil {
		return "", r.release(ctx, d, err)
	}

	// Whose record this is does not matter: the event is out. Should a
	// retry have replaced ours meanwhile, marking the retry's record sent
	// tells the truth.
	if err := r.store.MarkSent(ctx, d.ID, r.now()); err != nil {
		// The event is out, so the answer is still 200. A later copy of the
		// delivery will find the record unsent, wait out the lease and send
		// again, and Inngest will drop that copy by its id.
		r.logger.WarnContext(ctx, "could not mark webhook delivery sent",
			"delivery_id", d.ID, "err", err)
	}
	return resultAccepted, nil
}

// claim inserts d's record and reports whether it did. It reports false for
// a delivery handed on before, and fails with ErrInProgress while another
// request is at it. A record abandoned unsent is replaced.
func (r *relay) claim(ctx context.Context, d *Delivery) (bool, error) {
	for range maxClaimAttempts {
		d.Attempt = newAttempt()
		d.ReceivedAt = r.now()
		err := r.store.Insert(ctx, *d)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, ErrDuplicate) {
			return false, fmt.Errorf("record delivery %s: %w", d.ID, err)
		}

		prev, err := r.store.Delivery(ctx, d.ID)
		switch {
		case errors.Is(err, ErrNotFound):
			continue // its request could not send and let go: try again
		case err != nil:
			return false, fmt.Errorf("find delivery %s: %w", d.ID, err)
		case !prev.SentAt.IsZero():
			return false, nil
		case r.now().Sub(prev.ReceivedAt) < r.lease:
			return false, ErrInProgress
		}

		r.logger.WarnContext(ctx, "replacing a webhook delivery left unsent",
			"delivery_id", d.ID, "received_at", prev.ReceivedAt)
		if err := r.store.Delete(ctx, prev.ID, prev.Attempt); err != nil {
			return false, fmt.Errorf("delete abandoned delivery %s: %w", d.ID, err)
		}
	}
	return false, ErrInProgress
}

// release deletes d's record after its event could not be sent, so that
// the sender's retry starts afresh, and returns the failure.
func (r *relay) release(ctx context.Context, d Delivery, sendErr error) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()

	err := fmt.Errorf("%w: %w", ErrNotSent, sendErr)
	if derr := r.store.Delete(ctx, d.ID, d.Attempt); derr != nil {
		return errors.Join(err, fmt.Errorf("forget delivery %s: %w", d.ID, derr))
	}
	return err
}

// newAttempt returns a random id for one request's record.
func newAttempt() string {
	return rand.Text()
}
