package loadgen

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds limit one phase of a load run. A phase ends when it has sent
// Requests requests or when Duration has passed, whichever comes first;
// requests in flight at the deadline are waited for, each bounded by the
// client's timeout.
type Bounds struct {
	Requests int           // at most this many requests
	Duration time.Duration // no request starts after this
	Workers  int           // requests in flight at once
}

func (b Bounds) validate(name string) error {
	if b.Requests < 1 || b.Duration <= 0 || b.Workers < 1 {
		return fmt.Errorf("%s: requests, duration and workers must be positive, have %d, %v, %d",
			name, b.Requests, b.Duration, b.Workers)
	}
	return nil
}

// Phase is one finished phase of a load run.
type Phase struct {
	Name     string
	Workers  int
	Elapsed  time.Duration
	Samples  []Sample
	Expected []int // the statuses that are not errors
}

// Errors counts the samples whose status is not expected, requests that
// got no answer included.
func (p Phase) Errors() int {
	n := 0
	for _, s := range p.Samples {
		if !slices.Contains(p.Expected, s.Status) {
			n++
		}
	}
	return n
}

// phaseRun is a phase being run: do sends request i and reports it.
type phaseRun struct {
	name     string
	bounds   Bounds
	expected []int
	do       func(ctx context.Context, i int) Sample
	progress *progress
}

// run sends the phase's requests from a bounded pool of workers. It
// returns early, with the samples it has, when ctx is cancelled.
func (r phaseRun) run(ctx context.Context) Phase {
	deadline := time.Now().Add(r.bounds.Duration)
	var next, done, errs atomic.Int64
	var mu sync.Mutex
	samples := make([]Sample, 0, r.bounds.Requests)

	stop := r.progress.start(r.name, r.bounds, &done, &errs)
	started := time.Now()
	var wg sync.WaitGroup
	for range r.bounds.Workers {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				i := int(next.Add(1)) - 1
				if i >= r.bounds.Requests {
					return
				}
				s := r.do(ctx, i)
				if !slices.Contains(r.expected, s.Status) {
					errs.Add(1)
				}
				done.Add(1)
				mu.Lock()
				samples = append(samples, s)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(started)
	stop()

	return Phase{Name: r.name, Workers: r.bounds.Workers, Elapsed: elapsed, Samples: samples,
		Expected: r.expected}
}

// progress prints a line about the running phase every interval. With
// inPlace it rewrites one terminal line; otherwise it prints a new line
// each time. A nil *progress prints nothing.
type progress struct {
	w        io.Writer
	interval time.Duration
	inPlace  bool
}

// start prints progress until the returned function is called, which
// prints the final line.
func (p *progress) start(name string, b Bounds, done, errs *atomic.Int64) func() {
	if p == nil || p.w == nil {
		return func() {}
	}
	began := time.Now()
	line := func(end string) {
		elapsed := time.Since(began)
		n := done.Load()
		fmt.Fprintf(p.w, "%s%-10s %6d/%d requests  %7.1f req/s  %d errors  %5.1fs of at most %v%s",
			p.lineStart(), name, n, b.Requests, Throughput(int(n), elapsed), errs.Load(),
			elapsed.Seconds(), b.Duration, end)
	}

	quit, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(p.interval)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				line("\n")
				return
			case <-tick.C:
				line(p.lineEnd())
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}

func (p *progress) lineStart() string {
	if p.inPlace {
		return "\r\033[K" // to the start of the line, which is cleared
	}
	return ""
}

func (p *progress) lineEnd() string {
	if p.inPlace {
		return ""
	}
	return "\n"
}
