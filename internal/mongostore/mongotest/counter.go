package mongotest

import (
	"context"
	"maps"
	"sync"

	"go.mongodb.org/mongo-driver/v2/event"
)

// Counter counts the commands a client sends, which are its round trips to
// the server, by command name ("find", "insert", "getMore", ...). It is
// safe for concurrent use; the zero value is ready.
type Counter struct {
	mu     sync.Mutex
	counts map[string]int
}

// Monitor returns a command monitor that counts into c, for
// [NewDatabaseWithMonitor].
func (c *Counter) Monitor() *event.CommandMonitor {
	return &event.CommandMonitor{
		Started: func(_ context.Context, e *event.CommandStartedEvent) {
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.counts == nil {
				c.counts = make(map[string]int)
			}
			c.counts[e.CommandName]++
		},
	}
}

// Total returns the number of commands counted.
func (c *Counter) Total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range c.counts {
		n += k
	}
	return n
}

// Counts returns the number of commands counted by command name.
func (c *Counter) Counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.counts)
}

// Reset forgets the commands counted so far.
func (c *Counter) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.counts)
}
