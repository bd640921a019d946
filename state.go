package brisk

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"unsafe"

	"github.com/go-chi/chi/v5"

	"github.com/briskgo/brisk/background"
	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/problem"
)

// scratchSlots is how many scalar path parameters per call are decoded into
// the request state's own memory instead of a fresh allocation.
const scratchSlots = 8

// Provider slot states.
const (
	slotPending uint8 = iota
	slotReady
	slotFailed
)

// reqState is everything one request needs, pooled and reused: the writer
// the stack sees, chi's routing context, provider results, collected
// validation errors, the body, the background tasks.
type reqState struct {
	app   *App
	root  rootWriter
	rctx  chi.Context
	route *route
	enc   encoder

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

	errs  []problem.Item
	abort *HTTPError

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

	tasks    *background.Tasks
	cleanups []func()
}

type queryPair struct{ key, value string }

func newReqState(a *App) *reqState {
	st := &reqState{app: a}
	st.root.st = st
	st.ctxValue = reflect.ValueOf(&st.ctx).Elem()
	st.writerValue = reflect.ValueOf(&st.writer).Elem()
	st.enc.enc = nil
	return st
}

// scratchValue returns a pointer to a zeroed t kept in this state for
// scratch ID id (see compiler.valueAllocator).
func (st *reqState) scratchValue(id int, t reflect.Type) reflect.Value {
	if id >= len(st.values) {
		st.values = append(st.values, make([]reflect.Value, id+1-len(st.values))...)
	}
	v := st.values[id]
	if !v.IsValid() {
		v = reflect.New(t)
		st.values[id] = v
		return v
	}
	v.Elem().SetZero()
	return v
}

// reset clears st for the pool, keeping its buffers.
func (st *reqState) reset() {
	st.root.w, st.root.wroteHeader, st.root.hijacked, st.root.status = nil, false, false, 0
	st.rctx.Reset()
	st.route = nil
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
	clear(st.errs)
	st.errs = st.errs[:0]
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
	st.bodyRead, st.bodyState, st.bodyNotJSON = false, nil, false
	st.tasks, st.cleanups = nil, nil
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
	st, _ := r.Context().Value(stateKey{}).(*reqState)
	return st
}

// stateKey finds the request state in a context.
type stateKey struct{}

// routeContext is the request context Brisk attaches when middleware or a
// handler needs one: it answers chi's RouteCtxKey (so chi.URLParam and
// chi's middleware work) and Brisk's own key, with one allocation.
type routeContext struct {
	context.Context
	st *reqState
}

// Value implements context.Context.
func (c *routeContext) Value(key any) any {
	switch key {
	case chi.RouteCtxKey:
		return &c.st.rctx
	case stateKey{}:
		return c.st
	}
	return c.Context.Value(key)
}

// attach puts the state on the request's context (once).
func (st *reqState) attach(r *http.Request) *http.Request {
	if st.ctxAttached {
		return r
	}
	st.ctxAttached = true
	st.rctx.Routes = st.app.mux
	st.rctx.RoutePath = ""
	return r.WithContext(&routeContext{Context: r.Context(), st: st})
}

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
		st.tasks = st.app.runner.NewTasks()
	}
	return st.tasks
}

// discardTasks drops the tasks of a request that ends in an error, as
// FastAPI does.
func (st *reqState) discardTasks() {
	if st.tasks != nil {
		st.tasks.Discard()
	}
}

// pathValue returns path parameter i of the matched pattern, unescaped.
func (st *reqState) pathValue(i int) string {
	vals := st.rctx.URLParams.Values
	if i >= len(vals) {
		return ""
	}
	v := vals[i]
	if st.rawPath && strings.IndexByte(v, '%') >= 0 {
		if u, err := url.PathUnescape(v); err == nil {
			return u
		}
	}
	return v
}

// queryValues returns the values of key in the query string, in order. The
// query is parsed once per request into pairs, without building url.Values.
func (st *reqState) queryValues(r *http.Request, key string) []string {
	if !st.queryReady {
		st.parseQuery(r.URL.RawQuery)
	}
	st.vals = st.vals[:0]
	for _, p := range st.query {
		if p.key == key {
			st.vals = append(st.vals, p.value)
		}
	}
	return st.vals
}

func (st *reqState) parseQuery(q string) {
	st.queryReady = true
	for q != "" {
		var part string
		part, q, _ = strings.Cut(q, "&")
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, ok1 := unescapeQuery(k)
		v, ok2 := unescapeQuery(v)
		if !ok1 || !ok2 {
			continue // as url.ParseQuery, skip what cannot be decoded
		}
		st.query = append(st.query, queryPair{k, v})
	}
}

func unescapeQuery(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, true
	}
	u, err := url.QueryUnescape(s)
	return u, err == nil
}

// cookie returns the value of the named cookie.
func (st *reqState) cookie(r *http.Request, name string) (string, bool) {
	if !st.cookieDone {
		st.cookieDone = true
		st.cookies = r.Cookies()
	}
	for _, c := range st.cookies {
		if c.Name == name {
			return c.Value, true
		}
	}
	return "", false
}

// bindField fills one request-model field at p.
func (st *reqState) bindField(f *modelField, p unsafe.Pointer, r *http.Request) bool {
	var vals []string
	switch f.source {
	case "path":
		st.one[0] = st.pathValue(f.pathIdx)
		vals = st.one[:]
	case "query":
		vals = st.queryValues(r, f.name)
	case "header":
		vals = r.Header[f.key]
	case "cookie":
		if v, ok := st.cookie(r, f.name); ok {
			st.one[0] = v
			vals = st.one[:]
		}
	}
	if len(vals) == 0 {
		switch {
		case f.def != nil:
			return f.decode(f.def, p) == nil
		case f.required:
			st.addItem(problem.Missing(nil, f.source, f.name))
			return false
		}
		return true
	}
	if err := f.decode(vals, p); err != nil {
		var de *decode.Error
		if !errors.As(err, &de) || de.Index < 0 {
			st.addDecodeError(err, vals[len(vals)-1], f.source, f.name)
			return false
		}
		// A slice reports each bad element at its index, as pydantic.
		for _, e := range append([]*decode.Error{de}, de.More...) {
			if e.Index < len(vals) {
				st.addDecodeError(e, vals[e.Index], f.source, f.name, e.Index)
			}
		}
		return false
	}
	return true
}

// rawInput is the wire text of a model field, which pydantic reports as the
// input of a failed rule on a parameter ("1000", not 1000).
func (st *reqState) rawInput(f *modelField, r *http.Request) (string, bool) {
	var vals []string
	switch f.source {
	case "path":
		return st.pathValue(f.pathIdx), true
	case "query":
		vals = st.queryValues(r, f.name)
	case "header":
		vals = r.Header[f.key]
	case "cookie":
		return st.cookie(r, f.name)
	}
	if len(vals) == 0 {
		return "", false
	}
	return vals[len(vals)-1], true
}

// readBody reads the request body once, within the body limit. It reports
// false (having set abort) for a body over the limit or one that cannot be
// read. A body whose content type is not JSON is read too, and marked
// (bodyNotJSON).
func (st *reqState) readBody(r *http.Request) ([]byte, bool) {
	if st.bodyRead {
		if st.bodyState != nil {
			st.abort = st.bodyState
			return nil, false
		}
		return st.body.Bytes(), true
	}
	st.bodyRead = true
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSONContentType(ct) {
		st.bodyNotJSON = true
	}
	limit := st.app.maxBody
	if limit > 0 && r.ContentLength > limit {
		st.bodyState = Error(http.StatusRequestEntityTooLarge, nil)
		st.abort = st.bodyState
		return nil, false
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	var src io.Reader = r.Body
	if limit > 0 {
		// A LimitedReader of our own: io.LimitReader would allocate one.
		st.limited = io.LimitedReader{R: r.Body, N: limit + 1}
		src = &st.limited
	}
	_, err := st.body.ReadFrom(src)
	st.limited.R = nil
	if err != nil {
		st.bodyState = Error(http.StatusBadRequest, "The request body could not be read")
		st.abort = st.bodyState
		return nil, false
	}
	if limit > 0 && int64(st.body.Len()) > limit {
		st.bodyState = Error(http.StatusRequestEntityTooLarge, nil)
		st.abort = st.bodyState
		return nil, false
	}
	return st.body.Bytes(), true
}

// isJSONContentType accepts application/json and application/*+json.
func isJSONContentType(ct string) bool {
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	if strings.EqualFold(mt, "application/json") {
		return true
	}
	typ, sub, ok := strings.Cut(mt, "/")
	return ok && strings.EqualFold(typ, "application") && len(sub) > 5 && strings.EqualFold(sub[len(sub)-5:], "+json")
}

// addItem records a 422 detail item, one per loc.
func (st *reqState) addItem(it problem.Item) {
	for _, e := range st.errs {
		if sameLoc(e.Loc, it.Loc) {
			return
		}
	}
	st.errs = append(st.errs, it)
}

func sameLoc(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// addDecodeError records a wire value that did not decode.
func (st *reqState) addDecodeError(err error, input string, loc ...any) {
	it := problem.Item{Type: "value_error", Loc: loc, Msg: err.Error(), Input: input}
	var de *decode.Error
	if errors.As(err, &de) {
		it.Type, it.Msg, it.Ctx = de.Type, de.Msg, de.Ctx
	}
	st.addItem(it)
}
