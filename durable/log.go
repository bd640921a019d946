// Logging: task errors and panics with their kind, and a logger that the
// App's can replace after the River client is built.

package durable

import (
	"context"
	"log/slog"
	"slices"
	"sync/atomic"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// logSwitch is a slog.Handler forwarding to a handler that can be set once
// the queue is attached to an App (River keeps the logger it was built with).
// A derived switch (WithAttrs, WithGroup) replays its steps, in order, on
// the root's current handler.
type logSwitch struct {
	h    atomic.Pointer[slog.Handler] // the root's only
	root *logSwitch
	wrap []func(slog.Handler) slog.Handler
}

func newLogSwitch(l *slog.Logger) *logSwitch {
	s := &logSwitch{}
	s.root = s
	if l == nil {
		l = slog.Default()
	}
	s.set(l)
	return s
}

func (s *logSwitch) set(l *slog.Logger) {
	h := l.Handler()
	s.root.h.Store(&h)
}

func (s *logSwitch) handler() slog.Handler {
	h := *s.root.h.Load()
	for _, w := range s.wrap {
		h = w(h)
	}
	return h
}

func (s *logSwitch) derive(w func(slog.Handler) slog.Handler) *logSwitch {
	return &logSwitch{root: s.root, wrap: append(slices.Clip(s.wrap), w)}
}

func (s *logSwitch) Enabled(ctx context.Context, l slog.Level) bool {
	return s.handler().Enabled(ctx, l)
}

func (s *logSwitch) Handle(ctx context.Context, r slog.Record) error {
	return s.handler().Handle(ctx, r)
}

func (s *logSwitch) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return s
	}
	return s.derive(func(h slog.Handler) slog.Handler { return h.WithAttrs(attrs) })
}

func (s *logSwitch) WithGroup(name string) slog.Handler {
	if name == "" {
		return s
	}
	return s.derive(func(h slog.Handler) slog.Handler { return h.WithGroup(name) })
}

func (q *Queue) logger() *slog.Logger { return slog.New(q.log) }

// errorLogger logs a failing or panicking task with its kind, id and
// attempt; River's retry policy then applies.
type errorLogger struct{ log *slog.Logger }

func (e *errorLogger) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	e.log.ErrorContext(ctx, "durable: task failed", "kind", job.Kind, "id", job.ID,
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "error", err)
	return nil
}

func (e *errorLogger) HandlePanic(ctx context.Context, job *rivertype.JobRow, v any, trace string) *river.ErrorHandlerResult {
	e.log.ErrorContext(ctx, "durable: task panicked", "kind", job.Kind, "id", job.ID,
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "panic", v, "stack", trace)
	return nil
}
