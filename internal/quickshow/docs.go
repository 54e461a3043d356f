package quickshow

import (
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
)

// The documents below are the shapes that the client reads, as a Mongoose
// back end would have written them. Every field is always present, with
// the JSON type the client relies on: "" rather than null for a string it
// splits, [] for a list it maps, {} for an object it takes the keys of.

// jsTime formats t as JavaScript's Date.prototype.toJSON does, which is how
// Mongoose documents carry dates: UTC with milliseconds.
func jsTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// movieDoc is a Movie. Its _id is the TMDB id of an imported movie.
type movieDoc struct {
	ID               string     `json:"_id"`
	Title            string     `json:"title"`
	Overview         string     `json:"overview"`
	PosterPath       string     `json:"poster_path"`
	BackdropPath     string     `json:"backdrop_path"`
	ReleaseDate      string     `json:"release_date"`
	OriginalLanguage string     `json:"original_language"`
	Tagline          string     `json:"tagline"`
	Genres           []genreDoc `json:"genres"`
	Casts            []castDoc  `json:"casts"`
	VoteAverage      float64    `json:"vote_average"`
	Runtime          int        `json:"runtime"`
	CreatedAt        string     `json:"createdAt"`
	UpdatedAt        string     `json:"updatedAt"`
}

type genreDoc struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type castDoc struct {
	Name        string `json:"name"`
	Character   string `json:"character"`
	ProfilePath string `json:"profile_path"`
}

func toMovieDoc(m movie.Movie) movieDoc {
	updated := m.UpdatedAt
	if updated.IsZero() {
		updated = m.CreatedAt
	}
	d := movieDoc{
		ID:               m.ID,
		Title:            m.Title,
		Overview:         m.Overview,
		PosterPath:       m.PosterPath,
		BackdropPath:     m.BackdropPath,
		ReleaseDate:      m.ReleaseDate,
		OriginalLanguage: m.OriginalLanguage,
		Tagline:          m.Tagline,
		Genres:           make([]genreDoc, len(m.Genres)),
		Casts:            make([]castDoc, len(m.Cast)),
		VoteAverage:      m.VoteAverage,
		Runtime:          m.Runtime,
		CreatedAt:        jsTime(m.CreatedAt),
		UpdatedAt:        jsTime(updated),
	}
	for i, g := range m.Genres {
		d.Genres[i] = genreDoc(g)
	}
	for i, c := range m.Cast {
		d.Casts[i] = castDoc(c)
	}
	return d
}

func toMovieDocs(movies []movie.Movie) []movieDoc {
	out := make([]movieDoc, len(movies))
	for i, m := range movies {
		out[i] = toMovieDoc(m)
	}
	return out
}

// showDoc is a Show with its movie populated, which is how every route
// that answers with shows gives them. occupiedSeats holds a key per seat
// taken now, by a live hold or a paid booking; the client only counts and
// looks up the keys, so the value is true rather than the buyer's id.
type showDoc struct {
	ID            string          `json:"_id"`
	Movie         movieDoc        `json:"movie"`
	ShowDateTime  string          `json:"showDateTime"`
	ShowPrice     float64         `json:"showPrice"`
	OccupiedSeats map[string]bool `json:"occupiedSeats"`
}

// toShowDoc pairs a show with its movie, m, and the seats taken now. A
// movie that has left the catalogue is still an object, with only its id,
// because the client reads show.movie.title without a check.
func toShowDoc(sh show.Show, m movie.Movie, taken []show.Seat) showDoc {
	if m.ID == "" {
		m = movie.Movie{ID: sh.MovieID}
	}
	d := showDoc{
		ID:            sh.ID,
		Movie:         toMovieDoc(m),
		ShowDateTime:  jsTime(sh.StartsAt),
		ShowPrice:     sh.Price.Major(),
		OccupiedSeats: make(map[string]bool, len(taken)),
	}
	for _, seat := range taken {
		d.OccupiedSeats[seat.String()] = true
	}
	return d
}

// bookingDoc is a Booking with its show populated, and its user populated
// where the route says so.
type bookingDoc struct {
	ID          string   `json:"_id"`
	User        any      `json:"user"` // the user id, or a userDoc
	Show        showDoc  `json:"show"`
	Amount      float64  `json:"amount"`
	BookedSeats []string `json:"bookedSeats"`
	IsPaid      bool     `json:"isPaid"`
	PaymentLink string   `json:"paymentLink"` // "" once paid, or when there is none
	CreatedAt   string   `json:"createdAt"`
	UpdatedAt   string   `json:"updatedAt"`
}

// toBookingDoc converts a listed booking whose show, and the seats taken in
// it, are known. The booking was last updated when it was settled.
func toBookingDoc(l booking.Listed, now time.Time, taken []show.Seat, link string) bookingDoc {
	updated := l.CreatedAt
	if l.Settlement != nil {
		updated = l.Settlement.At
	}
	paid := l.Status(now) == booking.StatusPaid
	if paid {
		link = ""
	}
	d := bookingDoc{
		ID:          l.ID,
		User:        l.UserID,
		Show:        toShowDoc(l.Show, l.Movie, taken),
		Amount:      l.Amount.Major(),
		BookedSeats: make([]string, len(l.Seats)),
		IsPaid:      paid,
		PaymentLink: link,
		CreatedAt:   jsTime(l.CreatedAt),
		UpdatedAt:   jsTime(updated),
	}
	for i, seat := range l.Seats {
		d.BookedSeats[i] = seat.String()
	}
	return d
}

// userDoc is a User. A buyer who has not arrived from Clerk yet, or was
// deleted, is still an object with empty fields: the client reads
// user.name without a check.
type userDoc struct {
	ID    string `json:"_id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Image string `json:"image"`
}

func toUserDoc(id string, u user.User) userDoc {
	return userDoc{ID: id, Name: u.Name, Email: u.Email, Image: u.ImageURL}
}

// showtimeDoc is one show of a movie in the dateTime map of its page.
type showtimeDoc struct {
	Time   string `json:"time"`
	ShowID string `json:"showId"`
}

// nowPlayingDoc is a movie of TMDB's now-playing list, in TMDB's own
// field names, which the client shows as they come.
type nowPlayingDoc struct {
	ID          int64   `json:"id"`
	Title       string  `json:"title"`
	Overview    string  `json:"overview"`
	PosterPath  string  `json:"poster_path"`
	ReleaseDate string  `json:"release_date"`
	VoteAverage float64 `json:"vote_average"`
	VoteCount   int64   `json:"vote_count"`
}

func toNowPlayingDoc(m movie.Summary) nowPlayingDoc {
	return nowPlayingDoc{
		ID:          m.TMDBID,
		Title:       m.Title,
		Overview:    m.Overview,
		PosterPath:  m.PosterPath,
		ReleaseDate: m.ReleaseDate,
		VoteAverage: m.VoteAverage,
		VoteCount:   m.VoteCount,
	}
}
