package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/webhook"
)

// Deliveries records webhook deliveries in the webhook_deliveries
// collection. It implements webhook.Store.
type Deliveries struct {
	coll *mongo.Collection
}

// NewDeliveries returns the delivery store of db.
func NewDeliveries(db *mongo.Database) *Deliveries {
	return &Deliveries{coll: db.Collection("webhook_deliveries")}
}

// deliveryDoc is one delivery. Its id is the sender's delivery id, so a
// delivery can be recorded once.
type deliveryDoc struct {
	ID         string    `bson:"_id"`
	Source     string    `bson:"source"`
	Type       string    `bson:"type"`
	Attempt    string    `bson:"attempt"`
	ReceivedAt time.Time `bson:"receivedAt"`
}

func fromDelivery(d webhook.Delivery) deliveryDoc {
	return deliveryDoc{
		ID:         d.ID,
		Source:     d.Source,
		Type:       d.Type,
		Attempt:    d.Attempt,
		ReceivedAt: d.ReceivedAt,
	}
}

// toDelivery converts d, sent at sentAt (the zero time if it was not).
func (d deliveryDoc) toDelivery(sentAt time.Time) webhook.Delivery {
	out := webhook.Delivery{
		ID:         d.ID,
		Source:     d.Source,
		Type:       d.Type,
		Attempt:    d.Attempt,
		ReceivedAt: d.ReceivedAt.UTC(),
	}
	if !sentAt.IsZero() {
		out.SentAt = sentAt.UTC()
	}
	return out
}

// Insert stores d, or fails with webhook.ErrDuplicate when a delivery with
// its id is recorded. d.SentAt is not stored; MarkSent records it.
func (s *Deliveries) Insert(ctx context.Context, d webhook.Delivery) error {
	_, err := s.coll.InsertOne(ctx, fromDelivery(d))
	if mongo.IsDuplicateKeyError(err) {
		return webhook.ErrDuplicate
	}
	if err != nil {
		return fmt.Errorf("insert delivery %s: %w", d.ID, unavailable(err))
	}
	return nil
}

// Delivery returns the record with id, or webhook.ErrNotFound.
func (s *Deliveries) Delivery(ctx context.Context, id string) (webhook.Delivery, error) {
	var d deliveryDoc
	err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return webhook.Delivery{}, webhook.ErrNotFound
	}
	if err != nil {
		return webhook.Delivery{}, fmt.Errorf("find delivery %s: %w", id, unavailable(err))
	}

	var sent sentDoc
	err = s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: sentID(id)}}).Decode(&sent)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return webhook.Delivery{}, fmt.Errorf("find delivery %s: %w", id, unavailable(err))
	}
	return d.toDelivery(sent.SentAt), nil
}

// sentDoc says that a delivery's event was handed on. It is a document of
// its own, next to the delivery's, so that marking a delivery sent is an
// insert: FerretDB takes longer to find a document by its id the larger
// the collection grows, an insert does not, and marking is on the path of
// every webhook.
type sentDoc struct {
	ID         string    `bson:"_id"` // the delivery id and "#sent"
	DeliveryID string    `bson:"deliveryId"`
	SentAt     time.Time `bson:"sentAt"`
}

func sentID(deliveryID string) string { return deliveryID + "#sent" }

// MarkSent records that the delivery's event was handed on at t; marking
// a delivery twice keeps the first time. No race is decided here: a
// delivery is only marked once its event is out.
func (s *Deliveries) MarkSent(ctx context.Context, id string, t time.Time) error {
	_, err := s.coll.InsertOne(ctx, sentDoc{ID: sentID(id), DeliveryID: id, SentAt: t})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("mark delivery %s sent: %w", id, unavailable(err))
	}
	return nil
}

// Delete deletes the record with id if its attempt is attempt; a record of
// another attempt stays. It runs only after a failed send, so it may afford
// the scan that FerretDB makes for a filter on more than the id.
func (s *Deliveries) Delete(ctx context.Context, id, attempt string) error {
	filter := bson.D{{Key: "_id", Value: id}, {Key: "attempt", Value: attempt}}
	if _, err := s.coll.DeleteOne(ctx, filter); err != nil {
		return fmt.Errorf("delete delivery %s: %w", id, unavailable(err))
	}
	return nil
}
