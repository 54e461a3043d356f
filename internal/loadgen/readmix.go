package loadgen

import (
	"context"
	"net/http"
)

// The routes of the read mix, as they are reported.
const (
	routeMovies   = "GET /api/movies"
	routeMovie    = "GET /api/movies/{id}"
	routeSeatMap  = "GET /api/shows/{id}/seats"
	readMixPeriod = 10 // requests in one round of the mix
)

// runReadMix sends what visitors browsing the site send, in rounds of ten
// requests: four for the movies now showing, three for movie pages and
// three for seat maps, going round the run's movies and shows. The rush
// show is among them, so some seat maps have seats taken.
func runReadMix(ctx context.Context, a api, cfg Config, cat catalogue, prog *progress) Phase {
	run := phaseRun{
		name:     "read mix",
		bounds:   cfg.Read,
		expected: []int{http.StatusOK},
		progress: prog,
		do: func(ctx context.Context, i int) Sample {
			route, path := cat.readRequest(i)
			return a.send(ctx, http.MethodGet, path, "", nil).sample(route)
		},
	}
	return run.run(ctx)
}

// readRequest returns the route and path of request i of the read mix.
func (c catalogue) readRequest(i int) (route, path string) {
	round := i / readMixPeriod
	switch k := i % readMixPeriod; {
	case k < 4:
		return routeMovies, "/api/movies"
	case k < 7:
		id := c.movieIDs[(3*round+k-4)%len(c.movieIDs)]
		return routeMovie, "/api/movies/" + id
	default:
		id := c.shows[(3*round+k-7)%len(c.shows)].ID
		return routeSeatMap, "/api/shows/" + id + "/seats"
	}
}
