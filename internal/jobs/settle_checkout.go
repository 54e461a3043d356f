package jobs

import (
	"context"
	"time"

	"github.com/inngest/inngestgo"
	"github.com/inngest/inngestgo/experimental"
	"github.com/inngest/inngestgo/step"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/notify"
	"github.com/marquee-hq/marquee/internal/payment"
)

// CheckoutSettler turns what Stripe reports about checkout sessions into
// booking outcomes. It is implemented by payment.Service.
type CheckoutSettler interface {
	// Completed settles the booking as paid, or refund_due when it ended
	// first, if the session's money was taken.
	Completed(ctx context.Context, s payment.Session) (payment.Result, booking.Booking, error)
	// Failed ends the booking as expired unless it ended before.
	Failed(ctx context.Context, s payment.Session) (payment.Result, booking.Booking, error)
}

// RefundNotices tells buyers that a late payment is due back. It is
// implemented by notify.Service.
type RefundNotices interface {
	// RefundDue e-mails the buyer of a refund_due booking.
	RefundDue(ctx context.Context, bookingID string) (notify.Outcome, error)
}

// NewSettleCheckout registers the function settle-checkout: on Stripe's
// Checkout session events it settles the session's booking.
//
//   - checkout.session.completed with payment_status paid, and
//     checkout.session.async_payment_succeeded: paid, then booking/paid is
//     sent for the confirmation; or refund_due when the booking ended
//     first, and the buyer is told. A completed session still awaiting a
//     delayed payment changes nothing. A second session paid for a booking
//     that is paid already is recorded, and logged as an error: a person
//     refunds it.
//   - checkout.session.async_payment_failed and checkout.session.expired:
//     expired, unless the booking ended before.
//
// A session that names no booking of ours, or charged another amount or
// currency than the booking's, changes nothing: it is logged as an error
// for a person to look at, and the run succeeds, since retrying would not
// change it. The same event delivered twice settles nothing more.
func NewSettleCheckout(c *Client, payments CheckoutSettler,
	notices RefundNotices) (inngestgo.ServableFunction, error) {
	return inngestgo.CreateFunction(c.inngest,
		inngestgo.FunctionOpts{ID: "settle-checkout",
			Name: "Settle a booking from Stripe Checkout"},
		inngestgo.MultipleTriggers{
			inngestgo.EventTrigger(EventStripeCheckoutCompleted, nil),
			inngestgo.EventTrigger(EventStripeAsyncPaymentSucceeded, nil),
			inngestgo.EventTrigger(EventStripeAsyncPaymentFailed, nil),
			inngestgo.EventTrigger(EventStripeCheckoutExpired, nil),
		},
		func(ctx context.Context, in inngestgo.Input[StripeCheckoutData]) (any, error) {
			at := time.UnixMilli(in.Event.Timestamp)
			if in.Event.Timestamp == 0 {
				at = time.Now() // only read inside the step below, so replays agree
			}
			sess := in.Event.Data.session(at)
			failed := in.Event.Name == EventStripeAsyncPaymentFailed ||
				in.Event.Name == EventStripeCheckoutExpired

			settle := payments.Completed
			if failed {
				settle = payments.Failed
			}
			res, err := step.Run(ctx, "settle-booking",
				func(ctx context.Context) (payment.Result, error) {
					res, _, err := settle(ctx, sess)
					return res, err
				})
			if err != nil {
				return nil, err
			}

			log := experimental.LoggerFromContext(ctx)
			out := map[string]any{"bookingId": sess.BookingID, "sessionId": sess.ID, "result": res}
			switch res {
			case payment.ResultPaid:
				_, err = step.Send(ctx, "send-booking-paid", inngestgo.Event{
					ID:   inngestgo.StrPtr("booking-paid-" + sess.BookingID),
					Name: EventBookingPaid,
					Data: map[string]any{"bookingId": sess.BookingID},
				})
			case payment.ResultRefundDue:
				log.WarnContext(ctx, "payment came after the booking ended: refund due",
					"booking_id", sess.BookingID, "session_id", sess.ID,
					"payment_intent", sess.PaymentIntentID)
				out["email"], err = step.Run(ctx, "tell-buyer-refund",
					func(ctx context.Context) (notify.Outcome, error) {
						return noRetryIfRejected(notices.RefundDue(ctx, sess.BookingID))
					})
			case payment.ResultDuplicatePayment:
				log.ErrorContext(ctx, "booking paid twice: refund due for a duplicate payment",
					"booking_id", sess.BookingID, "session_id", sess.ID,
					"payment_intent", sess.PaymentIntentID)
			case payment.ResultUnknownBooking, payment.ResultAmountMismatch:
				log.ErrorContext(ctx, "stripe checkout session ignored: it fits no booking",
					"result", res, "booking_id", sess.BookingID, "session_id", sess.ID,
					"amount", sess.Amount.String(), "event", in.Event.Name)
			}
			if err != nil {
				return nil, err
			}
			log.InfoContext(ctx, "settled checkout", "event", in.Event.Name,
				"booking_id", sess.BookingID, "result", res)
			return out, nil
		})
}

// session converts the event data into the payment package's input; at is
// when Stripe made the event.
func (d StripeCheckoutData) session(at time.Time) payment.Session {
	return payment.Session{
		ID:              d.ID,
		BookingID:       d.BookingID,
		PaymentStatus:   d.PaymentStatus,
		PaymentIntentID: d.PaymentIntent,
		Amount:          money.Money{Amount: d.AmountTotal, Currency: money.Currency(d.Currency)},
		At:              at.UTC(),
	}
}
