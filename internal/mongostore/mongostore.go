// Package mongostore keeps the domain's data in MongoDB, or in the embedded
// FerretDB that speaks its protocol.
//
// Each exported type is the store of one domain package and is made from a
// *mongo.Database by its constructor. Every collection has a private
// document struct with bson tags and a pair of conversion functions next to
// it, so the storage shape (claim documents, composite ids) can differ from
// the domain types.
//
// Errors are translated here: a missing document becomes the domain's
// ErrNotFound and a duplicate key its conflict error, returned as they are;
// any other driver error comes back wrapped with the operation and the key,
// and marked dependency.ErrUnavailable when the database could not be
// reached or did not answer in time (see unavailable), which the API
// answers with 503 and a retry may cure.
//
// NOTE: FerretDB does not make conditional updates atomic and has no
// transactions, so no method here decides a race by reading and then
// writing. Races are decided by inserts under unique indexes (see
// migrations/) and the duplicate-key errors they return.
package mongostore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// Connect connects to the server at uri and pings it. Server selection and
// connecting time out after [SelectionTimeout], so that while the database
// is down requests fail within seconds, with errors marked
// dependency.ErrUnavailable, instead of after the driver's default of 30
// seconds. Settings in uri, then in opts, take precedence. The caller
// disconnects the client when done.
//
// Operations last as long as their context allows: callers give every
// request a deadline.
//
// NOTE: the client sets no operation timeout (SetTimeout), because the
// driver then sends maxTimeMS with every command, and FerretDB v1.24.2
// answers a distinct command carrying maxTimeMS with a reply the driver
// cannot decode. A context deadline has the same effect, so stores avoid
// the distinct command.
//
// Errors do not repeat uri, which may hold a password.
func Connect(ctx context.Context, uri string,
	opts ...*options.ClientOptions) (*mongo.Client, error) {
	base := options.Client().
		SetServerSelectionTimeout(SelectionTimeout).
		SetConnectTimeout(SelectionTimeout).
		ApplyURI(uri)
	client, err := mongo.Connect(append([]*options.ClientOptions{base}, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("connect to mongodb: %w", err)
	}

	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := client.Ping(pingCtx, readpref.Primary()); err != nil {
		derr := client.Disconnect(context.WithoutCancel(ctx))
		return nil, errors.Join(fmt.Errorf("ping mongodb: %w", err), derr)
	}
	return client, nil
}

// in is the filter operator that matches any of values.
func in[T any](values []T) bson.D {
	return bson.D{{Key: "$in", Value: values}}
}

// byIDs is the filter that matches the documents with the given ids.
//
// NOTE: FerretDB's SQLite back end uses an index only for a filter that is
// exactly {_id: value}; any other filter, $in included, reads and decodes
// every document of the collection. One id, the common case when a single
// booking is judged, is therefore asked for by equality.
func byIDs(ids []string) bson.D {
	if len(ids) == 1 {
		return bson.D{{Key: "_id", Value: ids[0]}}
	}
	return bson.D{{Key: "_id", Value: in(ids)}}
}

// findAll runs a find and decodes every document it returns.
func findAll[T any](ctx context.Context, coll *mongo.Collection, filter any,
	opts ...options.Lister[options.FindOptions]) ([]T, error) {
	cur, err := coll.Find(ctx, filter, opts...)
	if err != nil {
		return nil, err
	}
	var docs []T
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// SelectionTimeout is how long [Connect]'s client waits for a reachable
// server, and for a new connection to open, before it fails.
const SelectionTimeout = 2 * time.Second

// cleanupTimeout bounds work that undoes a failed write; it runs even when
// the request's context has been cancelled.
const cleanupTimeout = 5 * time.Second
