// Package metrics is the server's Prometheus instrumentation: the counters
// and histograms every other package records into, and the handler that
// serves them at /metrics.
//
// main makes one [Registry] with [New] and hands it to the constructors of
// the packages that record something; each of them declares the small
// interface it needs, so none imports this package. Nothing is registered
// on Prometheus' global registry, so two Registries (two servers in one
// test process) never collide.
//
// Label values are bounded: routes are chi patterns, never raw paths, and
// methods outside the standard set are counted as "other".
package metrics

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// namespace prefixes every metric of the server.
const namespace = "marquee"

// Registry holds the server's metrics. Its methods are safe for concurrent
// use. Build one with [New].
type Registry struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	bookings   *prometheus.CounterVec
	deliveries *prometheus.CounterVec
	sends      *prometheus.CounterVec
	dbErrors   *prometheus.CounterVec
}

// New returns a Registry with the server's metrics and the Go runtime and
// process collectors.
func New() *Registry {
	r := &Registry{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: namespace, Subsystem: "http", Name: "request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method, route pattern and status.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"method", "route", "status"}),
		bookings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "bookings_total",
			Help: "Booking attempts and endings, by outcome.",
		}, []string{"outcome"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "webhook_deliveries_total",
			Help: "Webhook deliveries received, by sender and result.",
		}, []string{"source", "result"}),
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "inngest_sends_total",
			Help: "Events sent to Inngest, by result.",
		}, []string{"result"}),
		dbErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: namespace, Name: "database_errors_total",
			Help: "Failed database commands, connections and heartbeats, by kind.",
		}, []string{"kind"}),
	}
	r.reg.MustRegister(
		r.requests, r.latency, r.bookings, r.deliveries, r.sends, r.dbErrors,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return r
}

// Handler serves the metrics in the Prometheus exposition format. Errors
// while gathering are logged to logger, which may be nil.
func (r *Registry) Handler(logger *slog.Logger) http.Handler {
	opts := promhttp.HandlerOpts{Registry: r.reg}
	if logger != nil {
		opts.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelError)
	}
	return promhttp.HandlerFor(r.reg, opts)
}

// Request records one answered HTTP request. route is the chi pattern that
// served it, such as /api/shows/{showId}.
func (r *Registry) Request(method, route string, status int, d time.Duration) {
	labels := prometheus.Labels{
		"method": knownMethod(method),
		"route":  route,
		"status": strconv.Itoa(status),
	}
	r.requests.With(labels).Inc()
	r.latency.With(labels).Observe(d.Seconds())
}

// Booking records the outcome of a booking request or the end of a
// booking, such as "held", "seats_taken", "cancelled" or "paid".
func (r *Registry) Booking(outcome string) {
	r.bookings.WithLabelValues(outcome).Inc()
}

// WebhookDelivery records what became of one webhook delivery from source
// ("clerk", "stripe"): "accepted", "duplicate", "ignored", or the problem
// code it was refused with.
func (r *Registry) WebhookDelivery(source, result string) {
	r.deliveries.WithLabelValues(source, result).Inc()
}

// InngestSend records one attempt to hand an event to Inngest: "sent" or
// "failed".
func (r *Registry) InngestSend(result string) {
	r.sends.WithLabelValues(result).Inc()
}

// DatabaseError records one failure talking to the database, by kind:
// "timeout", "network", "command" or "heartbeat".
func (r *Registry) DatabaseError(kind string) {
	r.dbErrors.WithLabelValues(kind).Inc()
}

// knownMethod keeps a client from inventing label values with made-up
// methods.
func knownMethod(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}
