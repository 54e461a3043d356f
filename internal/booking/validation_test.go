package booking_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/show"
)

// TestCreateRejects sends requests that must fail before any seat is
// claimed, and checks that nothing was stored.
func TestCreateRejects(t *testing.T) {
	t.Parallel()
	small := show.Layout{Rows: []string{"A", "B"}, SeatsPerRow: 4}
	f := newFixture(t, fixtureOptions{layout: small, maxSeats: 4})
	started := f.addShow(t, start.Add(-time.Minute), show.DefaultLayout())
	startsNow := f.addShow(t, start, show.DefaultLayout())

	tests := []struct {
		name   string
		showID string
		seats  []string
		// fields are the fields a *ValidationError must name, or nil
		// when want is the error.
		fields []string
		want   error
	}{
		{"no seats", f.show.ID, nil, []string{"seats"}, nil},
		{"too many seats", f.show.ID, []string{"A1", "A2", "A3", "A4", "B1"}, []string{"seats"}, nil},
		{"malformed seat ids", f.show.ID, []string{"A1", "a2", "A0", "Z", "A100"}, []string{"seats"}, nil},
		{"a seat twice", f.show.ID, []string{"A1", "A1"}, []string{"seats"}, nil},
		{"no show id", "", []string{"A1"}, []string{"showId"}, nil},
		{"no show id, no seats", "", nil, []string{"showId", "seats"}, nil},
		{"row outside the layout", f.show.ID, []string{"A1", "C1"}, []string{"seats"}, nil},
		{"number outside the layout", f.show.ID, []string{"A5"}, []string{"seats"}, nil},
		{"unknown show", "no-such-show", []string{"A1"}, []string{"showId"}, nil},
		{"started show", started.ID, []string{"A1"}, nil, booking.ErrShowStarted},
		{"show starting now", startsNow.ID, []string{"A1"}, nil, booking.ErrShowStarted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := booking.CreateInput{UserID: "user_ada", ShowID: tt.showID, Seats: tt.seats}
			_, _, err := f.svc.Create(context.Background(), in)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Errorf("Create(%q, %q) = %v, want %v", tt.showID, tt.seats, err, tt.want)
				}
				return
			}
			var verr *booking.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Create(%q, %q) = %v, want a *booking.ValidationError", tt.showID, tt.seats, err)
			}
			var fields []string
			for name := range verr.Fields {
				fields = append(fields, name)
			}
			slices.Sort(fields)
			slices.Sort(tt.fields)
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("Create(%q, %q) invalid fields (-want +got):\n%s", tt.showID, tt.seats, diff)
			}
		})
	}

	for _, coll := range []string{"claims", "settlements", "bookings", "idempotency_keys"} {
		n, err := f.db.Collection(coll).CountDocuments(context.Background(), bson.D{})
		if err != nil {
			t.Fatalf("count %s: %v", coll, err)
		}
		if n != 0 {
			t.Errorf("%s holds %d documents after rejected requests, want 0", coll, n)
		}
	}
}

// TestCreateWithKeyRejects checks what a rejected request with an
// Idempotency-Key leaves: nothing for a request that may be mended and
// retried, the answer for one that cannot change.
func TestCreateWithKeyRejects(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t, fixtureOptions{})
	started := f.addShow(t, start.Add(-time.Minute), show.DefaultLayout())

	unknown := booking.CreateInput{
		UserID:         "user_ada",
		ShowID:         "no-such-show",
		Seats:          []string{"A1"},
		IdempotencyKey: "k",
	}
	var verr *booking.ValidationError
	if _, _, err := f.svc.Create(ctx, unknown); !errors.As(err, &verr) {
		t.Fatalf("Create(unknown show) = %v, want a *booking.ValidationError", err)
	}
	late := booking.CreateInput{
		UserID:         "user_bo",
		ShowID:         started.ID,
		Seats:          []string{"A1"},
		IdempotencyKey: "k",
	}
	for _, want := range []bool{false, true} {
		_, replayed, err := f.svc.Create(ctx, late)
		if !errors.Is(err, booking.ErrShowStarted) || replayed != want {
			t.Errorf("Create(started show) = replayed %t, %v; want replayed %t, ErrShowStarted",
				replayed, err, want)
		}
	}

	var keys []struct {
		ID      string `bson:"_id"`
		Failure struct {
			Code string `bson:"code"`
		} `bson:"failure"`
	}
	readAll(t, f.db.Collection("idempotency_keys"), bson.D{}, &keys)
	if len(keys) != 1 || keys[0].ID != "user_bo/k" || keys[0].Failure.Code != "show_started" {
		t.Errorf("stored idempotency keys = %+v, want only user_bo/k with failure show_started", keys)
	}
}
