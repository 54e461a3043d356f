package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/notify"
)

// Reminders records the show reminders sent, in the reminders collection.
// It implements notify.Reminders.
type Reminders struct {
	coll *mongo.Collection
}

// NewReminders returns the reminder store of db.
func NewReminders(db *mongo.Database) *Reminders {
	return &Reminders{coll: db.Collection("reminders")}
}

// reminderDoc is a booking's reminder. Its id is the booking's, so a
// booking is reminded once however many runs try.
type reminderDoc struct {
	BookingID string    `bson:"_id"`
	At        time.Time `bson:"at"`
}

// InsertReminder records the booking's reminder, or fails with
// notify.ErrReminded when it is recorded already.
func (s *Reminders) InsertReminder(ctx context.Context, bookingID string, at time.Time) error {
	_, err := s.coll.InsertOne(ctx, reminderDoc{BookingID: bookingID, At: at})
	if mongo.IsDuplicateKeyError(err) {
		return notify.ErrReminded
	}
	if err != nil {
		return fmt.Errorf("insert reminder of booking %s: %w", bookingID, unavailable(err))
	}
	return nil
}

// DeleteReminder forgets the booking's reminder.
func (s *Reminders) DeleteReminder(ctx context.Context, bookingID string) error {
	if _, err := s.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: bookingID}}); err != nil {
		return fmt.Errorf("delete reminder of booking %s: %w", bookingID, unavailable(err))
	}
	return nil
}
