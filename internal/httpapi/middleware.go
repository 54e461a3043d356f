package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// maxRequestID is the longest X-Request-Id taken from a client.
const maxRequestID = 128

// checkRequestID drops a client's X-Request-Id unless it is 1 to
// maxRequestID printable ASCII characters other than space, so that chi's
// RequestID, next in the chain, makes up an id rather than putting the
// client's text, of any length, into every log line of the request.
func checkRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := r.Header.Get(middleware.RequestIDHeader); id != "" && !plausibleRequestID(id) {
			r = r.Clone(r.Context()) // a handler must not change the request it was given
			r.Header.Del(middleware.RequestIDHeader)
		}
		next.ServeHTTP(w, r)
	})
}

func plausibleRequestID(id string) bool {
	if len(id) > maxRequestID {
		return false
	}
	for i := range len(id) {
		if id[i] <= ' ' || id[i] > '~' {
			return false
		}
	}
	return true
}

// logState is filled in as a request goes down the chain and read by the
// access log line when it comes back.
type logState struct {
	userID string
}

type logStateKey struct{}

// setLogUser records the signed-in user for the request's access log line.
func setLogUser(ctx context.Context, userID string) {
	if st, ok := ctx.Value(logStateKey{}).(*logState); ok {
		st.userID = userID
	}
}

// accessLog writes one line per request: method, route pattern, status,
// duration, request id and user id when known; and counts the request in
// the metrics.
func (s *Server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &logState{}
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		r = r.WithContext(context.WithValue(r.Context(), logStateKey{}, st))

		next.ServeHTTP(ww, r)

		route, status, d := routePattern(r), ww.Status(), time.Since(start)
		if status == 0 {
			status = http.StatusOK // nothing written: net/http sends 200
		}
		s.metrics.Request(r.Method, route, status, d)

		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Duration("duration", d),
			slog.String("request_id", middleware.GetReqID(r.Context())),
		}
		if st.userID != "" {
			attrs = append(attrs, slog.String("user_id", st.userID))
		}
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// routePattern is the chi pattern that served r, such as
// /api/shows/{showId}, so that logs and metrics never hold raw ids.
func routePattern(r *http.Request) string {
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.RoutePattern() == "" {
		return "unmatched"
	}
	return rctx.RoutePattern()
}

// recoverer turns a panic into a logged 500. http.ErrAbortHandler is
// re-panicked so net/http can abort the response as it intends.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			s.logger.ErrorContext(r.Context(), "panic serving request",
				"panic", v, "stack", string(debug.Stack()),
				"request_id", middleware.GetReqID(r.Context()))
			writeProblem(w, newProblem(http.StatusInternalServerError, "internal",
				"something went wrong on our side"))
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets headers that are right for every API response.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}
