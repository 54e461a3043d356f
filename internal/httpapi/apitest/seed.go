package apitest

import (
	"context"
	"time"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

// SeedShow stores a hand-entered movie and one show of it starting in
// startsIn, at 12.50 usd a seat in the default layout, and returns the show.
func (a *API) SeedShow(startsIn time.Duration) show.Show {
	a.T.Helper()
	ctx := context.Background()
	m, err := a.Movies.Create(ctx, movie.Movie{Title: "The Quiet Harbour", Runtime: 101})
	if err != nil {
		a.T.Fatalf("create movie: %v", err)
	}
	shows, err := a.Shows.Schedule(ctx, show.ScheduleInput{
		MovieID:    m.ID,
		Price:      money.Money{Amount: 1250, Currency: "usd"},
		StartTimes: []time.Time{a.Now().Add(startsIn).Truncate(time.Second)},
		Layout:     show.DefaultLayout(),
	})
	if err != nil {
		a.T.Fatalf("schedule show: %v", err)
	}
	return shows[0]
}
