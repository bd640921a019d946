// reqState, everything one request needs, pooled: making, resetting and
// finding it.

package brisk

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"sync/atomic"

	"github.com/go-chi/chi/v5"

	"github.com/briskgo/brisk/background"
	"github.com/briskgo/brisk/internal/problem"
)

// reqState is everything one request needs, pooled and reused: the writer
// the stack sees, chi's routing context, provider results, collected
// validation errors, the body, the background tasks.
type reqState struct {
	app  *App
	root rootWriter
	rctx chi.Context
	enc  encoder

	ctxAttached bool
	rawPath     bool

	// Argument scratch: Values that point into this struct, made once per
	// pooled state, so binding allocates nothing for them.
	ctx         context.Context
	ctxValue    reflect.Value
	writer      http.ResponseWriter
	writerValue reflect.Value
	strs        [scratchSlots]string
	words       [scratchSlots]uint64
	one         [1]string
	args        []reflect.Value

	slots     []reflect.Value
	values    []reflect.Value // reused request models and bodies, by scratch ID
	slotState []uint8

	errs    []problem.Item
	errLocs problem.LocSet // the locs in errs
	omitted int            // errors found past a producer's limit, not in errs
	abort   *HTTPError

	query      []queryPair
	queryReady bool
	vals       []string
	cookies    []*http.Cookie
	cookieDone bool

	body      bytes.Buffer
	limited   io.LimitedReader
	bodyRead  bool
	bodyState *HTTPError
	// bodyNotJSON: the body came with a content type other than JSON; as
	// FastAPI does, it is then validated as the text it is, not parsed.
	bodyNotJSON bool
	// bodyLimit is the route's body limit (<= 0: none), set by prepare.
	bodyLimit int64
	// form is the form body, parsed once (form.go, upload.go).
	form formState

	tasks    *background.Tasks
	cleanups []func()

	ws *WebSocket // a WebSocket route's connection (websocket.go)

	// afterWork is set once the request has tasks or cleanups, for code
	// outside the route's run that must not read them (see captureWriter).
	afterWork atomic.Bool

	// life is the state's lifetime across goroutines (see enter): the
	// generation, bumped at each release, and the runs under way.
	life atomic.Uint64
}

// The fields of reqState.life.
const (
	lifeRuns   = 1<<30 - 1 // runs entered through plain layers, under way
	lifeClosed = 1 << 30   // ServeHTTP has returned: no run may enter
	lifeOrphan = 1 << 31   // ...while a run was under way: the last one out finishes
	lifeGen    = 32        // the generation's shift
)

// enter joins a run reached through plain layers to the request of
// generation gen. A layer may run next on another goroutine (as
// http.TimeoutHandler does) and answer before it ends, or before it even
// starts: the state then lives until the last run leaves, and a run that
// starts once the request is over (or the state serves another request)
// is refused.
func (st *reqState) enter(gen uint32) bool {
	for {
		v := st.life.Load()
		if uint32(v>>lifeGen) != gen || v&lifeClosed != 0 {
			return false
		}
		if st.life.CompareAndSwap(v, v+1) {
			return true
		}
	}
}

// exit ends a run; true when it was the last of a request whose ServeHTTP
// has returned, which the caller then finishes and releases.
func (st *reqState) exit() bool {
	v := st.life.Add(^uint64(0))
	return v&lifeRuns == 0 && v&lifeOrphan != 0
}

// close marks the end of ServeHTTP. It reports whether no run is under way
// (ServeHTTP finishes the request and releases the state); otherwise the
// last run out does.
func (st *reqState) close() bool {
	for {
		v := st.life.Load()
		n := v | lifeClosed
		if v&lifeRuns != 0 {
			n |= lifeOrphan
		}
		if st.life.CompareAndSwap(v, n) {
			return v&lifeRuns == 0
		}
	}
}

// generation is the state's current generation, carried by the request
// context Brisk attaches.
func (st *reqState) generation() uint32 { return uint32(st.life.Load() >> lifeGen) }

func newReqState(a *App) *reqState {
	st := &reqState{app: a}
	st.root.st = st
	st.ctxValue = reflect.ValueOf(&st.ctx).Elem()
	st.writerValue = reflect.ValueOf(&st.writer).Elem()
	return st
}

// reset clears st for the pool, keeping its buffers.
func (st *reqState) reset() {
	st.root.w, st.root.wroteHeader, st.root.hijacked, st.root.status = nil, false, false, 0
	st.rctx.Reset()
	st.ctxAttached, st.rawPath = false, false
	st.ctx, st.writer = nil, nil
	// Element by element, and only where set: clear on memory holding
	// pointers goes through a bulk write barrier while the GC marks, which
	// costs more than the few loads for the slots (often none) a request used.
	for i := range st.strs {
		if st.strs[i] != "" {
			st.strs[i] = ""
		}
	}
	st.one[0] = ""
	for i := range st.slots {
		st.slots[i] = reflect.Value{}
	}
	st.slots = st.slots[:0]
	st.slotState = st.slotState[:0]
	if cap(st.errs) > 1024 {
		st.errs = nil // a hostile request's list is not kept for the next
	} else {
		clear(st.errs)
		st.errs = st.errs[:0]
	}
	st.errLocs.Reset()
	st.omitted = 0
	st.abort = nil
	clear(st.query)
	st.query, st.queryReady = st.query[:0], false
	clear(st.vals)
	st.vals = st.vals[:0]
	st.cookies, st.cookieDone = nil, false
	if st.body.Cap() > 64<<10 {
		st.body = bytes.Buffer{}
	}
	st.body.Reset()
	if st.limited.R != nil || st.limited.N != 0 {
		// readBody drops R once read; a body whose Read panicked is kept
		// here otherwise.
		st.limited = io.LimitedReader{}
	}
	st.bodyRead, st.bodyState, st.bodyNotJSON = false, nil, false
	st.bodyLimit = 0
	st.form.reset()
	st.tasks, st.cleanups = nil, nil
	st.afterWork.Store(false)
	// A new generation: whatever still holds this request's context can
	// no longer join the request that takes this state next.
	st.life.Store(uint64(st.generation()+1) << lifeGen)
	st.ws = nil
}

// stateOf finds the request's state: through the writers Brisk put on the
// stack, or the context when foreign middleware hid them.
func stateOf(w http.ResponseWriter, r *http.Request) *reqState {
	for w != nil {
		switch x := w.(type) {
		case *rootWriter:
			return x.st
		case *captureWriter:
			if x.st != nil {
				return x.st
			}
			w = x.under
		case interface{ Unwrap() http.ResponseWriter }:
			w = x.Unwrap()
		default:
			w = nil
		}
	}
	if rc, ok := r.Context().Value(stateKey{}).(*routeContext); ok {
		return rc.st
	}
	return nil
}
