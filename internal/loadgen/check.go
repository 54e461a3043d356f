package loadgen

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The outcome of a settlement that leaves a booking's seats taken.
const outcomePaid = "paid"

// Stored is what the database holds about one show, read without the
// server's code so that a check sees the documents themselves.
type Stored struct {
	Bookings []StoredBooking
	Claims   []StoredClaim
	// Outcomes are the settled bookings' outcomes by booking id.
	Outcomes map[string]string
}

// StoredBooking is a booking document.
type StoredBooking struct {
	ID            string
	UserID        string
	Seats         []string
	HoldExpiresAt time.Time
}

// StoredClaim is a claim document: the Seq-th claim of a seat, made by a
// booking. Only the newest claim of a seat counts.
type StoredClaim struct {
	Seat          string
	Seq           int
	BookingID     string
	HoldExpiresAt time.Time
}

// Violation is one broken rule, with the evidence.
type Violation struct {
	Rule   string // such as "seat held twice"
	Detail string
}

func (v Violation) String() string { return v.Rule + ": " + v.Detail }

// live reports whether a booking holds its seats at now: it was paid, or
// it is unsettled and its hold has not run out.
func (s Stored) live(bookingID string, holdExpiresAt, now time.Time) bool {
	if outcome, ok := s.Outcomes[bookingID]; ok {
		return outcome == outcomePaid
	}
	return now.Before(holdExpiresAt)
}

// Check judges what is stored about a run's show at now, together with
// the answers the buyers got and the seats the API showed taken at now.
// It returns every broken rule, sorted; none means the run kept the
// booking rules:
//
//   - no seat is in two live bookings;
//   - every seat of a live booking has its newest claim made by that
//     booking, so no booking holds only part of its seats;
//   - no live claim belongs to a booking that was never stored;
//   - a buyer answered 201 has that live booking, of the seats asked for,
//     and a buyer answered 409 has no live booking;
//   - the seat map shows exactly the seats of the live bookings.
func Check(s Stored, answers []Answer, seatMap []string, now time.Time) []Violation {
	var vs []Violation
	add := func(rule, format string, args ...any) {
		vs = append(vs, Violation{Rule: rule, Detail: fmt.Sprintf(format, args...)})
	}

	live := map[string]StoredBooking{}
	for _, b := range s.Bookings {
		if s.live(b.ID, b.HoldExpiresAt, now) {
			live[b.ID] = b
		}
	}
	checkSeatsHeldOnce(live, add)
	checkClaims(s, live, now, add)
	checkAnswers(s, live, answers, add)

	held := seatsOf(live)
	taken := slices.Sorted(slices.Values(seatMap))
	if !slices.Equal(held, taken) {
		add("seat map disagrees", "the API shows %v taken, live bookings hold %v",
			strings.Join(taken, " "), strings.Join(held, " "))
	}

	slices.SortFunc(vs, func(a, b Violation) int { return strings.Compare(a.String(), b.String()) })
	return vs
}

type addFunc func(rule, format string, args ...any)

func checkSeatsHeldOnce(live map[string]StoredBooking, add addFunc) {
	holders := map[string][]string{}
	for _, id := range slices.Sorted(maps.Keys(live)) {
		for _, seat := range live[id].Seats {
			holders[seat] = append(holders[seat], id)
		}
	}
	for seat, ids := range holders {
		if len(ids) > 1 {
			add("seat held twice", "seat %s is in live bookings %s", seat, strings.Join(ids, ", "))
		}
	}
}

func checkClaims(s Stored, live map[string]StoredBooking, now time.Time, add addFunc) {
	newest := map[string]StoredClaim{}
	stored := map[string]bool{}
	for _, b := range s.Bookings {
		stored[b.ID] = true
	}
	for _, c := range s.Claims {
		if n, ok := newest[c.Seat]; !ok || c.Seq > n.Seq {
			newest[c.Seat] = c
		}
		if !stored[c.BookingID] && s.live(c.BookingID, c.HoldExpiresAt, now) {
			add("seat held by no booking", "claim #%d of seat %s belongs to booking %s, "+
				"which was never stored nor settled", c.Seq, c.Seat, c.BookingID)
		}
	}

	for id, b := range live {
		for _, seat := range b.Seats {
			c, ok := newest[seat]
			switch {
			case !ok:
				add("partial booking", "live booking %s has seat %s, which has no claim", id, seat)
			case c.BookingID != id:
				add("partial booking", "live booking %s has seat %s, whose newest claim #%d "+
					"is booking %s's", id, seat, c.Seq, c.BookingID)
			}
		}
	}
}

func checkAnswers(s Stored, live map[string]StoredBooking, answers []Answer, add addFunc) {
	liveOf := map[string][]string{} // live booking ids by user
	for id, b := range live {
		liveOf[b.UserID] = append(liveOf[b.UserID], id)
	}
	storedByID := map[string]StoredBooking{}
	for _, b := range s.Bookings {
		storedByID[b.ID] = b
	}

	for _, an := range answers {
		switch an.Status {
		case http.StatusCreated:
			b, ok := storedByID[an.BookingID]
			switch {
			case !ok:
				add("answer disagrees", "%s got booking %q, which is not stored",
					an.UserID, an.BookingID)
			case live[an.BookingID].ID == "":
				add("answer disagrees", "%s got booking %s, which holds nothing", an.UserID, b.ID)
			case b.UserID != an.UserID || !sameSeats(b.Seats, an.Seats):
				add("answer disagrees", "%s asked for %v and got booking %s, stored for %s with %v",
					an.UserID, an.Seats, b.ID, b.UserID, b.Seats)
			}
		case http.StatusConflict:
			if ids := liveOf[an.UserID]; len(ids) > 0 {
				add("answer disagrees", "%s was told the seats were taken, but holds %v",
					an.UserID, ids)
			}
		}
	}
}

func sameSeats(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}

// seatsOf returns the seats of bookings, sorted.
func seatsOf(bookings map[string]StoredBooking) []string {
	seats := []string{}
	for _, b := range bookings {
		seats = append(seats, b.Seats...)
	}
	slices.Sort(seats)
	return slices.Compact(seats)
}
