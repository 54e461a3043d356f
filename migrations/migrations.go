// Package migrations creates the database's collections and indexes with
// golang-migrate. Each NNNNNN_name.up.json file is a list of database
// commands (create, createIndexes, ...) run in order; the matching
// .down.json undoes it.
//
// NOTE: golang-migrate's own database/mongodb driver is built on
// mongo-driver v1 and can only use a v1 client, while this project uses
// mongo-driver v2. Apply therefore runs the migrations through a small
// driver of its own (driver.go) over the caller's v2 client. It reads the
// same files and keeps its version and lock in the same collections, in the
// same shape, as golang-migrate's mongodb driver, so the migrate command
// line tool can inspect or repair a database that Apply has migrated.
package migrations

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"time"

	"github.com/golang-migrate/migrate/v4"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

//go:embed *.json
var files embed.FS

// Apply runs every migration that database has not had yet. A database that
// is up to date is left alone, so Apply is safe to call on every start, also
// from several servers at once: they take turns through a lock.
//
// A migration that fails part way leaves the database marked dirty, and
// Apply fails until someone repairs it (migrate force VERSION).
func Apply(ctx context.Context, client *mongo.Client, database string) error {
	src, err := iofs.New(files, ".")
	if err != nil {
		return fmt.Errorf("apply migrations to %s: %w", database, err)
	}

	drv := &driver{ctx: ctx, db: client.Database(database)}
	m, err := migrate.NewWithInstance("iofs", src, "mongodb", drv)
	if err != nil {
		return fmt.Errorf("apply migrations to %s: %w", database, err)
	}
	// The driver gives up waiting for the lock before migrate does; see
	// lockWait.
	m.LockTimeout = lockWait + 5*time.Second

	err = m.Up()
	if errors.Is(err, migrate.ErrNoChange) {
		err = nil
	}
	srcErr, dbErr := m.Close()
	if err = errors.Join(err, srcErr, dbErr); err != nil {
		return fmt.Errorf("apply migrations to %s: %w", database, err)
	}
	return nil
}
