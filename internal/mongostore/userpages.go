package mongostore

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/user"
)

// versionsPerUser is how many stored versions a page expects per user
// when it sizes its query: older versions are deleted once a newer one is
// stored, so there are rarely more than two.
const versionsPerUser = 3

// UsersAfter returns up to limit users whose id sorts after the cursor
// "after" ("" for the first page), in id order, each as their newest
// version; deleted users are left out. It returns the cursor of the next
// page, "" after the last. One query reads the versions of the page's users
// in (userId, clerkUpdatedAt) order, which the users index serves.
func (s *Users) UsersAfter(ctx context.Context, after string,
	limit int) ([]user.User, string, error) {
	fetch := int64(limit*versionsPerUser + 1)
	filter := bson.D{{Key: "userId", Value: bson.D{{Key: "$gt", Value: after}}}}
	opts := options.Find().
		SetSort(bson.D{{Key: "userId", Value: 1}, {Key: "clerkUpdatedAt", Value: -1}}).
		SetLimit(fetch)
	docs, err := findAll[userDoc](ctx, s.users, filter, opts)
	if err != nil {
		return nil, "", fmt.Errorf("find users after %q: %w", after, unavailable(err))
	}

	// The newest version of each user comes first; a tombstone sorts
	// before every version. When the query was cut short, the last user
	// may lack versions, so that user waits for the next page.
	full := int64(len(docs)) < fetch
	var users []user.User
	next, seen := "", 0
	for i, d := range docs {
		if i > 0 && docs[i-1].UserID == d.UserID {
			continue
		}
		if seen == limit || (!full && d.UserID == docs[len(docs)-1].UserID && seen > 0) {
			return users, next, nil
		}
		seen++
		next = d.UserID
		if !d.Deleted {
			users = append(users, d.toUser())
		}
	}
	if full {
		next = ""
	}
	return users, next, nil
}
