package webhook_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/jobs"
	"github.com/marquee-hq/marquee/internal/jobs/jobstest"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
	"github.com/marquee-hq/marquee/internal/webhook"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

// BenchmarkClerkAck measures how long the Clerk webhook takes to answer a
// new delivery: verify the Svix signature, record the delivery in the
// embedded FerretDB, send the event to the real Inngest Dev Server and mark
// the delivery sent. It reports the median and 99th percentile.
func BenchmarkClerkAck(b *testing.B) {
	dev := jobstest.New(b)
	client, err := jobs.NewClient(jobs.ClientOptions{
		AppID:   "marquee-bench",
		Dev:     true,
		BaseURL: dev.URL,
		Logger:  slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	// The app serves no function, so the Dev Server only takes in events
	// and runs nothing beside the measurement.
	app := httptest.NewServer(client.Handler())
	b.Cleanup(app.Close)
	dev.Start(b, app.URL)

	secret := webhooktest.NewSecret()
	h, err := webhook.NewClerkHandler(webhook.Options{
		Secret:     secret,
		Deliveries: mongostore.NewDeliveries(mongotest.NewDatabase(b)),
		Events:     client,
		Logger:     slog.New(slog.DiscardHandler),
	})
	if err != nil {
		b.Fatal(err)
	}
	body := webhooktest.Clerk(b, "ada_user_created")

	var took []time.Duration
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, "/api/webhooks/clerk", bytes.NewReader(body))
		req.Header = webhooktest.Headers(b, secret, webhooktest.NewDeliveryID(), time.Now(), body)
		rec := httptest.NewRecorder()

		start := time.Now()
		h.ServeHTTP(rec, req)
		took = append(took, time.Since(start))

		if rec.Code != http.StatusOK {
			b.Fatalf("answer %d %s, want 200", rec.Code, rec.Body)
		}
	}

	slices.Sort(took)
	b.ReportMetric(percentile(took, 0.50), "p50-ms")
	b.ReportMetric(percentile(took, 0.99), "p99-ms")
}

// percentile returns the p-th percentile of sorted durations, in
// milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(int(float64(len(sorted))*p), len(sorted)-1)
	return float64(sorted[i]) / float64(time.Millisecond)
}
