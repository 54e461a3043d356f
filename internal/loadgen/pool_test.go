package loadgen

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gauge tracks how many calls run at once, and the most it saw.
type gauge struct {
	now, peak atomic.Int64
}

func (g *gauge) enter() {
	n := g.now.Add(1)
	for {
		p := g.peak.Load()
		if n <= p || g.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (g *gauge) leave() { g.now.Add(-1) }

func TestPhaseStopsAtItsRequests(t *testing.T) {
	t.Parallel()
	var g gauge
	var mu sync.Mutex
	seen := map[int]bool{}
	r := phaseRun{
		name:     "test",
		bounds:   Bounds{Requests: 50, Duration: time.Minute, Workers: 4},
		expected: []int{200},
		do: func(_ context.Context, i int) Sample {
			g.enter()
			defer g.leave()
			time.Sleep(time.Millisecond)
			mu.Lock()
			seen[i] = true
			mu.Unlock()
			status := 200
			if i%10 == 0 {
				status = 500
			}
			return Sample{Route: "GET /x", Status: status, Latency: time.Millisecond}
		},
	}

	p := r.run(context.Background())
	if len(p.Samples) != 50 || len(seen) != 50 {
		t.Errorf("run sent %d requests (%d distinct), want 50", len(p.Samples), len(seen))
	}
	if peak := g.peak.Load(); peak > 4 {
		t.Errorf("%d requests were in flight at once, want at most 4 workers", peak)
	}
	if got := p.Errors(); got != 5 {
		t.Errorf("Errors() = %d, want the 5 answers of 500", got)
	}
}

func TestPhaseStopsAtItsDuration(t *testing.T) {
	t.Parallel()
	r := phaseRun{
		name:   "test",
		bounds: Bounds{Requests: 1_000_000, Duration: 200 * time.Millisecond, Workers: 2},
		do: func(context.Context, int) Sample {
			time.Sleep(10 * time.Millisecond)
			return Sample{Status: 200}
		},
	}

	start := time.Now()
	p := r.run(context.Background())
	// Each worker may start one request just before the deadline.
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("run took %v, want it to stop soon after its 200ms", took)
	}
	if n := len(p.Samples); n == 0 || n > 2*200/10+2 {
		t.Errorf("run sent %d requests in 200ms from 2 workers taking 10ms each", n)
	}
}

func TestPhaseStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int64
	r := phaseRun{
		name:   "test",
		bounds: Bounds{Requests: 1000, Duration: time.Minute, Workers: 3},
		do: func(context.Context, int) Sample {
			if calls.Add(1) == 10 {
				cancel()
			}
			return Sample{Status: 200}
		},
	}

	p := r.run(ctx)
	if n := len(p.Samples); n < 10 || n > 12 {
		t.Errorf("run sent %d requests after being cancelled at the 10th, want 10 to 12", n)
	}
}

func TestProgressLines(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	r := phaseRun{
		name:     "reads",
		bounds:   Bounds{Requests: 30, Duration: time.Minute, Workers: 1},
		expected: []int{200},
		progress: &progress{w: lockedWriter{&mu, &buf}, interval: 20 * time.Millisecond},
		do: func(context.Context, int) Sample {
			time.Sleep(5 * time.Millisecond)
			return Sample{Status: 200}
		},
	}
	r.run(context.Background())

	mu.Lock()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	mu.Unlock()
	if len(lines) < 2 {
		t.Fatalf("progress printed %q, want a line per tick and a last one", lines)
	}
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "reads") || !strings.Contains(last, "30/30 requests") ||
		!strings.Contains(last, "0 errors") {
		t.Errorf("last progress line = %q, want the phase, 30/30 requests and 0 errors", last)
	}
}

type lockedWriter struct {
	mu  *sync.Mutex
	buf *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}
