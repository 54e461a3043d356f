package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/clerk"
	"github.com/marquee-hq/marquee/internal/jobs/jobstest"
	"github.com/marquee-hq/marquee/internal/loadgen"
)

// node is one process of the server binary without the Inngest Dev Server,
// for the tests of how the server behaves in operation: shutdown, a
// database that goes away, several copies on one database.
type node struct {
	*stack // URL, key and log, for call and token; no Dev Server
	cmd    *exec.Cmd
}

// startNode starts the server binary in development mode on a free port,
// trusting the demo key in dataDir, and waits until it answers /healthz.
// With mongoURI empty it runs the embedded database in dataDir; nodes
// given one dataDir and one mongoURI share the key and the database.
// extraEnv adds or overrides variables.
func startNode(t *testing.T, dataDir, mongoURI string, extraEnv ...string) *node {
	t.Helper()
	key, _, err := clerk.LoadOrCreateDevKey(dataDir)
	if err != nil {
		t.Fatalf("LoadOrCreateDevKey: %v", err)
	}

	port := strconv.Itoa(jobstest.FreePort(t))
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"APP_ENV=development",
		"PORT=" + port,
		"DATA_DIR=" + dataDir,
		"MONGODB_URI=" + mongoURI,
		"MONGODB_DATABASE=" + database,
		"CLERK_DEV_KEYS=true",
		"ADMIN_USER_IDS=" + adminID,
		"LOG_LEVEL=info",
		// Every request of these tests comes from 127.0.0.1.
		"RATE_LIMIT_PUBLIC=100000",
	}
	n := &node{stack: &stack{URL: "http://127.0.0.1:" + port, key: key,
		logPath: filepath.Join(t.TempDir(), "server.log")}}
	n.cmd = startServer(t, serverBinary(t), append(env, extraEnv...), n.logPath)
	n.waitHealthy(t, n.logPath)
	return n
}

// addr is the node's host and port, for raw connections.
func (n *node) addr() string { return strings.TrimPrefix(n.URL, "http://") }

// wait waits for the node's process to end and returns its exit error.
func (n *node) wait(t *testing.T, limit time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- n.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("the server did not exit within %v", limit)
		return nil
	}
}

// order is one buyer's request in a booking rush.
type order struct {
	userID string
	seats  []string
}

// rushOrders makes n buyers asking for two seats each of the first row
// pairs of a 9-seat row, so that most of them want a seat someone else
// wants too.
func rushOrders(prefix string, n int) []order {
	orders := make([]order, n)
	for i := range orders {
		row := string(rune('A' + i%3))
		first := 1 + i%8
		orders[i] = order{
			userID: fmt.Sprintf("user_%s_%02d", prefix, i),
			seats:  []string{row + strconv.Itoa(first), row + strconv.Itoa(first+1)},
		}
	}
	return orders
}

// rush sends every order at once, the i-th to nodes[i%len(nodes)], each on
// a connection of its own, and returns what each buyer was told. A request
// that never reached a server has status 0.
func rush(t *testing.T, nodes []*node, showID string, orders []order) []loadgen.Answer {
	t.Helper()
	client := &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{DisableKeepAlives: true},
	}
	answers := make([]loadgen.Answer, len(orders))
	var wg sync.WaitGroup
	for i, o := range orders {
		wg.Go(func() {
			answers[i] = book(t, client, nodes[i%len(nodes)], showID, o)
		})
	}
	wg.Wait()
	return answers
}

// book sends one order and returns the answer.
func book(t *testing.T, client *http.Client, n *node, showID string, o order) loadgen.Answer {
	body, _ := json.Marshal(map[string]any{"showId": showID, "seats": o.seats})
	req, err := http.NewRequest(http.MethodPost, n.URL+"/api/bookings", bytes.NewReader(body))
	if err != nil {
		t.Error(err)
		return loadgen.Answer{}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+n.token(t, o.userID))

	an := loadgen.Answer{UserID: o.userID, Seats: o.seats}
	resp, err := client.Do(req)
	if err != nil {
		return an
	}
	defer resp.Body.Close()
	an.Status = resp.StatusCode
	var out struct{ Booking struct{ ID string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err == nil {
		an.BookingID = out.Booking.ID
	}
	return an
}

// checkStored reads what the database holds about a show and fails on every
// broken booking rule (see loadgen.Check), and when a booking is stored
// that no buyer was told about: a request that did not get its answer must
// leave nothing behind.
func checkStored(t *testing.T, db *mongo.Database, showID string, answers []loadgen.Answer,
	seatMap []string) {
	t.Helper()
	stored, err := loadgen.ReadStored(context.Background(), db, showID)
	if err != nil {
		t.Fatalf("read what is stored of show %s: %v", showID, err)
	}
	for _, v := range loadgen.Check(stored, answers, seatMap, time.Now()) {
		t.Errorf("%s", v)
	}

	told := map[string]bool{}
	for _, an := range answers {
		told[an.BookingID] = an.Status == http.StatusCreated
	}
	for _, b := range stored.Bookings {
		if !told[b.ID] {
			t.Errorf("booking %s of %s (%v) is stored, but no buyer was answered 201 with it",
				b.ID, b.UserID, b.Seats)
		}
	}
}

// statuses counts answers by status, for failure messages and logs.
func statuses(answers []loadgen.Answer) map[int]int {
	out := map[int]int{}
	for _, an := range answers {
		out[an.Status]++
	}
	return out
}

// only reports whether every answer has one of the statuses.
func only(answers []loadgen.Answer, want ...int) bool {
	for _, an := range answers {
		if !slices.Contains(want, an.Status) {
			return false
		}
	}
	return true
}
