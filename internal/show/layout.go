package show

import (
	"errors"
	"slices"
)

// MaxRows is the number of row letters, A to Z.
const MaxRows = 26

// Layout is the seating plan of a show: named rows of equal length.
type Layout struct {
	Rows        []string
	SeatsPerRow int
}

// DefaultLayout is rows A to J with 9 seats each.
func DefaultLayout() Layout {
	return Layout{
		Rows:        []string{"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"},
		SeatsPerRow: 9,
	}
}

// Validate reports what is wrong with l, or nil.
func (l Layout) Validate() error {
	if len(l.Rows) == 0 || len(l.Rows) > MaxRows {
		return errors.New("layout needs between 1 and 26 rows")
	}
	if l.SeatsPerRow < 1 || l.SeatsPerRow > MaxSeatsPerRow {
		return errors.New("layout needs between 1 and 50 seats per row")
	}
	seen := make(map[string]bool, len(l.Rows))
	for _, r := range l.Rows {
		if len(r) != 1 || r[0] < 'A' || r[0] > 'Z' {
			return errors.New("layout rows must be single upper-case letters")
		}
		if seen[r] {
			return errors.New("layout rows must not repeat")
		}
		seen[r] = true
	}
	return nil
}

// Contains reports whether seat exists in the layout.
func (l Layout) Contains(seat Seat) bool {
	return seat.Number >= 1 && seat.Number <= l.SeatsPerRow && slices.Contains(l.Rows, seat.Row)
}

// Capacity is the number of seats in the layout.
func (l Layout) Capacity() int {
	return len(l.Rows) * l.SeatsPerRow
}
