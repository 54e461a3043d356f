package loadgen

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestParseTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw     string
		want    string // "" when refused
		loopErr bool   // refused as not loopback
	}{
		{raw: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{raw: "http://127.0.0.1:8080/", want: "http://127.0.0.1:8080"},
		{raw: "http://127.1.2.3:9000", want: "http://127.1.2.3:9000"},
		{raw: "http://localhost:8080", want: "http://localhost:8080"},
		{raw: "https://LOCALHOST", want: "https://LOCALHOST"},
		{raw: "http://[::1]:8080", want: "http://[::1]:8080"},
		{raw: "http://[::ffff:127.0.0.1]:8080", want: "http://[::ffff:127.0.0.1]:8080"},

		{raw: "http://10.0.0.5:8080", loopErr: true},
		{raw: "http://192.168.1.20:8080", loopErr: true},
		{raw: "http://172.16.0.1", loopErr: true},
		{raw: "http://0.0.0.0:8080", loopErr: true},
		{raw: "http://[::]:8080", loopErr: true},
		{raw: "http://8.8.8.8", loopErr: true},
		{raw: "http://example.com", loopErr: true},
		{raw: "http://localhost.example.com", loopErr: true},
		{raw: "http://127.0.0.1.nip.io", loopErr: true},
		{raw: "http://[::ffff:10.0.0.1]", loopErr: true},

		{raw: "ftp://127.0.0.1"},
		{raw: "127.0.0.1:8080"},
		{raw: "http://127.0.0.1:8080/api"},
		{raw: "http://127.0.0.1:8080/?x=1"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			u, err := ParseTarget(tt.raw)
			switch {
			case tt.want != "" && err != nil:
				t.Fatalf("ParseTarget(%q) = %v, want %s", tt.raw, err, tt.want)
			case tt.want != "" && u.String() != tt.want:
				t.Errorf("ParseTarget(%q) = %s, want %s", tt.raw, u, tt.want)
			case tt.want == "" && err == nil:
				t.Errorf("ParseTarget(%q) = %s, want an error", tt.raw, u)
			case tt.loopErr && !errors.Is(err, ErrNotLoopback):
				t.Errorf("ParseTarget(%q) = %v, want ErrNotLoopback", tt.raw, err)
			}
		})
	}
}

func TestCheckMongoURI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		uri     string
		ok      bool
		loopErr bool
	}{
		{uri: "mongodb://127.0.0.1:27017/", ok: true},
		{uri: "mongodb://localhost", ok: true},
		{uri: "mongodb://user:secret@[::1]:27017/marquee?authSource=admin", ok: true},
		{uri: "mongodb://127.0.0.1:27017,127.0.0.2:27018/?replicaSet=rs0", ok: true},

		{uri: "mongodb://127.0.0.1:27017,10.1.1.1:27017/", loopErr: true},
		{uri: "mongodb://db.example.com:27017/", loopErr: true},
		{uri: "mongodb+srv://cluster0.example.mongodb.net/", loopErr: true},
		{uri: "postgres://127.0.0.1/"},
	}
	for _, tt := range tests {
		t.Run(tt.uri, func(t *testing.T) {
			t.Parallel()
			err := CheckMongoURI(tt.uri)
			switch {
			case tt.ok && err != nil:
				t.Errorf("CheckMongoURI(%q) = %v, want nil", tt.uri, err)
			case !tt.ok && err == nil:
				t.Errorf("CheckMongoURI(%q) = nil, want an error", tt.uri)
			case tt.loopErr && !errors.Is(err, ErrNotLoopback):
				t.Errorf("CheckMongoURI(%q) = %v, want ErrNotLoopback", tt.uri, err)
			}
		})
	}
}

// TestClientDialsLoopbackOnly checks the last line of defence: whatever
// URL a request names, the client's dialer refuses an address that is not
// loopback before any packet is sent.
func TestClientDialsLoopbackOnly(t *testing.T) {
	t.Parallel()
	c := NewClient(1, 2*time.Second)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		"http://192.0.2.1:9/", nil) // TEST-NET-1, never routed
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(req)
	if !errors.Is(err, ErrNotLoopback) {
		t.Errorf("GET http://192.0.2.1:9/ = %v, want ErrNotLoopback from the dialer", err)
	}
}
