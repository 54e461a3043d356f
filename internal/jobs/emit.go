package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/show"
)

// emitTimeout bounds how long one event may take to reach Inngest,
// retries included, after the request that caused it has been answered.
const emitTimeout = 30 * time.Second

// Emitter tells Inngest what the services did: booking/created for every
// booking made and shows/scheduled for every set of shows scheduled. It
// implements booking.Events and show.Events.
//
// NOTE: events are sent in the background, after the service call returns.
// The SDK retries a failed send for seconds without looking at any context,
// and neither event is needed for correctness: a hold ends by itself, and
// news of shows is a courtesy. So a slow or absent Inngest must not slow
// bookings down. A failure is logged; [Emitter.Wait] lets shutdown finish
// the sends in flight.
type Emitter struct {
	client *Client
	logger *slog.Logger
	wg     sync.WaitGroup
}

// NewEmitter returns an Emitter sending through c.
func NewEmitter(c *Client, logger *slog.Logger) *Emitter {
	return &Emitter{client: c, logger: logger}
}

// Wait blocks until every event in flight has been sent or given up on.
func (e *Emitter) Wait() {
	e.wg.Wait()
}

// Created sends booking/created for b, with the booking id as the event's
// id, so the expiry function runs once per booking.
func (e *Emitter) Created(ctx context.Context, b booking.Booking) {
	data, _ := eventData(BookingCreatedData{BookingID: b.ID, HoldExpiresAt: b.HoldExpiresAt})
	ev := Event{ID: "booking-created-" + b.ID, Name: EventBookingCreated, Data: data, Time: b.CreatedAt}
	e.send(ctx, ev, "booking made, but Inngest was not told: its hold still ends on time, "+
		"the buyer will not be e-mailed", "booking_id", b.ID)
}

// Scheduled sends shows/scheduled for shows of one movie, with the first
// show's id in the event's id.
func (e *Emitter) Scheduled(ctx context.Context, shows []show.Show) {
	if len(shows) == 0 {
		return
	}
	d := ShowsScheduledData{MovieID: shows[0].MovieID}
	for _, sh := range shows {
		d.ShowIDs = append(d.ShowIDs, sh.ID)
	}
	data, _ := eventData(d)
	ev := Event{ID: "shows-scheduled-" + shows[0].ID, Name: EventShowsScheduled, Data: data}
	e.send(ctx, ev, "shows scheduled, but Inngest was not told: no news will be sent",
		"movie_id", d.MovieID, "shows", len(shows))
}

// send sends ev in the background, detached from the request's
// cancellation, and logs failMsg with attrs when it fails.
func (e *Emitter) send(ctx context.Context, ev Event, failMsg string, attrs ...any) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), emitTimeout)
	e.wg.Go(func() {
		defer cancel()
		if err := e.client.Send(ctx, ev); err != nil {
			e.logger.WarnContext(ctx, failMsg, append(attrs, "err", err)...)
		}
	})
}
