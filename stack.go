// Middleware stacks: layers (plain and call-next), chaining them, and runs
// of adjacent call-next layers sharing one capture.

package brisk

import (
	"fmt"
	"net/http"
	"sync"
)

// MiddlewareFunc is a call-next middleware: it receives the request and next,
// which runs the rest of the stack and returns the response not yet sent.
// It may change that response's status and headers, or return a response of
// its own without calling next.
type MiddlewareFunc func(r *http.Request, next Next) *Response

// Next runs the rest of the middleware stack and the handler.
type Next func(r *http.Request) *Response

// StreamBuffer is how many bytes of a response a call-next layer holds
// before it passes the response through to the client as a stream. Beyond
// it, or once the handler flushes, status and header changes made after next
// returns no longer apply.
const StreamBuffer = 64 << 10

// layer is one entry of a middleware stack: plain or call-next.
type layer struct {
	plain    func(http.Handler) http.Handler
	callNext MiddlewareFunc
	name     string
}

// wrap returns next wrapped by the layer. A call-next layer around a run of
// call-next layers joins the run, so that the whole run shares one capture
// (see callNextRun).
func (l layer) wrap(next http.Handler, pool *sync.Pool) http.Handler {
	if l.plain != nil {
		h := l.plain(next)
		if h == nil {
			panic(fmt.Sprintf("brisk: middleware %s returned a nil handler", l.name))
		}
		return h
	}
	if run, ok := next.(*callNextRun); ok && run.pool == pool {
		return run.outside(l.callNext)
	}
	return &callNextRun{fns: []MiddlewareFunc{l.callNext}, inner: next, pool: pool}
}

// chain wraps h in layers, the last added outermost (LIFO, as Starlette's
// add_middleware).
func chain(layers []layer, h http.Handler, pool *sync.Pool) http.Handler {
	for _, l := range layers {
		h = l.wrap(h, pool)
	}
	return h
}

// callNextRun runs adjacent call-next layers as one http.Handler. It needs
// no goroutine, and one captureWriter for the whole run rather than one per
// layer: layer k's next calls layer k+1's func directly, with the request it
// was given; only the innermost layer's next runs the inner handler, against
// the capture; and only the response the outermost layer returns is written
// to the writer beneath. Every layer of the run sees the same captured
// *Response, so a run of five layers copies the response once, not five
// times.
type callNextRun struct {
	fns   []MiddlewareFunc // outermost first
	inner http.Handler
	pool  *sync.Pool
}

// outside returns a new run: fn around the layers of h. Stacks are built
// once, so h is left as it is rather than shared and changed.
func (h *callNextRun) outside(fn MiddlewareFunc) *callNextRun {
	fns := make([]MiddlewareFunc, 0, len(h.fns)+1)
	fns = append(append(fns, fn), h.fns...)
	return &callNextRun{fns: fns, inner: h.inner, pool: h.pool}
}

func (h *callNextRun) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cw := h.pool.Get().(*captureWriter)
	cw.start(h, w, r)
	// A panic leaves cw to the garbage collector (a writer in an unknown
	// state must not go back to the pool), and the header map beneath as it
	// was, for whoever answers the panic. The flag, not cw, says whether the
	// run finished: once released, cw may be serving another request.
	finished := false
	defer func() {
		if !finished {
			cw.giveBack()
		}
	}()
	err := cw.send(cw.result(0, r, h.fns[0](r, cw.frames[0].next)))
	if err != nil {
		cw.giveBack()
	}
	finished = true
	cw.release(h.pool)
	if err != nil {
		panic(fmt.Errorf("brisk: writing the response of call-next middleware: %w", err))
	}
}

// nextFrame is the Next of one layer of a run.
type nextFrame struct {
	cw     *captureWriter
	depth  int // the layer's index in the run, outermost 0
	called bool
	next   Next // call, bound once: a pooled writer's Nexts cost no allocation
}

// call runs the rest of the stack below the frame's layer: the next layer of
// the run, or, below the innermost, the inner handler against the capture.
func (f *nextFrame) call(r *http.Request) *Response {
	cw := f.cw
	if cw.run == nil {
		panic("brisk: call-next middleware called next after it returned")
	}
	if f.called {
		panic("brisk: call-next middleware called next twice")
	}
	f.called = true
	below := f.depth + 1
	if below == len(cw.run.fns) {
		cw.run.inner.ServeHTTP(cw, r)
		return &cw.resp
	}
	resp := cw.result(below, r, cw.run.fns[below](r, cw.frames[below].next))
	if resp != &cw.resp {
		cw.adopt(resp)
	}
	return &cw.resp
}
