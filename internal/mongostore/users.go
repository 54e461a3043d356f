package mongostore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/user"
)

// Users keeps the versions of users in the users collection and forgets
// their favourites in the favorites collection. It implements user.Store.
type Users struct {
	users     *mongo.Collection
	favorites *mongo.Collection
}

// NewUsers returns the user store of db.
func NewUsers(db *mongo.Database) *Users {
	return &Users{users: db.Collection("users"), favorites: db.Collection("favorites")}
}

// tombstoneTime sorts a tombstone before every version of its user.
var tombstoneTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// userDoc is one version of a user, or the user's tombstone. The id of a
// version is the user id and Clerk's updated_at in milliseconds, so each
// version can be inserted once; a tombstone's is the user id and "deleted".
type userDoc struct {
	ID             string    `bson:"_id"`
	UserID         string    `bson:"userId"`
	Deleted        bool      `bson:"deleted"`
	Name           string    `bson:"name,omitempty"`
	Email          string    `bson:"email,omitempty"`
	ImageURL       string    `bson:"imageUrl,omitempty"`
	Role           string    `bson:"role,omitempty"`
	ClerkUpdatedAt time.Time `bson:"clerkUpdatedAt"`
	CreatedAt      time.Time `bson:"createdAt"`
	UpdatedAt      time.Time `bson:"updatedAt"`
}

func versionID(userID string, t time.Time) string {
	return userID + "@" + strconv.FormatInt(t.UnixMilli(), 10)
}

func fromUser(u user.User) userDoc {
	return userDoc{
		ID:             versionID(u.ID, u.ClerkUpdatedAt),
		UserID:         u.ID,
		Name:           u.Name,
		Email:          u.Email,
		ImageURL:       u.ImageURL,
		Role:           string(u.Role),
		ClerkUpdatedAt: u.ClerkUpdatedAt,
		CreatedAt:      u.CreatedAt,
		UpdatedAt:      u.UpdatedAt,
	}
}

func (d userDoc) toUser() user.User {
	return user.User{
		ID:             d.UserID,
		Name:           d.Name,
		Email:          d.Email,
		ImageURL:       d.ImageURL,
		Role:           user.Role(d.Role),
		ClerkUpdatedAt: d.ClerkUpdatedAt.UTC(),
		CreatedAt:      d.CreatedAt.UTC(),
		UpdatedAt:      d.UpdatedAt.UTC(),
	}
}

// InsertVersion stores u as the user's state at u.ClerkUpdatedAt, or fails
// with user.ErrVersionExists when that version is stored already.
func (s *Users) InsertVersion(ctx context.Context, u user.User) error {
	_, err := s.users.InsertOne(ctx, fromUser(u))
	if mongo.IsDuplicateKeyError(err) {
		return user.ErrVersionExists
	}
	if err != nil {
		return fmt.Errorf("insert user %s version: %w", u.ID, unavailable(err))
	}
	return nil
}

// InsertTombstone records that the user was deleted at the given time. A
// tombstone stored already is kept as it is.
func (s *Users) InsertTombstone(ctx context.Context, id string, at time.Time) error {
	d := userDoc{
		ID:             id + "#deleted",
		UserID:         id,
		Deleted:        true,
		ClerkUpdatedAt: tombstoneTime,
		CreatedAt:      at,
		UpdatedAt:      at,
	}
	_, err := s.users.InsertOne(ctx, d)
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return fmt.Errorf("insert user %s tombstone: %w", id, unavailable(err))
	}
	return nil
}

// Newest returns the user's newest version. It fails with user.ErrDeleted
// when the user has a tombstone, and user.ErrNotFound when nothing of the
// user is stored.
func (s *Users) Newest(ctx context.Context, id string) (user.User, error) {
	filter := bson.D{{Key: "userId", Value: id}}
	opts := options.FindOne().SetSort(bson.D{{Key: "clerkUpdatedAt", Value: -1}})

	var d userDoc
	err := s.users.FindOne(ctx, filter, opts).Decode(&d)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return user.User{}, user.ErrNotFound
	case err != nil:
		return user.User{}, fmt.Errorf("find user %s: %w", id, unavailable(err))
	case d.Deleted:
		return user.User{}, user.ErrDeleted
	}
	return d.toUser(), nil
}

// DeleteVersionsBefore deletes the user's versions older than t, never its
// tombstone.
func (s *Users) DeleteVersionsBefore(ctx context.Context, id string, t time.Time) error {
	filter := bson.D{
		{Key: "userId", Value: id},
		{Key: "deleted", Value: false},
		{Key: "clerkUpdatedAt", Value: bson.D{{Key: "$lt", Value: t}}},
	}
	if _, err := s.users.DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("delete versions of user %s before %s: %w",
			id, t.Format(time.RFC3339Nano), unavailable(err))
	}
	return nil
}

// DeleteVersion deletes the user's version at t, if it is stored.
func (s *Users) DeleteVersion(ctx context.Context, id string, t time.Time) error {
	filter := bson.D{{Key: "_id", Value: versionID(id, t)}}
	if _, err := s.users.DeleteOne(ctx, filter); err != nil {
		return fmt.Errorf("delete user %s version %s: %w",
			id, t.Format(time.RFC3339Nano), unavailable(err))
	}
	return nil
}

// Count counts the users that have a version and no tombstone, in two
// queries. A user's versions outlive their tombstone only for a moment, but
// they are not counted even then.
func (s *Users) Count(ctx context.Context) (int, error) {
	live, err := s.liveIDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", unavailable(err))
	}
	if len(live) == 0 {
		return 0, nil
	}

	filter := bson.D{
		{Key: "deleted", Value: true},
		{Key: "userId", Value: bson.D{{Key: "$in", Value: live}}},
	}
	dead, err := s.users.CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count deleted users: %w", unavailable(err))
	}
	return len(live) - int(dead), nil
}

// liveIDs returns the ids of the users that have a version.
//
// NOTE: a $group, not the distinct command: FerretDB v1.24.2 answers
// distinct with a reply the driver cannot decode when the context has a
// deadline, as every request's has (see [Connect]).
func (s *Users) liveIDs(ctx context.Context) ([]string, error) {
	pipeline := mongo.Pipeline{
		{{Key: "$match", Value: bson.D{{Key: "deleted", Value: false}}}},
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$userId"}}}},
	}
	// Every id in the first reply, so that counting users costs the same
	// round trips however many there are.
	opts := options.Aggregate().SetBatchSize(firstBatch(maxBatch))
	cur, err := s.users.Aggregate(ctx, pipeline, opts)
	if err != nil {
		return nil, err
	}
	var groups []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &groups); err != nil {
		return nil, err
	}

	ids := make([]string, len(groups))
	for i, g := range groups {
		ids[i] = g.ID
	}
	return ids, nil
}

// DeleteFavorites forgets the user's favourite movies and returns how many
// there were.
func (s *Users) DeleteFavorites(ctx context.Context, userID string) (int, error) {
	res, err := s.favorites.DeleteMany(ctx, bson.D{{Key: "userId", Value: userID}})
	if err != nil {
		return 0, fmt.Errorf("delete favorites of user %s: %w", userID, unavailable(err))
	}
	return int(res.DeletedCount), nil
}
