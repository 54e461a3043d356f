package jobs

import (
	"context"
	"log/slog"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/show"
)

// BookingEvents sends booking/created for every booking made. It
// implements booking.Events.
type BookingEvents struct {
	client *Client
	logger *slog.Logger
}

// NewBookingEvents returns BookingEvents sending through c.
func NewBookingEvents(c *Client, logger *slog.Logger) *BookingEvents {
	return &BookingEvents{client: c, logger: logger}
}

// Created sends booking/created for b, with the booking id as the event's
// id. A failure is logged, not returned: the hold ends by itself, only the
// buyer is not told.
//
// NOTE: the send is part of the booking request. While Inngest is
// unreachable the SDK tries for about 13 seconds before giving up, which
// slows bookings down but loses none.
func (e *BookingEvents) Created(ctx context.Context, b booking.Booking) {
	data, _ := eventData(BookingCreatedData{BookingID: b.ID, HoldExpiresAt: b.HoldExpiresAt})
	err := e.client.Send(ctx, Event{ID: "booking-created-" + b.ID, Name: EventBookingCreated,
		Data: data, Time: b.CreatedAt})
	if err != nil {
		e.logger.WarnContext(ctx, "booking made, but Inngest was not told: its hold still ends "+
			"on time, the buyer will not be e-mailed", "booking_id", b.ID, "err", err)
	}
}

// ShowEvents sends shows/scheduled for every set of shows scheduled. It
// implements show.Events.
type ShowEvents struct {
	client *Client
	logger *slog.Logger
}

// NewShowEvents returns ShowEvents sending through c.
func NewShowEvents(c *Client, logger *slog.Logger) *ShowEvents {
	return &ShowEvents{client: c, logger: logger}
}

// Scheduled sends shows/scheduled for shows of one movie, with the first
// show's id in the event's id. A failure is logged: the shows are
// scheduled, only the news is not sent.
func (e *ShowEvents) Scheduled(ctx context.Context, shows []show.Show) {
	if len(shows) == 0 {
		return
	}
	d := ShowsScheduledData{MovieID: shows[0].MovieID}
	for _, sh := range shows {
		d.ShowIDs = append(d.ShowIDs, sh.ID)
	}
	data, _ := eventData(d)
	err := e.client.Send(ctx, Event{ID: "shows-scheduled-" + shows[0].ID, Name: EventShowsScheduled,
		Data: data})
	if err != nil {
		e.logger.WarnContext(ctx, "shows scheduled, but Inngest was not told: no news will be sent",
			"movie_id", d.MovieID, "shows", len(shows), "err", err)
	}
}
