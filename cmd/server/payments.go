package main

import (
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/booking"
	"github.com/marquee-hq/marquee/internal/config"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/movie"
	"github.com/marquee-hq/marquee/internal/notify"
	"github.com/marquee-hq/marquee/internal/payment"
	"github.com/marquee-hq/marquee/internal/show"
	"github.com/marquee-hq/marquee/internal/smtp"
	"github.com/marquee-hq/marquee/internal/stripe"
	"github.com/marquee-hq/marquee/internal/user"
)

// newPayments returns the payment service: Stripe Checkout when
// STRIPE_SECRET_KEY is set; without it bookings stay held until their hold
// runs out, and the checkout route answers 503.
func newPayments(cfg config.Config, log *slog.Logger, db *mongo.Database,
	bookings *booking.Service) *payment.Service {
	var gateway payment.Gateway
	if key := cfg.Stripe.SecretKey.Reveal(); key != "" {
		gateway = stripe.New(stripe.Options{SecretKey: key, APIBase: cfg.Stripe.APIBase})
	} else {
		log.Warn("STRIPE_SECRET_KEY is not set: payments are off, bookings stay held until " +
			"their hold runs out")
	}
	return payment.NewService(gateway, mongostore.NewCheckouts(db), bookings,
		payment.Config{ClientURL: cfg.ClientURL, Location: cfg.TheaterLocation}, time.Now)
}

// newNotices returns the e-mail notices: over SMTP when SMTP_HOST is set;
// without it e-mail is off and the functions record that they skipped.
func newNotices(cfg config.Config, log *slog.Logger, db *mongo.Database, bookings *booking.Service,
	users *user.Service, shows *show.Service, movies *movie.Service) (*notify.Service, error) {
	deps := notify.Deps{
		Bookings:   bookings,
		Users:      users,
		Recipients: mongostore.NewUsers(db),
		Shows:      shows,
		Movies:     movies,
		Reminders:  mongostore.NewReminders(db),
	}
	if cfg.SMTP.Host != "" {
		m, err := smtp.New(smtp.Options{
			Host:     cfg.SMTP.Host,
			Port:     cfg.SMTP.Port,
			Username: cfg.SMTP.Username,
			Password: cfg.SMTP.Password.Reveal(),
			From:     cfg.SMTP.From,
		})
		if err != nil {
			return nil, err
		}
		deps.Mailer = m
	} else {
		log.Warn("SMTP_HOST is not set: e-mail is off; confirmations, reminders and news " +
			"are skipped")
	}
	return notify.NewService(deps, notify.Config{
		ClientURL:      cfg.ClientURL,
		Location:       cfg.TheaterLocation,
		ReminderWindow: cfg.Booking.ReminderWindow,
	}, time.Now), nil
}
