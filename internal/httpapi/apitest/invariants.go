package apitest

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// CheckSeatsSoldOnce reads every stored booking of a show and its
// settlement, and fails t when a seat belongs to two live bookings (paid,
// or unsettled with time left on the hold), or when taken, the seats a
// surface of the API reports taken now, are not exactly the seats of the
// live bookings.
func (a *API) CheckSeatsSoldOnce(t testing.TB, showID string, taken []string) {
	t.Helper()
	var docs []struct {
		ID            string `bson:"_id"`
		Seats         []string
		HoldExpiresAt time.Time
	}
	find(t, a.DB.Collection("bookings"), bson.D{{Key: "showId", Value: showID}}, &docs)
	var settled []struct {
		ID      string `bson:"_id"`
		Outcome string
	}
	find(t, a.DB.Collection("settlements"), bson.D{{Key: "showId", Value: showID}}, &settled)
	outcome := map[string]string{}
	for _, s := range settled {
		outcome[s.ID] = s.Outcome
	}

	now := a.Now()
	owner := map[string]string{}
	for _, d := range docs {
		o, ok := outcome[d.ID]
		if live := o == "paid" || (!ok && now.Before(d.HoldExpiresAt)); !live {
			continue
		}
		for _, s := range d.Seats {
			if other, ok := owner[s]; ok {
				t.Errorf("seat %s is in live bookings %s and %s", s, other, d.ID)
			}
			owner[s] = d.ID
		}
	}

	var want []string
	for s := range owner {
		want = append(want, s)
	}
	slices.Sort(want)
	got := slices.Sorted(slices.Values(taken))
	if !slices.Equal(want, got) {
		t.Errorf("the API shows %v taken, live bookings hold %v", got, want)
	}
}

func find(t testing.TB, c *mongo.Collection, filter bson.D, dst any) {
	t.Helper()
	cur, err := c.Find(context.Background(), filter)
	if err != nil {
		t.Fatalf("find in %s: %v", c.Name(), err)
	}
	if err := cur.All(context.Background(), dst); err != nil {
		t.Fatalf("read %s: %v", c.Name(), err)
	}
}

// Count returns how many documents a collection holds.
func (a *API) Count(collection string) int64 {
	a.T.Helper()
	n, err := a.DB.Collection(collection).CountDocuments(context.Background(), bson.D{})
	if err != nil {
		a.T.Fatalf("count %s: %v", collection, err)
	}
	return n
}
