package mongostore

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// ErrorCounter counts failures talking to the database by kind; the
// server's metrics registry is one.
type ErrorCounter interface {
	DatabaseError(kind string)
}

// The kinds of failure a [Monitor] counts.
const (
	KindTimeout   = "timeout"   // a command or connection ran out of time
	KindNetwork   = "network"   // a connection broke or could not be opened
	KindCommand   = "command"   // the server answered a command with an error
	KindHeartbeat = "heartbeat" // the driver's periodic check of the server failed
)

// Monitor returns client options for [Connect] that count every failed
// command, every connection that could not be opened and every failed
// heartbeat on c. While the database is down the driver checks it about
// twice a second for each request waiting, so heartbeat failures show an
// outage even when no command gets as far as being sent.
//
// Duplicate keys are not counted: the server reports them inside a
// successful insert, and they are how bookings decide races.
func Monitor(c ErrorCounter) *options.ClientOptions {
	commands := &event.CommandMonitor{
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			c.DatabaseError(failureKind(e.Failure))
		},
	}
	pool := &event.PoolMonitor{
		Event: func(e *event.PoolEvent) {
			if e.Type != event.ConnectionCheckOutFailed {
				return
			}
			switch e.Reason {
			case event.ReasonTimedOut:
				c.DatabaseError(KindTimeout)
			case event.ReasonConnectionErrored:
				c.DatabaseError(KindNetwork)
			}
		},
	}
	servers := &event.ServerMonitor{
		ServerHeartbeatFailed: func(*event.ServerHeartbeatFailedEvent) {
			c.DatabaseError(KindHeartbeat)
		},
	}
	return options.Client().SetMonitor(commands).SetPoolMonitor(pool).SetServerMonitor(servers)
}

func failureKind(err error) string {
	switch {
	case mongo.IsTimeout(err):
		return KindTimeout
	case mongo.IsNetworkError(err):
		return KindNetwork
	}
	return KindCommand
}
