package quickshow

import (
	"net/http"

	"github.com/marquee-hq/marquee/internal/httpapi"
)

// Routes returns every route of the surface, under [Prefix], each with its
// owner and rate limit, for httpapi.Options.Mount. It is the one place to
// read who may call what here. httpapi checks the owner, and answers those
// it turns away through this surface, with {"success": false}.
//
// Public reads count against the per-address budget of the REST
// catalogue, and booking against the per-user budget of REST bookings.
func (s *Surface) Routes() []httpapi.Mount {
	var routes []httpapi.Mount
	add := func(owner httpapi.Owner, limit httpapi.RateLimit, method, pattern string,
		h handlerFunc) {
		routes = append(routes, httpapi.Mount{
			Owner:   owner,
			Methods: []string{method},
			Pattern: Prefix + pattern,
			Handler: s.handle(h),
			Limit:   limit,
			Refuse:  s.refuse,
		})
	}
	public := func(method, pattern string, h handlerFunc) {
		add(httpapi.OwnerPublic, httpapi.LimitPerAddress, method, pattern, h)
	}
	user := func(method, pattern string, h handlerFunc) {
		add(httpapi.OwnerUser, httpapi.NoRateLimit, method, pattern, h)
	}
	admin := func(method, pattern string, h handlerFunc) {
		add(httpapi.OwnerAdmin, httpapi.NoRateLimit, method, pattern, h)
	}

	public(http.MethodGet, "/api/show/all", s.listShowing)
	public(http.MethodGet, "/api/show/{movieId}", s.getMovie)
	public(http.MethodGet, "/api/booking/seats/{showId}", s.getOccupiedSeats)

	add(httpapi.OwnerUser, httpapi.LimitPerUser, http.MethodPost, "/api/booking/create",
		s.createBooking)
	user(http.MethodGet, "/api/user/bookings", s.listMyBookings)
	user(http.MethodPost, "/api/user/update-favorite", s.toggleFavorite)
	user(http.MethodGet, "/api/user/favorites", s.listFavorites)

	admin(http.MethodGet, "/api/admin/is-admin", s.isAdmin)
	admin(http.MethodGet, "/api/show/now-playing", s.nowPlaying)
	admin(http.MethodPost, "/api/show/add", s.addShows)
	admin(http.MethodGet, "/api/admin/dashboard", s.dashboard)
	admin(http.MethodGet, "/api/admin/all-shows", s.listAllShows)
	admin(http.MethodGet, "/api/admin/all-bookings", s.listAllBookings)
	return routes
}
