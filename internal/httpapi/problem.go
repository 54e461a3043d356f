package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/dependency"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/show"
)

// problem is an RFC 9457 problem document with our stable code and
// optional extensions.
type problem struct {
	Type       string            `json:"type"`
	Title      string            `json:"title"`
	Status     int               `json:"status"`
	Detail     string            `json:"detail,omitempty"`
	Code       string            `json:"code"`
	Fields     map[string]string `json:"fields,omitempty"`
	TakenSeats []string          `json:"takenSeats,omitempty"`
	StartTimes []string          `json:"startTimes,omitempty"`
}

// Error is an error that already knows its HTTP status and code. Handlers
// return it for failures found in the HTTP layer itself, such as a bad
// query parameter.
type Error struct {
	Status int
	Code   string
	Detail string
	Fields map[string]string
}

func (e *Error) Error() string { return e.Code + ": " + e.Detail }

func errorf(status int, code, detail string) *Error {
	return &Error{Status: status, Code: code, Detail: detail}
}

func invalidFields(fields map[string]string) *Error {
	return &Error{
		Status: http.StatusUnprocessableEntity,
		Code:   "validation_failed",
		Detail: "some fields have invalid values",
		Fields: fields,
	}
}

// sentinels maps the domain's sentinel errors to a status and a code. It is
// the one place that decides how a domain failure looks over HTTP.
var sentinels = []struct {
	err    error
	status int
	code   string
}{
	{booking.ErrNotFound, http.StatusNotFound, "not_found"},
	{show.ErrNotFound, http.StatusNotFound, "not_found"},
	{movie.ErrNotFound, http.StatusNotFound, "not_found"},
	{booking.ErrShowStarted, http.StatusUnprocessableEntity, "show_started"},
	{booking.ErrNotHeld, http.StatusConflict, "booking_not_held"},
	{booking.ErrIdempotencyMismatch, http.StatusUnprocessableEntity, "idempotency_key_reused"},
	{booking.ErrIdempotencyInProgress, http.StatusConflict, "idempotency_in_progress"},
	{show.ErrHasPaidBookings, http.StatusConflict, "show_has_paid_bookings"},
	{show.ErrPastStart, http.StatusUnprocessableEntity, "start_in_past"},
	{show.ErrInvalidPrice, http.StatusUnprocessableEntity, "validation_failed"},
	{show.ErrUnknownMovie, http.StatusUnprocessableEntity, "unknown_movie"},
	{movie.ErrSourceNotFound, http.StatusNotFound, "tmdb_not_found"},
	{movie.ErrSourceTimeout, http.StatusGatewayTimeout, "tmdb_timeout"},
	{movie.ErrSourceUnavailable, http.StatusBadGateway, "tmdb_unavailable"},
	{movie.ErrSourceDisabled, http.StatusServiceUnavailable, "tmdb_disabled"},
	{payment.ErrDisabled, http.StatusServiceUnavailable, "payments_disabled"},
	{payment.ErrProvider, http.StatusBadGateway, "payment_provider_unavailable"},
	{dependency.ErrUnavailable, http.StatusServiceUnavailable, "unavailable"},
	{context.DeadlineExceeded, http.StatusServiceUnavailable, "unavailable"},
}

// toProblem turns any error into the problem document the client sees.
// Errors it does not know become a 500 that reveals nothing internal.
func toProblem(err error) problem {
	var (
		herr  *Error
		taken *booking.SeatsTakenError
		bval  *booking.ValidationError
		mval  *movie.ValidationError
		dup   *show.DuplicateError
	)
	switch {
	case errors.As(err, &herr):
		p := newProblem(herr.Status, herr.Code, herr.Detail)
		p.Fields = herr.Fields
		return p
	case errors.As(err, &taken):
		p := newProblem(http.StatusConflict, "seats_taken", taken.Error())
		p.TakenSeats = seatIDs(taken.Seats)
		return p
	case errors.As(err, &bval):
		return toProblem(invalidFields(bval.Fields))
	case errors.As(err, &mval):
		return toProblem(invalidFields(mval.Fields))
	case errors.As(err, &dup):
		p := newProblem(http.StatusConflict, "show_exists", dup.Error())
		p.StartTimes = formatTimes(dup.StartTimes)
		return p
	}

	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return newProblem(s.status, s.code, s.err.Error())
		}
	}
	return newProblem(http.StatusInternalServerError, "internal", "something went wrong on our side")
}

func newProblem(status int, code, detail string) problem {
	return problem{
		Type:   "about:blank",
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Code:   code,
	}
}
