package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/marquee-hq/marquee/internal/user"
)

// UsersByID returns the newest version of each of the given users, by id,
// in one query. Users with nothing stored, and deleted users, are absent.
func (s *Users) UsersByID(ctx context.Context, ids []string) (map[string]user.User, error) {
	byID := make(map[string]user.User, len(ids))
	if len(ids) == 0 {
		return byID, nil
	}

	// Newest first within each user, so the first document of a user is
	// the one that counts; a tombstone sorts before every version. A user
	// has more than one document only for a moment after an update, or
	// after their deletion, hence the batch of two per user.
	opts := oneBatch(2 * len(ids)).
		SetSort(bson.D{{Key: "userId", Value: 1}, {Key: "clerkUpdatedAt", Value: -1}})
	docs, err := findAll[userDoc](ctx, s.users, bson.D{{Key: "userId", Value: in(ids)}}, opts)
	if err != nil {
		return nil, fmt.Errorf("find %d users: %w", len(ids), unavailable(err))
	}

	for i, d := range docs {
		if i > 0 && docs[i-1].UserID == d.UserID {
			continue
		}
		if !d.Deleted {
			byID[d.UserID] = d.toUser()
		}
	}
	return byID, nil
}
