// Package report gives admins the state of the cinema: a dashboard of
// bookings, revenue, users and shows; every booking with who made it; and
// what each upcoming show has sold.
//
// FerretDB has no $lookup, so every report joins its collections in the
// application, with one batched query per collection. What a report costs
// in database round trips therefore does not grow with its rows.
package report

import (
	"context"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/page"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

// DashboardShows is how many shows still to start the dashboard lists,
// soonest first. [Service.Shows] pages through all of them.
const DashboardShows = 50

// Dashboard is the state of the cinema at a glance.
type Dashboard struct {
	// TotalBookings counts every booking made, whatever became of it.
	TotalBookings int
	// PaidBookings counts the bookings that were paid for.
	PaidBookings int
	// Revenue is what paid bookings brought in: in their currency when
	// they all share one, else in the cinema's default currency.
	Revenue money.Money
	// RevenueByCurrency holds one total per currency that has any, ordered
	// by currency; it is empty before the first payment.
	RevenueByCurrency []money.Money
	// TotalUsers counts the users mirrored from Clerk and not deleted.
	TotalUsers int
	// ActiveShows are the shows still to start, soonest first, at most
	// DashboardShows of them.
	ActiveShows []ShowOfMovie
}

// ShowOfMovie is a show with the movie it screens. Movie is the zero value
// when the movie has left the catalogue.
type ShowOfMovie struct {
	show.Show
	Movie movie.Movie
}

// ShowSales is a show with its movie and what it has sold.
type ShowSales struct {
	ShowOfMovie
	// SeatsSold counts the seats of the show's paid bookings.
	SeatsSold int
	// Revenue is what the show's paid bookings brought in, in the show's
	// currency.
	Revenue money.Money
}

// Sales is what one show has sold: the seats of its paid bookings and what
// was paid for them, per currency.
type Sales struct {
	Seats   int
	Revenue map[money.Currency]int64
}

// Booking is a booking with its show, movie and buyer. User is the zero
// value while the buyer has not arrived from Clerk yet, and after they
// were deleted; UserID always names them.
type Booking struct {
	booking.Listed
	User user.User
}

// BookingLister lists every booking with its show and movie. It is
// implemented by booking.Service.
type BookingLister interface {
	// All returns the page r asks for of every booking, newest first, and
	// the cursor of the next page, zero on the last page.
	All(ctx context.Context, r page.Request) ([]booking.Listed, page.Cursor, error)
}

// ShowFinder finds shows. It is implemented by show.Service.
type ShowFinder interface {
	// Find returns the shows that match f, soonest first, then by id.
	Find(ctx context.Context, f show.Filter) ([]show.Show, error)
}

// MovieFinder finds the movies of shows. It is implemented by
// mongostore.Movies.
type MovieFinder interface {
	// MoviesByID returns the movies with the given ids by id; unknown ids
	// are absent.
	MoviesByID(ctx context.Context, ids []string) (map[string]movie.Movie, error)
}

// UserFinder finds and counts users. It is implemented by mongostore.Users.
type UserFinder interface {
	// UsersByID returns the users with the given ids by id. Users not
	// synced from Clerk yet, and deleted users, are absent.
	UsersByID(ctx context.Context, ids []string) (map[string]user.User, error)
	// Count counts the users who have not been deleted.
	Count(ctx context.Context) (int, error)
}

// SalesStore adds up bookings and payments. It is implemented by
// mongostore.Bookings.
type SalesStore interface {
	// CountBookings counts every booking, whatever became of it.
	CountBookings(ctx context.Context) (int, error)
	// CountPaid counts the bookings settled as paid.
	CountPaid(ctx context.Context) (int, error)
	// Revenue returns the total of the paid bookings in each currency
	// that has any, ordered by currency.
	Revenue(ctx context.Context) ([]money.Money, error)
	// ShowSales returns what each of the shows has sold, by show id.
	// Shows that have sold nothing are absent.
	ShowSales(ctx context.Context, shows []show.Show) (map[string]Sales, error)
}

// Options are the sources of a [Service].
type Options struct {
	Bookings BookingLister
	Shows    ShowFinder
	Movies   MovieFinder
	Users    UserFinder
	Sales    SalesStore
	// Currency is the cinema's default currency, which the dashboard's
	// revenue is given in when payments came in several.
	Currency money.Currency
	Now      func() time.Time
}

// Service makes the reports.
type Service struct {
	bookings BookingLister
	shows    ShowFinder
	movies   MovieFinder
	users    UserFinder
	sales    SalesStore
	currency money.Currency
	now      func() time.Time
}

// NewService returns a Service.
func NewService(o Options) *Service {
	return &Service{
		bookings: o.Bookings,
		shows:    o.Shows,
		movies:   o.Movies,
		users:    o.Users,
		sales:    o.Sales,
		currency: o.Currency,
		now:      o.Now,
	}
}
