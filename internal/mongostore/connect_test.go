package mongostore_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/marquee-hq/marquee/internal/mongostore"
	"github.com/marquee-hq/marquee/internal/mongostore/mongotest"
)

func TestConnect(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	client, err := mongostore.Connect(ctx, mongotest.URI(t))
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if err := client.Disconnect(ctx); err != nil {
		t.Errorf("Disconnect: %v", err)
	}
}

// TestConnectFailsFast connects to a port nobody listens on: the default
// timeouts end the attempt within seconds.
func TestConnectFailsFast(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	addr := l.Addr().String()
	l.Close()

	start := time.Now()
	client, err := mongostore.Connect(context.Background(), "mongodb://"+addr+"/")
	if err == nil {
		_ = client.Disconnect(context.Background())
		t.Fatalf("Connect(%s) with nothing listening: got a client, want an error", addr)
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("Connect(%s) failed after %s, want within the 5s server selection timeout", addr, d)
	}
}
