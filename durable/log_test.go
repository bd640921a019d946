package durable

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
	"testing/slogtest"
)

// The switch keeps slog.Handler's contract, WithAttrs and WithGroup in the
// order they were called, over a handler set after the derivation.
func TestLogSwitchHandler(t *testing.T) {
	var buf bytes.Buffer
	sw := newLogSwitch(slog.New(slog.DiscardHandler))
	sw.set(slog.New(slog.NewJSONHandler(&buf, nil)))
	slogtest.Run(t, func(*testing.T) slog.Handler { buf.Reset(); return sw }, func(t *testing.T) map[string]any {
		m := map[string]any{}
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		return m
	})

	buf.Reset()
	l := slog.New(sw).With("a", 1).WithGroup("g")
	sw.set(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == slog.LevelKey {
			return slog.Attr{}
		}
		return a
	}})))
	l.Info("m", "b", 2)
	if got, want := buf.String(), `{"msg":"m","a":1,"g":{"b":2}}`+"\n"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
