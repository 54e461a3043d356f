package loadgen

import (
	"strconv"
	"strings"
	"testing"

	"github.com/marquee-hq/marquee/internal/clerk"
)

func TestReadMixGoesRoundEveryMovieAndShow(t *testing.T) {
	t.Parallel()
	cat := catalogue{movieIDs: []string{"m1", "m2"}}
	for i := range 5 {
		cat.shows = append(cat.shows, showJSON{ID: "s" + strconv.Itoa(i)})
	}

	routes := map[string]int{}
	paths := map[string]bool{}
	for i := range 100 {
		route, path := cat.readRequest(i)
		routes[route]++
		paths[path] = true
	}
	if routes[routeMovies] != 40 || routes[routeMovie] != 30 || routes[routeSeatMap] != 30 {
		t.Errorf("100 requests of the mix went %v, want 40, 30 and 30", routes)
	}
	for _, want := range []string{"/api/movies/m1", "/api/movies/m2", "/api/shows/s0/seats",
		"/api/shows/s4/seats"} {
		if !paths[want] {
			t.Errorf("100 requests of the mix never asked for %s", want)
		}
	}
}

// signer mints fake tokens naming the user.
type signer struct{}

func (signer) Mint(c clerk.DevClaims) (string, error) { return "token-of-" + c.UserID, nil }

func TestBuyersAskForAdjacentOverlappingSeats(t *testing.T) {
	t.Parallel()
	sh := showJSON{ID: "s1", Layout: layoutJSON{Rows: []string{"A", "B", "C"}, SeatsPerRow: 9}}
	cfg := Config{Signer: signer{}, RunID: "r1", Seed: 7, SeatsPerBuyer: 3,
		Rush: Bounds{Requests: 40}}

	buyers, err := newBuyers(cfg, sh)
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]bool{}
	asked := map[string]int{}
	for _, b := range buyers {
		users[b.userID] = true
		if b.token != "token-of-"+b.userID {
			t.Errorf("buyer %s has token %q", b.userID, b.token)
		}
		if len(b.seats) != 3 {
			t.Fatalf("buyer %s asks for %v, want 3 seats", b.userID, b.seats)
		}
		row := b.seats[0][:1]
		first, _ := strconv.Atoi(b.seats[0][1:])
		for k, seat := range b.seats {
			if seat != row+strconv.Itoa(first+k) || first < 1 || first+k > 9 ||
				!strings.Contains("ABC", row) {
				t.Errorf("buyer %s asks for %v, want adjacent seats of one row", b.userID, b.seats)
			}
			asked[seat]++
		}
	}
	if len(users) != 40 {
		t.Errorf("40 buyers have %d distinct user ids", len(users))
	}
	overlapping := 0
	for _, n := range asked {
		if n > 1 {
			overlapping++
		}
	}
	if overlapping < 10 {
		t.Errorf("only %d seats are wanted by more than one buyer: %v", overlapping, asked)
	}

	cfg.SeatsPerBuyer = 10
	if _, err := newBuyers(cfg, sh); err == nil {
		t.Errorf("newBuyers with 10 seats each in rows of 9 succeeded, want an error")
	}
}
