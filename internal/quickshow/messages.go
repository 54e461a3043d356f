package quickshow

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/dependency"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/show"
)

// inputError is a request this surface cannot read, with what to tell the
// person who sent it.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

func badInput(format string, args ...any) error {
	return &inputError{msg: fmt.Sprintf(format, args...)}
}

// The messages that more than one failure shares.
const (
	msgInternal    = "Something went wrong on our side. Please try again."
	msgUnavailable = "The service is busy or briefly unavailable. Please try again in a moment."
)

// sentinelMessages maps the domain's sentinel errors to what a person is
// told. It is the one place that words them for this surface.
var sentinelMessages = []struct {
	err error
	msg string
}{
	{movie.ErrNotFound, "Movie not found."},
	{show.ErrNotFound, "Show not found."},
	{booking.ErrNotFound, "Booking not found."},
	{booking.ErrShowStarted, "This show has already started and can no longer be booked."},
	{booking.ErrNotHeld, "This booking is no longer held."},
	{show.ErrUnknownMovie, "Movie not found."},
	{show.ErrPastStart, "Show times must be in the future."},
	{movie.ErrSourceNotFound, "TMDB does not know this movie."},
	{movie.ErrSourceTimeout, "TMDB did not answer in time. Please try again."},
	{movie.ErrSourceUnavailable, "TMDB is unavailable right now. Please try again later."},
	{movie.ErrSourceDisabled, "Movies cannot be imported: TMDB is not set up on this server."},
	{payment.ErrProvider, "The payment could not be started. Please try again."},
	{dependency.ErrUnavailable, msgUnavailable},
	{context.DeadlineExceeded, msgUnavailable},
}

// message returns what to tell a person about err, in the theatre's time
// zone loc, and whether err is a failure of ours rather than of the
// request. It never passes on the text of an error it does not know.
func message(err error, loc *time.Location) (msg string, internal bool) {
	var (
		input *inputError
		taken *booking.SeatsTakenError
		bval  *booking.ValidationError
		mval  *movie.ValidationError
		dup   *show.DuplicateError
	)
	switch {
	case errors.As(err, &input):
		return input.msg, false
	case errors.As(err, &taken):
		return seatsTakenMessage(taken), false
	case errors.As(err, &bval):
		return bookingInvalidMessage(bval), false
	case errors.As(err, &mval):
		return "The movie's details are not valid.", false
	case errors.As(err, &dup):
		return duplicateMessage(dup, loc), false
	}
	for _, s := range sentinelMessages {
		if errors.Is(err, s.err) {
			internal := errors.Is(err, dependency.ErrUnavailable) ||
				errors.Is(err, context.DeadlineExceeded)
			return s.msg, internal
		}
	}
	return msgInternal, true
}

func seatsTakenMessage(e *booking.SeatsTakenError) string {
	ids := make([]string, len(e.Seats))
	for i, seat := range e.Seats {
		ids[i] = seat.String()
	}
	if len(ids) == 1 {
		return "Seat " + ids[0] + " is already taken. Please choose another seat."
	}
	return "Seats " + strings.Join(ids, ", ") + " are already taken. Please choose other seats."
}

// bookingInvalidMessage words the booking service's field problems, which
// name the REST API's fields, for a person choosing seats.
func bookingInvalidMessage(e *booking.ValidationError) string {
	var parts []string
	for _, field := range slices.Sorted(maps.Keys(e.Fields)) {
		problem := e.Fields[field]
		switch field {
		case "showId":
			if problem == "is required" {
				parts = append(parts, "Please choose a show.")
			} else {
				parts = append(parts, "Show not found.")
			}
		case "seats":
			parts = append(parts, "The selected seats "+problem+".")
		default:
			parts = append(parts, field+" "+problem+".")
		}
	}
	return strings.Join(parts, " ")
}

func duplicateMessage(e *show.DuplicateError, loc *time.Location) string {
	ts := make([]string, len(e.StartTimes))
	for i, t := range e.StartTimes {
		ts[i] = t.In(loc).Format("Mon 2 Jan 2006 15:04")
	}
	return "A show of this movie is already scheduled at " + strings.Join(ts, ", ") + "."
}

// refusalMessage words why httpapi turned a request away.
func refusalMessage(why httpapi.Refusal) string {
	switch why.Status {
	case http.StatusUnauthorized:
		return "You are not signed in. Please sign in and try again."
	case http.StatusForbidden:
		return "Not authorized: this needs an admin account."
	case http.StatusTooManyRequests:
		return "Too many requests. Please wait a minute and try again."
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return msgUnavailable
	}
	return msgInternal
}
