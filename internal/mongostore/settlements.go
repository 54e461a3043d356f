package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
)

// settlementDoc says how a booking ended. Its id is the booking's id, so
// the first settlement inserted wins and every later one is a duplicate.
type settlementDoc struct {
	BookingID string    `bson:"_id"`
	ShowID    string    `bson:"showId"`
	Outcome   string    `bson:"outcome"`
	Amount    moneyDoc  `bson:"amount"`
	At        time.Time `bson:"at"`
	SessionID string    `bson:"sessionId,omitempty"` // of a paid booking
}

func fromSettlement(st booking.Settlement) settlementDoc {
	return settlementDoc{
		BookingID: st.BookingID,
		ShowID:    st.ShowID,
		Outcome:   string(st.Outcome),
		Amount:    fromMoney(st.Amount),
		At:        st.At,
		SessionID: st.SessionID,
	}
}

func (d settlementDoc) toSettlement() booking.Settlement {
	return booking.Settlement{
		BookingID: d.BookingID,
		ShowID:    d.ShowID,
		Outcome:   booking.Outcome(d.Outcome),
		Amount:    d.Amount.toMoney(),
		At:        d.At.UTC(),
		SessionID: d.SessionID,
	}
}

// Settle stores st, or fails with booking.ErrSettled when the booking
// already has a settlement.
func (s *Bookings) Settle(ctx context.Context, st booking.Settlement) error {
	_, err := s.settlements.InsertOne(ctx, fromSettlement(st))
	if mongo.IsDuplicateKeyError(err) {
		return booking.ErrSettled
	}
	if err != nil {
		return fmt.Errorf("settle booking %s as %s: %w", st.BookingID, st.Outcome, unavailable(err))
	}
	return nil
}

// Settlements returns the settlements of the given bookings by booking id,
// in one query; unsettled bookings are absent.
func (s *Bookings) Settlements(ctx context.Context,
	bookingIDs []string) (map[string]booking.Settlement, error) {
	settled := make(map[string]booking.Settlement)
	if len(bookingIDs) == 0 {
		return settled, nil
	}

	filter := byIDs(bookingIDs)
	docs, err := findAll[settlementDoc](ctx, s.settlements, filter, oneBatch(len(bookingIDs)))
	if err != nil {
		return nil, fmt.Errorf("find settlements of %d bookings: %w",
			len(bookingIDs), unavailable(err))
	}
	for _, d := range docs {
		settled[d.BookingID] = d.toSettlement()
	}
	return settled, nil
}

// PaidSettlements returns the paid settlements of the given shows, in one
// query.
func (s *Bookings) PaidSettlements(ctx context.Context, showIDs []string) ([]booking.Settlement, error) {
	if len(showIDs) == 0 {
		return nil, nil
	}
	filter := bson.D{
		{Key: "showId", Value: in(showIDs)},
		{Key: "outcome", Value: string(booking.OutcomePaid)},
	}
	docs, err := findAll[settlementDoc](ctx, s.settlements, filter)
	if err != nil {
		return nil, fmt.Errorf("find paid settlements of %d shows: %w",
			len(showIDs), unavailable(err))
	}

	settled := make([]booking.Settlement, len(docs))
	for i, d := range docs {
		settled[i] = d.toSettlement()
	}
	return settled, nil
}
