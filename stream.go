// Streaming results: a handler returning iter.Seq[T] or iter.Seq2[T,
// error], recognised at registration and written item by item as JSON Lines
// or Server-Sent Events, each item flushed at once.

package brisk

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"sync"
	"time"

	"github.com/briskgo/brisk/internal/httpstatus"
	"github.com/briskgo/brisk/internal/openapi"
)

// streamShape is a handler result that is an iterator.
type streamShape struct {
	yield   reflect.Type // the iterator's yield func type
	item    reflect.Type
	withErr bool // iter.Seq2[T, error]: an error ends the stream
	// itemEvents: how items become events (SSE routes): every item is a
	// ServerSentEvent, none is, or each is checked (interface items).
	itemEvents eventKind
}

type eventKind uint8

const (
	eventNever eventKind = iota
	eventAlways
	eventMaybe
)

var (
	boolType       = reflect.TypeFor[bool]()
	eventType      = reflect.TypeFor[ServerSentEvent]()
	eventPtrType   = reflect.TypeFor[*ServerSentEvent]()
	yieldTrue      = []reflect.Value{reflect.ValueOf(true)}
	yieldFalse     = []reflect.Value{reflect.ValueOf(false)}
	errNilStreamed = errors.New("brisk: a streaming handler's iterator yielded a nil pointer item")
)

// streamOf recognises an iterator type: func(yield func(T) bool), as
// iter.Seq[T], or func(yield func(T, error) bool), as iter.Seq2[T, error].
// bad is set for an iter.Seq2 whose second type is not error.
func streamOf(t reflect.Type) (s *streamShape, bad bool) {
	if t.Kind() != reflect.Func || t.NumIn() != 1 || t.NumOut() != 0 || t.IsVariadic() {
		return nil, false
	}
	y := t.In(0)
	if y.Kind() != reflect.Func || y.NumOut() != 1 || y.Out(0) != boolType || y.IsVariadic() {
		return nil, false
	}
	s = &streamShape{yield: y, item: y.In(0)}
	switch y.NumIn() {
	case 1:
	case 2:
		if y.In(1) != errorType {
			return nil, true
		}
		s.withErr = true
	default:
		return nil, false
	}
	switch {
	case s.item == eventType || s.item == eventPtrType:
		s.itemEvents = eventAlways
	case s.item.Kind() == reflect.Interface && eventType.Implements(s.item):
		s.itemEvents = eventMaybe
	}
	return s, false
}

// checkStream completes the compiled route of a streaming handler: its
// status must allow a body, and its document says what it sends.
func (c *compiler) checkStream(opts *routeOptions, h *callPlan) {
	s := h.results.stream
	if s == nil {
		if opts.eventStream {
			panic(fmt.Sprintf("brisk: %s %s: EventStream() needs a handler returning iter.Seq[T] or iter.Seq2[T, error]; handler %s returns %s",
				c.method, c.pattern, h.name, resultsString(h.fn.Type())))
		}
		return
	}
	if notJSON(s.item) {
		panic(fmt.Sprintf("brisk: %s %s: handler %s streams %s items, which cannot be written as JSON", c.method, c.pattern, h.name, s.item))
	}
	if !httpstatus.BodyAllowed(c.plan.status) || httpstatus.Informational(c.plan.status) {
		panic(fmt.Sprintf("brisk: %s %s: handler %s streams a body, but status %d has none", c.method, c.pattern, h.name, c.plan.status))
	}
	sp := &streamPlan{shape: s, events: opts.eventStream}
	if sp.events {
		sp.keepAlive = defaultKeepAlive
		if opts.keepAliveSet {
			sp.keepAlive = opts.keepAlive
		}
	}
	c.plan.stream = sp
	op := &c.plan.op
	op.Stream, op.Response = openapi.StreamJSONL, s.item
	if sp.events {
		op.Stream = openapi.StreamEvents
	}
	if s.item.Kind() == reflect.Interface || s.itemEvents == eventAlways {
		op.Response = nil // any item; for events, the event's own fields
	}
}

// streamPlan is how a route streams.
type streamPlan struct {
	shape     *streamShape
	events    bool // Server-Sent Events; JSON Lines otherwise
	keepAlive time.Duration
}

var (
	errStreamStopped = errors.New("brisk: the stream's iterator called yield after it returned false")
	pingBytes        = []byte(keepAliveComment)
)

// streamWriter writes one request's stream. The keep-alive timer writes
// from its own goroutine, so every write, and the state it reads, is under
// mu.
type streamWriter struct {
	st   *reqState
	plan *streamPlan
	w    http.ResponseWriter
	r    *http.Request
	rc   *http.ResponseController

	mu      sync.Mutex
	started bool // the status and headers are out
	gone    bool // a write or flush failed: the client went away
	done    bool // the stream ended: the timer must not write
	timer   *time.Timer
	last    time.Time // the last item's write, while keep-alives are on

	stopped bool  // yield returned false
	err     error // what ended the stream: Seq2's error, an unwritable item
	line    []byte
}

// serveStream writes the iterator v returned as the route's stream. An
// error before anything was sent is answered as any handler's error; after,
// it ends the stream (logged): JSON Lines are cut off, so the client sees an
// incomplete response; Server-Sent Events end with an "error" event.
func (a *App) serveStream(st *reqState, p *routePlan, w http.ResponseWriter, r *http.Request, v reflect.Value) {
	sp := p.stream
	sw := &streamWriter{st: st, plan: sp, w: w, r: r, rc: http.NewResponseController(w)}
	if v.IsNil() || r.Method == http.MethodHead {
		// A nil iterator is an empty stream; HEAD gets the headers only.
		sw.mu.Lock()
		sw.start(p.status)
		sw.mu.Unlock()
		return
	}
	if sp.keepAlive > 0 { // set on EventStream routes only
		// Under mu: the timer may fire before AfterFunc returns.
		sw.mu.Lock()
		sw.last = time.Now()
		sw.timer = time.AfterFunc(sp.keepAlive, func() { sw.ping(p.status) })
		sw.mu.Unlock()
	}
	defer sw.finish() // also when the iterator panics: the timer must not write after the request
	yield := reflect.MakeFunc(sp.shape.yield, func(args []reflect.Value) []reflect.Value {
		if sw.stopped {
			sw.err = errStreamStopped
			return yieldFalse
		}
		if sp.shape.withErr && !args[1].IsNil() {
			sw.err, sw.stopped = args[1].Interface().(error), true
			return yieldFalse
		}
		if !sw.item(p.status, args[0]) {
			sw.stopped = true
			return yieldFalse
		}
		return yieldTrue
	})
	v.Call([]reflect.Value{yield})
	if sw.finish() {
		return
	}
	if sw.err != nil {
		if !sw.started {
			a.writeError(st, p.router, w, r, sw.err)
			return
		}
		sw.fail()
		return
	}
	if !sw.started {
		sw.start(p.status) // an empty stream
	}
}

// item writes one item; false stops the iteration: the client went away or
// the item cannot be written.
func (sw *streamWriter) item(status int, v reflect.Value) bool {
	if sw.r.Context().Err() != nil {
		return false
	}
	b, err := sw.encode(v)
	if err != nil {
		sw.err = err
		return false
	}
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.gone {
		return false
	}
	sw.start(status)
	if _, err := sw.w.Write(b); err != nil {
		sw.gone = true
		return false
	}
	if err := sw.rc.Flush(); err != nil {
		sw.gone = true
		return false
	}
	if sw.timer != nil {
		// The timer is not reset per item (that costs more than the
		// item): ping reads this and waits out the rest of the interval.
		sw.last = time.Now()
	}
	return true
}

// encode returns an item as it goes on the wire, in sw.line.
func (sw *streamWriter) encode(v reflect.Value) ([]byte, error) {
	ev, isEvent := sw.event(v)
	if !isEvent && v.Kind() == reflect.Pointer && v.IsNil() {
		// The document promises the item's schema: null is not it.
		return nil, errNilStreamed
	}
	var data []byte
	if !isEvent || ev.Data != nil {
		dv := v
		if isEvent {
			dv = reflect.ValueOf(ev.Data)
		}
		var err error
		if data, err = sw.st.enc.encodeValue(dv); err != nil {
			return nil, fmt.Errorf("brisk: encoding a streamed item: %w", err)
		}
	}
	switch {
	case !sw.plan.events:
		sw.line = append(append(sw.line[:0], data...), '\n')
	case isEvent:
		if err := ev.check(); err != nil {
			return nil, err
		}
		sw.line = appendEvent(sw.line[:0], ev, data)
	default:
		sw.line = appendDataLine(sw.line[:0], data)
	}
	return sw.line, nil
}

// event returns the item as a ServerSentEvent on an EventStream route.
func (sw *streamWriter) event(v reflect.Value) (*ServerSentEvent, bool) {
	if !sw.plan.events {
		return nil, false
	}
	switch sw.plan.shape.itemEvents {
	case eventAlways:
	case eventMaybe:
		if v.IsNil() {
			return nil, false
		}
		v = v.Elem()
		if t := v.Type(); t != eventType && t != eventPtrType {
			return nil, false
		}
	default:
		return nil, false
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return &ServerSentEvent{}, true
		}
		return v.Interface().(*ServerSentEvent), true
	}
	ev := v.Interface().(ServerSentEvent)
	return &ev, true
}

// start sends the status and headers, once. sw.mu is held.
func (sw *streamWriter) start(status int) {
	if sw.started {
		return
	}
	sw.started = true
	h := sw.w.Header()
	// The values are this response's own (one array): a layer's change to
	// them must reach no other response.
	if sw.plan.events {
		vals := make([]string, 3)
		h["Content-Type"] = oneValue(vals[0:1], "text/event-stream; charset=utf-8")
		h["Cache-Control"] = oneValue(vals[1:2], "no-cache")
		// Nginx buffers responses unless told not to.
		h["X-Accel-Buffering"] = oneValue(vals[2:3], "no")
	} else {
		h["Content-Type"] = oneValue(nil, openapi.StreamJSONL)
	}
	delete(h, "Content-Length")
	sw.w.WriteHeader(status)
}

// ping sends a keep-alive comment while the iterator is idle; it runs on
// the timer's goroutine.
func (sw *streamWriter) ping(status int) {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if sw.done || sw.gone {
		return
	}
	if idle := time.Since(sw.last); idle < sw.plan.keepAlive {
		sw.timer.Reset(sw.plan.keepAlive - idle)
		return
	}
	sw.start(status)
	if _, err := sw.w.Write(pingBytes); err != nil {
		sw.gone = true
		return
	}
	if err := sw.rc.Flush(); err != nil {
		sw.gone = true
		return
	}
	sw.timer.Reset(sw.plan.keepAlive)
}

// finish stops the keep-alive timer for good and reports whether the
// client went away (nothing more to write).
func (sw *streamWriter) finish() bool {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	sw.done = true
	if sw.timer != nil {
		sw.timer.Stop()
	}
	return sw.gone || (sw.err == nil && sw.r.Context().Err() != nil)
}

// fail ends a started stream that hit an error: logged; Server-Sent Events
// get a last "error" event, JSON Lines are cut off (the client sees an
// incomplete response rather than a complete one that is not).
func (sw *streamWriter) fail() {
	r := sw.r
	sw.st.app.cfg.Logger.ErrorContext(r.Context(), "brisk: stream ended by an error", slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.Any("error", sw.err))
	sw.st.discardTasks()
	if !sw.plan.events {
		panic(http.ErrAbortHandler)
	}
	detail := any(http.StatusText(http.StatusInternalServerError))
	if he, ok := asHTTPError(sw.err); ok {
		detail = he.Detail
	}
	data, err := sw.st.enc.encode(detailBody{Detail: detail})
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	sw.line = appendEvent(sw.line[:0], &ServerSentEvent{Event: "error"}, data)
	if _, err := sw.w.Write(sw.line); err == nil {
		_ = sw.rc.Flush()
	}
}
