package quickshow_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/httpapi/apitest"
)

// TestBookingRushThroughQuickShow has many buyers race for overlapping
// seats of one show through this surface, then checks what the database
// holds with the checker of the REST API's tests: no seat sold twice, the
// seats said taken exactly those of live bookings, no booking stored for a
// loser, and every loser told which of its seats were taken.
func TestBookingRushThroughQuickShow(t *testing.T) {
	a := newAPI(t, apitest.Options{})
	s := seeds{t, a}
	sh := s.shows(s.handMovie("Evening Tide").ID, s.in(24*time.Hour))[0]

	const buyers = 120
	rows := []string{"A", "B", "C"}
	type result struct {
		seats []string
		ans   answer
	}
	results := make([]result, buyers)
	var wg sync.WaitGroup
	for i := range buyers {
		// Each buyer wants three neighbouring seats of a row; buyers
		// overlap heavily with their neighbours.
		row, first := rows[i%len(rows)], 1+(i/len(rows))%7
		seats := []string{
			fmt.Sprintf("%s%d", row, first+2), fmt.Sprintf("%s%d", row, first),
			fmt.Sprintf("%s%d", row, first+1),
		}
		tok := a.Token(fmt.Sprintf("user_buyer_%03d", i))
		wg.Go(func() {
			results[i] = result{seats: seats, ans: book(t, a, tok, sh.ID, seats...)}
		})
	}
	wg.Wait()

	winners := 0
	for i, r := range results {
		if r.ans["success"] == true {
			winners++
			continue
		}
		msg := failed(t, fmt.Sprintf("buyer %d", i), r.ans)
		named := seatsNamed(msg)
		if len(named) == 0 {
			t.Errorf("buyer %d lost with %q, which names no taken seat", i, msg)
		}
		for _, seat := range named {
			if !slices.Contains(r.seats, seat) {
				t.Errorf("buyer %d wanted %v but was told %s was taken", i, r.seats, seat)
			}
		}
	}
	t.Logf("%d buyers, %d winners", buyers, winners)
	if winners == 0 {
		t.Fatal("nobody got seats")
	}
	a.CheckSeatsSoldOnce(t, sh.ID, occupied(t, a, sh.ID))
	if got := a.Count("bookings"); got != int64(winners) {
		t.Errorf("stored %d bookings, want one per winner (%d)", got, winners)
	}
}

// seatsNamed returns the seat ids in a message such as "Seats A1, A2 are
// already taken."
func seatsNamed(msg string) []string {
	var seats []string
	for _, word := range strings.FieldsFunc(msg, func(r rune) bool {
		return r == ' ' || r == ',' || r == '.'
	}) {
		if seatRE.MatchString(word) {
			seats = append(seats, word)
		}
	}
	return seats
}

// TestExpiredHoldFreesSeatsThroughQuickShow: once a hold has run out, with
// no background job, another buyer gets its seats through this surface,
// the seats said taken follow, and the first buyer's list drops the
// booking.
func TestExpiredHoldFreesSeatsThroughQuickShow(t *testing.T) {
	t.Parallel()
	a := newAPI(t, apitest.Options{Hold: 3 * time.Minute})
	s := seeds{t, a}
	sh := s.shows(s.handMovie("Evening Tide").ID, s.in(24*time.Hour))[0]
	first, second := a.Token("user_erin"), a.Token("user_frank")

	succeeded(t, "first booking", book(t, a, first, sh.ID, "C3", "C4"), shape{"url": str})
	failed(t, "booking held seats", book(t, a, second, sh.ID, "C4", "C5"))
	a.CheckSeatsSoldOnce(t, sh.ID, occupied(t, a, sh.ID))

	a.Clock.Advance(3*time.Minute + time.Second)
	if got := occupied(t, a, sh.ID); len(got) != 0 {
		t.Errorf("seats %v taken after the hold ran out, want none", got)
	}
	succeeded(t, "booking after the hold ran out", book(t, a, second, sh.ID, "C4", "C5"),
		shape{"url": str})
	a.CheckSeatsSoldOnce(t, sh.ID, occupied(t, a, sh.ID))
	if got := occupied(t, a, sh.ID); !slices.Equal(got, []string{"C4", "C5"}) {
		t.Errorf("taken = %v, want [C4 C5]", got)
	}

	ans := call(t, a, "GET", "/api/user/bookings", first, nil)
	if got := items(t, ans, "bookings"); len(got) != 0 {
		t.Errorf("the first buyer's bookings list %v, want the expired hold left out", got)
	}
}
