package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/page"
)

// BookingsAfter returns at most limit bookings that come after the cursor
// in the order newest first (createdAt, then id, both descending), without
// their settlements, in one query. The zero cursor starts at the newest.
// The index on (createdAt, _id) serves both the order and the cursor.
func (s *Bookings) BookingsAfter(ctx context.Context, after page.Cursor,
	limit int) ([]booking.Booking, error) {
	filter := bson.D{}
	if !after.IsZero() {
		filter = append(filter, afterCursor(after, "createdAt", "_id", true))
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).
		SetLimit(int64(limit)).
		SetBatchSize(firstBatch(limit))
	docs, err := findAll[bookingDoc](ctx, s.bookings, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find %d bookings after %q: %w", limit, after, unavailable(err))
	}

	bookings := make([]booking.Booking, len(docs))
	for i, d := range docs {
		if bookings[i], err = d.toBooking(); err != nil {
			return nil, err
		}
	}
	return bookings, nil
}
