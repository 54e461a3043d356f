package mongostore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/show"
)

// Shows keeps the schedule, in the shows collection. It implements
// show.Store. A unique index on (movieId, startsAt) keeps a movie from
// being scheduled twice at one time.
type Shows struct {
	coll *mongo.Collection
}

// NewShows returns the show store of db.
func NewShows(db *mongo.Database) *Shows {
	return &Shows{coll: db.Collection("shows")}
}

type showDoc struct {
	ID        string    `bson:"_id"`
	MovieID   string    `bson:"movieId"`
	StartsAt  time.Time `bson:"startsAt"`
	Price     moneyDoc  `bson:"price"`
	Layout    layoutDoc `bson:"layout"`
	CreatedAt time.Time `bson:"createdAt"`
}

type layoutDoc struct {
	Rows        []string `bson:"rows"`
	SeatsPerRow int      `bson:"seatsPerRow"`
}

func fromShow(s show.Show) showDoc {
	return showDoc{
		ID:        s.ID,
		MovieID:   s.MovieID,
		StartsAt:  s.StartsAt,
		Price:     fromMoney(s.Price),
		Layout:    layoutDoc{Rows: slices.Clone(s.Layout.Rows), SeatsPerRow: s.Layout.SeatsPerRow},
		CreatedAt: s.CreatedAt,
	}
}

func (d showDoc) toShow() show.Show {
	return show.Show{
		ID:        d.ID,
		MovieID:   d.MovieID,
		StartsAt:  d.StartsAt.UTC(),
		Price:     d.Price.toMoney(),
		Layout:    show.Layout{Rows: d.Layout.Rows, SeatsPerRow: d.Layout.SeatsPerRow},
		CreatedAt: d.CreatedAt.UTC(),
	}
}

// InsertMany stores shows, all or none. A start time already taken for the
// movie, by a stored show or by an earlier one in shows, fails with a
// *show.DuplicateError naming the clashing times.
//
// NOTE: without transactions, all-or-none is kept by undoing: FerretDB's
// insert stops at the first duplicate, so the shows stored before it are
// deleted again by their ids. Until then they are visible to readers. A
// query first finds every clashing time that is already stored, so the
// usual conflict is reported in full and stores nothing.
func (s *Shows) InsertMany(ctx context.Context, shows []show.Show) error {
	if len(shows) == 0 {
		return nil
	}
	if err := s.checkFree(ctx, shows); err != nil {
		return err
	}

	docs := make([]showDoc, len(shows))
	for i, sh := range shows {
		docs[i] = fromShow(sh)
	}
	_, err := s.coll.InsertMany(ctx, docs)
	if err == nil {
		return nil
	}

	// An ordered insert stores the shows before the failing one only; after
	// any other failure, which of them were stored is unknown.
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || len(bwe.WriteErrors) == 0 {
		err = fmt.Errorf("insert %d shows: %w", len(shows), unavailable(err))
		_, uerr := s.deleteAll(ctx, docs)
		return errors.Join(err, uerr)
	}

	failed := min(max(bwe.WriteErrors[0].Index, 0), len(shows)-1)
	if mongo.IsDuplicateKeyError(err) {
		err = &show.DuplicateError{StartTimes: []time.Time{shows[failed].StartsAt}}
	} else {
		err = fmt.Errorf("insert show %s: %w", shows[failed].ID, unavailable(err))
	}
	n, uerr := s.deleteAll(ctx, docs[:failed])
	if uerr == nil && n != int64(failed) {
		uerr = fmt.Errorf("undo insert of %d shows: deleted %d", failed, n)
	}
	return errors.Join(err, uerr)
}

// checkFree fails with a *show.DuplicateError naming every start time of
// shows that is already stored for the show's movie.
func (s *Shows) checkFree(ctx context.Context, shows []show.Show) error {
	var movieIDs []string
	var times []time.Time
	for _, sh := range shows {
		if !slices.Contains(movieIDs, sh.MovieID) {
			movieIDs = append(movieIDs, sh.MovieID)
		}
		times = append(times, sh.StartsAt)
	}
	filter := bson.D{
		{Key: "movieId", Value: in(movieIDs)},
		{Key: "startsAt", Value: in(times)},
	}
	stored, err := findAll[showDoc](ctx, s.coll, filter)
	if err != nil {
		return fmt.Errorf("find shows clashing with %d new ones: %w", len(shows), unavailable(err))
	}

	var clashes []time.Time
	for _, sh := range shows {
		if slices.ContainsFunc(stored, func(d showDoc) bool {
			return d.MovieID == sh.MovieID && d.StartsAt.Equal(sh.StartsAt)
		}) {
			clashes = append(clashes, sh.StartsAt)
		}
	}
	if len(clashes) > 0 {
		slices.SortFunc(clashes, time.Time.Compare)
		return &show.DuplicateError{StartTimes: slices.CompactFunc(clashes, time.Time.Equal)}
	}
	return nil
}

// deleteAll deletes the shows of docs that a failed InsertMany stored, and
// returns how many there were.
func (s *Shows) deleteAll(ctx context.Context, docs []showDoc) (int64, error) {
	if len(docs) == 0 {
		return 0, nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()

	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	res, err := s.coll.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(ids)}})
	if err != nil {
		return 0, fmt.Errorf("undo insert of %d shows: %w", len(ids), unavailable(err))
	}
	return res.DeletedCount, nil
}

// Show returns the show with id, or show.ErrNotFound.
func (s *Shows) Show(ctx context.Context, id string) (show.Show, error) {
	var d showDoc
	err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return show.Show{}, show.ErrNotFound
	}
	if err != nil {
		return show.Show{}, fmt.Errorf("find show %s: %w", id, unavailable(err))
	}
	return d.toShow(), nil
}

// ShowsByID returns the shows with the given ids by id, leaving out unknown
// ids, in one query.
func (s *Shows) ShowsByID(ctx context.Context, ids []string) (map[string]show.Show, error) {
	byID := make(map[string]show.Show, len(ids))
	if len(ids) == 0 {
		return byID, nil
	}

	filter := byIDs(ids)
	docs, err := findAll[showDoc](ctx, s.coll, filter, oneBatch(len(ids)))
	if err != nil {
		return nil, fmt.Errorf("find %d shows: %w", len(ids), unavailable(err))
	}
	for _, d := range docs {
		byID[d.ID] = d.toShow()
	}
	return byID, nil
}

// Find returns the shows that match f, soonest first; shows starting at
// the same time are ordered by id.
func (s *Shows) Find(ctx context.Context, f show.Filter) ([]show.Show, error) {
	filter := bson.D{}
	if f.MovieID != "" {
		filter = append(filter, bson.E{Key: "movieId", Value: f.MovieID})
	}
	startsAt := bson.D{}
	if !f.From.IsZero() {
		startsAt = append(startsAt, bson.E{Key: "$gte", Value: f.From})
	}
	if !f.To.IsZero() {
		startsAt = append(startsAt, bson.E{Key: "$lt", Value: f.To})
	}
	if len(startsAt) > 0 {
		filter = append(filter, bson.E{Key: "startsAt", Value: startsAt})
	}
	if !f.After.IsZero() {
		filter = append(filter, afterCursor(f.After, "startsAt", "_id", false))
	}

	opts := options.Find().SetSort(bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}})
	if f.Limit > 0 {
		opts.SetLimit(int64(f.Limit)).SetBatchSize(firstBatch(f.Limit))
	}
	docs, err := findAll[showDoc](ctx, s.coll, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find shows of movie %q: %w", f.MovieID, unavailable(err))
	}

	shows := make([]show.Show, len(docs))
	for i, d := range docs {
		shows[i] = d.toShow()
	}
	return shows, nil
}

// Delete removes the show with id, or returns show.ErrNotFound.
func (s *Shows) Delete(ctx context.Context, id string) error {
	res, err := s.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}})
	if err != nil {
		return fmt.Errorf("delete show %s: %w", id, unavailable(err))
	}
	if res.DeletedCount == 0 {
		return show.ErrNotFound
	}
	return nil
}

// MoviesShowingAfter returns the ids of movies with a show starting after
// t, ordered by each movie's soonest such show, in one query.
//
// FerretDB's $group has no $min or $first, so the query returns the movie
// id of every such show, soonest first, and the first sighting of each
// movie decides its place.
func (s *Shows) MoviesShowingAfter(ctx context.Context, t time.Time) ([]string, error) {
	type movieOfShow struct {
		MovieID string `bson:"movieId"`
	}
	filter := bson.D{{Key: "startsAt", Value: bson.D{{Key: "$gt", Value: t}}}}
	opts := options.Find().
		SetSort(bson.D{{Key: "startsAt", Value: 1}, {Key: "_id", Value: 1}}).
		SetProjection(bson.D{{Key: "movieId", Value: 1}, {Key: "_id", Value: 0}}).
		SetBatchSize(firstBatch(maxBatch))
	docs, err := findAll[movieOfShow](ctx, s.coll, filter, opts)
	if err != nil {
		return nil, fmt.Errorf("find movies showing after %s: %w",
			t.Format(time.RFC3339), unavailable(err))
	}

	ids := []string{}
	seen := make(map[string]bool)
	for _, d := range docs {
		if !seen[d.MovieID] {
			seen[d.MovieID] = true
			ids = append(ids, d.MovieID)
		}
	}
	return ids, nil
}
