package middleware_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/briskgo/brisk/middleware"
	"github.com/klauspost/compress/gzhttp"
)

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures the middleware rather than a recorder.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// jsonBody returns a JSON array of user records, exactly n bytes long once
// its tail is trimmed and the array closed.
func jsonBody(n int) []byte {
	type user struct {
		ID     int     `json:"id"`
		Name   string  `json:"name"`
		Email  string  `json:"email"`
		Active bool    `json:"active"`
		Score  float64 `json:"score"`
	}
	var users []user
	for i := 0; ; i++ {
		users = append(users, user{i, fmt.Sprintf("user-%d", i), fmt.Sprintf("user%d@example.com", i), i%3 == 0, float64(i) * 1.37})
		b, _ := json.Marshal(users)
		if len(b) >= n {
			b = b[:n]
			b[n-1] = ']'
			return b
		}
	}
}

// BenchmarkGZip16KiB compares a 16 KiB JSON response through GZip with the
// same response through bare gzhttp.GzipHandler (also level 5), to show what
// Brisk's wrapper costs.
func BenchmarkGZip16KiB(b *testing.B) {
	body := jsonBody(16 << 10)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	for _, bc := range []struct {
		name string
		h    http.Handler
	}{
		{"brisk", middleware.GZip()(handler)},
		{"gzhttp", gzhttp.GzipHandler(handler)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/", nil)
			r.Header.Set("Accept-Encoding", "gzip")
			w := &discardWriter{header: http.Header{}}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				clear(w.header)
				bc.h.ServeHTTP(w, r)
			}
			if w.header.Get("Content-Encoding") != "gzip" {
				b.Fatal("the response was not compressed")
			}
		})
	}
}
