package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/inngest/inngestgo"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/config"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/jobs"
	"github.com/marquee-hq/marquee/internal/metrics"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/notify"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/user"
	"github.com/marquee-hq/marquee/internal/webhook"
)

// newInngest makes the Inngest client. Without Inngest configured it
// returns nil, having said in the log what that means.
func newInngest(cfg config.Config, log *slog.Logger, reg *metrics.Registry) (*jobs.Client, error) {
	client, err := jobs.NewClient(jobs.ClientOptions{
		AppID:      cfg.Inngest.AppID,
		Dev:        cfg.Inngest.Dev,
		BaseURL:    cfg.Inngest.BaseURL,
		EventKey:   cfg.Inngest.EventKey.Reveal(),
		SigningKey: cfg.Inngest.SigningKey.Reveal(),
		Logger:     log,
		Metrics:    reg,
	})
	if errors.Is(err, jobs.ErrNotConfigured) {
		log.Warn("Inngest is not configured: no background function runs and webhooks answer 503; " +
			"set INNGEST_DEV=1 and run the Dev Server (make tools), " +
			"or set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY")
		return nil, nil
	}
	return client, err
}

// newEmitter returns what tells Inngest about bookings made and shows
// scheduled, or nil when there is no Inngest client.
func newEmitter(c *jobs.Client, log *slog.Logger) *jobs.Emitter {
	if c == nil {
		return nil
	}
	return jobs.NewEmitter(c, log)
}

// bookingOptions has the booking service send booking/created, when there
// is an emitter to send it.
func bookingOptions(e *jobs.Emitter) []booking.Option {
	if e == nil {
		return nil
	}
	return []booking.Option{booking.WithEvents(e)}
}

// showOptions has the show service send shows/scheduled, when there is an
// emitter to send it.
func showOptions(e *jobs.Emitter) []show.Option {
	if e == nil {
		return nil
	}
	return []show.Option{show.WithEvents(e)}
}

// jobServices are the services the Inngest functions call.
type jobServices struct {
	users    *user.Service
	bookings *booking.Service
	payments *payment.Service
	notices  *notify.Service
}

// newJobs registers every function with the Inngest client and returns the
// routes that reach them: /api/inngest and the Clerk and Stripe webhooks.
// Without a client no function runs, /api/inngest is not served and the
// webhooks answer 503, so Clerk and Stripe keep their deliveries for later.
func newJobs(cfg config.Config, log *slog.Logger, db *mongo.Database, client *jobs.Client,
	svc jobServices, reg *metrics.Registry) ([]httpapi.Mount, error) {
	var mounts []httpapi.Mount
	var events webhook.EventSender // stays nil without a client
	if client != nil {
		if err := registerFunctions(client, svc); err != nil {
			return nil, err
		}
		events = client
		mounts = append(mounts, httpapi.Mount{
			Owner:   httpapi.OwnerWebhook,
			Methods: []string{http.MethodGet, http.MethodPut, http.MethodPost},
			Pattern: "/api/inngest",
			Handler: client.Handler(),
		})
	}

	secret := cfg.Clerk.WebhookSecret.Reveal()
	if secret == "" {
		log.Warn("CLERK_WEBHOOK_SECRET is not set: the Clerk webhook answers 503")
	}
	clerkHook, err := webhook.NewClerkHandler(webhook.Options{
		Secret:     secret,
		Deliveries: mongostore.NewDeliveries(db),
		Events:     events,
		Logger:     log,
		Metrics:    reg,
	})
	if err != nil {
		return nil, fmt.Errorf("CLERK_WEBHOOK_SECRET: %w", err)
	}

	if cfg.Stripe.SecretKey.IsSet() && !cfg.Stripe.WebhookSecret.IsSet() {
		log.Warn("STRIPE_WEBHOOK_SECRET is not set: the Stripe webhook answers 503, " +
			"so paid bookings are not marked paid")
	}
	stripeHook := webhook.NewStripeHandler(webhook.Options{
		Secret:     cfg.Stripe.WebhookSecret.Reveal(),
		Deliveries: mongostore.NewDeliveries(db),
		Events:     events,
		Logger:     log,
		Metrics:    reg,
	})

	return append(mounts,
		httpapi.Mount{Owner: httpapi.OwnerWebhook, Methods: []string{http.MethodPost},
			Pattern: "/api/webhooks/clerk", Handler: clerkHook},
		httpapi.Mount{Owner: httpapi.OwnerWebhook, Methods: []string{http.MethodPost},
			Pattern: "/api/webhooks/stripe", Handler: stripeHook},
	), nil
}

// registerFunctions registers every Inngest function the server serves.
func registerFunctions(c *jobs.Client, svc jobServices) error {
	var errs []error
	add := func(_ inngestgo.ServableFunction, err error) { errs = append(errs, err) }
	add(jobs.NewSyncClerkUser(c, svc.users))
	add(jobs.NewDeleteClerkUser(c, svc.users))
	add(jobs.NewExpireBooking(c, svc.bookings, svc.payments, svc.notices))
	add(jobs.NewSettleCheckout(c, svc.payments, svc.notices))
	add(jobs.NewSendConfirmation(c, svc.notices))
	add(jobs.NewSendReminders(c, svc.notices))
	add(jobs.NewAnnounceShows(c, svc.notices))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("register inngest functions: %w", err)
	}
	return nil
}
