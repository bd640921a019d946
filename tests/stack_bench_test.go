package tests

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/briskgo/brisk"
)

// The cost of the middleware stack, in process, against a writer that
// discards everything. Run:
//
//	go test ./tests/ -run '^$' -bench Stack -benchmem

// nopWriter is an http.ResponseWriter that keeps nothing.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(int)             {}

// emptyPlain is a plain layer that does nothing but call the next handler
// (returning next itself would not be a layer at all).
func emptyPlain(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(w, r) })
}

// emptyCallNext is a call-next layer that does nothing.
func emptyCallNext(r *http.Request, next brisk.Next) *brisk.Response { return next(r) }

func benchStack(b *testing.B, plain, callNext int, raw bool) {
	app := brisk.New(brisk.Config{OpenAPIURL: "-", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	for range plain {
		app.Use(emptyPlain)
	}
	for range callNext {
		app.Middleware(emptyCallNext)
	}
	if raw {
		app.Handle(http.MethodGet, "/items/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header()["Content-Type"] = []string{"application/json"}
			_, _ = io.WriteString(w, `{"message":"ok"}`)
		}))
	} else {
		app.Get("/items/{id}", func(id int) Message { return Message{Message: "ok"} })
	}
	req := httptest.NewRequest(http.MethodGet, "/items/1", nil)
	w := &nopWriter{h: make(http.Header)}
	app.ServeHTTP(w, req)
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		app.ServeHTTP(w, req)
	}
}

func BenchmarkStack(b *testing.B) {
	cases := []struct {
		name            string
		plain, callNext int
	}{
		{"none", 0, 0},
		{"plain1", 1, 0},
		{"callnext1", 0, 1},
		{"plain5", 5, 0},
		{"callnext5", 0, 5},
		{"plain5+callnext5", 5, 5},
	}
	for _, c := range cases {
		b.Run("typed/"+c.name, func(b *testing.B) { benchStack(b, c.plain, c.callNext, false) })
	}
	for _, c := range cases {
		b.Run("handler/"+c.name, func(b *testing.B) { benchStack(b, c.plain, c.callNext, true) })
	}
}
