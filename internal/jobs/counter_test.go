package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/marquee-hq/marquee/internal/jobs"
)

// sends is a SendCounter that remembers every count.
type sends struct {
	mu      sync.Mutex
	results []string
}

func (s *sends) InngestSend(result string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results = append(s.results, result)
}

func TestSendsAreCounted(t *testing.T) {
	t.Parallel()
	// The event API accepts the first event and refuses the second as
	// malformed, which the SDK does not retry.
	var calls int
	var mu sync.Mutex
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		calls++
		w.Header().Set("Content-Type", "application/json")
		if calls > 1 {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"error":"bad event","status":400}`)
			return
		}
		_, _ = io.WriteString(w, `{"ids":["01JFEVENT"],"status":200}`)
	}))
	t.Cleanup(api.Close)

	counted := &sends{}
	client, err := jobs.NewClient(jobs.ClientOptions{
		AppID: "marquee-test", Dev: true, BaseURL: api.URL,
		Logger: slog.New(slog.DiscardHandler), Metrics: counted,
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx := context.Background()
	e := jobs.Event{ID: "evt-1", Name: jobs.EventClerkUserCreated, Data: map[string]any{"id": "user_1"}}
	if err := client.Send(ctx, e); err != nil {
		t.Fatalf("Send to an accepting event API: %v", err)
	}
	e.ID = "evt-2"
	if err := client.Send(ctx, e); err == nil {
		t.Fatalf("Send to a refusing event API: nil error")
	}

	if want := []string{"sent", "failed"}; !slices.Equal(counted.results, want) {
		t.Errorf("counted %q, want %q", counted.results, want)
	}
}
