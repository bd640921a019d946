package background_test

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"
)

// entry is one log record as a test sees it.
type entry struct {
	Level slog.Level
	Msg   string
	Attrs map[string]any
}

// recorder is a slog.Handler that keeps every record, for assertions on what
// the runner logs. It is safe for concurrent use: workers log from their own
// goroutines.
type recorder struct {
	mu      sync.Mutex
	entries []entry
}

func newLogger() (*slog.Logger, *recorder) {
	rec := &recorder{}
	return slog.New(rec), rec
}

func (*recorder) Enabled(context.Context, slog.Level) bool { return true }

func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	e := entry{Level: r.Level, Msg: r.Message, Attrs: map[string]any{}}
	r.Attrs(func(a slog.Attr) bool {
		e.Attrs[a.Key] = a.Value.Resolve().Any()
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, e)
	return nil
}

func (h *recorder) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recorder) WithGroup(string) slog.Handler      { return h }

// all returns a copy of the records so far.
func (h *recorder) all() []entry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.entries)
}

// withMsg returns the records whose message is msg.
func (h *recorder) withMsg(msg string) []entry {
	var out []entry
	for _, e := range h.all() {
		if e.Msg == msg {
			out = append(out, e)
		}
	}
	return out
}

// trace records events from several goroutines in the order they happen.
type trace struct {
	mu     sync.Mutex
	events []string
}

func (tr *trace) add(ev string) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.events = append(tr.events, ev)
}

func (tr *trace) get() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return slices.Clone(tr.events)
}

// deadline returns a context that ends after a generous bound, for the
// Shutdown calls of tests: a Runner that never drains fails the test with
// context.DeadlineExceeded instead of hanging it until go test's timeout.
func deadline(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
