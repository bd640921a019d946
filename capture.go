// captureWriter, the writer beneath a run of call-next layers: it holds
// the response until it is sent, or streams it past StreamBuffer.

package brisk

import (
	"bufio"
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/briskgo/brisk/internal/funcname"
	"github.com/briskgo/brisk/internal/httpstatus"
)

// captureWriter is the http.ResponseWriter the rest of the stack writes to
// under a run of call-next layers. It holds status, headers and up to
// StreamBuffer bytes; past that, or on Flush, it commits to the writer
// beneath and passes writes through.
//
// While the writer beneath has no headers yet, the capture borrows its header
// map instead of filling a map of its own (see start): the layers and the
// handler then set headers where they will go out, and sending the response
// costs no copy of them.
type captureWriter struct {
	under    http.ResponseWriter
	run      *callNextRun
	st       *reqState
	resp     Response
	wrote    bool
	borrowed bool         // resp.header is the map of the writer beneath
	own      http.Header  // the capture's own map, when it cannot borrow
	frames   []*nextFrame // one per layer of the longest run served yet
	enc      *encoder
}

// newCaptureWriter returns a writer for an App's pool of captures.
func newCaptureWriter() *captureWriter { return &captureWriter{own: make(http.Header)} }

// start readies cw for run, writing to w.
func (cw *captureWriter) start(run *callNextRun, w http.ResponseWriter, r *http.Request) {
	cw.under, cw.run, cw.st = w, run, stateOf(w, r)
	// An empty map beneath can be borrowed: everything in it by the time
	// the run returns was put there by the run, so it is exactly the
	// response's headers. A map that already holds headers (set by a plain
	// layer outside, say) is not: the layers must not see those.
	if h := w.Header(); h != nil && len(h) == 0 {
		cw.resp.header, cw.borrowed = h, true
	} else {
		cw.resp.header = cw.own
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
// layers above. A copy of the captured Response itself (headers and body
// shared with it) is copied safely too.
func (cw *captureWriter) adopt(resp *Response) {
	resetHeader(cw.resp.Header(), resp.header)
	cw.resp.status = resp.status
	cw.resp.body = append(cw.resp.body[:0], resp.body...)
	cw.resp.value, cw.resp.hasValue = resp.value, resp.hasValue
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
		resetHeader(cw.resp.header, resp.header)
		return resp.writeTo(cw.under, enc, setLength)
	}
	// The headers are in place already. writeTo copies r.header into the
	// writer's map and reads the writer's map only: with r.header nil it
	// writes status, Content-Length and body without copying the map onto
	// itself.
	h := cw.resp.header
	cw.resp.header = nil
	err := cw.resp.writeTo(cw.under, enc, setLength)
	cw.resp.header = h
	return err
}

// unborrow gives the borrowed map back once the response has streamed: its
// headers are out, and changes made after next returns must not reach the
// writer beneath (where net/http could send them as trailers). The layers
// still see the headers as they went out, in the capture's own map.
func (cw *captureWriter) unborrow() {
	if !cw.borrowed {
		return
	}
	copyHeader(cw.own, cw.resp.header)
	cw.resp.header, cw.borrowed = cw.own, false
}

// giveBack empties a borrowed map when the run ends without sending its
// response (a panic, an encoding error): the map was empty when the run
// borrowed it, and whoever answers instead must not send the headers of
// the response that failed.
func (cw *captureWriter) giveBack() {
	if !cw.borrowed {
		return
	}
	clear(cw.resp.header)
	cw.resp.header, cw.borrowed = cw.own, false
}

// wantsLength reports whether the response needs an explicit
// Content-Length (see reqState.wantsLength).
func (cw *captureWriter) wantsLength() bool {
	return cw.st != nil && cw.st.wantsLength()
}

func (cw *captureWriter) encoder() *encoder {
	if cw.st != nil {
		return &cw.st.enc
	}
	if cw.enc == nil {
		cw.enc = newEncoder()
	}
	return cw.enc
}

func (cw *captureWriter) release(pool *sync.Pool) {
	if cw.borrowed {
		// The map is the writer's: it keeps its headers (a recorder's
		// Header() is read after the request; trailers are read at its end).
		cw.resp.header, cw.borrowed = cw.own, false
	}
	cw.under, cw.run, cw.st = nil, nil, nil
	cw.wrote = false
	for _, f := range cw.frames {
		f.called = false
	}
	if cap(cw.resp.body) > StreamBuffer {
		cw.resp.body = nil
	}
	body := cw.resp.body[:0]
	cw.resp.reset()
	cw.resp.body = body
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
		// Informational responses (103 Early Hints) go out at once.
		copyHeader(cw.under.Header(), cw.resp.header)
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
		cw.resp.body = append(cw.resp.body[:0], cw.resp.Body()...)
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
	body := cw.resp.Body()
	copyHeader(cw.under.Header(), cw.resp.header)
	cw.under.WriteHeader(cw.resp.StatusCode())
	cw.resp.streamed = true
	cw.unborrow()
	if len(body) > 0 {
		if _, err := cw.under.Write(body); err != nil {
			return err
		}
	}
	cw.resp.body = cw.resp.body[:0]
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
// layers.
func (cw *captureWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
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
	cw.resp.Header()["Content-Type"] = jsonContentType
	cw.resp.value, cw.resp.hasValue = v, true
	return true
}

// handOverResponse takes a handler's own *Response as it is.
func (cw *captureWriter) handOverResponse(resp *Response) bool {
	if cw.wrote || cw.resp.streamed {
		return false
	}
	cw.wrote = true
	copyHeader(cw.resp.Header(), resp.header)
	cw.resp.status = resp.StatusCode()
	cw.resp.body = append(cw.resp.body[:0], resp.body...)
	cw.resp.value, cw.resp.hasValue = resp.value, resp.hasValue
	return true
}
