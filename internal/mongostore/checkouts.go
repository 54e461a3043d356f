package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/payment"
)

// Checkouts keeps the checkout session of each booking in the checkouts
// collection. It implements payment.Store.
type Checkouts struct {
	coll *mongo.Collection
}

// NewCheckouts returns the checkout store of db.
func NewCheckouts(db *mongo.Database) *Checkouts {
	return &Checkouts{coll: db.Collection("checkouts")}
}

// checkoutDoc is a booking's checkout session. Its id is the booking's, so
// of two requests opening a session for one booking only one stores it.
type checkoutDoc struct {
	BookingID string    `bson:"_id"`
	SessionID string    `bson:"sessionId"`
	URL       string    `bson:"url"`
	ExpiresAt time.Time `bson:"expiresAt"`
	CreatedAt time.Time `bson:"createdAt"`
}

func fromCheckout(c payment.Checkout) checkoutDoc {
	return checkoutDoc{
		BookingID: c.BookingID,
		SessionID: c.SessionID,
		URL:       c.URL,
		ExpiresAt: c.ExpiresAt,
		CreatedAt: c.CreatedAt,
	}
}

func (d checkoutDoc) toCheckout() payment.Checkout {
	return payment.Checkout{
		BookingID: d.BookingID,
		SessionID: d.SessionID,
		URL:       d.URL,
		ExpiresAt: d.ExpiresAt.UTC(),
		CreatedAt: d.CreatedAt.UTC(),
	}
}

// InsertCheckout stores c, or fails with payment.ErrCheckoutExists when the
// booking has a checkout session stored already.
func (s *Checkouts) InsertCheckout(ctx context.Context, c payment.Checkout) error {
	_, err := s.coll.InsertOne(ctx, fromCheckout(c))
	if mongo.IsDuplicateKeyError(err) {
		return payment.ErrCheckoutExists
	}
	if err != nil {
		return fmt.Errorf("insert checkout of booking %s: %w", c.BookingID, unavailable(err))
	}
	return nil
}

// Checkout returns the checkout session of the booking, or
// payment.ErrNotFound.
func (s *Checkouts) Checkout(ctx context.Context, bookingID string) (payment.Checkout, error) {
	var d checkoutDoc
	err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: bookingID}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return payment.Checkout{}, payment.ErrNotFound
	}
	if err != nil {
		return payment.Checkout{}, fmt.Errorf("find checkout of booking %s: %w",
			bookingID, unavailable(err))
	}
	return d.toCheckout(), nil
}
