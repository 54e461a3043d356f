// Package mongotest gives tests a fresh, migrated database of their own.
//
// The databases live on one embedded FerretDB per test process, started on
// first use in a temporary directory, or on the server at MONGODB_TEST_URI
// when that is set, so the same tests also run against a real MongoDB. A
// package whose tests use it should run them through [Run] so the embedded
// server is stopped and its files are removed at the end:
//
//	func TestMain(m *testing.M) { os.Exit(mongotest.Run(m)) }
package mongotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/ferret"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/migrations"
)

// URIVariable names the environment variable that points the tests at a
// MongoDB server instead of the embedded FerretDB.
const URIVariable = "MONGODB_TEST_URI"

// setupTimeout bounds starting the server, connecting, migrating and
// dropping a database.
const setupTimeout = time.Minute

// env is what the tests of one process share: a server and a client.
type env struct {
	uri    string
	client *mongo.Client
	server *ferret.Server // nil when MONGODB_TEST_URI is used
	dir    string         // the embedded server's files
	err    error
}

var (
	shared     env
	sharedOnce sync.Once

	// runID tells apart the databases of test processes sharing one
	// server; seq those of one process.
	runID = newRunID()
	seq   atomic.Int64
)

func newRunID() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b) // never fails on supported platforms
	return hex.EncodeToString(b)
}

func setup(t testing.TB) *env {
	t.Helper()
	sharedOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		shared.err = shared.start(ctx)
	})
	if shared.err != nil {
		t.Fatalf("mongotest: %v", shared.err)
	}
	return &shared
}

func (e *env) start(ctx context.Context) error {
	e.uri = os.Getenv(URIVariable)
	if e.uri == "" {
		dir, err := os.MkdirTemp("", "mongotest-")
		if err != nil {
			return err
		}
		// FerretDB warns about every failed command, such as the
		// endSessions the driver sends when it disconnects; only its
		// errors are worth a test's output.
		opts := &slog.HandlerOptions{Level: slog.LevelError}
		logger := slog.New(slog.NewTextHandler(os.Stderr, opts))
		e.dir = dir
		if e.server, err = ferret.Start(ctx, dir, logger); err != nil {
			return err
		}
		e.uri = e.server.URI()
	}

	client, err := mongostore.Connect(ctx, e.uri)
	if err != nil {
		return err
	}
	e.client = client
	return nil
}

// Run runs the tests of m and then stops the embedded server, if one was
// started. Its files are removed unless a test failed, so the databases of
// failed tests can be looked at; their directory is printed. It returns
// the exit code for os.Exit.
func Run(m *testing.M) int {
	code := m.Run()
	if shared.client != nil {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		_ = shared.client.Disconnect(ctx)
	}
	if shared.server != nil {
		shared.server.Close()
	}
	if shared.dir != "" {
		if code != 0 {
			fmt.Fprintf(os.Stderr, "mongotest: databases kept in %s\n", shared.dir)
		} else {
			_ = os.RemoveAll(shared.dir)
		}
	}
	return code
}

// NewDatabase returns a new, migrated database named after the test. It is
// dropped when the test ends, unless the test failed; then its name is
// logged.
func NewDatabase(t testing.TB) *mongo.Database {
	t.Helper()
	e := setup(t)

	name := databaseName(t.Name(), seq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	defer cancel()
	if err := migrations.Apply(ctx, e.client, name); err != nil {
		t.Fatalf("mongotest: migrate database %s: %v", name, err)
	}

	db := e.client.Database(name)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("mongotest: kept database %s at %s", name, e.uri)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if err := db.Drop(ctx); err != nil {
			t.Errorf("mongotest: drop database %s: %v", name, err)
		}
	})
	return db
}

// URI returns the connection string of the server the databases are on,
// for tests that start a program of their own against it.
func URI(t testing.TB) string {
	t.Helper()
	return setup(t).uri
}

// NewDatabaseWithMonitor is like [NewDatabase], but the database is reached
// through a client of its own that reports every command it sends to m.
// Setting the database up sends nothing through that client.
func NewDatabaseWithMonitor(t testing.TB, m *event.CommandMonitor) *mongo.Database {
	t.Helper()
	db := NewDatabase(t)

	// No ping: the shared client has shown the server is up, and a ping
	// would reach m.
	client, err := mongo.Connect(options.Client().ApplyURI(setup(t).uri).SetMonitor(m))
	if err != nil {
		t.Fatalf("mongotest: connect with monitor: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
		defer cancel()
		if err := client.Disconnect(ctx); err != nil {
			t.Errorf("mongotest: disconnect monitored client: %v", err)
		}
	})
	return client.Database(db.Name())
}

var unsafeChars = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// databaseName makes a database name from a test name and a sequence
// number: the name's letters, digits, '_' and '-' (others become '_'),
// shortened so the whole stays within the 63 characters that FerretDB and
// MongoDB allow, then a suffix that is unique for this process and n.
func databaseName(testName string, n int64) string {
	suffix := fmt.Sprintf("_%s_%d", runID, n)
	base := unsafeChars.ReplaceAllString(testName, "_")
	if limit := 63 - len(suffix); len(base) > limit {
		base = base[:limit]
	}
	return base + suffix
}
