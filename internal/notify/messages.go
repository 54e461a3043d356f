package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/show"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

// The templates are parsed once; a broken one is a programmer's mistake
// that every test finds.
var (
	textTemplates = texttemplate.Must(texttemplate.ParseFS(templateFiles, "templates/text.tmpl"))
	htmlTemplates = htmltemplate.Must(htmltemplate.ParseFS(templateFiles, "templates/html.tmpl"))
)

// The kinds of message, by the name of their templates.
const (
	kindConfirmation = "confirmation"
	kindExpired      = "expired"
	kindRefund       = "refund"
	kindReminder     = "reminder"
	kindShows        = "shows"
)

// timeLayout is how start times read in messages, in the theatre's zone.
const timeLayout = "Mon 2 Jan 2006, 15:04 MST"

// bookingView is what the booking templates show.
type bookingView struct {
	Subject     string
	Name        string
	BookingID   string
	Movie       string
	StartsAt    string
	Seats       string
	Amount      string
	BookingsURL string
}

// showsView is what the new-shows template shows.
type showsView struct {
	Subject  string
	Name     string
	Movie    string
	Times    []string
	MovieURL string
}

// render makes the message of kind for to from view, whose Subject field
// the templates show too.
func render(kind, to, subject string, view any) (Message, error) {
	var text, html bytes.Buffer
	if err := textTemplates.ExecuteTemplate(&text, kind, view); err != nil {
		return Message{}, fmt.Errorf("render %s text: %w", kind, err)
	}
	if err := htmlTemplates.ExecuteTemplate(&html, kind, view); err != nil {
		return Message{}, fmt.Errorf("render %s html: %w", kind, err)
	}
	return Message{To: to, Subject: subject, Text: text.String(), HTML: html.String()}, nil
}

// bookingMessage makes the message of kind about l for the buyer.
func (s *Service) bookingMessage(kind, to, name string, l booking.Listed) (Message, error) {
	v := bookingView{
		Name:        greeting(name),
		BookingID:   l.ID,
		Movie:       movieTitle(l.Movie),
		StartsAt:    l.Show.StartsAt.In(s.loc).Format(timeLayout),
		Seats:       seatList(l.Seats),
		Amount:      l.Amount.String(),
		BookingsURL: s.cfg.ClientURL + "/my-bookings",
	}
	switch kind {
	case kindConfirmation:
		v.Subject = fmt.Sprintf("Your tickets for %s, %s", v.Movie, v.StartsAt)
	case kindExpired:
		v.Subject = fmt.Sprintf("Your seats for %s were released", v.Movie)
	case kindRefund:
		v.Subject = fmt.Sprintf("Your payment for %s will be refunded", v.Movie)
	case kindReminder:
		v.Subject = fmt.Sprintf("Reminder: %s starts %s", v.Movie, v.StartsAt)
	}
	return render(kind, to, v.Subject, v)
}

// showsMessage makes the news of shows of m for one user.
func (s *Service) showsMessage(to, name string, m movie.Movie, shows []show.Show) (Message, error) {
	v := showsView{
		Name:     greeting(name),
		Movie:    movieTitle(m),
		MovieURL: s.cfg.ClientURL + "/movies/" + url.PathEscape(m.ID),
	}
	for _, sh := range shows {
		v.Times = append(v.Times, sh.StartsAt.In(s.loc).Format(timeLayout))
	}
	v.Subject = "New shows: " + v.Movie
	return render(kindShows, to, v.Subject, v)
}

func greeting(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "there"
	}
	return name
}

func movieTitle(m movie.Movie) string {
	if m.Title == "" {
		return "your movie"
	}
	return m.Title
}

func seatList(seats []show.Seat) string {
	ids := make([]string, len(seats))
	for i, seat := range seats {
		ids[i] = seat.String()
	}
	return strings.Join(ids, ", ")
}

// location returns loc, or UTC for nil.
func location(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
