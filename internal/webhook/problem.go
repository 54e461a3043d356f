package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
)

// httpError is a failure found in the request itself, with the status and
// code the sender gets.
type httpError struct {
	Status int
	Code   string
	Detail string
	cause  error
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return e.Code + ": " + e.Detail + ": " + e.cause.Error()
	}
	return e.Code + ": " + e.Detail
}

func (e *httpError) Unwrap() error { return e.cause }

func errorf(status int, code, detail string) *httpError {
	return &httpError{Status: status, Code: code, Detail: detail}
}

// errNotConfigured means the route cannot hand anything on: no signing
// secret, or no Inngest client.
var errNotConfigured = errors.New("webhook route not configured")

// sentinels maps this package's failures to a status and a code. Every
// failure of ours is a 5xx, so that the sender retries.
var sentinels = []struct {
	err    error
	status int
	code   string
	detail string
}{
	{ErrInProgress, http.StatusConflict, "delivery_in_progress",
		"this delivery is being handed on by another request; try again later"},
	{ErrNotSent, http.StatusServiceUnavailable, "unavailable",
		"the event could not be queued; nothing was recorded, try again later"},
	{errNotConfigured, http.StatusServiceUnavailable, "unavailable",
		"webhooks cannot be processed: the server has no Inngest client or no signing secret"},
}

// problem is an RFC 9457 problem document with the API's stable code.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
}

func toProblem(err error) problem {
	var herr *httpError
	if errors.As(err, &herr) {
		return newProblem(herr.Status, herr.Code, herr.Detail)
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return newProblem(s.status, s.code, s.detail)
		}
	}
	return newProblem(http.StatusInternalServerError, "internal", "something went wrong on our side")
}

func newProblem(status int, code, detail string) problem {
	return problem{Type: "about:blank", Title: http.StatusText(status), Status: status,
		Detail: detail, Code: code}
}

// fail logs err once, at the level its status deserves, and writes it as a
// problem document.
func (h *clerkHandler) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := toProblem(err)
	if p.Status >= 500 {
		h.logger.ErrorContext(r.Context(), "clerk webhook failed", "status", p.Status, "err", err)
	} else {
		h.logger.DebugContext(r.Context(), "clerk webhook refused", "status", p.Status,
			"code", p.Code, "err", err)
	}

	w.Header().Set("X-Content-Type-Options", "nosniff")
	writeBody(w, p.Status, "application/problem+json", p)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeBody(w, status, "application/json", v)
}

// writeBody writes v as JSON. Only maps of strings and problems are
// written, which always encode.
func writeBody(w http.ResponseWriter, status int, contentType string, v any) {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(v)
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
