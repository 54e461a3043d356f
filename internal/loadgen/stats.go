package loadgen

import (
	"math"
	"slices"
	"time"
)

// Sample is what one request of a load run got.
type Sample struct {
	Route   string // the route's pattern, such as "GET /api/movies/{id}"
	Status  int    // the HTTP status, 0 when no answer came
	Failure string // why no answer came, when Status is 0
	Latency time.Duration
}

// Stats summarise the samples of one phase, or of one route in it.
type Stats struct {
	Requests int
	P50      time.Duration
	P90      time.Duration
	P99      time.Duration
	Max      time.Duration

	// Statuses counts the answers by status; 0 counts requests that got
	// none.
	Statuses map[int]int
	// Failures counts the requests that got no answer, by reason.
	Failures map[string]int
}

// Summarise computes the stats of samples.
func Summarise(samples []Sample) Stats {
	s := Stats{Requests: len(samples), Statuses: map[int]int{}, Failures: map[string]int{}}
	latencies := make([]time.Duration, len(samples))
	for i, sm := range samples {
		latencies[i] = sm.Latency
		s.Statuses[sm.Status]++
		if sm.Status == 0 {
			s.Failures[sm.Failure]++
		}
	}

	slices.Sort(latencies)
	s.P50 = Percentile(latencies, 50)
	s.P90 = Percentile(latencies, 90)
	s.P99 = Percentile(latencies, 99)
	s.Max = Percentile(latencies, 100)
	return s
}

// Percentile returns the p-th percentile (0 to 100) of sorted latencies by
// the nearest-rank method: the smallest latency that at least p percent of
// them do not exceed. It is 0 for no latencies.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Throughput is requests per second over elapsed.
func Throughput(requests int, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return float64(requests) / elapsed.Seconds()
}
