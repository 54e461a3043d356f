package mongostore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/user"
)

func TestUsersByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewUsers(mongotest.NewDatabase(t))

	adaOld := sampleUser("user_ada", t0, "Ada Quill")
	adaNew := sampleUser("user_ada", t0.Add(time.Minute), "Ada Q. Quill")
	bo := sampleUser("user_bo", t0, "Bo Fenn")
	cy := sampleUser("user_cy", t0, "Cy Moss")
	for _, u := range []user.User{adaOld, adaNew, bo, cy} {
		if err := s.InsertVersion(ctx, u); err != nil {
			t.Fatalf("InsertVersion(%s at %v): %v", u.ID, u.ClerkUpdatedAt, err)
		}
	}
	if err := s.InsertTombstone(ctx, "user_cy", t0.Add(time.Hour)); err != nil {
		t.Fatalf("InsertTombstone(user_cy): %v", err)
	}

	got, err := s.UsersByID(ctx, []string{"user_ada", "user_bo", "user_cy", "user_nobody"})
	if err != nil {
		t.Fatalf("UsersByID: %v", err)
	}
	want := map[string]user.User{"user_ada": adaNew, "user_bo": bo}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("UsersByID: newest versions, no deleted or unknown users (-want +got):\n%s", diff)
	}

	if got, err := s.UsersByID(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("UsersByID(nil) = %v, %v; want none", got, err)
	}
}
