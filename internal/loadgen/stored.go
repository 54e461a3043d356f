package loadgen

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// NOTE: the documents are read here with structs of this package rather
// than through mongostore, so that a fault in the store's conversions
// cannot hide a broken rule from the check. The field names are those of
// mongostore's bookingDoc, claimDoc and settlementDoc.
type (
	bookingDoc struct {
		ID            string    `bson:"_id"`
		UserID        string    `bson:"userId"`
		Seats         []string  `bson:"seats"`
		HoldExpiresAt time.Time `bson:"holdExpiresAt"`
	}
	claimDoc struct {
		Seat          string    `bson:"seat"`
		Seq           int       `bson:"seq"`
		BookingID     string    `bson:"bookingId"`
		HoldExpiresAt time.Time `bson:"holdExpiresAt"`
	}
	settlementDoc struct {
		BookingID string `bson:"_id"`
		Outcome   string `bson:"outcome"`
	}
)

// ConnectDB connects to the server's database at uri, which must be on
// loopback (see CheckMongoURI), and returns the named database and a
// function that disconnects.
func ConnectDB(ctx context.Context, uri, name string) (*mongo.Database, func(), error) {
	if err := CheckMongoURI(uri); err != nil {
		return nil, nil, err
	}
	opts := options.Client().ApplyURI(uri).
		SetDialer(loopbackDialer()).
		SetServerSelectionTimeout(5 * time.Second)
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, nil, fmt.Errorf("connect to the database: %w", err)
	}
	disconnect := func() { _ = client.Disconnect(context.WithoutCancel(ctx)) }
	if err := client.Ping(ctx, nil); err != nil {
		disconnect()
		return nil, nil, fmt.Errorf("reach the database: %w", err)
	}
	return client.Database(name), disconnect, nil
}

// ReadStored reads the bookings, claims and settlements of a show.
func ReadStored(ctx context.Context, db *mongo.Database, showID string) (Stored, error) {
	byShow := bson.D{{Key: "showId", Value: showID}}
	s := Stored{Outcomes: map[string]string{}}

	bookings, err := readAll[bookingDoc](ctx, db.Collection("bookings"), byShow)
	if err != nil {
		return Stored{}, err
	}
	for _, d := range bookings {
		s.Bookings = append(s.Bookings, StoredBooking(d))
	}

	claims, err := readAll[claimDoc](ctx, db.Collection("claims"), byShow)
	if err != nil {
		return Stored{}, err
	}
	for _, d := range claims {
		s.Claims = append(s.Claims, StoredClaim(d))
	}

	settlements, err := readAll[settlementDoc](ctx, db.Collection("settlements"), byShow)
	if err != nil {
		return Stored{}, err
	}
	for _, d := range settlements {
		s.Outcomes[d.BookingID] = d.Outcome
	}
	return s, nil
}

func readAll[T any](ctx context.Context, coll *mongo.Collection, filter bson.D) ([]T, error) {
	cur, err := coll.Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("find in %s: %w", coll.Name(), err)
	}
	var docs []T
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read %s: %w", coll.Name(), err)
	}
	return docs, nil
}
