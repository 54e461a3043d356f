package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/ferret"
	"github.com/marquee-hq/marquee/internal/loadgen"
	"github.com/marquee-hq/marquee/internal/mongostore"
)

// TestDatabaseOutage puts a TCP proxy between the server binary and its
// database and cuts it: requests that need the database must answer 503
// problem+json in seconds, /readyz 503 and /healthz 200; once the proxy is
// back, the server must serve again without a restart. The times measured
// are logged, not judged.
func TestDatabaseOutage(t *testing.T) {
	fdb, err := ferret.Start(context.Background(), t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("start FerretDB: %v", err)
	}
	t.Cleanup(fdb.Close)
	p := startProxy(t, fdb.URI())
	n := startNode(t, t.TempDir(), "mongodb://"+p.addr+"/")
	showID := n.scheduleShow(t)
	order := map[string]any{"showId": showID, "seats": []string{"C3"}}

	checkAnswer(t, n.probe(t, "GET", "/readyz", "", nil), http.StatusOK, "")

	p.cut()
	for _, r := range []struct{ method, path, user string }{
		{"GET", "/api/movies", ""},
		{"GET", "/api/shows/" + showID, ""},
		{"GET", "/api/shows/" + showID + "/seats", ""},
		{"POST", "/api/bookings", "user_outage_0"},
		{"GET", "/readyz", ""},
	} {
		var body any
		if r.method == "POST" {
			body = order
		}
		got := n.probe(t, r.method, r.path, r.user, body)
		checkAnswer(t, got, http.StatusServiceUnavailable, "unavailable")
		t.Logf("database down: %s %s answered %d in %v", r.method, r.path, got.status, got.took)
	}
	checkAnswer(t, n.probe(t, "GET", "/healthz", "", nil), http.StatusOK, "")

	p.restore(t)
	back := time.Now()
	waitFor(t, time.Minute, "/readyz to answer 200 again", func() bool {
		return n.probe(t, "GET", "/readyz", "", nil).status == http.StatusOK
	})
	t.Logf("database back: /readyz answered 200 %v after the proxy reopened", time.Since(back))

	booked := n.probe(t, "POST", "/api/bookings", "user_outage_1", order)
	checkAnswer(t, booked, http.StatusCreated, "")
	t.Logf("database back: first booking answered 201 %v after the proxy reopened", time.Since(back))

	metrics := n.probe(t, "GET", "/metrics", "", nil)
	for _, want := range []string{
		`marquee_database_errors_total{kind="heartbeat"}`,
		`marquee_http_requests_total{method="GET",route="/readyz",status="503"}`,
	} {
		if !bytes.Contains(metrics.body, []byte(want)) {
			t.Errorf("/metrics after the outage lacks %s", want)
		}
	}

	// The booking refused while the database was down left nothing.
	answers := []loadgen.Answer{
		{UserID: "user_outage_0", Seats: []string{"C3"}, Status: http.StatusServiceUnavailable},
		{UserID: "user_outage_1", Seats: []string{"C3"}, Status: booked.status, BookingID: booked.bookingID()},
	}
	client, err := mongostore.Connect(context.Background(), fdb.URI())
	if err != nil {
		t.Fatalf("connect to FerretDB: %v", err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	checkStored(t, client.Database(database), showID, answers, n.takenSeats(t, showID))
}

// answer is what one request got, and how long it took.
type answer struct {
	status      int
	contentType string
	code        string
	body        []byte
	took        time.Duration
}

func (a answer) bookingID() string {
	var out struct{ Booking struct{ ID string } }
	_ = json.Unmarshal(a.body, &out)
	return out.Booking.ID
}

// probe sends one request as userID (none if empty) on a connection of its
// own.
func (n *node) probe(t *testing.T, method, path, userID string, body any) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, n.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if userID != "" {
		req.Header.Set("Authorization", "Bearer "+n.token(t, userID))
	}

	client := &http.Client{Timeout: 2 * time.Minute, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: raw,
		took: time.Since(start)}
	var p struct{ Code string }
	if json.Unmarshal(raw, &p) == nil {
		a.code = p.Code
	}
	return a
}

// checkAnswer fails unless got has the status, and for an error the
// problem code.
func checkAnswer(t *testing.T, got answer, status int, code string) {
	t.Helper()
	if got.status != status {
		t.Errorf("got %d %s, want %d", got.status, got.body, status)
		return
	}
	if code != "" && (got.code != code || got.contentType != "application/problem+json") {
		t.Errorf("got %d %s (%s), want a problem with code %q", got.status, got.body, got.contentType, code)
	}
}

// proxy forwards loopback TCP connections to a target until it is cut.
type proxy struct {
	addr   string // where it listens, the same after a restore
	target string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
}

// startProxy listens on a free loopback port and forwards to the host and
// port of the MongoDB URI target.
func startProxy(t *testing.T, targetURI string) *proxy {
	t.Helper()
	host, _, _ := strings.Cut(strings.TrimPrefix(targetURI, "mongodb://"), "/")
	p := &proxy{addr: "127.0.0.1:0", target: host}
	p.restore(t)
	t.Cleanup(p.cut)
	return p
}

// restore listens again, on the same address once it has one.
func (p *proxy) restore(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy: listen on %s: %v", p.addr, err)
	}
	p.mu.Lock()
	p.ln, p.addr, p.conns = ln, ln.Addr().String(), map[net.Conn]bool{}
	p.mu.Unlock()
	go p.accept(ln)
}

// cut stops listening and breaks every connection, as a network failure
// between the server and its database would.
func (p *proxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) accept(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *proxy) forward(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(c, up) {
		return
	}
	go func() {
		_, _ = io.Copy(up, c)
		up.Close()
	}()
	_, _ = io.Copy(c, up)
	c.Close()
}

// track records open connections so that cut can break them; it closes
// them at once and reports false when the proxy is cut already.
func (p *proxy) track(conns ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.conns == nil {
		for _, c := range conns {
			c.Close()
		}
		return false
	}
	for _, c := range conns {
		p.conns[c] = true
	}
	return true
}
