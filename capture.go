// captureWriter, the writer beneath a run of call-next layers: it holds
// the response until it is sent, or streams it past StreamBuffer.

package brisk

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"sync"

	"github.com/briskgo/brisk/internal/funcname"
	"github.com/briskgo/brisk/internal/httpstatus"
)

// captureWriter is the http.ResponseWriter the rest of the stack writes to
// under a run of call-next layers. It holds status, headers and up to
// StreamBuffer bytes; past that, or on Flush, it commits to the writer
// beneath and passes writes through.
//
// The captured response's header map is the map of the writer beneath (see
// start), as on a plain http.ResponseWriter: the layers and the handler set
// headers where they will go out, with net/http's rules across layers (an
// Add appends to what an outer layer set, a Set replaces it), and sending the
// response costs no copy of them. Nothing the capture keeps between requests
// is ever handed to user code: the map is the writer's, a body once lent
// (Body, SetBody) is dropped, and the snapshot of what outer layers set
// (base) is private.
type captureWriter struct {
	under    http.ResponseWriter
	run      *callNextRun
	st       *reqState
	resp     Response
	wrote    bool
	borrowed bool         // resp.header is the map of the writer beneath
	frames   []*nextFrame // one per layer of the longest run served yet
	enc      *encoder

	// base is what the map beneath held when the run started (headers
	// outer layers set before next), for a response that replaces the
	// run's: private to the capture, its values copied again when restored.
	base     http.Header
	baseVals []string
}

// newCaptureWriter returns a writer for an App's pool of captures.
func newCaptureWriter() *captureWriter { return &captureWriter{base: make(http.Header)} }

// start readies cw for run, writing to w.
func (cw *captureWriter) start(run *callNextRun, w http.ResponseWriter, r *http.Request) {
	cw.under, cw.run, cw.st = w, run, stateOf(w, r)
	if h := w.Header(); h != nil {
		cw.resp.header, cw.borrowed = h, true
		for k, vv := range h {
			n := len(cw.baseVals)
			cw.baseVals = append(cw.baseVals, vv...)
			cw.base[k] = cw.baseVals[n:len(cw.baseVals):len(cw.baseVals)]
		}
	} else {
		cw.resp.header = make(http.Header) // handed to user code: never pooled
	}
	for len(cw.frames) < len(run.fns) {
		f := &nextFrame{cw: cw, depth: len(cw.frames)}
		f.next = f.call
		cw.frames = append(cw.frames, f)
	}
}

// result is what the response layer i returned means: nil is next's
// response (a programming error if the layer did not call next), and a
// replacement for a response already streamed is dropped, with a warning.
func (cw *captureWriter) result(i int, r *http.Request, resp *Response) *Response {
	if resp == nil {
		if !cw.frames[i].called {
			panic("brisk: call-next middleware returned a nil *Response without calling next")
		}
		return &cw.resp
	}
	if resp != &cw.resp && cw.resp.streamed {
		// The rest of the stack streamed (or hijacked) its response: it is
		// out, so a replacement cannot apply; appending it would corrupt it.
		cw.warnDropped(r, cw.run.fns[i])
		return &cw.resp
	}
	return resp
}

func (cw *captureWriter) warnDropped(r *http.Request, fn MiddlewareFunc) {
	if cw.st == nil {
		return
	}
	cw.st.app.cfg.Logger.WarnContext(r.Context(), "brisk: call-next middleware replaced a response already streamed to the client; the replacement is dropped",
		slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("middleware", funcname.WithLine(fn)))
}

// adopt makes a layer's own response the run's response, for the layers
// above it. It is copied, as it was when each layer had a capture of its
// own: a response a layer shares between requests is never changed by the
// layers above. Its headers replace the run's, over what outer layers set
// before the run (see restore). A copy of the captured Response itself
// (headers and body shared with it) keeps them as they are.
func (cw *captureWriter) adopt(resp *Response) {
	if !sameMap(cw.resp.header, resp.header) {
		cw.restore()
		setHeaders(cw.resp.header, resp.header, 0)
	}
	cw.resp.status = resp.status
	cw.resp.body = append(cw.ownBody(), resp.body...)
	cw.resp.value, cw.resp.hasValue = resp.value, resp.hasValue
	cw.resp.send = resp.send
}

// restore makes the captured map hold what it held when the run started:
// the headers outer layers set before next, without the run's.
func (cw *captureWriter) restore() {
	h := cw.resp.header
	clear(h)
	n := 0
	for _, vv := range cw.base {
		n += len(vv)
	}
	buf := make([]string, n)
	for k, vv := range cw.base {
		m := copy(buf, vv)
		h[k], buf = buf[:m:m], buf[m:]
	}
}

// ownBody returns the capture's body buffer emptied, or nil when user code
// may hold it.
func (cw *captureWriter) ownBody() []byte {
	if cw.resp.lent {
		cw.resp.body, cw.resp.lent = nil, false
	}
	return cw.resp.body[:0]
}

// sameMap reports whether a and b are the same map.
func sameMap(a, b http.Header) bool {
	return a != nil && b != nil && reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// send writes the run's response to the writer beneath, unless it has
// streamed.
func (cw *captureWriter) send(resp *Response) error {
	if resp.streamed {
		return nil
	}
	enc, setLength := cw.encoder(), cw.wantsLength()
	if !cw.borrowed {
		return resp.writeTo(cw.under, enc, setLength)
	}
	if resp != &cw.resp {
		// The outermost layer's own response: its headers replace what the
		// rest of the stack put in the borrowed map.
		if !sameMap(cw.resp.header, resp.header) {
			cw.restore()
		}
		return resp.writeTo(cw.under, enc, setLength)
	}
	// The headers are in place already, set by user code: checked as
	// writeTo checks a response's own. writeTo copies r.header into the
	// writer's map and reads the writer's map only: with r.header nil it
	// writes status, Content-Length and body without copying the map onto
	// itself.
	h := cw.resp.header
	checkHeaders(h)
	cw.resp.header = nil
	err := cw.resp.writeTo(cw.under, enc, setLength)
	cw.resp.header = h
	return err
}

// unborrow gives the borrowed map back once the response has streamed: its
// headers are out, and changes made after next returns must not reach the
// writer beneath (where net/http could send them as trailers). The layers
// still see the headers as they went out, in a copy of their own.
func (cw *captureWriter) unborrow() {
	if !cw.borrowed {
		return
	}
	cw.resp.header, cw.borrowed = cw.resp.header.Clone(), false
}

// giveBack restores a borrowed map when the run ends without sending its
// response (a panic, an encoding error): whoever answers instead must not
// send the headers of the response that failed, but keeps what outer
// layers set.
func (cw *captureWriter) giveBack() {
	if !cw.borrowed {
		return
	}
	cw.restore()
	cw.resp.header, cw.borrowed = make(http.Header), false
}

// wantsLength reports whether the response needs an explicit
// Content-Length (see reqState.wantsLength): whether the request has work
// for after it. The capture reads it through the atomic flag, not the
// tasks: a plain layer inside the run may have left the route's run going
// on another goroutine (see reqState.enter).
func (cw *captureWriter) wantsLength() bool {
	return cw.st != nil && cw.st.afterWork.Load()
}

// encoder is the capture's own, for the same reason.
func (cw *captureWriter) encoder() *encoder {
	if cw.enc == nil {
		cw.enc = newEncoder()
	}
	return cw.enc
}

func (cw *captureWriter) release(pool *sync.Pool) {
	// The map is the writer's (it keeps its headers: a recorder's Header()
	// is read after the request; trailers are read at its end) or was handed
	// to user code: either way, not the capture's to keep.
	cw.resp.header, cw.borrowed = nil, false
	clear(cw.base)
	clear(cw.baseVals)
	cw.baseVals = cw.baseVals[:0]
	cw.under, cw.run, cw.st = nil, nil, nil
	cw.wrote = false
	for _, f := range cw.frames {
		f.called = false
	}
	cw.resp.reset()
	pool.Put(cw)
}

// Header implements http.ResponseWriter.
func (cw *captureWriter) Header() http.Header {
	if cw.resp.streamed {
		return cw.under.Header()
	}
	return cw.resp.Header()
}

// WriteHeader implements http.ResponseWriter.
func (cw *captureWriter) WriteHeader(code int) {
	if cw.resp.streamed {
		cw.under.WriteHeader(code)
		return
	}
	if cw.wrote {
		return
	}
	if httpstatus.Interim(code) {
		// Informational responses (103 Early Hints) go out at once, with
		// the headers set so far (in the map beneath already when borrowed).
		if !cw.borrowed {
			setHeaders(cw.under.Header(), cw.resp.header, 0)
		}
		cw.under.WriteHeader(code)
		return
	}
	cw.wrote = true
	cw.resp.status = code
}

// Write implements http.ResponseWriter.
func (cw *captureWriter) Write(p []byte) (int, error) {
	if cw.resp.streamed {
		return cw.under.Write(p)
	}
	if !cw.wrote {
		cw.WriteHeader(http.StatusOK)
	}
	if cw.resp.hasValue {
		// A handler that handed over a value and then writes more: serialise
		// the value first so the bytes keep their order.
		cw.resp.serialise()
	} else if cw.resp.lent {
		cw.resp.body = append(cw.ownBody(), cw.resp.body...)
	}
	if len(cw.resp.body)+len(p) > StreamBuffer {
		if err := cw.commit(); err != nil {
			return 0, err
		}
		return cw.under.Write(p)
	}
	cw.resp.body = append(cw.resp.body, p...)
	return len(p), nil
}

// commit sends what is held so far and switches to pass-through.
func (cw *captureWriter) commit() error {
	if cw.resp.streamed {
		return nil
	}
	if !cw.wrote {
		cw.WriteHeader(http.StatusOK)
	}
	cw.resp.serialise()
	body := cw.resp.body
	if cw.borrowed {
		checkHeaders(cw.resp.header)
	} else {
		setHeaders(cw.under.Header(), cw.resp.header, 0)
	}
	cw.under.WriteHeader(cw.resp.StatusCode())
	cw.resp.streamed = true
	cw.unborrow()
	if len(body) > 0 {
		if _, err := cw.under.Write(body); err != nil {
			return err
		}
	}
	cw.resp.body = cw.ownBody()
	return nil
}

// Flush implements http.Flusher: the response becomes a stream.
func (cw *captureWriter) Flush() {
	_ = cw.FlushError()
}

// FlushError flushes and reports errors; http.ResponseController uses it.
func (cw *captureWriter) FlushError() error {
	if err := cw.commit(); err != nil {
		return err
	}
	return http.NewResponseController(cw.under).Flush()
}

// Hijack implements http.Hijacker so WebSocket upgrades work through call-next
// layers. A status (and body) the handler wrote before hijacking is sent
// first, as net/http does: a library that writes its 101 through the
// ResponseWriter (coder/websocket) expects it to be on the wire once
// Hijack returns.
func (cw *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if cw.wrote && !cw.resp.streamed {
		if err := cw.commit(); err != nil {
			return nil, nil, err
		}
	}
	cw.resp.streamed = true
	cw.unborrow()
	return http.NewResponseController(cw.under).Hijack()
}

// Unwrap lets http.ResponseController reach the writer beneath.
func (cw *captureWriter) Unwrap() http.ResponseWriter { return cw.under }

// handOver takes a typed handler's result unserialised, when nothing was
// written yet. It reports whether it did.
func (cw *captureWriter) handOver(status int, v any) bool {
	if cw.wrote || cw.resp.streamed {
		return false
	}
	cw.wrote = true
	cw.resp.status = status
	if !httpstatus.BodyAllowed(status) {
		// As writeJSON without a capture: a 204, 205 or 304 has no body and no
		// Content-Type, and the layers see an empty Body().
		return true
	}
	// The Content-Type's value and the Content-Length's to come, fresh for
	// this response in one allocation (see writeTo).
	vals := make([]string, 2)
	cw.resp.Header()["Content-Type"] = oneValue(vals[0:1], jsonContentType)
	cw.resp.lengthSlot = vals[1:2]
	cw.resp.value, cw.resp.hasValue = v, true
	return true
}

// handOverResponse takes a handler's own *Response as it is.
func (cw *captureWriter) handOverResponse(resp *Response) bool {
	if cw.wrote || cw.resp.streamed {
		return false
	}
	cw.wrote = true
	setHeaders(cw.resp.Header(), resp.header, 0)
	cw.resp.status = resp.StatusCode()
	cw.resp.body = append(cw.ownBody(), resp.body...)
	cw.resp.value, cw.resp.hasValue = resp.value, resp.hasValue
	return true
}
