package brisk_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/briskgo/brisk"
)

// FastAPI's background-tasks tutorial route, Brisk against the same route
// written by hand on chi, driven in-process. Run: go test -run '^$' -bench . -benchmem

type benchMessage struct {
	Message string `json:"message"`
}

type benchQuery string

func benchBrisk() http.Handler {
	app := brisk.New(brisk.Config{OpenAPIURL: "-"})
	app.Provide(func(in struct {
		Q string `query:"q"`
	}) benchQuery {
		return benchQuery(in.Q)
	})
	app.Post("/send-notification/{email}", func(email string, q benchQuery) benchMessage {
		return benchMessage{Message: "Message sent"}
	})
	return app
}

func benchChi() http.Handler {
	r := chi.NewRouter()
	r.Post("/send-notification/{email}", func(w http.ResponseWriter, r *http.Request) {
		email := chi.URLParam(r, "email")
		q := r.URL.Query().Get("q")
		_, _ = email, q
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(benchMessage{Message: "Message sent"})
	})
	return r
}

type benchItem struct {
	Name  string   `json:"name" validate:"required"`
	Price float64  `json:"price" validate:"gt=0"`
	Tags  []string `json:"tags"`
}

func benchBriskBody() http.Handler {
	app := brisk.New(brisk.Config{OpenAPIURL: "-"})
	app.Post("/items", func(it benchItem) benchItem { return it }, brisk.Status(201))
	return app
}

func benchChiBody() http.Handler {
	r := chi.NewRouter()
	r.Post("/items", func(w http.ResponseWriter, r *http.Request) {
		var it benchItem
		if err := json.NewDecoder(r.Body).Decode(&it); err != nil || it.Name == "" || it.Price <= 0 {
			w.WriteHeader(422)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		_ = json.NewEncoder(w).Encode(it)
	})
	return r
}

// nopWriter is a ResponseWriter that costs nothing, so the benchmark
// measures the framework.
type nopWriter struct{ h http.Header }

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(int)             {}

func runBench(b *testing.B, h http.Handler, method, target, body string) {
	req := httptest.NewRequest(method, target, nil)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := &nopWriter{h: make(http.Header)}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if body != "" {
			req.Body = readCloser{strings.NewReader(body)}
		}
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

type readCloser struct{ *strings.Reader }

func (readCloser) Close() error { return nil }

func BenchmarkSeedRoute(b *testing.B) {
	b.Run("brisk", func(b *testing.B) {
		runBench(b, benchBrisk(), "POST", "/send-notification/foo@example.com?q=foo", "")
	})
	b.Run("chi", func(b *testing.B) {
		runBench(b, benchChi(), "POST", "/send-notification/foo@example.com?q=foo", "")
	})
}

func BenchmarkJSONBody(b *testing.B) {
	const body = `{"name":"widget","price":9.5,"tags":["a","b"]}`
	b.Run("brisk", func(b *testing.B) { runBench(b, benchBriskBody(), "POST", "/items", body) })
	b.Run("chi", func(b *testing.B) { runBench(b, benchChiBody(), "POST", "/items", body) })
}
