package mongostore

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/topology"

	"github.com/marquee-hq/marquee/internal/dependency"
)

// unavailable marks err with [dependency.ErrUnavailable] when the driver
// says the database could not be reached or did not answer in time: no
// server selected, a broken or refused connection, a timeout, or a client
// already disconnected. Every other error, and nil, comes back unchanged.
//
// A request its caller gave up on is not an outage, so context.Canceled is
// never marked.
func unavailable(err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}

	var selection topology.ServerSelectionError
	if mongo.IsTimeout(err) || mongo.IsNetworkError(err) || errors.As(err, &selection) ||
		errors.Is(err, mongo.ErrClientDisconnected) {
		return dependency.Unavailable(err)
	}
	return err
}

// Ping asks the primary whether it answers, within ctx. It fails with an
// error marked [dependency.ErrUnavailable] when the database cannot be
// reached in time.
func Ping(ctx context.Context, client *mongo.Client) error {
	return unavailable(client.Ping(ctx, readpref.Primary()))
}
