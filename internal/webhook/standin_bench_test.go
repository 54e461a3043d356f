package webhook_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

// BenchmarkClerkAckStandIn measures what BenchmarkClerkAck measures, with
// the in-process stand-in for Inngest's event API in place of the Dev
// Server: verify the Svix signature, record the delivery in the embedded
// FerretDB, send the event over loopback HTTP and mark the delivery sent.
// It needs no bin/inngest, and leaves out the Dev Server's own time.
func BenchmarkClerkAckStandIn(b *testing.B) {
	h := newHarness(b)
	body := webhooktest.Clerk(b, "ada_user_created")

	var took []time.Duration
	for b.Loop() {
		b.StopTimer()
		header := webhooktest.Headers(b, h.secret, webhooktest.NewDeliveryID(), time.Now(), body)
		b.StartTimer()

		start := time.Now()
		rec := h.post(b, header, body)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("answer %d %s, want 200", rec.Code, rec.Body)
		}
	}

	if got := len(h.events.received()); got != len(took) {
		b.Errorf("the event API received %d events for %d deliveries", got, len(took))
	}
	slices.Sort(took)
	b.ReportMetric(percentile(took, 0.50), "p50-ms")
	b.ReportMetric(percentile(took, 0.99), "p99-ms")
}
