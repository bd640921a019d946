package brisk

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/briskgo/brisk/internal/funcname"
)

// nopWriter is a ResponseWriter that keeps headers and status and drops the
// body, allocating nothing per request.
type nopWriter struct {
	h      http.Header
	status int
}

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *nopWriter) WriteHeader(code int)        { w.status = code }

func capturePool() *sync.Pool {
	return &sync.Pool{New: func() any { return newCaptureWriter() }}
}

func setHeader(name string) MiddlewareFunc {
	return func(r *http.Request, next Next) *Response {
		resp := next(r)
		resp.Header()[name] = testValue // the test's own value: no allocation
		return resp
	}
}

// Adjacent call-next layers become one run, outermost first; a plain layer
// between them splits the run.
func TestChainFusesAdjacentCallNextLayers(t *testing.T) {
	pool := capturePool()
	inner := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	a, b, c := setHeader("A"), setHeader("B"), setHeader("C")
	plain := layer{plain: func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) })
	}, name: "plain"}

	run, ok := chain([]layer{{callNext: a}, {callNext: b}, {callNext: c}}, inner, pool).(*callNextRun)
	if !ok || len(run.fns) != 3 {
		t.Fatalf("want one run of 3 layers, got %#v", run)
	}
	if funcname.WithLine(run.fns[0]) != funcname.WithLine(c) || funcname.WithLine(run.fns[2]) != funcname.WithLine(a) {
		t.Errorf("want the last added outermost")
	}

	outer, ok := chain([]layer{{callNext: a}, plain, {callNext: b}, {callNext: c}}, inner, pool).(*callNextRun)
	if !ok || len(outer.fns) != 2 {
		t.Fatalf("want an outer run of 2 layers, got %#v", outer)
	}
	if _, ok := outer.inner.(*callNextRun); ok {
		t.Errorf("a plain layer between must split the run")
	}
}

// A run costs one allocation per request once its pooled writer exists (the
// Content-Length value, the response's own so no other response can see a
// change to it), and its layers' headers and the body reach the writer
// beneath.
func TestRunAllocatesNothing(t *testing.T) {
	// One writer, handed out again whenever the pool is empty: under the
	// race detector sync.Pool drops some of what is put back, and a new
	// writer would count as the run's allocation.
	cw := newCaptureWriter()
	pool := &sync.Pool{New: func() any { return cw }}
	body := []byte("pong")
	inner := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) })
	layers := []layer{{callNext: setHeader("A")}, {callNext: setHeader("B")}, {callNext: setHeader("C")}}
	h := chain(layers, inner, pool)
	req := httptest.NewRequest(http.MethodGet, "/", nil)

	for _, preset := range []bool{false, true} { // borrowing the map, and not
		w := &nopWriter{h: make(http.Header)}
		serve := func() {
			clear(w.h)
			if preset {
				w.h["X-Preset"] = testValue
			}
			h.ServeHTTP(w, req)
		}
		serve()
		if len(w.h) != 4+boolInt(preset) || w.status != http.StatusOK {
			t.Fatalf("preset %v: headers %v, status %d", preset, w.h, w.status)
		}
		if n := testing.AllocsPerRun(100, serve); n != 1 {
			t.Errorf("preset %v: %v allocs per request, want 1", preset, n)
		}
	}
}

// testValue is a header value the layers of these tests assign, so that
// the runs' allocations are counted alone.
var testValue = []string{"1"}

// After a stream the capture's map is its own again: the writer beneath
// keeps what went out, the layers' later changes stay in the capture.
func TestStreamGivesTheBorrowedMapBack(t *testing.T) {
	pool := capturePool()
	inner := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Handler", "yes")
		_, _ = io.WriteString(w, "chunk")
		w.(http.Flusher).Flush()
	})
	var seen string
	layers := []layer{{callNext: func(r *http.Request, next Next) *Response {
		resp := next(r)
		seen = resp.Header().Get("X-Handler")
		resp.Header().Set("X-Late", "too late")
		return resp
	}}, {callNext: setHeader("B")}}
	rec := httptest.NewRecorder()
	chain(layers, inner, pool).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if seen != "yes" {
		t.Errorf("the layer saw X-Handler %q after the stream", seen)
	}
	if rec.Header().Get("X-Late") != "" || rec.Header().Get("B") != "" {
		t.Errorf("changes after the stream reached the writer: %v", rec.Header())
	}
	if rec.Header().Get("X-Handler") != "yes" || rec.Body.String() != "chunk" {
		t.Errorf("got %v %q", rec.Header(), rec.Body.String())
	}
}
