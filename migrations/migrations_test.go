package migrations_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/migrations"
)

func TestMain(m *testing.M) {
	os.Exit(mongotest.Run(m))
}

// TestApplyTwice checks that a migrated database gets every collection and
// index, and that applying the migrations again changes nothing.
func TestApplyTwice(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mongotest.NewDatabase(t) // migrated once already

	if err := migrations.Apply(ctx, db.Client(), db.Name()); err != nil {
		t.Fatalf("Apply again: %v, want nil", err)
	}

	var version struct {
		Version int  `bson:"version"`
		Dirty   bool `bson:"dirty"`
	}
	if err := db.Collection("schema_migrations").FindOne(ctx, bson.D{}).Decode(&version); err != nil {
		t.Fatalf("read migration version: %v", err)
	}
	if want := newestMigration(t); version.Version != want || version.Dirty {
		t.Errorf("migration version = %+v, want version %d, not dirty", version, want)
	}

	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatalf("ListCollectionNames: %v", err)
	}
	slices.Sort(names)
	want := []string{
		"bookings", "checkouts", "claims", "favorites", "idempotency_keys",
		"migrate_advisory_lock", "movies", "payments", "reminders", "schema_migrations",
		"settlements", "shows", "users", "webhook_deliveries",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("collections (-want +got):\n%s", diff)
	}
}

// TestIndexes checks the indexes that queries and races rely on.
func TestIndexes(t *testing.T) {
	t.Parallel()
	db := mongotest.NewDatabase(t)

	tests := []struct {
		collection string
		want       []index
	}{
		{"shows", []index{
			{Name: "_id_", Key: []key{{"_id", 1}}},
			{Name: "movieId_1_startsAt_1", Key: []key{{"movieId", 1}, {"startsAt", 1}}, Unique: true},
			// Upcoming shows by start, their movies read from the index
			// alone (a covered query on MongoDB), and pages by (startsAt, _id).
			{Name: "startsAt_1__id_1_movieId_1",
				Key: []key{{"startsAt", 1}, {"_id", 1}, {"movieId", 1}}},
		}},
		{"claims", []index{
			{Name: "_id_", Key: []key{{"_id", 1}}},
			{Name: "showId_1_seat_1_seq_-1", Key: []key{{"showId", 1}, {"seat", 1}, {"seq", -1}}},
		}},
		{"settlements", []index{
			{Name: "_id_", Key: []key{{"_id", 1}}},
			{Name: "outcome_1", Key: []key{{"outcome", 1}}},
			{Name: "showId_1_outcome_1", Key: []key{{"showId", 1}, {"outcome", 1}}},
		}},
		{"bookings", []index{
			{Name: "_id_", Key: []key{{"_id", 1}}},
			{Name: "createdAt_-1__id_-1", Key: []key{{"createdAt", -1}, {"_id", -1}}},
			{Name: "showId_1", Key: []key{{"showId", 1}}},
			{Name: "userId_1_createdAt_-1", Key: []key{{"userId", 1}, {"createdAt", -1}}},
		}},
		{"favorites", []index{
			{Name: "_id_", Key: []key{{"_id", 1}}},
			{Name: "userId_1_addedAt_-1_movieId_-1",
				Key: []key{{"userId", 1}, {"addedAt", -1}, {"movieId", -1}}},
			{Name: "userId_1_movieId_1", Key: []key{{"userId", 1}, {"movieId", 1}}, Unique: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.collection, func(t *testing.T) {
			got := listIndexes(t, db.Collection(tt.collection).Indexes())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("indexes of %s (-want +got):\n%s", tt.collection, diff)
			}
		})
	}
}

type index struct {
	Name   string
	Key    []key
	Unique bool
}

type key struct {
	Field     string
	Direction int
}

// listIndexes returns the indexes of a collection by name, with their key
// directions as plain ints whatever number type the server chose.
func listIndexes(t *testing.T, iv mongo.IndexView) []index {
	t.Helper()
	specs, err := iv.ListSpecifications(context.Background())
	if err != nil {
		t.Fatalf("ListSpecifications: %v", err)
	}

	var got []index
	for _, s := range specs {
		var keys bson.D
		if err := bson.Unmarshal(s.KeysDocument, &keys); err != nil {
			t.Fatalf("decode keys of index %s: %v", s.Name, err)
		}
		ix := index{Name: s.Name, Unique: s.Unique != nil && *s.Unique}
		for _, k := range keys {
			ix.Key = append(ix.Key, key{Field: k.Key, Direction: direction(t, k.Value)})
		}
		got = append(got, ix)
	}
	slices.SortFunc(got, func(a, b index) int { return strings.Compare(a.Name, b.Name) })
	return got
}

func direction(t *testing.T, v any) int {
	t.Helper()
	switch n := v.(type) {
	case int32:
		return int(n)
	case int64:
		return int(n)
	case float64:
		return int(n)
	}
	t.Fatalf("index key direction %v (%T) is not a number", v, v)
	return 0
}

// newestMigration returns the highest version among the migration files.
func newestMigration(t *testing.T) int {
	t.Helper()
	files, err := filepath.Glob("*.up.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("find migration files: %v, %d found", err, len(files))
	}
	slices.Sort(files)
	v, err := strconv.Atoi(strings.SplitN(files[len(files)-1], "_", 2)[0])
	if err != nil {
		t.Fatalf("version of %s: %v", files[len(files)-1], err)
	}
	return v
}

// TestApplyConcurrently migrates a fresh database from several goroutines
// at once, as several servers starting together would: they take turns
// through the lock and all succeed.
func TestApplyConcurrently(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client := mongotest.NewDatabase(t).Client()
	name := "fresh_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	t.Cleanup(func() {
		if err := client.Database(name).Drop(ctx); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})

	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() { errs[i] = migrations.Apply(ctx, client, name) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Apply %d: %v", i, err)
		}
	}
	if n := len(listIndexes(t, client.Database(name).Collection("shows").Indexes())); n != 3 {
		t.Errorf("shows has %d indexes after concurrent Apply, want 3", n)
	}
}
