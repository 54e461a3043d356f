package webhook_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/marquee-hq/marquee/internal/jobs"
	"github.com/marquee-hq/marquee/internal/webhook"
	"github.com/marquee-hq/marquee/internal/webhook/webhooktest"
)

// tally is a DeliveryCounter that remembers every count.
type tally struct {
	mu     sync.Mutex
	counts []string
}

func (c *tally) WebhookDelivery(source, result string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts = append(c.counts, source+" "+result)
}

// refusingSender fails the test if anything gets as far as being sent.
type refusingSender struct{ t *testing.T }

func (s refusingSender) Send(context.Context, jobs.Event) error {
	s.t.Errorf("a refused delivery was sent")
	return nil
}

// TestRefusedDeliveriesAreCounted posts deliveries that fail before the
// database is touched and checks each is counted under its problem code.
func TestRefusedDeliveriesAreCounted(t *testing.T) {
	t.Parallel()
	counts := &tally{}
	secret := webhooktest.NewSecret()
	clerk, err := webhook.NewClerkHandler(webhook.Options{
		Secret: secret, Events: refusingSender{t}, Logger: slog.New(slog.DiscardHandler), Metrics: counts,
	})
	if err != nil {
		t.Fatal(err)
	}
	stripe := webhook.NewStripeHandler(webhook.Options{
		Secret: "whsec_made_up", Events: refusingSender{t}, Logger: slog.New(slog.DiscardHandler),
		Metrics: counts,
	})

	post := func(h http.Handler, req *http.Request) {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	unsigned := func() *http.Request {
		return httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"type":"user.created"}`))
	}
	post(clerk, unsigned())
	forged := webhooktest.NewRequest(t, "http://example.test/api/webhooks/clerk", webhooktest.NewSecret(),
		webhooktest.NewDeliveryID(), []byte(`{"type":"user.created","data":{}}`))
	post(clerk, forged)
	post(stripe, unsigned())

	want := []string{"clerk missing_signature", "clerk invalid_signature", "stripe missing_signature"}
	if strings.Join(counts.counts, ",") != strings.Join(want, ",") {
		t.Errorf("counted %q, want %q", counts.counts, want)
	}
}
