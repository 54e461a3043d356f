package jobs

import (
	"context"
	"errors"

	"github.com/inngest/inngestgo"
	"github.com/inngest/inngestgo/experimental"
	"github.com/inngest/inngestgo/step"

	"github.com/marquee-hq/marquee/internal/notify"
)

// ConfirmationNotices tells buyers that their booking is paid. It is
// implemented by notify.Service.
type ConfirmationNotices interface {
	// Confirmation e-mails the buyer of a paid booking.
	Confirmation(ctx context.Context, bookingID string) (notify.Outcome, error)
}

// NewSendConfirmation registers the function send-confirmation: on
// booking/paid it e-mails the buyer their tickets. With e-mail off it
// records that it skipped.
func NewSendConfirmation(c *Client,
	notices ConfirmationNotices) (inngestgo.ServableFunction, error) {
	return inngestgo.CreateFunction(c.inngest,
		inngestgo.FunctionOpts{ID: "send-confirmation",
			Name: "E-mail the tickets of a paid booking"},
		inngestgo.EventTrigger(EventBookingPaid, nil),
		func(ctx context.Context, in inngestgo.Input[BookingData]) (any, error) {
			id := in.Event.Data.BookingID
			if id == "" {
				return nil, inngestgo.NoRetryError(errors.New("booking/paid without a booking id"))
			}
			sent, err := step.Run(ctx, "send-confirmation",
				func(ctx context.Context) (notify.Outcome, error) {
					return noRetryIfRejected(notices.Confirmation(ctx, id))
				})
			if err != nil {
				return nil, err
			}

			experimental.LoggerFromContext(ctx).InfoContext(ctx, "booking confirmation",
				"booking_id", id, "email", sent)
			return map[string]any{"bookingId": id, "email": sent}, nil
		})
}
