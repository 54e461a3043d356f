package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/favorite"
	"github.com/marquee-hq/marquee/internal/money"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

// seedUser stores a user the way Clerk's webhook does, and returns it.
func (a *testAPI) seedUser(id, first, last string) user.User {
	a.t.Helper()
	ctx := context.Background()
	email := strings.ToLower(first) + "@example.test"
	c := user.ClerkUser{
		ID:             id,
		FirstName:      first,
		LastName:       last,
		Emails:         []user.ClerkEmail{{ID: "idn_1", Address: email}},
		PrimaryEmailID: "idn_1",
		ImageURL:       "https://img.example.test/" + id + ".png",
		CreatedAt:      a.clock.Now().Add(-time.Hour),
		UpdatedAt:      a.clock.Now(),
	}
	if _, err := a.users.Upsert(ctx, c); err != nil {
		a.t.Fatalf("Upsert(%s): %v", id, err)
	}
	u, err := a.users.User(ctx, id)
	if err != nil {
		a.t.Fatalf("User(%s): %v", id, err)
	}
	return u
}

// seedMovie enters a movie by hand and returns it.
func (a *testAPI) seedMovie(title string) movie.Movie {
	a.t.Helper()
	m, err := a.movies.Create(context.Background(), movie.Movie{Title: title, Runtime: 95})
	if err != nil {
		a.t.Fatalf("create movie %q: %v", title, err)
	}
	return m
}

// seedShowOf schedules one show of a movie starting in startsIn, at price
// per seat, and returns it.
func (a *testAPI) seedShowOf(movieID string, startsIn time.Duration, price money.Money) show.Show {
	a.t.Helper()
	shows, err := a.shows.Schedule(context.Background(), show.ScheduleInput{
		MovieID:    movieID,
		Price:      price,
		StartTimes: []time.Time{a.clock.Now().Add(startsIn).Truncate(time.Second)},
		Layout:     show.DefaultLayout(),
	})
	if err != nil {
		a.t.Fatalf("schedule show of movie %s: %v", movieID, err)
	}
	return shows[0]
}

// book holds seats of a show for a user, through the booking service.
func (a *testAPI) book(userID, showID string, seats ...string) booking.Booking {
	a.t.Helper()
	b, _, err := a.bookings.Create(context.Background(),
		booking.CreateInput{UserID: userID, ShowID: showID, Seats: seats})
	if err != nil {
		a.t.Fatalf("book %v of show %s for %s: %v", seats, showID, userID, err)
	}
	return b
}

// pay settles a booking as paid for its amount, as the payment flow does
// once Stripe confirms the payment.
func (a *testAPI) pay(b booking.Booking) {
	a.t.Helper()
	st := booking.Settlement{BookingID: b.ID, ShowID: b.ShowID, Outcome: booking.OutcomePaid,
		Amount: b.Amount, At: a.clock.Now()}
	if err := a.bookingStore.Settle(context.Background(), st); err != nil {
		a.t.Fatalf("settle booking %s as paid: %v", b.ID, err)
	}
}

// cinema is what seedCinema stored.
type cinema struct {
	movies []movie.Movie
	shows  []show.Show
	fan    string // has booked a seat of every show; all movies are favourites
}

var usd = money.Money{Amount: 1250, Currency: "usd"}

// seedCinema stores n of everything: movies, each with one upcoming show;
// users, every other one synced from Clerk; a booking of each user, for a
// show of their own, every other one paid; and a fan who has booked a seat
// of every show and whose favourites are all the movies. It writes through
// the stores, in far fewer commands than requests would take, so that
// large lists are quick to make.
func (a *testAPI) seedCinema(n int) cinema {
	a.t.Helper()
	ctx := context.Background()
	movieStore, showStore := mongostore.NewMovies(a.db), mongostore.NewShows(a.db)
	userStore, favorites := mongostore.NewUsers(a.db), mongostore.NewFavorites(a.db)
	now := a.clock.Now().Truncate(time.Millisecond)

	c := cinema{fan: "user_fan"}
	for i := range n {
		m := movie.Movie{ID: newID(), Title: fmt.Sprintf("Feature %03d", i), CreatedAt: now}
		if err := movieStore.Insert(ctx, m); err != nil {
			a.t.Fatalf("insert movie %d: %v", i, err)
		}
		c.movies = append(c.movies, m)
		c.shows = append(c.shows, show.Show{ID: newID(), MovieID: m.ID,
			StartsAt: now.Add(24*time.Hour + time.Duration(i)*time.Minute).Truncate(time.Second),
			Price:    usd, Layout: show.DefaultLayout(), CreatedAt: now})

		fav := favorite.Favorite{UserID: c.fan, MovieID: m.ID, AddedAt: now.Add(time.Duration(i))}
		if err := favorites.Insert(ctx, fav); err != nil {
			a.t.Fatalf("insert favourite %d: %v", i, err)
		}
	}
	if err := showStore.InsertMany(ctx, c.shows); err != nil {
		a.t.Fatalf("insert %d shows: %v", n, err)
	}

	for i, sh := range c.shows {
		userID := fmt.Sprintf("user_%03d", i)
		if i%2 == 0 {
			u := user.User{ID: userID, Name: fmt.Sprintf("Patron %03d", i), Role: user.RoleUser,
				ClerkUpdatedAt: now, CreatedAt: now, UpdatedAt: now}
			if err := userStore.InsertVersion(ctx, u); err != nil {
				a.t.Fatalf("insert user %s: %v", userID, err)
			}
		}
		b := a.insertBooking(userID, sh, now.Add(time.Duration(i)*time.Millisecond), "A1", "A2")
		if i%2 == 0 {
			a.pay(b)
		}
		a.insertBooking(c.fan, sh, now.Add(time.Duration(i)*time.Millisecond), "B1")
	}
	return c
}

// insertBooking stores a booking made at createdAt straight into the
// store, with no seat claims: enough for the lists, not for the seat map.
func (a *testAPI) insertBooking(userID string, sh show.Show, createdAt time.Time,
	seats ...string) booking.Booking {
	a.t.Helper()
	b := booking.Booking{
		ID:            newID(),
		UserID:        userID,
		ShowID:        sh.ID,
		Amount:        sh.Price.Times(len(seats)),
		HoldExpiresAt: createdAt.Add(10 * time.Minute),
		CreatedAt:     createdAt,
	}
	for _, id := range seats {
		b.Seats = append(b.Seats, show.MustParseSeat(id))
	}
	if err := a.bookingStore.InsertBooking(context.Background(), b); err != nil {
		a.t.Fatalf("insert booking: %v", err)
	}
	return b
}
