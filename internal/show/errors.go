package show

import (
	"errors"
	"strings"
	"time"
)

// ErrNotFound means no show has the given id.
var ErrNotFound = errors.New("show not found")

// ErrHasPaidBookings is returned by [Service.Delete] for a show that people
// have paid for.
var ErrHasPaidBookings = errors.New("show has paid bookings")

// DuplicateError is returned by [Service.Schedule] when a start time is
// already scheduled for the movie. Nothing of the request is stored.
type DuplicateError struct {
	StartTimes []time.Time
}

func (e *DuplicateError) Error() string {
	ts := make([]string, len(e.StartTimes))
	for i, t := range e.StartTimes {
		ts[i] = t.UTC().Format(time.RFC3339)
	}
	return "show already scheduled at " + strings.Join(ts, ", ")
}
