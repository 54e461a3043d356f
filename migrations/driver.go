package migrations

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/golang-migrate/migrate/v4/database"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The collections that hold the migration state, named and shaped as
// golang-migrate's mongodb driver names and shapes them.
const (
	versionCollection = "schema_migrations"
	lockCollection    = "migrate_advisory_lock"
	lockIndex         = "lock_unique_key"
)

// lockWait is how long Lock waits for another migration to finish. It must
// be shorter than migrate's LockTimeout: migrate stops waiting for Lock but
// cannot stop Lock itself, and a lock taken after migrate gave up would never
// be released.
const lockWait = 10 * time.Second

// driver is a golang-migrate database driver over a mongo-driver v2
// database. It runs every command with the context Apply was given.
type driver struct {
	ctx context.Context
	db  *mongo.Database
}

var _ database.Driver = (*driver)(nil)

type versionDoc struct {
	Version int  `bson:"version"`
	Dirty   bool `bson:"dirty"`
}

type lockDoc struct {
	Key       int       `bson:"locking_key"`
	PID       int       `bson:"pid"`
	Hostname  string    `bson:"hostname"`
	CreatedAt time.Time `bson:"created_at"`
}

// Open is not supported: the driver is made by Apply around a client.
func (d *driver) Open(string) (database.Driver, error) {
	return nil, errors.New("migrations: open by URL is not supported; use Apply")
}

// Close leaves the client alone: it belongs to Apply's caller.
func (d *driver) Close() error {
	return nil
}

// Lock inserts the one lock document under a unique index; whoever inserts
// it first migrates, the others retry until it is gone or lockWait passes.
func (d *driver) Lock() error {
	locks := d.db.Collection(lockCollection)
	_, err := locks.Indexes().CreateOne(d.ctx, mongo.IndexModel{
		Keys:    bson.D{{Key: "locking_key", Value: -1}},
		Options: options.Index().SetUnique(true).SetName(lockIndex),
	})
	if err != nil {
		return fmt.Errorf("create migration lock index: %w", err)
	}

	host, _ := os.Hostname()
	doc := lockDoc{Key: 0, PID: os.Getpid(), Hostname: host, CreatedAt: time.Now().UTC()}
	deadline := time.Now().Add(lockWait)
	for pause := 50 * time.Millisecond; ; pause = min(2*pause, time.Second) {
		_, err := locks.InsertOne(d.ctx, doc)
		if !mongo.IsDuplicateKeyError(err) {
			return err
		}
		if time.Now().Add(pause).After(deadline) {
			return fmt.Errorf("%w: another migration has held it for %s; if none is running, "+
				"delete the document in %s", database.ErrLocked, lockWait, lockCollection)
		}
		select {
		case <-time.After(pause):
		case <-d.ctx.Done():
			return d.ctx.Err()
		}
	}
}

// Unlock deletes the lock document.
func (d *driver) Unlock() error {
	locks := d.db.Collection(lockCollection)
	res, err := locks.DeleteMany(d.ctx, bson.D{{Key: "locking_key", Value: 0}})
	if err != nil {
		return fmt.Errorf("release migration lock: %w", err)
	}
	if res.DeletedCount != 1 {
		return fmt.Errorf("release migration lock: %w", database.ErrNotLocked)
	}
	return nil
}

// Run decodes a migration file, a JSON array of commands, and runs the
// commands one by one.
func (d *driver) Run(migration io.Reader) error {
	data, err := io.ReadAll(migration)
	if err != nil {
		return err
	}
	var cmds []bson.D
	if err := bson.UnmarshalExtJSON(data, false, &cmds); err != nil {
		return fmt.Errorf("decode migration: %w", err)
	}

	for i, cmd := range cmds {
		if err := d.db.RunCommand(d.ctx, cmd).Err(); err != nil {
			return fmt.Errorf("migration command %d (%s): %w", i+1, commandName(cmd), err)
		}
	}
	return nil
}

func commandName(cmd bson.D) string {
	if len(cmd) == 0 {
		return "empty"
	}
	return fmt.Sprintf("%s %v", cmd[0].Key, cmd[0].Value)
}

// SetVersion records the version in the one document of the version
// collection. Migrate calls it while holding the lock.
func (d *driver) SetVersion(version int, dirty bool) error {
	_, err := d.db.Collection(versionCollection).ReplaceOne(d.ctx, bson.D{},
		versionDoc{Version: version, Dirty: dirty}, options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("set migration version %d: %w", version, err)
	}
	return nil
}

// Version returns the recorded version, or database.NilVersion for a
// database that has had no migration.
func (d *driver) Version() (int, bool, error) {
	var v versionDoc
	err := d.db.Collection(versionCollection).FindOne(d.ctx, bson.D{}).Decode(&v)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return database.NilVersion, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read migration version: %w", err)
	}
	return v.Version, v.Dirty, nil
}

// Drop deletes the whole database.
func (d *driver) Drop() error {
	return d.db.Drop(d.ctx)
}
