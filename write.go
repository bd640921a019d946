// Writing results: a handler's results, JSON responses with their
// Content-Length, the reused encoder and the content types.

package brisk

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"

	"github.com/briskgo/brisk/internal/httpstatus"
	"github.com/briskgo/brisk/internal/jsonwrite"
)

// respond writes the handler's results.
func (a *App) respond(st *reqState, p *routePlan, w http.ResponseWriter, r *http.Request, out []reflect.Value) {
	if p.stream != nil {
		a.serveStream(st, p, w, r, out[0])
		return
	}
	if !p.handler.results.value {
		if p.writesOwn {
			return
		}
		a.writeResult(st, w, p.status, nil)
		return
	}
	v := out[0]
	if p.handler.results.valueType == responseType || v.Kind() == reflect.Interface {
		if v.Kind() == reflect.Interface && v.IsNil() {
			a.writeResult(st, w, p.status, nil)
			return
		}
		if resp, ok := v.Interface().(*Response); ok {
			if resp != nil && resp.send != nil {
				a.sendResponse(st, p, w, r, resp)
				return
			}
			a.writeResponse(st, w, resp)
			return
		}
	}
	if v.Kind() == reflect.Pointer && v.IsNil() && httpstatus.BodyAllowed(p.status) {
		// The document describes the pointee, as FastAPI's response_model
		// does: null is not what it promises, so this is the server's
		// mistake (a 500, logged), as FastAPI's ResponseValidationError.
		panic(fmt.Sprintf("brisk: handler %s returned a nil %s and no error; return an error (e.g. brisk.Error(404, nil)) or a value",
			p.handler.name, v.Type()))
	}
	a.writeResult(st, w, p.status, v.Interface())
}

// writeResult writes a typed handler's result as JSON.
func (a *App) writeResult(st *reqState, w http.ResponseWriter, status int, v any) {
	if cw, ok := w.(*captureWriter); ok && cw.handOver(status, v) {
		return
	}
	if err := writeJSON(w, &st.enc, status, v, nil); err != nil {
		panic(fmt.Errorf("brisk: encoding the response: %w", err))
	}
}

// writeResponse sends a handler's own *Response. Its tasks are kept: the
// handler chose the response, it is not an error path.
func (a *App) writeResponse(st *reqState, w http.ResponseWriter, resp *Response) {
	if resp == nil {
		panic("brisk: handler returned a nil *Response")
	}
	if cw, ok := w.(*captureWriter); ok && cw.handOverResponse(resp) {
		return
	}
	if err := resp.writeTo(w, &st.enc, st.wantsLength()); err != nil {
		panic(fmt.Errorf("brisk: writing the response: %w", err))
	}
}

// writeJSON writes v as a JSON response, with its Content-Length; extra
// (an HTTPError's Headers) is written as setHeaders says.
func writeJSON(w http.ResponseWriter, enc *encoder, status int, v any, extra http.Header) error {
	h := w.Header()
	if !httpstatus.BodyAllowed(status) {
		setHeaders(h, extra, 0)
		w.WriteHeader(status)
		return nil
	}
	b, err := enc.encode(v)
	if err != nil {
		return err
	}
	// One array for extra's values, Content-Type and Content-Length: fresh
	// for this response, so no later Add or write by any layer reaches
	// another response's headers.
	vals := setHeaders(h, extra, 2)
	h["Content-Type"] = oneValue(vals[0:1], jsonContentType)
	// Always, as Starlette's responses: a body over net/http's 2 KiB buffer
	// would otherwise go out chunked, and a length a handler set before it
	// failed would be wrong.
	h["Content-Length"] = oneValue(vals[1:2], contentLength(len(b)))
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// encoder serialises JSON bodies into a reused buffer as jsonwrite writes
// them: encoding/json's output without HTML escaping (as FastAPI's
// JSONResponse), nil slices and maps as [] and {}, durations in seconds, so
// that every body is what the OpenAPI document says.
type encoder struct {
	w jsonwrite.Encoder
}

func newEncoder() *encoder { return &encoder{} }

// encode returns v as JSON; the bytes are valid until the next call.
func (e *encoder) encode(v any) ([]byte, error) { return e.w.Encode(v) }

// encodeValue is encode for a value held as a reflect.Value.
func (e *encoder) encodeValue(v reflect.Value) ([]byte, error) { return e.w.EncodeValue(v) }

// marshalJSON is encode with a buffer of its own.
func marshalJSON(v any) ([]byte, error) { return jsonwrite.Marshal(v) }

// Content types of the responses Brisk makes.
const (
	jsonContentType = "application/json"
	textContentType = "text/plain; charset=utf-8"
	htmlContentType = "text/html; charset=utf-8"
)

// contentLength returns a Content-Length header value. Small lengths come
// from a table, so a response costs no allocation for its length's digits
// (the value slice that holds it is the response's own).
func contentLength(n int) string {
	if n < len(smallLengths) {
		return smallLengths[n]
	}
	return strconv.Itoa(n)
}

// smallLengths holds Content-Length values for bodies up to 4 KiB.
var smallLengths = func() []string {
	t := make([]string, 4096)
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()
