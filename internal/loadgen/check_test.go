package loadgen

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var checkNow = time.Date(2026, 12, 5, 20, 0, 0, 0, time.UTC)

// valid is what a correct rush leaves: ada holds A1 A2; bob lost A2 and
// his claim of A3 was abandoned; cyd paid for B1 after eve's hold on it
// was cancelled; dan's hold on C1 ran out unsettled.
func valid() (Stored, []Answer, []string) {
	hold := checkNow.Add(10 * time.Minute)
	paidEarlier, ranOut := checkNow.Add(-time.Minute), checkNow.Add(-time.Second)
	s := Stored{
		Bookings: []StoredBooking{
			{ID: "bk-ada", UserID: "ada", Seats: []string{"A1", "A2"}, HoldExpiresAt: hold},
			{ID: "bk-cyd", UserID: "cyd", Seats: []string{"B1"}, HoldExpiresAt: paidEarlier},
			{ID: "bk-eve", UserID: "eve", Seats: []string{"B1"}, HoldExpiresAt: hold},
			{ID: "bk-dan", UserID: "dan", Seats: []string{"C1"}, HoldExpiresAt: ranOut},
		},
		Claims: []StoredClaim{
			{Seat: "A1", Seq: 1, BookingID: "bk-ada", HoldExpiresAt: hold},
			{Seat: "A2", Seq: 1, BookingID: "bk-ada", HoldExpiresAt: hold},
			{Seat: "A3", Seq: 1, BookingID: "bk-bob", HoldExpiresAt: hold},
			{Seat: "B1", Seq: 1, BookingID: "bk-eve", HoldExpiresAt: hold},
			{Seat: "B1", Seq: 2, BookingID: "bk-cyd", HoldExpiresAt: paidEarlier},
			{Seat: "C1", Seq: 1, BookingID: "bk-dan", HoldExpiresAt: ranOut},
		},
		Outcomes: map[string]string{"bk-bob": "abandoned", "bk-cyd": "paid", "bk-eve": "cancelled"},
	}
	answers := []Answer{
		{UserID: "ada", Seats: []string{"A2", "A1"}, Status: http.StatusCreated,
			BookingID: "bk-ada"},
		{UserID: "bob", Seats: []string{"A2", "A3"}, Status: http.StatusConflict},
	}
	return s, answers, []string{"A1", "A2", "B1"}
}

func TestCheckPassesAValidRun(t *testing.T) {
	t.Parallel()
	s, answers, seatMap := valid()
	if vs := Check(s, answers, seatMap, checkNow); len(vs) != 0 {
		t.Errorf("Check of a valid run = %v, want no violations", vs)
	}
}

func TestCheckFindsEachBrokenRule(t *testing.T) {
	t.Parallel()
	hold := checkNow.Add(10 * time.Minute)
	tests := []struct {
		name   string
		breakS func(s *Stored, answers *[]Answer, seatMap *[]string)
		want   []string
	}{
		{
			name: "a seat in two live bookings",
			breakS: func(s *Stored, _ *[]Answer, _ *[]string) {
				s.Bookings = append(s.Bookings, StoredBooking{ID: "bk-fay", UserID: "fay",
					Seats: []string{"A2"}, HoldExpiresAt: hold})
				s.Claims = append(s.Claims, StoredClaim{Seat: "A2", Seq: 2, BookingID: "bk-fay",
					HoldExpiresAt: hold})
			},
			want: []string{
				"partial booking: live booking bk-ada has seat A2, whose newest claim #2 is booking bk-fay's",
				"seat held twice: seat A2 is in live bookings bk-ada, bk-fay",
			},
		},
		{
			name: "a paid booking and a live hold on one seat",
			breakS: func(s *Stored, _ *[]Answer, _ *[]string) {
				s.Outcomes["bk-eve"] = "paid"
			},
			want: []string{
				"partial booking: live booking bk-eve has seat B1, whose newest claim #2 is booking bk-cyd's",
				"seat held twice: seat B1 is in live bookings bk-cyd, bk-eve",
			},
		},
		{
			name: "a booking that lost one of its seats",
			breakS: func(s *Stored, _ *[]Answer, _ *[]string) {
				s.Claims[1].BookingID = "bk-bob" // A2 claimed by bob's abandoned booking
			},
			want: []string{
				"partial booking: live booking bk-ada has seat A2, whose newest claim #1 is booking bk-bob's",
			},
		},
		{
			name: "a booking with a seat never claimed",
			breakS: func(s *Stored, _ *[]Answer, _ *[]string) {
				s.Claims = s.Claims[1:] // no claim of A1
			},
			want: []string{"partial booking: live booking bk-ada has seat A1, which has no claim"},
		},
		{
			name: "a live claim of a booking never stored",
			breakS: func(s *Stored, _ *[]Answer, _ *[]string) {
				delete(s.Outcomes, "bk-bob")
			},
			want: []string{"seat held by no booking: claim #1 of seat A3 belongs to booking bk-bob, " +
				"which was never stored nor settled"},
		},
		{
			name: "a winner whose booking is not stored",
			breakS: func(_ *Stored, answers *[]Answer, _ *[]string) {
				(*answers)[0].BookingID = "bk-ghost"
			},
			want: []string{`answer disagrees: ada got booking "bk-ghost", which is not stored`},
		},
		{
			name: "a winner whose booking holds nothing",
			breakS: func(s *Stored, _ *[]Answer, seatMap *[]string) {
				s.Outcomes["bk-ada"] = "expired"
				*seatMap = []string{"B1"}
			},
			want: []string{"answer disagrees: ada got booking bk-ada, which holds nothing"},
		},
		{
			name: "a winner given other seats",
			breakS: func(_ *Stored, answers *[]Answer, _ *[]string) {
				(*answers)[0].Seats = []string{"A1", "A3"}
			},
			want: []string{"answer disagrees: ada asked for [A1 A3] and got booking bk-ada, " +
				"stored for ada with [A1 A2]"},
		},
		{
			name: "a loser who holds seats",
			breakS: func(_ *Stored, answers *[]Answer, _ *[]string) {
				*answers = append(*answers, Answer{UserID: "ada", Seats: []string{"A1"},
					Status: http.StatusConflict})
			},
			want: []string{"answer disagrees: ada was told the seats were taken, but holds [bk-ada]"},
		},
		{
			name: "a seat map missing a held seat",
			breakS: func(_ *Stored, _ *[]Answer, seatMap *[]string) {
				*seatMap = []string{"A1", "B1"}
			},
			want: []string{"seat map disagrees: the API shows A1 B1 taken, live bookings hold A1 A2 B1"},
		},
		{
			name: "a seat map showing an expired hold",
			breakS: func(_ *Stored, _ *[]Answer, seatMap *[]string) {
				*seatMap = []string{"A1", "A2", "B1", "C1"}
			},
			want: []string{"seat map disagrees: the API shows A1 A2 B1 C1 taken, " +
				"live bookings hold A1 A2 B1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, answers, seatMap := valid()
			tt.breakS(&s, &answers, &seatMap)

			var got []string
			for _, v := range Check(s, answers, seatMap, checkNow) {
				got = append(got, v.String())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Check (-want +got):\n%s", diff)
			}
		})
	}
}
