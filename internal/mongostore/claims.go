package mongostore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/show"
)

// claimDoc is one claim of a seat. Its id, "<showId>/<seat>/<seq>", is the
// unique key that decides which of two buyers gets the seat.
type claimDoc struct {
	ID            string    `bson:"_id"`
	ShowID        string    `bson:"showId"`
	Seat          string    `bson:"seat"`
	Seq           int       `bson:"seq"`
	BookingID     string    `bson:"bookingId"`
	HoldExpiresAt time.Time `bson:"holdExpiresAt"`
	// ClaimedAt is absent from claims stored before it was recorded.
	ClaimedAt time.Time `bson:"claimedAt,omitempty"`
}

func claimID(showID string, seat show.Seat, seq int) string {
	return showID + "/" + seat.String() + "/" + strconv.Itoa(seq)
}

func fromClaim(c booking.Claim) claimDoc {
	return claimDoc{
		ID:            claimID(c.ShowID, c.Seat, c.Seq),
		ShowID:        c.ShowID,
		Seat:          c.Seat.String(),
		Seq:           c.Seq,
		BookingID:     c.BookingID,
		HoldExpiresAt: c.HoldExpiresAt,
		ClaimedAt:     c.ClaimedAt,
	}
}

func (d claimDoc) toClaim() (booking.Claim, error) {
	seat, err := show.ParseSeat(d.Seat)
	if err != nil {
		return booking.Claim{}, fmt.Errorf("claim %s: stored seat %q: %w", d.ID, d.Seat, err)
	}
	return booking.Claim{
		ShowID:        d.ShowID,
		Seat:          seat,
		Seq:           d.Seq,
		BookingID:     d.BookingID,
		HoldExpiresAt: d.HoldExpiresAt.UTC(),
		ClaimedAt:     utcOrZero(d.ClaimedAt),
	}, nil
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// InsertClaim stores c, or fails with booking.ErrClaimExists when the seat
// already has a claim with c's sequence number.
func (s *Bookings) InsertClaim(ctx context.Context, c booking.Claim) error {
	d := fromClaim(c)
	_, err := s.claims.InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return booking.ErrClaimExists
	}
	if err != nil {
		return fmt.Errorf("insert claim %s: %w", d.ID, unavailable(err))
	}
	return nil
}

// LatestClaims returns the newest claim of each seat of the show that has
// one, ordered by seat id; with no seats given, of every seat.
func (s *Bookings) LatestClaims(ctx context.Context, showID string,
	seats []show.Seat) ([]booking.Claim, error) {
	filter := bson.D{{Key: "showId", Value: showID}}
	if len(seats) > 0 {
		filter = append(filter, bson.E{Key: "seat", Value: in(seatIDs(seats))})
	}
	// Newest first within each seat, so the first claim seen of a seat is
	// the one that counts.
	opts := options.Find().SetSort(bson.D{{Key: "seat", Value: 1}, {Key: "seq", Value: -1}})
	docs, err := findAll[claimDoc](ctx, s.claims, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find claims of show %s: %w", showID, unavailable(err))
	}

	var latest []booking.Claim
	for i, d := range docs {
		if i > 0 && docs[i-1].Seat == d.Seat {
			continue
		}
		c, err := d.toClaim()
		if err != nil {
			return nil, err
		}
		latest = append(latest, c)
	}
	return latest, nil
}
