package mongostore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/user"
)

var _ user.Store = (*mongostore.Users)(nil)

var t0 = time.Date(2026, 11, 2, 18, 30, 0, 123e6, time.UTC)

func sampleUser(id string, updated time.Time, name string) user.User {
	return user.User{
		ID:             id,
		Name:           name,
		Email:          "ada.quill@example.test",
		ImageURL:       "https://img.example.test/ada.png",
		Role:           user.RoleUser,
		ClerkUpdatedAt: updated,
		CreatedAt:      t0.Add(-time.Hour),
		UpdatedAt:      updated.Add(time.Second),
	}
}

func TestUsersNewestVersionWins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewUsers(mongotest.NewDatabase(t))

	older := sampleUser("user_ada", t0, "Ada Quill")
	newer := sampleUser("user_ada", t0.Add(time.Minute), "Ada Q. Quill")
	for _, u := range []user.User{newer, older} {
		if err := s.InsertVersion(ctx, u); err != nil {
			t.Fatalf("InsertVersion(%s at %v) = %v", u.ID, u.ClerkUpdatedAt, err)
		}
	}
	if err := s.InsertVersion(ctx, older); !errors.Is(err, user.ErrVersionExists) {
		t.Errorf("InsertVersion(same version again) = %v, want %v", err, user.ErrVersionExists)
	}

	got, err := s.Newest(ctx, "user_ada")
	if err != nil {
		t.Fatalf("Newest(user_ada) = %v", err)
	}
	if diff := cmp.Diff(newer, got); diff != "" {
		t.Errorf("Newest(user_ada) mismatch (-want +got):\n%s", diff)
	}

	if _, err := s.Newest(ctx, "user_nobody"); !errors.Is(err, user.ErrNotFound) {
		t.Errorf("Newest(user_nobody) = %v, want %v", err, user.ErrNotFound)
	}
}

func TestUsersDeleteVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	s := mongostore.NewUsers(db)

	for i := range 3 {
		u := sampleUser("user_bo", t0.Add(time.Duration(i)*time.Minute), "Bo Lind")
		if err := s.InsertVersion(ctx, u); err != nil {
			t.Fatalf("InsertVersion(version %d) = %v", i, err)
		}
	}

	if err := s.DeleteVersionsBefore(ctx, "user_bo", t0.Add(time.Minute)); err != nil {
		t.Fatalf("DeleteVersionsBefore = %v", err)
	}
	if n := mustCountDocs(t, db.Collection("users"), bson.D{{Key: "userId", Value: "user_bo"}}); n != 2 {
		t.Errorf("after DeleteVersionsBefore(t0+1m): %d versions stored, want 2", n)
	}

	if err := s.DeleteVersion(ctx, "user_bo", t0.Add(2*time.Minute)); err != nil {
		t.Fatalf("DeleteVersion = %v", err)
	}
	got, err := s.Newest(ctx, "user_bo")
	if err != nil {
		t.Fatalf("Newest(user_bo) = %v", err)
	}
	if want := t0.Add(time.Minute); !got.ClerkUpdatedAt.Equal(want) {
		t.Errorf("Newest(user_bo).ClerkUpdatedAt = %v, want %v", got.ClerkUpdatedAt, want)
	}
}

func TestUsersTombstone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewUsers(mongotest.NewDatabase(t))

	if err := s.InsertVersion(ctx, sampleUser("user_cy", t0, "Cy Moss")); err != nil {
		t.Fatalf("InsertVersion = %v", err)
	}
	for range 2 {
		if err := s.InsertTombstone(ctx, "user_cy", t0.Add(time.Hour)); err != nil {
			t.Fatalf("InsertTombstone = %v", err)
		}
	}
	// A version far newer than the deletion still loses to the tombstone.
	if err := s.InsertVersion(ctx, sampleUser("user_cy", t0.AddDate(5, 0, 0), "Cy Moss")); err != nil {
		t.Fatalf("InsertVersion(after tombstone) = %v", err)
	}
	if _, err := s.Newest(ctx, "user_cy"); !errors.Is(err, user.ErrDeleted) {
		t.Errorf("Newest(deleted user) = %v, want %v", err, user.ErrDeleted)
	}

	forever := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	if err := s.DeleteVersionsBefore(ctx, "user_cy", forever); err != nil {
		t.Fatalf("DeleteVersionsBefore = %v", err)
	}
	if _, err := s.Newest(ctx, "user_cy"); !errors.Is(err, user.ErrDeleted) {
		t.Errorf("Newest(deleted user, versions gone) = %v, want %v", err, user.ErrDeleted)
	}
}

func TestUsersCount(t *testing.T) {
	t.Parallel()
	// A deadline, as every request has, makes the driver send maxTimeMS.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s := mongostore.NewUsers(mongotest.NewDatabase(t))

	if n, err := s.Count(ctx); err != nil || n != 0 {
		t.Fatalf("Count(empty) = %d, %v; want 0, nil", n, err)
	}

	// Two versions of one user, one other user, and a deleted user whose
	// version has not been cleaned up yet.
	versions := []user.User{
		sampleUser("user_a", t0, "A"),
		sampleUser("user_a", t0.Add(time.Second), "A"),
		sampleUser("user_b", t0, "B"),
		sampleUser("user_c", t0, "C"),
	}
	for _, u := range versions {
		if err := s.InsertVersion(ctx, u); err != nil {
			t.Fatalf("InsertVersion(%s) = %v", u.ID, err)
		}
	}
	if err := s.InsertTombstone(ctx, "user_c", t0); err != nil {
		t.Fatalf("InsertTombstone = %v", err)
	}
	if err := s.InsertTombstone(ctx, "user_never_stored", t0); err != nil {
		t.Fatalf("InsertTombstone = %v", err)
	}

	if n, err := s.Count(ctx); err != nil || n != 2 {
		t.Errorf("Count = %d, %v; want 2, nil", n, err)
	}
}

func TestUsersDeleteFavorites(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mongotest.NewDatabase(t)
	s := mongostore.NewUsers(db)

	favs := []any{
		bson.D{{Key: "userId", Value: "user_dee"}, {Key: "movieId", Value: "550"}},
		bson.D{{Key: "userId", Value: "user_dee"}, {Key: "movieId", Value: "603"}},
		bson.D{{Key: "userId", Value: "user_eli"}, {Key: "movieId", Value: "550"}},
	}
	if _, err := db.Collection("favorites").InsertMany(ctx, favs); err != nil {
		t.Fatalf("insert favorites: %v", err)
	}

	n, err := s.DeleteFavorites(ctx, "user_dee")
	if err != nil || n != 2 {
		t.Errorf("DeleteFavorites(user_dee) = %d, %v; want 2, nil", n, err)
	}
	if left := mustCountDocs(t, db.Collection("favorites"), bson.D{}); left != 1 {
		t.Errorf("after DeleteFavorites(user_dee): %d favorites left, want 1 (user_eli's)", left)
	}
}

func mustCountDocs(t testing.TB, coll *mongo.Collection, filter bson.D) int64 {
	t.Helper()
	n, err := coll.CountDocuments(context.Background(), filter)
	if err != nil {
		t.Fatalf("count %s documents: %v", coll.Name(), err)
	}
	return n
}
