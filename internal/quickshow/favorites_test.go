package quickshow_test

import (
	"testing"

	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
)

func TestUpdateFavoriteToggles(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{})
	s := seeds{t, a}
	s.importMovie()
	hand := s.handMovie("Evening Tide")
	tok := a.Token("user_ines")

	favorites := func() []string {
		t.Helper()
		ans := call(t, a, "GET", "/api/user/favorites", tok, nil)
		succeeded(t, "GET /api/user/favorites", ans, shape{"movies": list{movieShape}})
		var ids []string
		for _, m := range items(t, ans, "movies") {
			ids = append(ids, m["_id"].(string))
		}
		return ids
	}
	toggle := func(movieID any, want string) {
		t.Helper()
		ans := call(t, a, "POST", "/api/user/update-favorite", tok,
			map[string]any{"movieId": movieID})
		succeeded(t, "POST /api/user/update-favorite", ans, shape{"message": str})
		if ans["message"] != want {
			t.Errorf("toggle %v: message %v, want %q", movieID, ans["message"], want)
		}
	}

	toggle(550, "Added to your favourites.") // the client may send a TMDB id as a number
	toggle(hand.ID, "Added to your favourites.")
	if got := favorites(); len(got) != 2 || got[0] != hand.ID || got[1] != "550" {
		t.Errorf("favourites = %v, want %s then 550, most recent first", got, hand.ID)
	}
	toggle("550", "Removed from your favourites.")
	if got := favorites(); len(got) != 1 || got[0] != hand.ID {
		t.Errorf("favourites = %v, want only %s", got, hand.ID)
	}

	ans := call(t, a, "POST", "/api/user/update-favorite", tok, map[string]any{"movieId": "404"})
	if msg := failed(t, "favourite of an unknown movie", ans); msg != "Movie not found." {
		t.Errorf("unknown movie: message %q", msg)
	}
	ans = call(t, a, "POST", "/api/user/update-favorite", tok, map[string]any{})
	failed(t, "favourite without a movie", ans)
}
