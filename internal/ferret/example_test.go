package ferret_test

import (
	"context"
	"log/slog"
	"os"

	"github.com/marquee-hq/marquee/internal/ferret"
	"github.com/marquee-hq/marquee/internal/mongostore"
)

func ExampleStart() {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))

	srv, err := ferret.Start(ctx, "./data", logger)
	if err != nil {
		logger.Error("start embedded database", "err", err)
		return
	}
	defer srv.Close() // after the client has disconnected

	client, err := mongostore.Connect(ctx, srv.URI())
	if err != nil {
		logger.Error("connect", "err", err)
		return
	}
	defer client.Disconnect(ctx)
	// ... use client.Database("marquee")
}
