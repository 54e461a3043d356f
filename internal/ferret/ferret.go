// Package ferret runs an embedded FerretDB inside the process: a server that
// speaks the MongoDB wire protocol and keeps its data in SQLite files, so the
// server and its tests need no database installed.
//
// The MongoDB driver talks to it over a real loopback TCP connection, exactly
// as it would talk to MongoDB. FerretDB lacks some of MongoDB (transactions,
// $lookup, TTL indexes, atomic conditional updates); see docs/design.md §4.
package ferret

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Server is a running embedded FerretDB. Its zero value is not usable; call
// [Start].
type Server struct {
	uri    string
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// Start opens (or creates) the SQLite databases in dir and serves them on a
// loopback port chosen by the operating system. Each database is one file,
// dir/<name>.sqlite. ctx bounds start-up only: the server runs until
// [Server.Close].
//
// FerretDB logs a lot at Info level, so only its warnings and errors reach
// logger, tagged component=ferretdb. It warns of every command that fails,
// with the whole reply; expect a pair of such lines whenever a client
// disconnects, because FerretDB v1.24.2 lacks the endSessions command the
// driver sends then.
func Start(ctx context.Context, dir string, logger *slog.Logger) (*Server, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("start ferretdb in %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return nil, fmt.Errorf("start ferretdb: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	// FerretDB wants a "file:" URI naming a directory, with a trailing slash.
	sqlite := url.URL{Scheme: "file", Path: abs + "/"}
	db, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    slog.New(warnings(logger.Handler())).With("component", "ferretdb"),
		Handler:   "sqlite",
		SQLiteURL: sqlite.String(),
	})
	if err != nil {
		return nil, fmt.Errorf("start ferretdb in %s: %w", abs, err)
	}

	// New has bound the listener already, so the URI is known before Run
	// accepts connections; clients that dial early wait in the backlog.
	runCtx, cancel := context.WithCancel(context.Background())
	s := &Server{uri: db.MongoDBURI(), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(s.done)
		// Run reports no error in v1.24.2; it returns once ctx is done
		// and every connection and the SQLite files are closed.
		_ = db.Run(runCtx)
	}()
	return s, nil
}

// URI returns the server's connection string, mongodb://127.0.0.1:PORT/.
func (s *Server) URI() string {
	return s.uri
}

// Close stops the server, closing its connections and database files, and
// waits until it has stopped. Disconnect clients first: a connection still
// open keeps Close waiting for about three seconds. Close may be called
// more than once.
func (s *Server) Close() {
	s.once.Do(s.cancel)
	<-s.done
}
