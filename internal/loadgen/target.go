package loadgen

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/v2/x/mongo/driver/connstring"
)

// ErrNotLoopback means an address is not on this machine's loopback
// interface, so the load generator refuses to send anything to it.
var ErrNotLoopback = errors.New("not a loopback address: only 127.0.0.0/8, ::1 and localhost " +
	"may be targeted")

// ParseTarget parses the base URL of the server under load, such as
// http://127.0.0.1:8080. It fails with ErrNotLoopback unless the host is
// localhost or a loopback IP address; other names are refused without
// being looked up, since they could resolve anywhere.
func ParseTarget(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("target %q: %w", raw, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("target %q: scheme must be http or https", raw)
	}
	if err := checkLoopbackHost(u.Hostname()); err != nil {
		return nil, fmt.Errorf("target %q: %w", raw, err)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("target %q: give the server's base URL, without a path", raw)
	}
	u.Path = ""
	return u, nil
}

// CheckMongoURI fails with ErrNotLoopback unless every host of a MongoDB
// connection string is on the loopback interface. SRV strings
// (mongodb+srv://) are refused: their hosts come from DNS.
func CheckMongoURI(uri string) error {
	// Checked before parsing, which would look the SRV record up.
	if strings.HasPrefix(uri, connstring.SchemeMongoDBSRV+"://") {
		return fmt.Errorf("database: mongodb+srv: %w", ErrNotLoopback)
	}
	cs, err := connstring.Parse(uri)
	if err != nil {
		// The driver's message may quote the password.
		return errors.New("the database URI is not a MongoDB connection string")
	}
	for _, h := range cs.Hosts {
		host, _, err := net.SplitHostPort(h)
		if err != nil {
			host = h // no port given
		}
		if err := checkLoopbackHost(host); err != nil {
			return fmt.Errorf("database host %s: %w", host, err)
		}
	}
	return nil
}

func checkLoopbackHost(host string) error {
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !addr.Unmap().IsLoopback() {
		return ErrNotLoopback
	}
	return nil
}

// loopbackDialer returns a dialer that refuses, after name resolution and
// before connecting, any address that is not loopback. It guards against
// a "localhost" that resolves elsewhere.
func loopbackDialer() *net.Dialer {
	return &net.Dialer{
		Timeout: 5 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if err := checkLoopbackHost(host); err != nil {
				return fmt.Errorf("dial %s: %w", address, err)
			}
			return nil
		},
	}
}

// NewClient returns an HTTP client for a load run with workers concurrent
// requests: it keeps that many connections open, never uses a proxy, never
// follows a redirect, and connects to loopback addresses only.
func NewClient(workers int, timeout time.Duration) *http.Client {
	transport := &http.Transport{
		Proxy:               nil,
		DialContext:         loopbackDialer().DialContext,
		MaxIdleConns:        workers,
		MaxIdleConnsPerHost: workers,
		IdleConnTimeout:     30 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}
