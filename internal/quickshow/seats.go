package quickshow

import (
	"context"
	"errors"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/marquee-hq/marquee/internal/show"
)

// seatMapsAtOnce bounds the seat maps read at the same time for one
// request, so that a long list does not crowd out other requests' queries.
const seatMapsAtOnce = 4

// takenSeats returns the seats taken now in each of the shows, by show id,
// as the booking service's seat map gives them: that is where the rule of
// which holds are live lives. A show that is gone has none.
func (s *Surface) takenSeats(ctx context.Context,
	showIDs []string) (map[string][]show.Seat, error) {
	ids := slices.Clone(showIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)

	var mu sync.Mutex
	taken := make(map[string][]show.Seat, len(ids))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(seatMapsAtOnce)
	for _, id := range ids {
		g.Go(func() error {
			m, err := s.bookings.SeatMap(ctx, id)
			if errors.Is(err, show.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			taken[id] = m.Taken
			return nil
		})
	}
	return taken, g.Wait()
}
