package ferret_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/ferret"
)

// TestRestartKeepsData starts a server, stores a document, stops it, and
// finds the document again with a second server on the same directory.
func TestRestartKeepsData(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	logger := slog.New(slog.NewTextHandler(&testWriter{t}, nil))

	srv := start(t, dir, logger)
	client := connect(t, srv.URI())
	coll := client.Database("restart").Collection("things")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "one"}, {Key: "n", Value: 1}}); err != nil {
		t.Fatalf("InsertOne: %v", err)
	}
	if err := client.Disconnect(ctx); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	srv.Close()
	srv.Close() // a second Close returns at once

	srv = start(t, dir, logger)
	defer srv.Close()
	client = connect(t, srv.URI())
	defer client.Disconnect(ctx) // before Close, which waits for connections
	var got struct {
		N int `bson:"n"`
	}
	coll = client.Database("restart").Collection("things")
	if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "one"}}).Decode(&got); err != nil {
		t.Fatalf("FindOne after restart: %v", err)
	}
	if got.N != 1 {
		t.Errorf("n after restart = %d, want 1", got.N)
	}
}

func TestStartFailsOnCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if srv, err := ferret.Start(ctx, t.TempDir(), nil); err == nil {
		srv.Close()
		t.Fatal("Start with a cancelled context: got a server, want an error")
	}
}

func start(t *testing.T, dir string, logger *slog.Logger) *ferret.Server {
	t.Helper()
	srv, err := ferret.Start(context.Background(), dir, logger)
	if err != nil {
		t.Fatalf("Start(%s): %v", dir, err)
	}
	if !strings.HasPrefix(srv.URI(), "mongodb://127.0.0.1:") {
		t.Errorf("URI() = %q, want mongodb://127.0.0.1:PORT/", srv.URI())
	}
	return srv
}

func connect(t *testing.T, uri string) *mongo.Client {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatalf("connect to %s: %v", uri, err)
	}
	return client
}

// testWriter sends the server's warnings to the test log.
type testWriter struct{ t *testing.T }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
