package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/config"
	"github.com/marquee-hq/marquee/internal/httpapi"
	"github.com/marquee-hq/marquee/internal/jobs"
	"github.com/marquee-hq/marquee/internal/metrics"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/user"
	"github.com/marquee-hq/marquee/internal/webhook"
)

// newJobs makes the Inngest client, registers every function with it and
// returns the routes that reach them: /api/inngest and the Clerk webhook.
// Without Inngest configured no function runs, /api/inngest is not served
// and the Clerk webhook answers 503, so Clerk keeps its deliveries for
// later.
func newJobs(cfg config.Config, log *slog.Logger, db *mongo.Database,
	users *user.Service, reg *metrics.Registry) ([]httpapi.Mount, error) {
	client, err := jobs.NewClient(jobs.ClientOptions{
		AppID:      cfg.Inngest.AppID,
		Dev:        cfg.Inngest.Dev,
		BaseURL:    cfg.Inngest.BaseURL,
		EventKey:   cfg.Inngest.EventKey.Reveal(),
		SigningKey: cfg.Inngest.SigningKey.Reveal(),
		Logger:     log,
		Metrics:    reg,
	})
	if err != nil && !errors.Is(err, jobs.ErrNotConfigured) {
		return nil, err
	}

	var mounts []httpapi.Mount
	var events webhook.EventSender // stays nil without a client
	if client != nil {
		if err := registerFunctions(client, users); err != nil {
			return nil, err
		}
		events = client
		mounts = append(mounts, httpapi.Mount{
			Owner:   httpapi.OwnerWebhook,
			Methods: []string{http.MethodGet, http.MethodPut, http.MethodPost},
			Pattern: "/api/inngest",
			Handler: client.Handler(),
		})
	} else {
		log.Warn("Inngest is not configured: no background function runs and webhooks answer 503; " +
			"set INNGEST_DEV=1 and run the Dev Server (make tools), " +
			"or set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY")
	}

	secret := cfg.Clerk.WebhookSecret.Reveal()
	if secret == "" {
		log.Warn("CLERK_WEBHOOK_SECRET is not set: the Clerk webhook answers 503")
	}
	clerkHook, err := webhook.NewClerkHandler(webhook.ClerkOptions{
		Secret:     secret,
		Deliveries: mongostore.NewDeliveries(db),
		Events:     events,
		Logger:     log,
		Metrics:    reg,
	})
	if err != nil {
		return nil, fmt.Errorf("CLERK_WEBHOOK_SECRET: %w", err)
	}
	mounts = append(mounts, httpapi.Mount{
		Owner:   httpapi.OwnerWebhook,
		Methods: []string{http.MethodPost},
		Pattern: "/api/webhooks/clerk",
		Handler: clerkHook,
	})
	return mounts, nil
}

// registerFunctions registers every Inngest function the server serves.
func registerFunctions(c *jobs.Client, users *user.Service) error {
	if _, err := jobs.NewSyncClerkUser(c, users); err != nil {
		return fmt.Errorf("register sync-clerk-user: %w", err)
	}
	if _, err := jobs.NewDeleteClerkUser(c, users); err != nil {
		return fmt.Errorf("register delete-clerk-user: %w", err)
	}
	return nil
}
