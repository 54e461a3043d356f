package show_test

import (
	"testing"

	"github.com/marquee-hq/marquee/internal/show"
)

// FuzzParseSeat checks that a seat id is either refused or read into a
// seat that prints back as exactly the same id, so that two spellings can
// never name one seat (claims are keyed by the printed id).
func FuzzParseSeat(f *testing.F) {
	for _, s := range []string{"A1", "J9", "Z50", "A0", "A01", "a1", "A+1", "A-1", "AA1", "A51", "", "A", "Ä1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		seat, err := show.ParseSeat(id)
		if err != nil {
			return
		}
		if got := seat.String(); got != id {
			t.Fatalf("ParseSeat(%q) = %+v, which prints as %q", id, seat, got)
		}
		if seat.Number < 1 || seat.Number > show.MaxSeatsPerRow {
			t.Fatalf("ParseSeat(%q) = %+v, number out of range", id, seat)
		}
		if again, err := show.ParseSeat(seat.String()); err != nil || again != seat {
			t.Fatalf("ParseSeat(%q) again = %+v, %v; want %+v", seat.String(), again, err, seat)
		}
		_ = show.DefaultLayout().Contains(seat)
	})
}
