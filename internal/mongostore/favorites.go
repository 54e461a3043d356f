package mongostore

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/page"
)

// Favorites keeps favourite movies in the favorites collection, one
// document per user and movie under the unique index on (userId, movieId).
// It implements favorite.Store. Users.DeleteFavorites forgets those of a
// deleted user.
type Favorites struct {
	coll *mongo.Collection
}

// NewFavorites returns the favourites store of db.
func NewFavorites(db *mongo.Database) *Favorites {
	return &Favorites{coll: db.Collection("favorites")}
}

// favoriteDoc is one favourite. Its _id is the driver's generated one;
// the unique index, not the id, keeps it single.
type favoriteDoc struct {
	UserID  string    `bson:"userId"`
	MovieID string    `bson:"movieId"`
	AddedAt time.Time `bson:"addedAt"`
}

func fromFavorite(f favorite.Favorite) favoriteDoc {
	return favoriteDoc{UserID: f.UserID, MovieID: f.MovieID, AddedAt: f.AddedAt}
}

func (d favoriteDoc) toFavorite() favorite.Favorite {
	return favorite.Favorite{UserID: d.UserID, MovieID: d.MovieID, AddedAt: d.AddedAt.UTC()}
}

// Insert stores f, or fails with favorite.ErrExists when the user has the
// movie among their favourites already.
func (s *Favorites) Insert(ctx context.Context, f favorite.Favorite) error {
	_, err := s.coll.InsertOne(ctx, fromFavorite(f))
	if mongo.IsDuplicateKeyError(err) {
		return favorite.ErrExists
	}
	if err != nil {
		return fmt.Errorf("insert favorite %s of user %s: %w",
			f.MovieID, f.UserID, unavailable(err))
	}
	return nil
}

// Delete removes the user's favourite movie and reports whether it was
// there.
func (s *Favorites) Delete(ctx context.Context, userID, movieID string) (bool, error) {
	filter := bson.D{{Key: "userId", Value: userID}, {Key: "movieId", Value: movieID}}
	res, err := s.coll.DeleteOne(ctx, filter)
	if err != nil {
		return false, fmt.Errorf("delete favorite %s of user %s: %w",
			movieID, userID, unavailable(err))
	}
	return res.DeletedCount > 0, nil
}

// OfUser returns at most limit of the user's favourites that come after
// the cursor, most recently added first (addedAt, then movieId, both
// descending), in one query.
func (s *Favorites) OfUser(ctx context.Context, userID string, after page.Cursor,
	limit int) ([]favorite.Favorite, error) {
	filter := bson.D{{Key: "userId", Value: userID}}
	if !after.IsZero() {
		filter = append(filter, afterCursor(after, "addedAt", "movieId", true))
	}
	opts := options.Find().
		SetSort(bson.D{{Key: "addedAt", Value: -1}, {Key: "movieId", Value: -1}}).
		SetLimit(int64(limit)).
		SetBatchSize(firstBatch(limit))
	docs, err := findAll[favoriteDoc](ctx, s.coll, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find favorites of user %s: %w", userID, unavailable(err))
	}

	favs := make([]favorite.Favorite, len(docs))
	for i, d := range docs {
		favs[i] = d.toFavorite()
	}
	return favs, nil
}
