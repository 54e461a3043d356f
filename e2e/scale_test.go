package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"testing"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/marquee-hq/marquee/internal/ferret"
	"github.com/marquee-hq/marquee/internal/mongostore"
)

// TestTwoServersShareOneDatabase runs two copies of the server binary on
// one database, as N copies behind a load balancer do, and splits a booking
// rush between them. The booking rules hold across the copies because every
// race is decided by a unique key in the database; no server keeps state of
// its own.
func TestTwoServersShareOneDatabase(t *testing.T) {
	uri, db := startDatabase(t)
	dataDir := t.TempDir() // the demo key both servers trust
	nodes := []*node{startNode(t, dataDir, uri), startNode(t, dataDir, uri)}
	showID := nodes[0].scheduleShow(t)

	answers := rush(t, nodes, showID, rushOrders("pair", 48))
	counts := statuses(answers)
	if !only(answers, http.StatusCreated, http.StatusConflict) {
		t.Fatalf("rush answers by status: %v, want only 201 and 409", counts)
	}
	if counts[http.StatusCreated] == 0 || counts[http.StatusConflict] == 0 {
		t.Errorf("rush answers by status: %v, want winners and losers", counts)
	}

	seatMap := nodes[0].takenSeats(t, showID)
	if other := nodes[1].takenSeats(t, showID); !slices.Equal(seatMap, other) {
		t.Errorf("the servers disagree on the seat map: %v and %v", seatMap, other)
	}
	checkStored(t, db, showID, answers, seatMap)
	t.Logf("two servers, one database: rush answers by status %v, %d seats taken", counts, len(seatMap))
}

// startDatabase starts an embedded FerretDB in the test process, for
// servers to share through MONGODB_URI, and connects to it for the test's
// own reads.
func startDatabase(t *testing.T) (string, *mongo.Database) {
	t.Helper()
	ctx := context.Background()
	fdb, err := ferret.Start(ctx, t.TempDir(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("start FerretDB: %v", err)
	}
	client, err := mongostore.Connect(ctx, fdb.URI())
	if err != nil {
		fdb.Close()
		t.Fatalf("connect to FerretDB: %v", err)
	}
	// Cleanups run last first: the servers stop, then this client, then
	// the database.
	t.Cleanup(fdb.Close)
	t.Cleanup(func() { _ = client.Disconnect(ctx) })
	return fdb.URI(), client.Database(database)
}
