package tests

// Helpers of the stack_*_test.go files: the middleware stack end to end
// (order, call-next layers, groups, streaming, hijack, panics, Describe).

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// guard bounds every wait in these tests: it is never how they synchronise,
// only how a broken build fails instead of hanging.
const guard = 10 * time.Second

// recorder collects the events of one request, in order, from every layer.
type recorder struct {
	mu   sync.Mutex
	list []string
}

func (e *recorder) add(s string) {
	e.mu.Lock()
	e.list = append(e.list, s)
	e.mu.Unlock()
}

// take returns the events so far and forgets them.
func (e *recorder) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.list
	e.list = nil
	return out
}

// plainLayer is net/http middleware recording in:name and out:name.
func plainLayer(ev *recorder, name string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ev.add("in:" + name)
			next.ServeHTTP(w, r)
			ev.add("out:" + name)
		})
	}
}

// callNextLayer is a call-next layer recording in:name and out:name, and
// adding name to the X-Order response header on the way out.
func callNextLayer(ev *recorder, name string) brisk.MiddlewareFunc {
	return func(r *http.Request, next brisk.Next) *brisk.Response {
		ev.add("in:" + name)
		resp := next(r)
		ev.add("out:" + name)
		resp.Header().Add("X-Order", name)
		return resp
	}
}

// passThrough is a call-next layer that does nothing.
func passThrough(r *http.Request, next brisk.Next) *brisk.Response { return next(r) }

// within waits for ch, failing the test after the guard.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(guard):
		require.FailNow(t, "timed out waiting for "+what)
	}
	var zero T
	return zero
}
