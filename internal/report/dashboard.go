package report

import (
	"context"
	"fmt"
	"slices"

	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/show"
)

// Dashboard returns the state of the cinema now. Its queries do not grow in
// number with the bookings, users or shows there are.
func (s *Service) Dashboard(ctx context.Context) (Dashboard, error) {
	var d Dashboard
	var err error
	if d.TotalBookings, err = s.sales.CountBookings(ctx); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	if d.PaidBookings, err = s.sales.CountPaid(ctx); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	if d.RevenueByCurrency, err = s.sales.Revenue(ctx); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	d.Revenue = s.headline(d.RevenueByCurrency)
	if d.TotalUsers, err = s.users.Count(ctx); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}

	shows, err := s.shows.Find(ctx, show.Filter{From: s.now(), Limit: DashboardShows})
	if err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	if d.ActiveShows, err = s.withMovies(ctx, shows); err != nil {
		return Dashboard{}, fmt.Errorf("dashboard: %w", err)
	}
	return d, nil
}

// headline picks the revenue the dashboard leads with: the total of the
// only currency paid in, else that of the default currency, which is zero
// when nobody paid in it.
func (s *Service) headline(totals []money.Money) money.Money {
	if len(totals) == 1 {
		return totals[0]
	}
	for _, t := range totals {
		if t.Currency == s.currency {
			return t
		}
	}
	return money.Money{Currency: s.currency}
}

// withMovies pairs shows with their movies, found in one query.
func (s *Service) withMovies(ctx context.Context, shows []show.Show) ([]ShowOfMovie, error) {
	out := make([]ShowOfMovie, len(shows))
	if len(shows) == 0 {
		return out, nil
	}

	ids := make([]string, len(shows))
	for i, sh := range shows {
		ids[i] = sh.MovieID
	}
	movies, err := s.movies.MoviesByID(ctx, distinct(ids))
	if err != nil {
		return nil, err
	}

	for i, sh := range shows {
		out[i] = ShowOfMovie{Show: sh, Movie: movies[sh.MovieID]}
	}
	return out, nil
}

// distinct returns ids sorted, each once. It reuses the array of ids.
func distinct(ids []string) []string {
	slices.Sort(ids)
	return slices.Compact(ids)
}
