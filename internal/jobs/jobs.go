// Package jobs is the server's background work: Inngest functions served by
// the server itself at /api/inngest, and the client that sends them events.
//
// Each function lives in a file of its own and is registered by a
// constructor that main calls with the function's dependencies; nothing
// registers itself. Every side effect of a function runs inside step.Run, so
// a retried or replayed run repeats no finished work, and every function is
// safe to run twice for the same event.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/inngest/inngestgo"
)

// DevServerURL is where the Inngest Dev Server listens unless told
// otherwise.
const DevServerURL = "http://127.0.0.1:8288"

// sendTimeout bounds one attempt at sending an event. The SDK makes up to
// five attempts with backoff, so a sender waits at most about 13 seconds,
// within the 15 seconds Svix gives a webhook endpoint to answer.
const sendTimeout = 2 * time.Second

// ErrNotConfigured is returned by [NewClient] when neither the Dev Server
// nor Inngest Cloud keys are configured.
var ErrNotConfigured = errors.New("inngest is not configured: set INNGEST_DEV, " +
	"or INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY")

// ClientOptions configure a [Client].
type ClientOptions struct {
	AppID string // the app the functions belong to

	// Dev selects the Inngest Dev Server, which runs functions for
	// unsigned requests and needs no keys.
	Dev bool

	// BaseURL is where the Inngest API and event API are reached: the Dev
	// Server's URL in development ([DevServerURL] if empty), empty for
	// Inngest Cloud.
	BaseURL string

	EventKey   string // sends events; required unless Dev
	SigningKey string // proves requests to /api/inngest come from Inngest; required unless Dev

	Logger *slog.Logger

	// Metrics counts the events sent; nil counts nothing.
	Metrics SendCounter

	// HTTPClient sends events; nil means one that gives each attempt
	// two seconds.
	HTTPClient *http.Client
}

// Client is the server's Inngest client: it serves the registered functions
// and sends events.
type Client struct {
	inngest inngestgo.Client
	metrics SendCounter
}

// SendCounter counts attempts to send events; the server's metrics registry
// is one.
type SendCounter interface {
	// InngestSend records one send: "sent" or "failed".
	InngestSend(result string)
}

type noCounter struct{}

func (noCounter) InngestSend(string) {}

// NewClient returns a Client. Every setting comes from o; unlike the SDK's
// defaults, nothing is read from the environment. It fails with
// [ErrNotConfigured] when o is neither Dev nor has both keys.
func NewClient(o ClientOptions) (*Client, error) {
	if !o.Dev && (o.EventKey == "" || o.SigningKey == "") {
		return nil, ErrNotConfigured
	}
	if o.Dev && o.BaseURL == "" {
		o.BaseURL = DevServerURL
	}
	if o.Dev && o.EventKey == "" {
		o.EventKey = "dev" // the Dev Server takes any key
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: sendTimeout}
	}

	opts := inngestgo.ClientOpts{
		AppID:              o.AppID,
		HTTPClient:         o.HTTPClient,
		EventKey:           &o.EventKey,
		Env:                inngestgo.StrPtr(""),
		Logger:             o.Logger,
		SigningKey:         &o.SigningKey,
		SigningKeyFallback: inngestgo.StrPtr(""),
		AllowInBandSync:    inngestgo.BoolPtr(false),
		Dev:                &o.Dev,
	}
	if o.BaseURL != "" {
		opts.APIBaseURL = &o.BaseURL
		opts.EventAPIBaseURL = &o.BaseURL
	}

	c, err := inngestgo.NewClient(opts)
	if err != nil {
		return nil, fmt.Errorf("inngest client: %w", err)
	}
	if o.Metrics == nil {
		o.Metrics = noCounter{}
	}
	return &Client{inngest: c, metrics: o.Metrics}, nil
}

// Handler serves the registered functions to Inngest. Mount it at
// /api/inngest for GET, PUT and POST, outside user authentication: the SDK
// checks Inngest's signature itself (except in Dev mode).
func (c *Client) Handler() http.Handler {
	return c.inngest.Serve()
}

// Event is something that happened, for Inngest to run functions on.
type Event struct {
	// ID makes sending idempotent: Inngest ignores an event whose id it
	// has seen in the past 24 hours.
	ID   string
	Name string
	Data map[string]any
	// Time is when the event happened; the zero time means when Inngest
	// receives it.
	Time time.Time
}

// Send hands e to Inngest. An error means Inngest may not have it, and
// sending it again with the same id is safe.
//
// The SDK does not stop for ctx: a send that fails is retried for up to
// about 13 seconds.
func (c *Client) Send(ctx context.Context, e Event) error {
	evt := inngestgo.Event{Name: e.Name, Data: e.Data}
	if e.ID != "" {
		evt.ID = &e.ID
	}
	if !e.Time.IsZero() {
		evt.Timestamp = e.Time.UnixMilli()
	}

	if _, err := c.inngest.Send(ctx, evt); err != nil {
		c.metrics.InngestSend("failed")
		return fmt.Errorf("send event %s %s: %w", e.Name, e.ID, err)
	}
	c.metrics.InngestSend("sent")
	return nil
}
