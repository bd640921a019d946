package brisk

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"reflect"
	"runtime"
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

// wrap returns next wrapped by the layer.
func (l layer) wrap(next http.Handler, pool *sync.Pool) http.Handler {
	if l.plain != nil {
		h := l.plain(next)
		if h == nil {
			panic(fmt.Sprintf("brisk: middleware %s returned a nil handler", l.name))
		}
		return h
	}
	return &callNextHandler{fn: l.callNext, next: next, pool: pool}
}

// chain wraps h in layers, the last added outermost (LIFO, as Starlette's
// add_middleware).
func chain(layers []layer, h http.Handler, pool *sync.Pool) http.Handler {
	for _, l := range layers {
		h = l.wrap(h, pool)
	}
	return h
}

// callNextHandler runs a MiddlewareFunc as an http.Handler. It needs no
// goroutine: next runs the inner handler against a captureWriter that holds
// the response until the layer returns it.
type callNextHandler struct {
	fn   MiddlewareFunc
	next http.Handler
	pool *sync.Pool
}

func (h *callNextHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	cw := h.pool.Get().(*captureWriter)
	cw.under, cw.inner, cw.st = w, h.next, stateOf(w, r)
	resp := h.fn(r, cw.nextFn)
	if resp == nil {
		resp = &cw.resp
		if !cw.called {
			panic("brisk: call-next middleware returned a nil *Response without calling next")
		}
	}
	if resp != &cw.resp && cw.resp.streamed {
		// The rest of the stack streamed (or hijacked) its response: it is
		// out, so a replacement cannot apply; appending it would corrupt it.
		if cw.st != nil {
			cw.st.app.log.WarnContext(r.Context(), "brisk: call-next middleware replaced a response already streamed to the client; the replacement is dropped",
				slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.String("middleware", funcName(h.fn)))
		}
	} else if !resp.streamed {
		var setLength bool
		if cw.st != nil {
			setLength = cw.st.wantsLength()
		}
		if err := resp.writeTo(w, cw.encoder(), setLength); err != nil {
			cw.release(h.pool)
			panic(fmt.Errorf("brisk: writing the response of call-next middleware: %w", err))
		}
	}
	cw.release(h.pool)
}

// captureWriter is the http.ResponseWriter the rest of the stack writes to
// under a call-next layer. It holds status, headers and up to StreamBuffer
// bytes; past that, or on Flush, it commits to the writer beneath and passes
// writes through.
type captureWriter struct {
	under  http.ResponseWriter
	inner  http.Handler
	st     *reqState
	resp   Response
	called bool
	wrote  bool
	nextFn Next
	enc    *encoder
}

func newCaptureWriter() *captureWriter {
	cw := &captureWriter{}
	cw.nextFn = cw.callNext
	return cw
}

// callNext is Next for this layer.
func (cw *captureWriter) callNext(r *http.Request) *Response {
	if cw.called {
		panic("brisk: call-next middleware called next twice")
	}
	cw.called = true
	cw.inner.ServeHTTP(cw, r)
	return &cw.resp
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
	cw.under, cw.inner, cw.st = nil, nil, nil
	cw.called, cw.wrote = false, false
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
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
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
	h := cw.resp.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	cw.resp.status = resp.StatusCode()
	cw.resp.body = append(cw.resp.body[:0], resp.body...)
	cw.resp.value, cw.resp.hasValue = resp.value, resp.hasValue
	return true
}

// rootWriter is the writer the App hands to its stack: it records whether
// the response has started, so a panic can still become a 500, and carries
// the request's state to the route.
type rootWriter struct {
	w           http.ResponseWriter
	st          *reqState
	wroteHeader bool
	hijacked    bool // the handler took the connection over
	status      int
}

// Header implements http.ResponseWriter.
func (rw *rootWriter) Header() http.Header { return rw.w.Header() }

// WriteHeader implements http.ResponseWriter.
func (rw *rootWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		if rw.wroteHeader {
			return
		}
		rw.wroteHeader, rw.status = true, code
	}
	rw.w.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (rw *rootWriter) Write(p []byte) (int, error) {
	if !rw.wroteHeader {
		rw.wroteHeader, rw.status = true, http.StatusOK
	}
	return rw.w.Write(p)
}

// ReadFrom keeps net/http's sendfile path for io.Copy.
func (rw *rootWriter) ReadFrom(src io.Reader) (int64, error) {
	if !rw.wroteHeader {
		rw.wroteHeader, rw.status = true, http.StatusOK
	}
	if rf, ok := rw.w.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{rw.w}, src)
}

// Flush implements http.Flusher.
func (rw *rootWriter) Flush() { _ = rw.FlushError() }

// FlushError flushes and reports errors; http.ResponseController uses it.
func (rw *rootWriter) FlushError() error {
	if !rw.wroteHeader {
		rw.wroteHeader, rw.status = true, http.StatusOK
	}
	return http.NewResponseController(rw.w).Flush()
}

// Hijack implements http.Hijacker.
func (rw *rootWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	rw.wroteHeader = true
	c, brw, err := http.NewResponseController(rw.w).Hijack()
	rw.hijacked = err == nil
	return c, brw, err
}

// Unwrap lets http.ResponseController reach the server's writer.
func (rw *rootWriter) Unwrap() http.ResponseWriter { return rw.w }

// writerOnly hides ReadFrom so io.Copy does not recurse into it.
type writerOnly struct{ io.Writer }

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}

// encoder serialises JSON bodies into a reused buffer, without HTML escaping
// (as FastAPI's JSONResponse).
type encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newEncoder() *encoder {
	e := &encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// encode returns v as JSON; the bytes are valid until the next call.
func (e *encoder) encode(v any) ([]byte, error) {
	if e.enc == nil {
		e.enc = json.NewEncoder(&e.buf)
		e.enc.SetEscapeHTML(false)
	}
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	b := e.buf.Bytes()
	return b[:len(b)-1], nil // Encode's trailing newline
}

// marshalJSON is encode with a buffer of its own.
func marshalJSON(v any) ([]byte, error) {
	b, err := newEncoder().encode(v)
	return bytes.Clone(b), err
}

// funcName names a func value for messages: package-qualified name and
// file:line.
func funcName(fn any) string {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return fmt.Sprintf("%T", fn)
	}
	f := runtime.FuncForPC(v.Pointer())
	if f == nil {
		return v.Type().String()
	}
	file, line := f.FileLine(v.Pointer())
	return fmt.Sprintf("%s (%s:%d)", f.Name(), file, line)
}

// isAbort reports whether a recovered value is net/http's abort sentinel.
func isAbort(p any) bool {
	err, ok := p.(error)
	return ok && errors.Is(err, http.ErrAbortHandler)
}
