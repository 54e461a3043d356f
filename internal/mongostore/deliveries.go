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
	SentAt     time.Time `bson:"sentAt,omitempty"`
}

func fromDelivery(d webhook.Delivery) deliveryDoc {
	return deliveryDoc{
		ID:         d.ID,
		Source:     d.Source,
		Type:       d.Type,
		Attempt:    d.Attempt,
		ReceivedAt: d.ReceivedAt,
		SentAt:     d.SentAt,
	}
}

func (d deliveryDoc) toDelivery() webhook.Delivery {
	out := webhook.Delivery{
		ID:         d.ID,
		Source:     d.Source,
		Type:       d.Type,
		Attempt:    d.Attempt,
		ReceivedAt: d.ReceivedAt.UTC(),
	}
	if !d.SentAt.IsZero() {
		out.SentAt = d.SentAt.UTC()
	}
	return out
}

// Insert stores d, or fails with webhook.ErrDuplicate when a delivery with
// its id is recorded.
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
	return d.toDelivery(), nil
}

// MarkSent records that the delivery's event was handed on at t, or fails
// with webhook.ErrNotFound when no delivery has the id. No race is decided
// here: a delivery is only marked once its event is out.
//
// The filter is the id alone because FerretDB looks a document up by its
// key only for such a filter; any other filter reads the whole collection.
func (s *Deliveries) MarkSent(ctx context.Context, id string, t time.Time) error {
	filter := bson.D{{Key: "_id", Value: id}}
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "sentAt", Value: t}}}}
	res, err := s.coll.UpdateOne(ctx, filter, update)
	if err != nil {
		return fmt.Errorf("mark delivery %s sent: %w", id, unavailable(err))
	}
	if res.MatchedCount == 0 {
		return webhook.ErrNotFound
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
