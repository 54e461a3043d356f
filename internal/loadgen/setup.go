package loadgen

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/marquee-hq/marquee/internal/clerk"
)

// firstShowIn is how far ahead the run's shows start: far enough that
// none starts during a run, whatever BOOKING_HOLD is.
const firstShowIn = 30 * 24 * time.Hour

// showPrice is the price of every show of a run, in minor units.
const showPrice = 1250

// catalogue is what a run set up: its movies and their shows.
type catalogue struct {
	movieIDs []string
	shows    []showJSON // the rush show first
}

func (c catalogue) rushShow() showJSON { return c.shows[0] }

// showJSON is the part of a show's JSON a run needs.
type showJSON struct {
	ID     string     `json:"id"`
	Layout layoutJSON `json:"layout"`
}

type layoutJSON struct {
	Rows        []string `json:"rows"`
	SeatsPerRow int      `json:"seatsPerRow"`
}

func (l layoutJSON) capacity() int { return len(l.Rows) * l.SeatsPerRow }

// setUp enters cfg.Movies movies by hand and schedules cfg.ShowsPerMovie
// shows of each, in the server's default layout, as cfg.AdminID.
func setUp(ctx context.Context, a api, cfg Config) (catalogue, error) {
	token, err := cfg.Signer.Mint(clerk.DevClaims{UserID: cfg.AdminID})
	if err != nil {
		return catalogue{}, fmt.Errorf("mint the admin's token: %w", err)
	}

	first := time.Now().Add(firstShowIn).Truncate(time.Hour)
	var cat catalogue
	for i := range cfg.Movies {
		movie := map[string]any{
			"title":    fmt.Sprintf("Load Run %s, Part %d", cfg.RunID, i+1),
			"overview": "Entered by the load generator.",
			"runtime":  100 + i,
		}
		var created struct {
			Movie struct{ ID string } `json:"movie"`
		}
		err := a.call(ctx, http.MethodPost, "/api/movies", token, movie, &created,
			http.StatusCreated)
		if err != nil {
			return catalogue{}, adminHint(err, cfg.AdminID)
		}

		var scheduled struct {
			Shows []showJSON `json:"shows"`
		}
		req := map[string]any{
			"movieId":    created.Movie.ID,
			"price":      showPrice,
			"startTimes": startTimes(first.Add(time.Duration(i)*time.Minute), cfg.ShowsPerMovie),
		}
		err = a.call(ctx, http.MethodPost, "/api/shows", token, req, &scheduled, http.StatusCreated)
		if err != nil {
			return catalogue{}, err
		}
		cat.movieIDs = append(cat.movieIDs, created.Movie.ID)
		cat.shows = append(cat.shows, scheduled.Shows...)
	}
	if len(cat.shows) == 0 || cat.rushShow().Layout.capacity() == 0 {
		return catalogue{}, fmt.Errorf("the server scheduled no show with seats")
	}
	return cat, nil
}

// startTimes returns n start times in RFC 3339, three hours apart.
func startTimes(first time.Time, n int) []string {
	times := make([]string, n)
	for i := range times {
		times[i] = first.Add(time.Duration(i) * 3 * time.Hour).UTC().Format(time.RFC3339)
	}
	return times
}

// adminHint adds what to do when the server does not take the run's admin
// for one.
func adminHint(err error, adminID string) error {
	return fmt.Errorf("%w\n(the server must run with APP_ENV=development CLERK_DEV_KEYS=true, "+
		"the DATA_DIR whose demo key this run signs with, and ADMIN_USER_IDS=%s)", err, adminID)
}
