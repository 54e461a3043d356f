package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"

	"github.com/marquee-hq/marquee/internal/clerk"
)

// buyer is one buyer of the rush, ready to send.
type buyer struct {
	userID string
	token  string
	seats  []string
	body   []byte
}

// runRush has cfg.Rush.Requests buyers ask for cfg.SeatsPerBuyer adjacent
// seats each, of the rush show. Seats are drawn at random over the whole
// layout, so with more seats asked for than the show has, many buyers
// want the same seats. Tokens are minted before the rush starts so that
// the rush measures the server only.
func runRush(ctx context.Context, a api, cfg Config, sh showJSON,
	prog *progress) (Phase, []Answer, error) {
	buyers, err := newBuyers(cfg, sh)
	if err != nil {
		return Phase{}, nil, err
	}

	var mu sync.Mutex
	answers := make([]Answer, 0, len(buyers))
	run := phaseRun{
		name:     "rush",
		bounds:   cfg.Rush,
		expected: []int{http.StatusCreated, http.StatusConflict},
		progress: prog,
		do: func(ctx context.Context, i int) Sample {
			b := buyers[i]
			an := a.send(ctx, http.MethodPost, "/api/bookings", b.token, b.body)
			if an.err == nil {
				mu.Lock()
				answers = append(answers, b.answer(an))
				mu.Unlock()
			}
			return an.sample("POST /api/bookings")
		},
	}
	return run.run(ctx), answers, nil
}

func newBuyers(cfg Config, sh showJSON) ([]buyer, error) {
	l := sh.Layout
	if cfg.SeatsPerBuyer > l.SeatsPerRow {
		return nil, fmt.Errorf("%d seats per buyer do not fit in a row of %d",
			cfg.SeatsPerBuyer, l.SeatsPerRow)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))

	buyers := make([]buyer, cfg.Rush.Requests)
	for i := range buyers {
		b := buyer{userID: fmt.Sprintf("user_load_%s_%05d", cfg.RunID, i)}
		row := l.Rows[rng.IntN(len(l.Rows))]
		first := 1 + rng.IntN(l.SeatsPerRow-cfg.SeatsPerBuyer+1)
		for n := range cfg.SeatsPerBuyer {
			b.seats = append(b.seats, row+strconv.Itoa(first+n))
		}

		var err error
		b.token, err = cfg.Signer.Mint(clerk.DevClaims{UserID: b.userID})
		if err != nil {
			return nil, fmt.Errorf("mint a token for %s: %w", b.userID, err)
		}
		b.body, err = json.Marshal(map[string]any{"showId": sh.ID, "seats": b.seats})
		if err != nil {
			return nil, err
		}
		buyers[i] = b
	}
	return buyers, nil
}

// answer records what the buyer got; the booking id of a 201.
func (b buyer) answer(an answer) Answer {
	ans := Answer{UserID: b.userID, Seats: b.seats, Status: an.status}
	if an.status == http.StatusCreated {
		var created struct {
			Booking struct{ ID string } `json:"booking"`
		}
		if json.Unmarshal(an.body, &created) == nil {
			ans.BookingID = created.Booking.ID
		}
	}
	return ans
}

// seatMap returns the seats the API shows taken.
func seatMap(ctx context.Context, a api, showID string) ([]string, error) {
	var m struct {
		Taken []string `json:"taken"`
	}
	err := a.call(ctx, http.MethodGet, "/api/shows/"+showID+"/seats", "", nil, &m, http.StatusOK)
	return m.Taken, err
}
