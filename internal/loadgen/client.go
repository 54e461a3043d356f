package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// maxAnswer bounds how much of an answer is read.
const maxAnswer = 1 << 20

// api sends requests to the server under load.
type api struct {
	base   *url.URL
	client *http.Client
}

// answer is what one request got.
type answer struct {
	status  int
	body    []byte
	latency time.Duration
	err     error
}

// send sends a request with an optional JSON body and bearer token, and
// reads the whole answer. The latency runs until the answer has been read.
func (a api) send(ctx context.Context, method, path, token string, body []byte) answer {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base.String()+path, rd)
	if err != nil {
		return answer{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}

	start := time.Now()
	resp, err := a.client.Do(req)
	if err != nil {
		return answer{latency: time.Since(start), err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	return answer{status: resp.StatusCode, body: data, latency: time.Since(start), err: err}
}

// sample turns an answer to a request on route into a Sample.
func (an answer) sample(route string) Sample {
	s := Sample{Route: route, Status: an.status, Latency: an.latency}
	if an.err != nil {
		s.Status, s.Failure = 0, failureReason(an.err)
	}
	return s
}

// failureReason names why a request got no answer, in a word or two, so
// that failures can be counted by kind.
func failureReason(err error) string {
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, io.EOF):
		return "connection reset"
	case errors.Is(err, ErrNotLoopback):
		return "not loopback"
	}
	return "transport error"
}

// call sends a request that must succeed with want, for setting a run up,
// and decodes the answer into out.
func (a api) call(ctx context.Context, method, path, token string, in, out any, want int) error {
	var body []byte
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
	}
	an := a.send(ctx, method, path, token, body)
	if an.err != nil {
		return fmt.Errorf("%s %s: %w", method, path, an.err)
	}
	if an.status != want {
		return fmt.Errorf("%s %s: got %d %s, want %d", method, path, an.status,
			bytes.TrimSpace(an.body), want)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(an.body, out); err != nil {
		return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
	}
	return nil
}
