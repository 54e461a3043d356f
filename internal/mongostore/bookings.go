package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/show"
)

// Bookings keeps bookings and the documents that decide their races:
// claims, settlements, payments and idempotency keys, each in its own
// collection. It implements booking.Store.
type Bookings struct {
	bookings    *mongo.Collection
	claims      *mongo.Collection
	settlements *mongo.Collection
	payments    *mongo.Collection
	keys        *mongo.Collection
}

// NewBookings returns the booking store of db.
func NewBookings(db *mongo.Database) *Bookings {
	return &Bookings{
		bookings:    db.Collection("bookings"),
		claims:      db.Collection("claims"),
		settlements: db.Collection("settlements"),
		payments:    db.Collection("payments"),
		keys:        db.Collection("idempotency_keys"),
	}
}

// bookingDoc is a booking without its settlement, which lives in the
// settlements collection.
type bookingDoc struct {
	ID            string    `bson:"_id"`
	UserID        string    `bson:"userId"`
	ShowID        string    `bson:"showId"`
	Seats         []string  `bson:"seats"`
	Amount        moneyDoc  `bson:"amount"`
	HoldExpiresAt time.Time `bson:"holdExpiresAt"`
	CreatedAt     time.Time `bson:"createdAt"`
}

func fromBooking(b booking.Booking) bookingDoc {
	return bookingDoc{
		ID:            b.ID,
		UserID:        b.UserID,
		ShowID:        b.ShowID,
		Seats:         seatIDs(b.Seats),
		Amount:        fromMoney(b.Amount),
		HoldExpiresAt: b.HoldExpiresAt,
		CreatedAt:     b.CreatedAt,
	}
}

func (d bookingDoc) toBooking() (booking.Booking, error) {
	seats, err := parseSeats(d.Seats)
	if err != nil {
		return booking.Booking{}, fmt.Errorf("booking %s: %w", d.ID, err)
	}
	return booking.Booking{
		ID:            d.ID,
		UserID:        d.UserID,
		ShowID:        d.ShowID,
		Seats:         seats,
		Amount:        d.Amount.toMoney(),
		HoldExpiresAt: d.HoldExpiresAt.UTC(),
		CreatedAt:     d.CreatedAt.UTC(),
	}, nil
}

func seatIDs(seats []show.Seat) []string {
	ids := make([]string, len(seats))
	for i, s := range seats {
		ids[i] = s.String()
	}
	return ids
}

func parseSeats(ids []string) ([]show.Seat, error) {
	seats := make([]show.Seat, len(ids))
	for i, id := range ids {
		s, err := show.ParseSeat(id)
		if err != nil {
			return nil, fmt.Errorf("stored seat %q: %w", id, err)
		}
		seats[i] = s
	}
	return seats, nil
}

// InsertBooking stores b without its settlement.
func (s *Bookings) InsertBooking(ctx context.Context, b booking.Booking) error {
	if _, err := s.bookings.InsertOne(ctx, fromBooking(b)); err != nil {
		return fmt.Errorf("insert booking %s: %w", b.ID, unavailable(err))
	}
	return nil
}

// Booking returns the booking with id without its settlement, or
// booking.ErrNotFound.
func (s *Bookings) Booking(ctx context.Context, id string) (booking.Booking, error) {
	var d bookingDoc
	err := s.bookings.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return booking.Booking{}, booking.ErrNotFound
	}
	if err != nil {
		return booking.Booking{}, fmt.Errorf("find booking %s: %w", id, unavailable(err))
	}
	return d.toBooking()
}

// BookingsOfUser returns a user's bookings, newest first, without their
// settlements.
func (s *Bookings) BookingsOfUser(ctx context.Context, userID string) ([]booking.Booking, error) {
	bookings, err := s.newestFirst(ctx, bson.D{{Key: "userId", Value: userID}})
	if err != nil {
		return nil, fmt.Errorf("find bookings of user %s: %w", userID, err)
	}
	return bookings, nil
}

// BookingsOfShow returns a show's bookings, newest first, without their
// settlements.
func (s *Bookings) BookingsOfShow(ctx context.Context, showID string) ([]booking.Booking, error) {
	bookings, err := s.newestFirst(ctx, bson.D{{Key: "showId", Value: showID}})
	if err != nil {
		return nil, fmt.Errorf("find bookings of show %s: %w", showID, err)
	}
	return bookings, nil
}

func (s *Bookings) newestFirst(ctx context.Context, filter bson.D) ([]booking.Booking, error) {
	opts := options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).
		SetBatchSize(firstBatch(maxBatch))
	docs, err := findAll[bookingDoc](ctx, s.bookings, filter, opts)
	if err != nil {
		return nil, unavailable(err)
	}

	bookings := make([]booking.Booking, len(docs))
	for i, d := range docs {
		if bookings[i], err = d.toBooking(); err != nil {
			return nil, err
		}
	}
	return bookings, nil
}

// BookingsByID returns the bookings with the given ids that exist, without
// their settlements, in one query.
func (s *Bookings) BookingsByID(ctx context.Context, ids []string) ([]booking.Booking, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	docs, err := findAll[bookingDoc](ctx, s.bookings, bson.D{{Key: "_id", Value: in(ids)}},
		oneBatch(len(ids)))
	if err != nil {
		return nil, fmt.Errorf("find %d bookings: %w", len(ids), unavailable(err))
	}

	bookings := make([]booking.Booking, len(docs))
	for i, d := range docs {
		if bookings[i], err = d.toBooking(); err != nil {
			return nil, err
		}
	}
	return bookings, nil
}
