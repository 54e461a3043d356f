package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/report"
	"github.com/marquee-hq/marquee/internal/show"
)

// The sales figures below implement report.SalesStore.
//
// NOTE: FerretDB v1.24.2 fills in only the first accumulator of a $group
// stage (the others come back 0), and its $unwind keeps only _id and the
// unwound field. So no pipeline here groups more than one figure, counts
// are separate queries, and seats are counted in the application.

var paidOnly = bson.E{Key: "outcome", Value: string(booking.OutcomePaid)}

// CountBookings counts every booking, whatever became of it, in one query.
func (s *Bookings) CountBookings(ctx context.Context) (int, error) {
	n, err := s.bookings.CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("count bookings: %w", unavailable(err))
	}
	return int(n), nil
}

// CountPaid counts the bookings settled as paid, in one query.
func (s *Bookings) CountPaid(ctx context.Context) (int, error) {
	n, err := s.settlements.CountDocuments(ctx, bson.D{paidOnly})
	if err != nil {
		return 0, fmt.Errorf("count paid bookings: %w", unavailable(err))
	}
	return int(n), nil
}

// Revenue returns the total of the paid bookings in each currency that has
// any, ordered by currency. The database adds the amounts up, in one
// aggregation over the settlements.
func (s *Bookings) Revenue(ctx context.Context) ([]money.Money, error) {
	pipeline := mongo.Pipeline{
		{{Key: "$match", Value: bson.D{paidOnly}}},
		{{Key: "$group", Value: bson.D{
			{Key: "_id", Value: "$amount.currency"},
			{Key: "amount", Value: bson.D{{Key: "$sum", Value: "$amount.amount"}}},
		}}},
		{{Key: "$sort", Value: bson.D{{Key: "_id", Value: 1}}}},
	}
	cur, err := s.settlements.Aggregate(ctx, pipeline)
	if err != nil {
		return nil, fmt.Errorf("add up revenue: %w", unavailable(err))
	}
	var totals []struct {
		Currency string `bson:"_id"`
		Amount   int64  `bson:"amount"`
	}
	if err := cur.All(ctx, &totals); err != nil {
		return nil, fmt.Errorf("add up revenue: %w", unavailable(err))
	}

	out := make([]money.Money, len(totals))
	for i, t := range totals {
		out[i] = money.Money{Amount: t.Amount, Currency: money.Currency(t.Currency)}
	}
	return out, nil
}

// ShowSales returns what each of the shows has sold, by show id: the seats
// of its paid bookings and what was paid for them, per currency. Shows that
// have sold nothing are absent. It reads the paid settlements of the shows,
// then the seats of those bookings: two queries whatever their number.
func (s *Bookings) ShowSales(ctx context.Context,
	shows []show.Show) (map[string]report.Sales, error) {
	sales := make(map[string]report.Sales)
	if len(shows) == 0 {
		return sales, nil
	}
	ids, capacity := make([]string, len(shows)), 0
	for i, sh := range shows {
		ids[i] = sh.ID
		capacity += sh.Layout.Capacity()
	}

	// Every paid booking holds a seat, so there are at most as many as the
	// shows have seats.
	filter := bson.D{{Key: "showId", Value: in(ids)}, paidOnly}
	opts := oneBatch(capacity).
		SetProjection(bson.D{{Key: "showId", Value: 1}, {Key: "amount", Value: 1}})
	paid, err := findAll[settlementDoc](ctx, s.settlements, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find paid bookings of %d shows: %w", len(shows), unavailable(err))
	}
	if len(paid) == 0 {
		return sales, nil
	}

	seats, err := s.seatCounts(ctx, paid)
	if err != nil {
		return nil, err
	}
	for _, st := range paid {
		sold := sales[st.ShowID]
		if sold.Revenue == nil {
			sold.Revenue = make(map[money.Currency]int64)
		}
		sold.Seats += seats[st.BookingID]
		sold.Revenue[money.Currency(st.Amount.Currency)] += st.Amount.Amount
		sales[st.ShowID] = sold
	}
	return sales, nil
}

// seatCounts returns how many seats each of the settled bookings holds, by
// booking id, in one query.
func (s *Bookings) seatCounts(ctx context.Context,
	settled []settlementDoc) (map[string]int, error) {
	ids := make([]string, len(settled))
	for i, st := range settled {
		ids[i] = st.BookingID
	}
	type seatsDoc struct {
		ID    string   `bson:"_id"`
		Seats []string `bson:"seats"`
	}
	opts := oneBatch(len(ids)).SetProjection(bson.D{{Key: "seats", Value: 1}})
	docs, err := findAll[seatsDoc](ctx, s.bookings, bson.D{{Key: "_id", Value: in(ids)}}, opts)
	if err != nil {
		return nil, fmt.Errorf("find seats of %d paid bookings: %w", len(ids), unavailable(err))
	}

	counts := make(map[string]int, len(docs))
	for _, d := range docs {
		counts[d.ID] = len(d.Seats)
	}
	return counts, nil
}
