package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
)

// keyDoc records a user's Idempotency-Key. Its id, userId + "/" + key, is
// unique, so of two requests with one key only the first goes ahead. Clerk
// user ids hold no "/", so ids of different users never collide.
type keyDoc struct {
	ID          string      `bson:"_id"`
	UserID      string      `bson:"userId"`
	Key         string      `bson:"key"`
	Fingerprint string      `bson:"fingerprint"`
	BookingID   string      `bson:"bookingId"`
	Failure     *failureDoc `bson:"failure,omitempty"`
	CreatedAt   time.Time   `bson:"createdAt"`
}

type failureDoc struct {
	Code  string   `bson:"code"`
	Seats []string `bson:"seats"`
}

func keyID(userID, key string) string {
	return userID + "/" + key
}

func fromIdempotencyKey(k booking.IdempotencyKey) keyDoc {
	return keyDoc{
		ID:          keyID(k.UserID, k.Key),
		UserID:      k.UserID,
		Key:         k.Key,
		Fingerprint: k.Fingerprint,
		BookingID:   k.BookingID,
		Failure:     fromFailure(k.Failure),
		CreatedAt:   k.CreatedAt,
	}
}

func fromFailure(f *booking.Failure) *failureDoc {
	if f == nil {
		return nil
	}
	return &failureDoc{Code: f.Code, Seats: seatIDs(f.Seats)}
}

func (d keyDoc) toIdempotencyKey() (booking.IdempotencyKey, error) {
	k := booking.IdempotencyKey{
		UserID:      d.UserID,
		Key:         d.Key,
		Fingerprint: d.Fingerprint,
		BookingID:   d.BookingID,
		CreatedAt:   d.CreatedAt.UTC(),
	}
	if d.Failure != nil {
		seats, err := parseSeats(d.Failure.Seats)
		if err != nil {
			return booking.IdempotencyKey{}, fmt.Errorf("idempotency key %s: %w", d.ID, err)
		}
		k.Failure = &booking.Failure{Code: d.Failure.Code, Seats: seats}
	}
	return k, nil
}

// InsertIdempotencyKey records that a user's key belongs to a request, or
// fails with booking.ErrKeyExists.
func (s *Bookings) InsertIdempotencyKey(ctx context.Context, k booking.IdempotencyKey) error {
	_, err := s.keys.InsertOne(ctx, fromIdempotencyKey(k))
	if mongo.IsDuplicateKeyError(err) {
		return booking.ErrKeyExists
	}
	if err != nil {
		return fmt.Errorf("insert idempotency key of user %s: %w", k.UserID, unavailable(err))
	}
	return nil
}

// IdempotencyKey returns the record of a user's key, or booking.ErrNotFound.
func (s *Bookings) IdempotencyKey(ctx context.Context,
	userID, key string) (booking.IdempotencyKey, error) {
	var d keyDoc
	err := s.keys.FindOne(ctx, bson.D{{Key: "_id", Value: keyID(userID, key)}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return booking.IdempotencyKey{}, booking.ErrNotFound
	}
	if err != nil {
		return booking.IdempotencyKey{}, fmt.Errorf("find idempotency key of user %s: %w",
			userID, unavailable(err))
	}
	return d.toIdempotencyKey()
}

// FinishIdempotencyKey records the failure that the key's request ended
// with, or returns booking.ErrNotFound when the key is not recorded. Only
// the request that inserted the key calls it, so the update races with
// nothing.
func (s *Bookings) FinishIdempotencyKey(ctx context.Context, userID, key string,
	f *booking.Failure) error {
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "failure", Value: fromFailure(f)}}}}
	res, err := s.keys.UpdateOne(ctx, bson.D{{Key: "_id", Value: keyID(userID, key)}}, update)
	if err != nil {
		return fmt.Errorf("finish idempotency key of user %s: %w", userID, unavailable(err))
	}
	if res.MatchedCount == 0 {
		return booking.ErrNotFound
	}
	return nil
}

// DeleteIdempotencyKey forgets a user's key if it still belongs to the
// request that made bookingID, or returns booking.ErrNotFound.
func (s *Bookings) DeleteIdempotencyKey(ctx context.Context, userID, key, bookingID string) error {
	filter := bson.D{{Key: "_id", Value: keyID(userID, key)}, {Key: "bookingId", Value: bookingID}}
	res, err := s.keys.DeleteOne(ctx, filter)
	if err != nil {
		return fmt.Errorf("forget idempotency key of user %s: %w", userID, unavailable(err))
	}
	if res.DeletedCount == 0 {
		return booking.ErrNotFound
	}
	return nil
}
