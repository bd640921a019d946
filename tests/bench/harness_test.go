package bench

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The same in-process harness drives every implementation: one request,
// built once and reused, its body reset in place; a ResponseWriter that
// discards the body and reuses its header map. Neither allocates per
// iteration, so allocs/op are the framework's own.

// body is a reusable request body.
type body struct{ strings.Reader }

func (*body) Close() error { return nil }

// newRequest builds sc's request and the func that rewinds it for the next
// iteration.
func newRequest(sc Scenario) (*http.Request, func()) {
	req := httptest.NewRequest(sc.Method, sc.Target, nil)
	if sc.Gzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if sc.Body == "" {
		return req, func() {}
	}
	req.Header.Set("Content-Type", "application/json")
	b := &body{}
	return req, func() {
		b.Reset(sc.Body)
		req.Body = b
		req.ContentLength = int64(len(sc.Body))
	}
}

// nopWriter is a ResponseWriter that costs nothing. Like net/http's own
// writer it is an http.Flusher (a framework that flushes must not pay for
// ResponseController's not-supported error, which a server never returns).
type nopWriter struct {
	h      http.Header
	status int
}

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(code int)        { w.status = code }
func (w *nopWriter) Flush()                      {}

// benchScenario runs sc against every implementation that takes part, one
// sub-benchmark each ("fw=NAME", for benchstat's -col /fw). go test's
// -count N runs each sub-benchmark N times in a row; run.sh interleaves the
// implementations by running the binary N times with -count 1 instead.
//
// Besides wall time (ns/op) it reports cpu-ns/op: the process's CPU time
// (all threads: the GC, and the goroutines that run background work, too)
// per request. It is what a request costs the machine, and it stays
// meaningful when other work shares the cores, which wall time does not.
func benchScenario(b *testing.B, name string) {
	sc, ok := ScenarioByName(name)
	if !ok {
		b.Fatalf("no scenario %s", name)
	}
	for _, im := range Impls {
		h := Handler(im.Name, sc.Route)
		if h == nil {
			continue
		}
		b.Run("fw="+im.Name, func(b *testing.B) {
			req, rewind := newRequest(sc)
			w := &nopWriter{h: make(http.Header)}
			b.ReportAllocs()
			cpu := CPUTime()
			for b.Loop() {
				rewind()
				clear(w.h)
				h.ServeHTTP(w, req)
			}
			if cpu := CPUTime() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}
