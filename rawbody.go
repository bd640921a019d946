// Raw bodies: RawBody (the bytes, whatever the content type) and io.Reader
// (the body as a stream) parameters, both within the route's body limit.

package brisk

import (
	"io"
	"net/http"
	"reflect"
)

// RawBody is the request body as the client sent it, whatever its content
// type: a handler, provider or dependency parameter of this type takes it,
// read whole within the route's body limit (413 beyond). Use it for bodies
// that are neither JSON nor a form (XML, images, signed webhooks whose
// signature covers the exact bytes). Each request gets its own copy.
//
// To stream a body instead, take an io.Reader parameter: the body, which
// fails with *http.MaxBytesError past the limit; a handler that returns
// that error (or one wrapping it) answers 413.
type RawBody []byte

var (
	rawBodyType = reflect.TypeFor[RawBody]()
	readerType  = reflect.TypeFor[io.Reader]()
)

// bindRawBody reads the whole body (once per request) into a fresh slice.
func bindRawBody(st *reqState, _ http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
	data, ok := st.readBody(r)
	if !ok {
		return false
	}
	b := RawBody(append([]byte(nil), data...))
	*out = reflect.ValueOf(b)
	return true
}

// bindReader gives the body as a stream bounded by the route's limit.
func bindReader(st *reqState, w http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
	var body io.Reader = http.NoBody
	if r.Body != nil {
		body = r.Body
		if st.declaresTooLong(r) {
			st.abort = Error(http.StatusRequestEntityTooLarge, nil)
			return false
		}
		if st.bodyLimit > 0 {
			body = http.MaxBytesReader(w, r.Body, st.bodyLimit)
		}
	}
	*out = reflect.ValueOf(&body).Elem()
	return true
}
