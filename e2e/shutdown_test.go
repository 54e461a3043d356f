package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/loadgen"
)

// TestSIGTERMFinishesRequestsInFlight sends SIGTERM to the server binary
// while bookings are in flight: some are being handled, waiting for the
// rest of their bodies, and a rush races the signal. The server must stop
// accepting, finish every request it had begun, close its database and
// exit 0; started again on the same data, it must hold exactly what it
// answered, with nothing half done.
func TestSIGTERMFinishesRequestsInFlight(t *testing.T) {
	dataDir := t.TempDir()
	// Generous limits: this test must not depend on the machine's speed.
	limits := []string{"HTTP_READ_TIMEOUT=2m", "HTTP_WRITE_TIMEOUT=3m", "HTTP_REQUEST_TIMEOUT=2m",
		"SHUTDOWN_TIMEOUT=2m"}
	n := startNode(t, dataDir, "", limits...)
	showID := n.scheduleShow(t)

	var slow []*slowBooking
	for i := range 6 {
		o := order{userID: fmt.Sprintf("user_slow_%d", i), seats: []string{fmt.Sprintf("E%d", i+1)}}
		slow = append(slow, startSlowBooking(t, n, showID, o))
	}
	rushed := make(chan []loadgen.Answer, 1)
	go func() { rushed <- rush(t, []*node{n}, showID, rushOrders("term", 40)) }()
	// Signal once the rush is being answered, so that it races the signal.
	waitFor(t, time.Minute, "the first answer to the rush", func() bool {
		return n.logged("route=/api/bookings")
	})

	if err := n.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("send SIGTERM: %v", err)
	}
	waitFor(t, time.Minute, "the server to log that it is shutting down", func() bool {
		return n.logged("shutting down")
	})
	waitFor(t, time.Minute, "the server to refuse new connections", func() bool {
		c, err := net.Dial("tcp", n.addr())
		if err == nil {
			c.Close()
		}
		return err != nil
	})

	var answers []loadgen.Answer
	for _, s := range slow {
		an := s.finish(t)
		if an.Status != http.StatusCreated {
			t.Errorf("booking of %s in flight at SIGTERM: status %d, want 201", an.UserID, an.Status)
		}
		answers = append(answers, an)
	}
	rushAnswers := <-rushed
	if !only(rushAnswers, 0, http.StatusCreated, http.StatusConflict) {
		t.Errorf("rush racing SIGTERM, answers by status: %v; want 201, 409, or no connection",
			statuses(rushAnswers))
	}
	answers = append(answers, rushAnswers...)

	if err := n.wait(t, 3*time.Minute); err != nil {
		t.Errorf("server after SIGTERM: %v, want exit status 0", err)
	}
	if !n.logged(`"msg":"stopped"`) && !n.logged("msg=stopped") {
		t.Errorf("the server did not log that it stopped")
	}

	again := startNode(t, dataDir, "")
	checkStored(t, connectDB(t, again.logPath), showID, answers, again.takenSeats(t, showID))
	t.Logf("SIGTERM during %d bookings in flight and a rush (answers by status %v): all finished",
		len(slow), statuses(rushAnswers))
}

// slowBooking is a booking request the server is handling, its handler
// waiting for the body.
type slowBooking struct {
	o    order
	conn net.Conn
	r    *bufio.Reader
	body []byte
}

// startSlowBooking sends the headers of a booking with "Expect:
// 100-continue" and waits for the server's 100 Continue, which net/http
// sends when the handler starts reading the body: from then on the request
// is in flight.
func startSlowBooking(t *testing.T, n *node, showID string, o order) *slowBooking {
	t.Helper()
	conn, err := net.Dial("tcp", n.addr())
	if err != nil {
		t.Fatalf("dial %s: %v", n.addr(), err)
	}
	t.Cleanup(func() { conn.Close() })
	body, _ := json.Marshal(map[string]any{"showId": showID, "seats": o.seats})

	head := strings.Join([]string{
		"POST /api/bookings HTTP/1.1",
		"Host: " + n.addr(),
		"Authorization: Bearer " + n.token(t, o.userID),
		"Content-Type: application/json",
		fmt.Sprintf("Content-Length: %d", len(body)),
		"Expect: 100-continue",
		"", "",
	}, "\r\n")
	if _, err := conn.Write([]byte(head)); err != nil {
		t.Fatalf("send the headers of %s's booking: %v", o.userID, err)
	}

	s := &slowBooking{o: o, conn: conn, r: bufio.NewReader(conn), body: body}
	resp, err := http.ReadResponse(s.r, nil)
	if err != nil || resp.StatusCode != http.StatusContinue {
		t.Fatalf("%s's booking: got %v, %v; want 100 Continue", o.userID, resp, err)
	}
	return s
}

// finish sends the body and reads the answer.
func (s *slowBooking) finish(t *testing.T) loadgen.Answer {
	t.Helper()
	an := loadgen.Answer{UserID: s.o.userID, Seats: s.o.seats}
	if _, err := s.conn.Write(s.body); err != nil {
		t.Errorf("send the body of %s's booking: %v", s.o.userID, err)
		return an
	}
	resp, err := http.ReadResponse(s.r, nil)
	if err != nil {
		t.Errorf("read the answer to %s's booking: %v", s.o.userID, err)
		return an
	}
	defer resp.Body.Close()

	an.Status = resp.StatusCode
	var out struct{ Booking struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Errorf("decode the answer to %s's booking: %v", s.o.userID, err)
	}
	an.BookingID = out.Booking.ID
	return an
}
