package mongostore_test

import (
	"context"
	"errors"
	"net"
	"reflect"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/marquee-hq/marquee/internal/dependency"
	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
)

// deadClient returns a client of a server that is not there: nothing
// listens on its port. Server selection gives up after 300ms.
func deadClient(t *testing.T, opts ...*options.ClientOptions) *mongo.Client {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := l.Addr().String()
	l.Close()

	base := options.Client().ApplyURI("mongodb://" + addr + "/").
		SetServerSelectionTimeout(300 * time.Millisecond)
	client, err := mongo.Connect(append([]*options.ClientOptions{base}, opts...)...)
	if err != nil {
		t.Fatalf("mongo.Connect(%s): %v", addr, err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return client
}

// TestStoresReportAnUnreachableDatabaseAsUnavailable calls every exported
// method of every store against a database that cannot be reached, and
// checks that each failure is marked dependency.ErrUnavailable, which the
// API answers with 503. A store added to the list is checked whole.
func TestStoresReportAnUnreachableDatabaseAsUnavailable(t *testing.T) {
	t.Parallel()
	db := deadClient(t).Database("marquee")
	stores := map[string]any{
		"Bookings":   mongostore.NewBookings(db),
		"Checkouts":  mongostore.NewCheckouts(db),
		"Deliveries": mongostore.NewDeliveries(db),
		"Favorites":  mongostore.NewFavorites(db),
		"Movies":     mongostore.NewMovies(db),
		"Reminders":  mongostore.NewReminders(db),
		"Shows":      mongostore.NewShows(db),
		"Users":      mongostore.NewUsers(db),
	}

	for name, store := range stores {
		v := reflect.ValueOf(store)
		for i := range v.NumMethod() {
			method := v.Type().Method(i)
			t.Run(name+"."+method.Name, func(t *testing.T) {
				t.Parallel()
				err := callWithSampleArgs(t, v.Method(i))
				if err != nil && !errors.Is(err, dependency.ErrUnavailable) {
					t.Errorf("%s.%s with the database down = %v, want an error marked "+
						"dependency.ErrUnavailable", name, method.Name, err)
				}
			})
		}
	}
}

// callWithSampleArgs calls m with a context and a made-up, non-empty value
// for every other argument, and returns the error it returns, if any.
func callWithSampleArgs(t *testing.T, m reflect.Value) error {
	t.Helper()
	typ := m.Type()
	args := make([]reflect.Value, typ.NumIn())
	for i := range args {
		arg, ok := sampleValue(typ.In(i))
		if !ok {
			t.Fatalf("sampleValue cannot make an argument of type %s; teach it", typ.In(i))
		}
		args[i] = arg
	}

	var err error
	for _, out := range m.Call(args) {
		if e, ok := out.Interface().(error); ok {
			err = e
		}
	}
	return err
}

var (
	contextType = reflect.TypeFor[context.Context]()
	timeType    = reflect.TypeFor[time.Time]()
)

// sampleValue makes a value of typ that no store method skips as empty.
func sampleValue(typ reflect.Type) (reflect.Value, bool) {
	switch {
	case typ == contextType:
		return reflect.ValueOf(context.Background()), true
	case typ == timeType:
		return reflect.ValueOf(time.Date(2030, 1, 2, 19, 30, 0, 0, time.UTC)), true
	}

	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.String:
		v.SetString("A1")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(1)
	case reflect.Bool, reflect.Struct, reflect.Float64:
		// The zero value will do.
	case reflect.Pointer:
		v = reflect.New(typ.Elem())
	case reflect.Slice:
		elem, ok := sampleValue(typ.Elem())
		if !ok {
			return reflect.Value{}, false
		}
		v = reflect.Append(v, elem)
	case reflect.Map:
		v = reflect.MakeMap(typ)
	default:
		return reflect.Value{}, false
	}
	return v, true
}

func TestPing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	if err := mongostore.Ping(ctx, deadClient(t)); !errors.Is(err, dependency.ErrUnavailable) {
		t.Errorf("Ping(unreachable database) = %v, want an error marked ErrUnavailable", err)
	}

	client := deadClient(t)
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := mongostore.Ping(cancelled, client); err == nil || errors.Is(err, dependency.ErrUnavailable) {
		t.Errorf("Ping(cancelled context) = %v, want an error not marked ErrUnavailable: "+
			"the caller gave up, the database did not fail", err)
	}

	live, err := mongostore.Connect(ctx, mongotest.URI(t))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if err := mongostore.Ping(ctx, live); err != nil {
		t.Errorf("Ping(live database) = %v, want nil", err)
	}
	if err := live.Disconnect(ctx); err != nil {
		t.Fatalf("Disconnect: %v", err)
	}
	if err := mongostore.Ping(ctx, live); !errors.Is(err, dependency.ErrUnavailable) {
		t.Errorf("Ping(disconnected client) = %v, want an error marked ErrUnavailable", err)
	}
}

// errorKinds is an ErrorCounter that remembers the kinds it counted.
type errorKinds struct {
	mu    sync.Mutex
	kinds map[string]int
}

func (c *errorKinds) DatabaseError(kind string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.kinds[kind]++
}

func (c *errorKinds) count(kind string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.kinds[kind]
}

func TestMonitorCountsFailuresToReachTheDatabase(t *testing.T) {
	t.Parallel()
	counted := &errorKinds{kinds: map[string]int{}}
	client := deadClient(t, mongostore.Monitor(counted))

	// Selecting a server for the ping makes the driver check the server,
	// which fails: nothing listens.
	_ = mongostore.Ping(context.Background(), client)
	if n := counted.count(mongostore.KindHeartbeat); n == 0 {
		t.Errorf("after a ping of an unreachable database, %d heartbeat failures counted (all: %v), "+
			"want at least 1", n, counted.kinds)
	}
}
