package show

import (
	"errors"
	"fmt"
	"strconv"
)

// MaxSeatsPerRow bounds a layout's row length so seat ids stay short.
const MaxSeatsPerRow = 50

// ErrInvalidSeat is returned by [ParseSeat] for text that is not a seat id.
var ErrInvalidSeat = errors.New("seat id must be a row letter followed by a seat number, such as A1")

// Seat identifies one seat of a show: a row letter and a number, "A1".
type Seat struct {
	Row    string
	Number int
}

// ParseSeat reads a seat id such as "A1" or "J9". It checks the shape only;
// [Layout.Contains] says whether the seat exists in a given show.
func ParseSeat(s string) (Seat, error) {
	if len(s) < 2 || len(s) > 3 || s[0] < 'A' || s[0] > 'Z' {
		return Seat{}, ErrInvalidSeat
	}
	n, err := strconv.Atoi(s[1:])
	if err != nil || n < 1 || n > MaxSeatsPerRow || s[1] == '0' || s[1] == '+' {
		return Seat{}, ErrInvalidSeat
	}
	return Seat{Row: s[:1], Number: n}, nil
}

// MustParseSeat is like [ParseSeat] but panics; it is for tests and constants.
func MustParseSeat(s string) Seat {
	seat, err := ParseSeat(s)
	if err != nil {
		panic(fmt.Sprintf("show.MustParseSeat(%q): %v", s, err))
	}
	return seat
}

// String returns the seat id, "A1".
func (s Seat) String() string {
	return s.Row + strconv.Itoa(s.Number)
}

// Less orders seats row by row, then by number, so that every booking claims
// its seats in the same order.
func (s Seat) Less(o Seat) bool {
	if s.Row != o.Row {
		return s.Row < o.Row
	}
	return s.Number < o.Number
}
