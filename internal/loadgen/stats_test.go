package loadgen

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPercentile(t *testing.T) {
	t.Parallel()
	ms := func(ns ...int) []time.Duration {
		d := make([]time.Duration, len(ns))
		for i, n := range ns {
			d[i] = time.Duration(n) * time.Millisecond
		}
		return d
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1 // 1ms to 100ms
	}

	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one", ms(7), 50, 7 * time.Millisecond},
		{"one at p99", ms(7), 99, 7 * time.Millisecond},
		{"p0 is the smallest", ms(1, 2, 3), 0, 1 * time.Millisecond},
		{"p100 is the largest", ms(1, 2, 3), 100, 3 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"median of five is the third", ms(1, 2, 3, 4, 5), 50, 3 * time.Millisecond},
		{"p50 of 1..100", ms(hundred...), 50, 50 * time.Millisecond},
		{"p90 of 1..100", ms(hundred...), 90, 90 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 99, 99 * time.Millisecond},
		{"p99.9 of 1..100 rounds up", ms(hundred...), 99.9, 100 * time.Millisecond},
		{"p90 of ten with one slow", ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 500), 90, 1 * time.Millisecond},
		{"p99 of ten with one slow", ms(1, 1, 1, 1, 1, 1, 1, 1, 1, 500), 99,
			500 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	var samples []Sample
	for i := range 10 {
		samples = append(samples, Sample{Route: "GET /x", Status: 200,
			Latency: time.Duration(10-i) * time.Millisecond}) // 10ms down to 1ms
	}
	samples = append(samples,
		Sample{Route: "GET /x", Status: 503, Latency: 20 * time.Millisecond},
		Sample{Route: "GET /x", Failure: "timeout", Latency: 30 * time.Millisecond},
		Sample{Route: "GET /x", Failure: "timeout", Latency: 40 * time.Millisecond},
	)

	got := Summarise(samples)
	want := Stats{
		Requests: 13,
		P50:      7 * time.Millisecond,
		P90:      30 * time.Millisecond,
		P99:      40 * time.Millisecond,
		Max:      40 * time.Millisecond,
		Statuses: map[int]int{200: 10, 503: 1, 0: 2},
		Failures: map[string]int{"timeout": 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summarise (-want +got):\n%s", diff)
	}
}

func TestThroughput(t *testing.T) {
	t.Parallel()
	if got := Throughput(500, 2*time.Second); got != 250 {
		t.Errorf("Throughput(500, 2s) = %v, want 250", got)
	}
	if got := Throughput(5, 0); got != 0 {
		t.Errorf("Throughput(5, 0) = %v, want 0", got)
	}
}
