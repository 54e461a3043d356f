package ferret

import (
	"context"
	"log/slog"
)

// warnHandler hands records of level Warn and above to next and drops the
// rest, whatever level next would accept.
type warnHandler struct {
	next slog.Handler
}

func warnings(h slog.Handler) slog.Handler {
	return warnHandler{next: h}
}

func (h warnHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return level >= slog.LevelWarn && h.next.Enabled(ctx, level)
}

func (h warnHandler) Handle(ctx context.Context, r slog.Record) error {
	return h.next.Handle(ctx, r)
}

func (h warnHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return warnHandler{next: h.next.WithAttrs(attrs)}
}

func (h warnHandler) WithGroup(name string) slog.Handler {
	return warnHandler{next: h.next.WithGroup(name)}
}
