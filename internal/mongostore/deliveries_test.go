package mongostore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/webhook"
)

var _ webhook.Store = (*mongostore.Deliveries)(nil)

func sampleDelivery(id, attempt string) webhook.Delivery {
	return webhook.Delivery{
		ID:         id,
		Source:     "clerk",
		Type:       "user.created",
		Attempt:    attempt,
		ReceivedAt: time.Date(2026, 11, 2, 18, 30, 0, 0, time.UTC),
	}
}

func TestDeliveriesRecordOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewDeliveries(mongotest.NewDatabase(t))

	d := sampleDelivery("msg_2p0Ady", "first")
	if err := s.Insert(ctx, d); err != nil {
		t.Fatalf("Insert(%s) = %v", d.ID, err)
	}
	if err := s.Insert(ctx, sampleDelivery(d.ID, "second")); !errors.Is(err, webhook.ErrDuplicate) {
		t.Fatalf("Insert(%s again) = %v, want %v", d.ID, err, webhook.ErrDuplicate)
	}

	got, err := s.Delivery(ctx, d.ID)
	if err != nil {
		t.Fatalf("Delivery(%s) = %v", d.ID, err)
	}
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("Delivery(%s) mismatch (-want +got):\n%s", d.ID, diff)
	}
	if _, err := s.Delivery(ctx, "msg_unknown"); !errors.Is(err, webhook.ErrNotFound) {
		t.Errorf("Delivery(msg_unknown) = %v, want %v", err, webhook.ErrNotFound)
	}
}

func TestDeliveriesMarkSentAndDeleteOwnAttempt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewDeliveries(mongotest.NewDatabase(t))

	d := sampleDelivery("msg_2p0Bex", "mine")
	if err := s.Insert(ctx, d); err != nil {
		t.Fatalf("Insert = %v", err)
	}

	sent := d.ReceivedAt.Add(40 * time.Millisecond)
	for _, at := range []time.Time{sent, sent.Add(time.Second)} {
		if err := s.MarkSent(ctx, d.ID, at); err != nil {
			t.Fatalf("MarkSent(%s, %v) = %v", d.ID, at, err)
		}
	}
	got, err := s.Delivery(ctx, d.ID)
	if err != nil || !got.SentAt.Equal(sent) {
		t.Errorf("Delivery after MarkSent = %+v, %v; want SentAt %v", got, err, sent)
	}

	if err := s.Delete(ctx, d.ID, "someone-else"); err != nil {
		t.Fatalf("Delete(other attempt) = %v", err)
	}
	if _, err := s.Delivery(ctx, d.ID); err != nil {
		t.Errorf("Delivery after Delete(other attempt) = %v, want the record kept", err)
	}
	if err := s.Delete(ctx, d.ID, "mine"); err != nil {
		t.Fatalf("Delete(own attempt) = %v", err)
	}
	if _, err := s.Delivery(ctx, d.ID); !errors.Is(err, webhook.ErrNotFound) {
		t.Errorf("Delivery after Delete(own attempt) = %v, want %v", err, webhook.ErrNotFound)
	}
}

// TestDeliveriesConcurrentInserts checks the promise the webhook route
// rests on: of many concurrent inserts of one delivery id, exactly one wins.
func TestDeliveriesConcurrentInserts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewDeliveries(mongotest.NewDatabase(t))

	const racers = 40
	var wg sync.WaitGroup
	errs := make([]error, racers)
	for i := range racers {
		wg.Go(func() {
			errs[i] = s.Insert(ctx, sampleDelivery("msg_2p0Race", fmt.Sprint("attempt-", i)))
		})
	}
	wg.Wait()

	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, webhook.ErrDuplicate):
			t.Errorf("Insert by racer %d = %v, want nil or %v", i, err, webhook.ErrDuplicate)
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent inserts of one delivery won, want exactly 1", won, racers)
	}
}
