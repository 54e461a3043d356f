package httpapi_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.mongodb.org/mongo-driver/v2/bson"
)

type userBody struct {
	User struct {
		ID, Name, Email, ImageURL, Role string
	}
}

func TestMe(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	ada := a.seedUser("user_ada", "Ada", "Quill")
	a.seedUser(adminID, "Ada", "Admin")
	a.seedUser("user_gone", "Gus", "Gone")
	if _, err := a.users.Delete(context.Background(), "user_gone"); err != nil {
		t.Fatalf("delete user_gone: %v", err)
	}

	got := a.do("GET", "/api/me", a.token("user_ada"), nil)
	if got.status != http.StatusOK {
		t.Fatalf("GET /api/me as user_ada: got %d %s, want 200", got.status, got.body)
	}
	var me userBody
	got.decode(t, &me)
	want := userBody{}
	want.User.ID, want.User.Name, want.User.Email = ada.ID, "Ada Quill", "ada@example.test"
	want.User.ImageURL, want.User.Role = ada.ImageURL, "user"
	if diff := cmp.Diff(want, me); diff != "" {
		t.Errorf("GET /api/me as user_ada (-want +got):\n%s", diff)
	}

	// Listed in ADMIN_USER_IDS: an admin whatever Clerk's metadata says.
	a.do("GET", "/api/me", a.token(adminID), nil).decode(t, &me)
	if me.User.Role != "admin" {
		t.Errorf("GET /api/me as %s: role %q, want admin", adminID, me.User.Role)
	}

	// Signed in, but Clerk's webhook has not arrived yet; or deleted since.
	for _, id := range []string{"user_new", "user_gone"} {
		got := a.do("GET", "/api/me", a.token(id), nil)
		var p problemBody
		got.decode(t, &p)
		if got.status != http.StatusNotFound || p.Code != "not_found" {
			t.Errorf("GET /api/me as %s: got %d %s, want 404 not_found", id, got.status, got.body)
		}
	}
}

type favoritesBody struct {
	Movies []struct {
		ID    string
		Title string
	}
	NextCursor *string
}

func favoriteIDs(b favoritesBody) []string {
	ids := []string{}
	for _, m := range b.Movies {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestFavorites(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	first, second := a.seedMovie("Harbour Lights"), a.seedMovie("Paper Moons")
	alice, bob := a.token("user_alice"), a.token("user_bob")

	steps := []struct {
		method, movieID, token string
		want                   int
	}{
		{"PUT", first.ID, alice, http.StatusNoContent},
		{"PUT", first.ID, alice, http.StatusNoContent}, // again: nothing changes
		{"PUT", second.ID, alice, http.StatusNoContent},
		{"PUT", second.ID, bob, http.StatusNoContent},
		{"DELETE", first.ID, bob, http.StatusNoContent}, // not bob's: nothing changes
		{"PUT", "000000000000000000000000", alice, http.StatusNotFound},
		{"DELETE", "000000000000000000000000", alice, http.StatusNotFound},
	}
	for _, s := range steps {
		a.clock.Advance(time.Second) // so that the order of adding shows
		got := a.do(s.method, "/api/me/favorites/"+s.movieID, s.token, nil)
		if got.status != s.want {
			t.Errorf("%s /api/me/favorites/%s: got %d %s, want %d",
				s.method, s.movieID, got.status, got.body, s.want)
		}
	}

	var list favoritesBody
	a.do("GET", "/api/me/favorites", alice, nil).decode(t, &list)
	if diff := cmp.Diff([]string{second.ID, first.ID}, favoriteIDs(list)); diff != "" {
		t.Errorf("alice's favourites, most recent first (-want +got):\n%s", diff)
	}
	if list.NextCursor != nil {
		t.Errorf("alice's favourites fit one page, yet nextCursor = %q", *list.NextCursor)
	}
	a.do("GET", "/api/me/favorites", bob, nil).decode(t, &list)
	if diff := cmp.Diff([]string{second.ID}, favoriteIDs(list)); diff != "" {
		t.Errorf("bob's favourites: only his own (-want +got):\n%s", diff)
	}
	if n := a.count("favorites"); n != 3 {
		t.Errorf("%d favourites stored, want 3: one per user and movie", n)
	}

	for range 2 { // removing twice is fine
		if got := a.do("DELETE", "/api/me/favorites/"+second.ID, alice, nil); got.status != 204 {
			t.Errorf("DELETE alice's favourite %s: got %d %s, want 204",
				second.ID, got.status, got.body)
		}
	}
	a.do("GET", "/api/me/favorites", alice, nil).decode(t, &list)
	if diff := cmp.Diff([]string{first.ID}, favoriteIDs(list)); diff != "" {
		t.Errorf("alice's favourites after removing one (-want +got):\n%s", diff)
	}
}

// TestFavoriteAddedByManyAtOnce has one user add the same movie from many
// requests at once: all succeed and one favourite is stored.
func TestFavoriteAddedByManyAtOnce(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	m := a.seedMovie("Harbour Lights")
	tok := a.token("user_alice")

	const requests = 20
	statuses := make([]int, requests)
	var wg sync.WaitGroup
	for i := range requests {
		wg.Go(func() { statuses[i] = a.do("PUT", "/api/me/favorites/"+m.ID, tok, nil).status })
	}
	wg.Wait()

	for i, st := range statuses {
		if st != http.StatusNoContent {
			t.Errorf("PUT %d: got %d, want 204", i, st)
		}
	}
	filter := bson.D{{Key: "userId", Value: "user_alice"}, {Key: "movieId", Value: m.ID}}
	n, err := a.db.Collection("favorites").CountDocuments(context.Background(), filter)
	if err != nil || n != 1 {
		t.Errorf("favourites stored for (user_alice, %s) = %d, %v; want 1", m.ID, n, err)
	}
}

func TestFavoritesPages(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{})
	tok := a.token("user_alice")
	var want []string
	for _, title := range []string{"One", "Two", "Three", "Four", "Five"} {
		a.clock.Advance(time.Millisecond) // each added at a moment of its own
		m := a.seedMovie(title)
		if got := a.do("PUT", "/api/me/favorites/"+m.ID, tok, nil); got.status != 204 {
			t.Fatalf("PUT favourite %s: got %d %s", title, got.status, got.body)
		}
		want = append([]string{m.ID}, want...) // most recent first
	}

	var got []string
	path := "/api/me/favorites?limit=2"
	for range len(want) {
		var list favoritesBody
		a.do("GET", path, tok, nil).decode(t, &list)
		got = append(got, favoriteIDs(list)...)
		if list.NextCursor == nil {
			break
		}
		path = "/api/me/favorites?limit=2&cursor=" + *list.NextCursor
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("favourites two at a time (-want +got):\n%s", diff)
	}
}
