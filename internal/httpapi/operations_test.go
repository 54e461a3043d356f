package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/dependency"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/metrics"
)

func TestReadyz(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		ping       error
		wantStatus int
		wantCode   string
	}{
		{"database answers", nil, http.StatusOK, ""},
		{"database down", dependency.Unavailable(errors.New("connection refused")),
			http.StatusServiceUnavailable, "unavailable"},
		{"ping fails otherwise", errors.New("auth failed"), http.StatusServiceUnavailable, "unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var deadline bool
			ready := func(ctx context.Context) error {
				_, deadline = ctx.Deadline()
				return tc.ping
			}
			a := newTestAPI(t, apiOptions{ready: ready})

			got := a.do("GET", "/readyz", "", nil)
			if got.status != tc.wantStatus || got.problemCode() != tc.wantCode {
				t.Errorf("GET /readyz: got %d %s, want %d %q", got.status, got.body, tc.wantStatus, tc.wantCode)
			}
			if !deadline {
				t.Errorf("GET /readyz pinged without a deadline")
			}
			if got := a.do("GET", "/healthz", "", nil); got.status != http.StatusOK {
				t.Errorf("GET /healthz: got %d %s, want 200 whatever the database does", got.status, got.body)
			}
		})
	}
}

func TestMetricsCountRequestsByRouteAndBookingsByOutcome(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{metrics: metrics.New()})
	sh := a.seedShow(24 * time.Hour)
	ann, ben := a.token("user_ann"), a.token("user_ben")
	body := map[string]any{"showId": sh.ID, "seats": []string{"A1"}}

	a.do("POST", "/api/bookings", ann, body)
	a.do("POST", "/api/bookings", ben, body)
	a.do("GET", "/api/shows/"+sh.ID, "", nil)
	a.do("GET", "/api/shows/no-such-show", "", nil)

	got := a.do("GET", "/metrics", "", nil)
	if got.status != http.StatusOK {
		t.Fatalf("GET /metrics: got %d %s", got.status, got.body)
	}
	for _, want := range []string{
		`marquee_http_requests_total{method="POST",route="/api/bookings",status="201"} 1`,
		`marquee_http_requests_total{method="POST",route="/api/bookings",status="409"} 1`,
		`marquee_http_requests_total{method="GET",route="/api/shows/{showId}",status="200"} 1`,
		`marquee_http_requests_total{method="GET",route="/api/shows/{showId}",status="404"} 1`,
		`marquee_http_request_duration_seconds_bucket{method="GET",route="/api/shows/{showId}",status="200",le="+Inf"} 1`,
		`marquee_bookings_total{outcome="held"} 1`,
		`marquee_bookings_total{outcome="seats_taken"} 1`,
	} {
		if !bytes.Contains(got.body, []byte(want)) {
			t.Errorf("GET /metrics does not contain %s", want)
		}
	}
	if bytes.Contains(got.body, []byte(sh.ID)) {
		t.Errorf("GET /metrics holds the raw show id %s; routes must be patterns", sh.ID)
	}
}

func TestMetricsToken(t *testing.T) {
	t.Parallel()
	a := newTestAPI(t, apiOptions{metrics: metrics.New(), metricsToken: "scrape-secret"})

	for _, tc := range []struct {
		name, token string
		want        int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "scrape-guess", http.StatusUnauthorized},
		{"a user's session token", a.token("user_ann"), http.StatusUnauthorized},
		{"the token", "scrape-secret", http.StatusOK},
	} {
		got := a.do("GET", "/metrics", tc.token, nil)
		if got.status != tc.want {
			t.Errorf("GET /metrics with %s: got %d %s, want %d", tc.name, got.status, got.body, tc.want)
		}
		if got.status == http.StatusUnauthorized && got.header.Get("WWW-Authenticate") == "" {
			t.Errorf("GET /metrics with %s: 401 without WWW-Authenticate", tc.name)
		}
	}
}

// TestRequestsHaveADeadline checks that handlers, and so the database and
// outbound calls they make, work under the configured deadline.
func TestRequestsHaveADeadline(t *testing.T) {
	t.Parallel()
	probe := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deadline, ok := r.Context().Deadline()
		if !ok || time.Until(deadline) > 7*time.Second {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	a := newTestAPI(t, apiOptions{
		limits: httpapi.Limits{RequestTimeout: 7 * time.Second},
		mounts: []httpapi.Mount{{Owner: httpapi.OwnerPublic, Methods: []string{"GET"},
			Pattern: "/probe", Handler: probe}},
	})

	if got := a.do("GET", "/probe", "", nil); got.status != http.StatusNoContent {
		t.Errorf("GET /probe: got %d, want 204 (a deadline of at most 7s)", got.status)
	}
}

// logBuffer collects JSON log lines, safe for the server's goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns every line logged so far, decoded.
func (b *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for line := range strings.Lines(b.buf.String()) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestAccessLogLineAndErrorsLoggedOnce(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	failing := func(context.Context) error { return dependency.Unavailable(errors.New("no route to host")) }
	a := newTestAPI(t, apiOptions{
		logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		ready:  failing,
	})
	sh := a.seedShow(24 * time.Hour)
	token := a.token("user_cleo")

	made := a.do("POST", "/api/bookings", token, map[string]any{"showId": sh.ID, "seats": []string{"B2"}},
		"X-Request-Id", "req-cleo-1")
	var b bookingBody
	made.decode(t, &b)
	a.do("GET", "/readyz", "", nil, "X-Request-Id", "req-ready-1")

	byRequest := map[string][]map[string]any{}
	for _, l := range logs.lines(t) {
		id, _ := l["request_id"].(string)
		byRequest[id] = append(byRequest[id], l)
	}

	booking := byRequest["req-cleo-1"]
	if len(booking) != 1 {
		t.Fatalf("booking request logged %d lines, want 1: %v", len(booking), booking)
	}
	line := booking[0]
	for key, want := range map[string]any{
		"msg": "request", "method": "POST", "route": "/api/bookings", "status": 201.0, "user_id": "user_cleo",
	} {
		if line[key] != want {
			t.Errorf("access line %s = %v, want %v (line %v)", key, line[key], want, line)
		}
	}
	if _, ok := line["duration"]; !ok {
		t.Errorf("access line has no duration: %v", line)
	}

	// The failed readiness check: one warning where it was handled (a
	// dependency is down: 503), and the access line.
	var levels []string
	for _, l := range byRequest["req-ready-1"] {
		levels = append(levels, l["level"].(string)+" "+l["msg"].(string))
	}
	if want := []string{"WARN request failed", "INFO request"}; !slices.Equal(levels, want) {
		t.Errorf("failed /readyz logged %q, want %q", levels, want)
	}

	for _, l := range logs.lines(t) {
		if text := fmt.Sprint(l); strings.Contains(text, token) || strings.Contains(text, "Bearer") {
			t.Errorf("a log line holds the session token: %v", l)
		}
	}
}

// TestRequestIDFromClientIsBounded checks which X-Request-Id values the
// request log takes from a client: a short printable one is kept, any
// other is replaced by an id of the server's.
func TestRequestIDFromClientIsBounded(t *testing.T) {
	t.Parallel()
	logs := &logBuffer{}
	a := newTestAPI(t, apiOptions{logger: slog.New(slog.NewJSONHandler(logs, nil))})

	for _, tc := range []struct {
		name, id string
		wantKept bool
	}{
		{"short", "req-42", true},
		{"uuid", "0b8f3c1e-7d2a-4c5b-9e61-2f4a8d0c7b93", true},
		{"punctuation", "trace=abc;span=1/2", true},
		{"128 characters", strings.Repeat("a", 128), true},
		{"129 characters", strings.Repeat("a", 129), false},
		{"64 kilobytes", strings.Repeat("a", 64<<10), false},
		{"inner space", "req 42", false},
		{"tab", "req\t42", false},
		{"not ASCII", "req-é", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := a.do("GET", "/healthz", "", nil, "X-Request-Id", tc.id); got.status != http.StatusOK {
				t.Fatalf("GET /healthz: got %d %s", got.status, got.body)
			}
			lines := logs.lines(t)
			last := lines[len(lines)-1]
			if last["msg"] != "request" {
				t.Fatalf("last log line %v is not the access line", last)
			}
			logged, _ := last["request_id"].(string)
			if kept := logged == tc.id; kept != tc.wantKept || logged == "" {
				t.Errorf("X-Request-Id of %d bytes logged as %.40q, want it kept: %v",
					len(tc.id), logged, tc.wantKept)
			}
		})
	}
}
