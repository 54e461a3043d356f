package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
)

// paymentDoc is money taken for a booking. Its id is the checkout
// session's, so each session's payment is recorded once however often its
// webhook arrives.
type paymentDoc struct {
	SessionID       string    `bson:"_id"`
	BookingID       string    `bson:"bookingId"`
	PaymentIntentID string    `bson:"paymentIntentId,omitempty"`
	Amount          moneyDoc  `bson:"amount"`
	At              time.Time `bson:"at"`
}

func fromPayment(p booking.Payment) paymentDoc {
	return paymentDoc{
		SessionID:       p.SessionID,
		BookingID:       p.BookingID,
		PaymentIntentID: p.PaymentIntentID,
		Amount:          fromMoney(p.Amount),
		At:              p.At,
	}
}

func (d paymentDoc) toPayment() booking.Payment {
	return booking.Payment{
		SessionID:       d.SessionID,
		BookingID:       d.BookingID,
		PaymentIntentID: d.PaymentIntentID,
		Amount:          d.Amount.toMoney(),
		At:              d.At.UTC(),
	}
}

// InsertPayment stores p, or fails with booking.ErrPaymentExists when the
// payment of its checkout session is stored already.
func (s *Bookings) InsertPayment(ctx context.Context, p booking.Payment) error {
	_, err := s.payments.InsertOne(ctx, fromPayment(p))
	if mongo.IsDuplicateKeyError(err) {
		return booking.ErrPaymentExists
	}
	if err != nil {
		return fmt.Errorf("insert payment %s of booking %s: %w",
			p.SessionID, p.BookingID, unavailable(err))
	}
	return nil
}

// Payments returns the payments of the given bookings by booking id, in one
// query. A booking has one checkout session, so one payment at most; were
// there two, the earliest is returned.
func (s *Bookings) Payments(ctx context.Context,
	bookingIDs []string) (map[string]booking.Payment, error) {
	paid := make(map[string]booking.Payment)
	if len(bookingIDs) == 0 {
		return paid, nil
	}

	filter := bson.D{{Key: "bookingId", Value: in(bookingIDs)}}
	docs, err := findAll[paymentDoc](ctx, s.payments, filter, oneBatch(len(bookingIDs)))
	if err != nil {
		return nil, fmt.Errorf("find payments of %d bookings: %w",
			len(bookingIDs), unavailable(err))
	}
	for _, d := range docs {
		if prev, ok := paid[d.BookingID]; ok && !d.At.Before(prev.At) {
			continue
		}
		paid[d.BookingID] = d.toPayment()
	}
	return paid, nil
}
