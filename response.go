// Response, what handlers may return and call-next middleware receives,
// and writing one.

package brisk

import (
	"net/http"

	"github.com/briskgo/brisk/internal/httpstatus"
)

// Response is a response not yet sent. Handlers may return one for full
// control of status, headers and body; call-next middleware receives one from
// next and may change its status and headers before returning it.
//
// A response that was streamed (its handler flushed, or wrote more than the
// middleware buffer) has already been sent when next returns: changes to it
// no longer reach the client (see Streamed).
type Response struct {
	status int
	header http.Header
	body   []byte

	// value is a JSON body not yet serialised: typed handlers hand their
	// result over unserialised, so a call-next stack costs no extra copy.
	value    any
	hasValue bool

	// streamed is set once the response has gone to the client.
	streamed bool

	// lent is set once body may be held by user code (Body, SetBody): a
	// pooled capture then never writes into it again.
	lent bool

	// lengthSlot, when set, is a fresh element for the Content-Length value,
	// allocated with the Content-Type's (see captureWriter.handOver).
	lengthSlot []string

	// send writes a body that is not held (File, Content, Stream: file.go),
	// once the headers are set; r is a bare GET when no request is at hand
	// (a layer's own response: see writeTo).
	send func(w http.ResponseWriter, r *http.Request) error
}

// JSON returns a response whose body is v as JSON.
func JSON(status int, v any) *Response {
	return &Response{status: status, header: http.Header{"Content-Type": {jsonContentType}}, value: v, hasValue: true}
}

// Text returns a text/plain response.
func Text(status int, s string) *Response {
	return &Response{status: status, header: http.Header{"Content-Type": {textContentType}}, body: []byte(s)}
}

// HTML returns a text/html response.
func HTML(status int, s string) *Response {
	return &Response{status: status, header: http.Header{"Content-Type": {htmlContentType}}, body: []byte(s)}
}

// Blob returns a response with body b of the given content type.
func Blob(status int, contentType string, b []byte) *Response {
	return &Response{status: status, header: http.Header{"Content-Type": {contentType}}, body: b}
}

// Redirect returns a redirect to url with status (307 when status is 0, as
// Starlette's RedirectResponse).
func Redirect(status int, url string) *Response {
	if status == 0 {
		status = http.StatusTemporaryRedirect
	}
	return &Response{status: status, header: http.Header{"Location": {url}}}
}

// Header returns the response's header map, to read or change. The map and
// its value slices are this response's own: when it is written, its headers
// are copied into the writer's map (each name replacing what outer layers set
// for it, as Header().Set would, except Set-Cookie, whose cookies are added),
// so a package-level *Response can be returned by any number of requests at
// once. Names must be HTTP tokens and values must not hold control
// characters (NUL, CR, LF); Transfer-Encoding is net/http's to set. A response
// that breaks these rules is not sent: the request gets a logged 500.
//
// Under a call-next layer, next's response's Header() is the map of the
// writer beneath, shared with the layers around it as on a plain
// http.ResponseWriter: Add appends to what outer layers set, Set replaces it.
func (r *Response) Header() http.Header {
	if r.header == nil {
		r.header = make(http.Header)
	}
	return r.header
}

// StatusCode returns the response's status code.
func (r *Response) StatusCode() int {
	if r.status == 0 {
		return http.StatusOK
	}
	return r.status
}

// SetStatusCode changes the response's status code.
func (r *Response) SetStatusCode(code int) { r.status = code }

// Streamed reports whether the response has already been sent to the client
// (its handler flushed or exceeded the middleware buffer), so that changes
// to its status and headers no longer apply.
func (r *Response) Streamed() bool { return r.streamed }

// Body returns the response body, serialising a JSON value if need be. A
// streamed response's body is not available (nil).
func (r *Response) Body() []byte {
	if !r.serialise() {
		return nil
	}
	r.lent = true
	return r.body
}

// serialise turns a JSON value into the body; false when it cannot be
// encoded.
func (r *Response) serialise() bool {
	if r.hasValue {
		b, err := marshalJSON(r.value)
		if err != nil {
			return false
		}
		r.body, r.value, r.hasValue = b, nil, false
	}
	return true
}

// SetBody replaces the response body (and drops a Content-Length set
// before).
func (r *Response) SetBody(b []byte) {
	r.body, r.value, r.hasValue, r.lent, r.send = b, nil, false, true, nil
	if r.header != nil {
		r.header.Del("Content-Length")
	}
}

// reset makes r reusable for a pooled writer: it keeps nothing user code
// may hold (the header map was the writer's; a lent body is dropped).
func (r *Response) reset() {
	body := r.body[:0]
	if r.lent || cap(body) > StreamBuffer {
		body = nil
	}
	*r = Response{body: body}
}

// boolInt is 1 for true.
func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeTo sends r to w. setLength asks for an explicit Content-Length, so a
// client knows the response is complete before background tasks start. A
// held body gets one anyway unless r sets its own, as Starlette's Response
// does: net/http would otherwise send a body over 2 KiB chunked.
func (r *Response) writeTo(w http.ResponseWriter, enc *encoder, setLength bool) error {
	if r.streamed {
		return nil
	}
	if r.send != nil {
		// A layer's own File or Stream response: no request to serve
		// conditions or ranges from, the whole body.
		setHeaders(w.Header(), r.header, 0)
		return r.send(w, &http.Request{Method: http.MethodGet, Header: http.Header{}})
	}
	body := r.body
	if r.hasValue {
		b, err := enc.encode(r.value)
		if err != nil {
			return err
		}
		body = b
	}
	h := w.Header()
	status := r.StatusCode()
	withLength := httpstatus.BodyAllowed(status) && (setLength || len(h["Content-Length"]) == 0 && len(r.header["Content-Length"]) == 0)
	spare := setHeaders(h, r.header, boolInt(withLength && r.lengthSlot == nil))
	if withLength {
		if r.lengthSlot != nil {
			spare, r.lengthSlot = r.lengthSlot, nil
		}
		h["Content-Length"] = oneValue(spare, contentLength(len(body)))
	}
	w.WriteHeader(status)
	if httpstatus.BodyAllowed(status) && len(body) > 0 {
		_, err := w.Write(body)
		return err
	}
	return nil
}
