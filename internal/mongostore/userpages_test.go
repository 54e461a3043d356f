package mongostore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/notify"
)

var _ notify.Recipients = (*mongostore.Users)(nil)

// TestUsersAfterPages walks every user page by page: each live user once,
// in id order, as their newest version; deleted users and users' older
// versions never.
func TestUsersAfterPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := mongostore.NewUsers(mongotest.NewDatabase(t))

	var want []string
	for i := range 8 {
		id := fmt.Sprintf("user_%02d", i)
		for v := range 1 + i%3 { // up to three versions each
			u := sampleUser(id, t0.Add(time.Duration(v)*time.Minute), fmt.Sprintf("%s v%d", id, v))
			if err := s.InsertVersion(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		if i%4 == 1 {
			if err := s.InsertTombstone(ctx, id, t0); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want = append(want, fmt.Sprintf("%s v%d", id, i%3))
	}

	for _, limit := range []int{1, 2, 3, 100} {
		var got []string
		cursor, pages := "", 0
		for {
			users, next, err := s.UsersAfter(ctx, cursor, limit)
			if err != nil {
				t.Fatalf("UsersAfter(%q, %d): %v", cursor, limit, err)
			}
			if len(users) > limit {
				t.Errorf("UsersAfter(%q, %d) returned %d users", cursor, limit, len(users))
			}
			for _, u := range users {
				got = append(got, u.Name)
			}
			if cursor = next; cursor == "" {
				break
			}
			if pages++; pages > 20 {
				t.Fatalf("limit %d: no last page after %d pages", limit, pages)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("limit %d: users (-want +got):\n%s", limit, diff)
		}
	}
}
