// After the response: the request's background tasks and provider
// cleanups, started once the client has the whole response.

package brisk

import (
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/briskgo/brisk/background"

	"github.com/briskgo/brisk/internal/funcname"
	"github.com/briskgo/brisk/internal/taskrun"
)

// tasksRun is the runner's side that only the App uses.
var tasksRun = taskrun.Get[background.Runner, background.Tasks]()

// wantsLength reports whether responses should carry an explicit
// Content-Length: when work runs after them, the client must be able to tell
// the response is complete.
func (st *reqState) wantsLength() bool {
	return (st.tasks != nil && st.tasks.Len() > 0) || len(st.cleanups) > 0
}

// backgroundTasks returns the request's tasks, created on first use. They
// come from the runner, which takes them back once they have run.
func (st *reqState) backgroundTasks() *background.Tasks {
	if st.tasks == nil {
		st.tasks = tasksRun.NewTasks(st.app.runner)
		st.afterWork.Store(true)
	}
	return st.tasks
}

// addCleanup adds a cleanup to run after the response.
func (st *reqState) addCleanup(fn func()) {
	st.cleanups = append(st.cleanups, fn)
	st.afterWork.Store(true)
}

// discardTasks drops the tasks of a request that ends in an error, as
// FastAPI does.
func (st *reqState) discardTasks() {
	if st.tasks != nil {
		st.tasks.Discard()
	}
}

// afterResponse makes sure the client has the whole response, then runs the
// request's tasks and cleanups in the background.
func (a *App) afterResponse(st *reqState, r *http.Request) {
	var wait <-chan struct{}
	switch {
	case st.root.hijacked:
		// The connection is the handler's; it is done with it once
		// ServeHTTP returns, which the request context's end tells.
		wait = r.Context().Done()
	case noContentLength(st.root.w.Header()):
		// Without a length the end of the response is written by net/http
		// after ServeHTTP returns.
		wait = responseEnd(r)
	}
	// With a length the client has it all once it is flushed. The runner
	// takes the work before the client can have the response, so that a
	// Shutdown called by a client that has it waits for the work, and
	// starts it after the flush (deferred, so even if the flush panics).
	after := a.cleanupsAfter(st, r)
	n := tasksRun.Reserve(a.runner, st.tasks, after, r.Method, r.URL.Path)
	defer tasksRun.Start(a.runner, st.tasks, n, after, wait, r.Method, r.URL.Path)
	if st.root.hijacked {
		return // the connection is the handler's: nothing of ours to flush
	}
	if !st.root.wroteHeader {
		st.root.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(st.root.w).Flush()
}

// noContentLength reports whether h sets no Content-Length, as
// h.Get("Content-Length") == "" (net/http's test), without canonicalising the
// key: it is canonical already.
func noContentLength(h http.Header) bool {
	v := h["Content-Length"]
	return len(v) == 0 || v[0] == ""
}

// brokenOff is afterResponse for a response net/http is about to abort (a
// panic once it had started, or http.ErrAbortHandler): the tasks are
// dropped, but the providers' cleanups still run, once ServeHTTP returned.
func (a *App) brokenOff(st *reqState, r *http.Request) {
	st.discardTasks()
	if after := a.cleanupsAfter(st, r); after != nil {
		a.runner.Run(nil, after, r.Context().Done(), r.Method, r.URL.Path)
	}
}

// cleanupsAfter returns a func running the request's provider cleanups,
// newest first, or nil when there are none.
func (a *App) cleanupsAfter(st *reqState, r *http.Request) func() {
	cl := st.cleanups
	if len(cl) == 0 {
		return nil
	}
	return func() {
		for i := len(cl) - 1; i >= 0; i-- {
			a.runCleanup(cl[i], r.Method, r.URL.Path)
		}
	}
}

// runCleanup runs one provider cleanup; a panic is logged, not fatal.
func (a *App) runCleanup(fn func(), method, path string) {
	defer func() {
		if p := recover(); p != nil {
			a.cfg.Logger.Error("brisk: panic in provider cleanup", slog.String("method", method), slog.String("path", path),
				slog.String("cleanup", funcname.Of(fn)), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
		}
	}()
	fn()
}
