package httpapi_test

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

type bookingBody struct {
	Booking struct {
		ID     string
		UserID string
		Seats  []string
		Amount int64
		Status string
	}
}

type problemBody struct {
	Code       string
	TakenSeats []string
	Fields     map[string]string
}

// TestBookingRush has many buyers race for overlapping seats of one show
// through real HTTP, then checks what the database holds: no seat sold
// twice, no booking with part of its seats, and every loser told which
// seats it lost.
func TestBookingRush(t *testing.T) {
	a := newTestAPI(t, apiOptions{})
	sh := a.seedShow(24 * time.Hour)

	const buyers = 120
	rows := []string{"A", "B", "C"}
	type result struct {
		status int
		seats  []string
		body   []byte
	}
	results := make([]result, buyers)

	start := time.Now()
	var wg sync.WaitGroup
	for i := range buyers {
		// Each buyer wants three neighbouring seats of a row; buyers overlap
		// heavily with their neighbours.
		row := rows[i%len(rows)]
		first := 1 + (i/len(rows))%7
		seats := []string{
			fmt.Sprintf("%s%d", row, first+2), fmt.Sprintf("%s%d", row, first),
			fmt.Sprintf("%s%d", row, first+1),
		}
		wg.Go(func() {
			got := a.do("POST", "/api/bookings", a.token(fmt.Sprintf("user_buyer_%03d", i)),
				map[string]any{"showId": sh.ID, "seats": seats})
			results[i] = result{status: got.status, seats: seats, body: got.body}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	winners, conflicts := 0, 0
	for i, r := range results {
		switch r.status {
		case http.StatusCreated:
			winners++
		case http.StatusConflict:
			conflicts++
			var p problemBody
			response{body: r.body}.decode(t, &p)
			if p.Code != "seats_taken" || len(p.TakenSeats) == 0 {
				t.Errorf("buyer %d: 409 without taken seats: %s", i, r.body)
			}
			for _, s := range p.TakenSeats {
				if !slices.Contains(r.seats, s) {
					t.Errorf("buyer %d wanted %v but was told %s was taken", i, r.seats, s)
				}
			}
		default:
			t.Errorf("buyer %d: got %d %s, want 201 or 409", i, r.status, r.body)
		}
	}
	t.Logf("%d buyers, %d winners, %d conflicts, in %v", buyers, winners, conflicts, elapsed)
	if winners == 0 {
		t.Fatal("nobody got seats")
	}

	checkSeatsSoldOnce(t, a, sh.ID)
	if got := a.count("bookings"); got != int64(winners) {
		t.Errorf("stored %d bookings, want one per winner (%d)", got, winners)
	}
}

// checkSeatsSoldOnce checks the invariants of the show's stored bookings
// with package apitest's checker: no seat in two live bookings, and the
// seat map shows exactly the seats of live bookings.
func checkSeatsSoldOnce(t *testing.T, a *testAPI, showID string) {
	t.Helper()
	var m struct{ Taken []string }
	a.do("GET", "/api/shows/"+showID+"/seats", "", nil).decode(t, &m)
	a.env.CheckSeatsSoldOnce(t, showID, m.Taken)
}

func TestCreateBookingRefusesBadInput(t *testing.T) {
	a := newTestAPI(t, apiOptions{maxSeats: 4})
	sh := a.seedShow(24 * time.Hour)
	started := a.seedShow(2 * time.Second)
	a.clock.Advance(3 * time.Second)
	tok := a.token("user_carol")

	tests := []struct {
		name        string
		body        any
		contentType string
		wantStatus  int
		wantCode    string
	}{
		{"malformed JSON", `{"showId": "x", "seats": [`, "", 400, "invalid_json"},
		{"not JSON", `showId=x`, "", 400, "invalid_json"},
		{"two values", `{"showId":"x","seats":["A1"]} {}`, "", 400, "invalid_json"},
		{"empty body", ``, "", 400, "invalid_json"},
		{"null body", `null`, "", 400, "invalid_json"},
		{"array body", `[]`, "", 400, "invalid_json"},
		{"wrong type", `{"showId": 12, "seats": ["A1"]}`, "", 400, "invalid_json"},
		{"seats not a list", `{"showId": "x", "seats": "A1"}`, "", 400, "invalid_json"},
		{"unknown field", map[string]any{"showId": sh.ID, "seats": []string{"A1"}, "vip": true}, "", 400, "unknown_field"},
		{"client-sent amount", map[string]any{"showId": sh.ID, "seats": []string{"A1"}, "amount": 1}, "", 400, "unknown_field"},
		{"field names in capitals", fmt.Sprintf(`{"SHOWID":%q,"Seats":["A1"]}`, sh.ID), "", 400, "unknown_field"},
		{"field twice", fmt.Sprintf(`{"showId":"x","showId":%q,"seats":["A1"]}`, sh.ID), "", 400, "invalid_json"},
		{"wrong content type", `{"showId": "x", "seats": ["A1"]}`, "text/plain", 415, "unsupported_media_type"},
		{"empty seat list", map[string]any{"showId": sh.ID, "seats": []string{}}, "", 422, "validation_failed"},
		{"no seats", map[string]any{"showId": sh.ID}, "", 422, "validation_failed"},
		{"no show", map[string]any{"seats": []string{"A1"}}, "", 422, "validation_failed"},
		{"unknown seat", map[string]any{"showId": sh.ID, "seats": []string{"K1"}}, "", 422, "validation_failed"},
		{"seat past the row", map[string]any{"showId": sh.ID, "seats": []string{"A10"}}, "", 422, "validation_failed"},
		{"not a seat id", map[string]any{"showId": sh.ID, "seats": []string{"1A"}}, "", 422, "validation_failed"},
		{"repeated seat", map[string]any{"showId": sh.ID, "seats": []string{"A1", "A1"}}, "", 422, "validation_failed"},
		{"too many seats", map[string]any{"showId": sh.ID, "seats": []string{"A1", "A2", "A3", "A4", "A5"}}, "", 422, "validation_failed"},
		{"unknown show", map[string]any{"showId": "000000000000000000000000", "seats": []string{"A1"}}, "", 422, "validation_failed"},
		{"id that is not an id", map[string]any{"showId": "../../etc", "seats": []string{"A1"}}, "", 422, "validation_failed"},
		{"show started", map[string]any{"showId": started.ID, "seats": []string{"A1"}}, "", 422, "show_started"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var header []string
			if tc.contentType != "" {
				header = []string{"Content-Type", tc.contentType}
			}
			got := a.do("POST", "/api/bookings", tok, tc.body, header...)
			if got.status != tc.wantStatus || got.problemCode() != tc.wantCode {
				t.Errorf("got %d %s, want %d %s", got.status, got.body, tc.wantStatus, tc.wantCode)
			}
			if ct := got.header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q, want application/problem+json", ct)
			}
		})
	}

	for _, coll := range []string{"bookings", "claims", "settlements", "idempotency_keys"} {
		if n := a.count(coll); n != 0 {
			t.Errorf("bad requests stored %d documents in %s", n, coll)
		}
	}
}

func TestCreateBookingRefusesHugeBody(t *testing.T) {
	a := newTestAPI(t, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	huge := fmt.Sprintf(`{"showId": %q, "seats": ["A1"], "x": "%0100000d"}`, sh.ID, 0)

	got := a.do("POST", "/api/bookings", a.token("user_dave"), huge)
	if got.status != http.StatusRequestEntityTooLarge || got.problemCode() != "body_too_large" {
		t.Errorf("got %d %s, want 413 body_too_large", got.status, got.body)
	}
}

// TestExpiredHoldFreesSeats uses a real hold of a few seconds: once it has
// run out, with no background job, a new buyer gets the seats and the old
// booking reads as expired.
func TestExpiredHoldFreesSeats(t *testing.T) {
	a := newTestAPI(t, apiOptions{hold: 3 * time.Second})
	sh := a.seedShow(24 * time.Hour)
	first, second := a.token("user_erin"), a.token("user_frank")
	body := map[string]any{"showId": sh.ID, "seats": []string{"C3", "C4"}}

	got := a.do("POST", "/api/bookings", first, body)
	if got.status != http.StatusCreated {
		t.Fatalf("first booking: got %d %s", got.status, got.body)
	}
	var held bookingBody
	got.decode(t, &held)

	if got := a.do("POST", "/api/bookings", second, body); got.status != http.StatusConflict {
		t.Fatalf("booking held seats: got %d %s, want 409", got.status, got.body)
	}

	time.Sleep(3*time.Second + 200*time.Millisecond)

	got = a.do("POST", "/api/bookings", second, body)
	if got.status != http.StatusCreated {
		t.Fatalf("booking after the hold ran out: got %d %s, want 201", got.status, got.body)
	}
	var old bookingBody
	a.do("GET", "/api/bookings/"+held.Booking.ID, first, nil).decode(t, &old)
	if old.Booking.Status != "expired" {
		t.Errorf("first booking status = %q, want expired", old.Booking.Status)
	}
	checkSeatsSoldOnce(t, a, sh.ID)
}

func TestCancelFreesSeatsAtOnce(t *testing.T) {
	a := newTestAPI(t, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	gina, hal := a.token("user_gina"), a.token("user_hal")
	body := map[string]any{"showId": sh.ID, "seats": []string{"D5"}}

	var b bookingBody
	a.do("POST", "/api/bookings", gina, body).decode(t, &b)
	if b.Booking.Amount != 1250 || b.Booking.Status != "held" {
		t.Errorf("booking = %+v, want amount 1250 and status held", b.Booking)
	}

	got := a.do("POST", "/api/bookings/"+b.Booking.ID+"/cancel", gina, nil)
	if got.status != http.StatusOK {
		t.Fatalf("cancel: got %d %s", got.status, got.body)
	}
	if got := a.do("POST", "/api/bookings/"+b.Booking.ID+"/cancel", gina, nil); got.status != 409 ||
		got.problemCode() != "booking_not_held" {
		t.Errorf("second cancel: got %d %s, want 409 booking_not_held", got.status, got.body)
	}
	if got := a.do("POST", "/api/bookings", hal, body); got.status != http.StatusCreated {
		t.Errorf("booking a cancelled seat: got %d %s, want 201", got.status, got.body)
	}
}

func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	a := newTestAPI(t, apiOptions{})
	sh := a.seedShow(24 * time.Hour)
	ivy := a.token("user_ivy")
	body := map[string]any{"showId": sh.ID, "seats": []string{"E1", "E2"}}

	var results [20]response
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			results[i] = a.do("POST", "/api/bookings", ivy, body, "Idempotency-Key", "k-1")
		})
	}
	wg.Wait()

	ids := map[string]bool{}
	for _, r := range results {
		switch r.status {
		case http.StatusCreated:
			var b bookingBody
			r.decode(t, &b)
			ids[b.Booking.ID] = true
		case http.StatusConflict:
			if r.problemCode() != "idempotency_in_progress" {
				t.Errorf("concurrent replay: got %d %s", r.status, r.body)
			}
		default:
			t.Errorf("concurrent replay: got %d %s", r.status, r.body)
		}
	}
	if len(ids) != 1 || a.count("bookings") != 1 {
		t.Errorf("20 requests with one key made bookings %v (%d stored), want exactly one",
			ids, a.count("bookings"))
	}

	again := a.do("POST", "/api/bookings", ivy, body, "Idempotency-Key", "k-1")
	if again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay: got %d %v %s", again.status, again.header, again.body)
	}
	other := map[string]any{"showId": sh.ID, "seats": []string{"E3"}}
	if got := a.do("POST", "/api/bookings", ivy, other, "Idempotency-Key", "k-1"); got.status != 422 ||
		got.problemCode() != "idempotency_key_reused" {
		t.Errorf("same key, other body: got %d %s, want 422 idempotency_key_reused", got.status, got.body)
	}

	// A first answer of 409 is replayed as 409, even after the seats free up.
	jon := a.token("user_jon")
	lost := a.do("POST", "/api/bookings", jon, body, "Idempotency-Key", "k-2")
	if lost.status != http.StatusConflict {
		t.Fatalf("jon's booking of held seats: got %d %s", lost.status, lost.body)
	}
	if got := a.do("POST", "/api/bookings", jon, body, "Idempotency-Key", "k-2"); got.status != 409 ||
		got.problemCode() != "seats_taken" {
		t.Errorf("replay of a 409: got %d %s, want 409 seats_taken", got.status, got.body)
	}
}
