package metrics_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/metrics"
)

// scrape returns what the registry's handler serves.
func scrape(t *testing.T, r *metrics.Registry) string {
	t.Helper()
	rec := httptest.NewRecorder()
	r.Handler(nil).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status %d, want 200", rec.Code)
	}
	body, err := io.ReadAll(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestRegistryServesWhatWasRecorded(t *testing.T) {
	t.Parallel()
	r := metrics.New()
	r.Request(http.MethodGet, "/api/shows/{showId}", 200, 30*time.Millisecond)
	r.Request(http.MethodGet, "/api/shows/{showId}", 200, 40*time.Millisecond)
	r.Request("BREW", "unmatched", 405, time.Millisecond)
	r.Booking("held")
	r.WebhookDelivery("clerk", "accepted")
	r.InngestSend("failed")
	r.DatabaseError("timeout")

	got := scrape(t, r)
	for _, want := range []string{
		`marquee_http_requests_total{method="GET",route="/api/shows/{showId}",status="200"} 2`,
		`marquee_http_requests_total{method="other",route="unmatched",status="405"} 1`,
		`marquee_http_request_duration_seconds_count{method="GET",route="/api/shows/{showId}",status="200"} 2`,
		`marquee_bookings_total{outcome="held"} 1`,
		`marquee_webhook_deliveries_total{result="accepted",source="clerk"} 1`,
		`marquee_inngest_sends_total{result="failed"} 1`,
		`marquee_database_errors_total{kind="timeout"} 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("GET /metrics does not contain %q", want)
		}
	}
}

// TestRegistriesAreIndependent makes two registries, as two servers in one
// test process would: neither panics on registration or sees the other's
// counts.
func TestRegistriesAreIndependent(t *testing.T) {
	t.Parallel()
	a, b := metrics.New(), metrics.New()
	a.Booking("held")

	if got := scrape(t, b); strings.Contains(got, `marquee_bookings_total{outcome="held"}`) {
		t.Errorf("second registry serves a booking recorded in the first")
	}
}
