// JSON bodies: the body binder, reading the body within its limit, and the
// content types taken as JSON.

package brisk

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/jsonbody"
	"github.com/briskgo/brisk/internal/problem"
)

// isBodyType reports whether t is taken from the JSON body.
func isBodyType(t reflect.Type) bool {
	if decode.IsScalar(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return true
	case reflect.Pointer:
		return t.Elem().Kind() == reflect.Struct && !decode.IsScalar(t.Elem())
	}
	return false
}

// bodyBinder binds the JSON body into a value of type t.
func (c *compiler) bodyBinder(t reflect.Type, where func() string) binder {
	checkTags(t, where)
	dec, err := jsonbody.Compile(t)
	if err != nil {
		panic(fmt.Sprintf("brisk: %s: %v", where(), err))
	}
	if c.plan.op.Body == nil {
		c.plan.op.Body, c.plan.op.BodyRequired = t, dec.Required()
	}
	v := c.app.validator
	validate := v.Has(t)
	if validate {
		if err := v.Verify(t); err != nil {
			panic(fmt.Sprintf("brisk: %s: body %s: bad validate rule: %v", where(), t, err))
		}
	}
	optional := t.Kind() == reflect.Pointer
	newValue := c.valueAllocator(t)
	return func(st *reqState, _ http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
		data, ok := st.readBody(r)
		if !ok {
			return false
		}
		if st.bodyNotJSON && len(data) > 0 {
			// FastAPI validates a body sent as another content type as the
			// text it is: a JSON string, which no body type accepts, so the
			// client gets 422 model_attributes_type with its text as input.
			data = quoteJSON(data)
		}
		if optional && isBlank(data) {
			*out = reflect.Zero(t)
			return true
		}
		pv := newValue(st)
		items := dec.Decode(data, pv.Interface())
		if validate && !hasType(items, "json_invalid") && !(len(items) == 1 && len(items[0].Loc) == 1) {
			var decoded *problem.Overlaps
			limit := problem.MaxItems // no more could be listed
			if len(items) > 0 {
				decoded = problem.NewOverlaps(items)
				limit = -1 // a failure where decoding failed is dropped, not counted
			}
			failures, more := v.CheckLimit(pv.Interface(), limit)
			st.omitted += more
			listed := 0
			for _, f := range failures {
				loc := append([]any{"body"}, f.Path...)
				if decoded.Overlaps(loc) {
					// That part did not decode: its zero value's rules say
					// nothing more, as in pydantic.
					continue
				}
				if listed == problem.MaxItems {
					st.omitted++ // no more could be listed
					continue
				}
				listed++
				items = append(items, f.Item(loc))
			}
		}
		if len(items) > 0 {
			sortBodyItems(t, items)
			for _, it := range items {
				st.addItem(it)
			}
			return false
		}
		*out = pv.Elem()
		return true
	}
}

// quoteJSON returns b as a JSON string.
func quoteJSON(b []byte) []byte {
	q, _ := json.Marshal(string(b)) // a string always marshals
	return q
}

func hasType(items []problem.Item, typ string) bool {
	for _, it := range items {
		if it.Type == typ {
			return true
		}
	}
	return false
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
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
	limit := st.bodyLimit
	if st.declaresTooLong(r) {
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
		st.bodyState = Error(http.StatusBadRequest, msgUnreadable)
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

// declaresTooLong reports whether r's Content-Length is past the route's
// body limit: such a body is answered 413 without reading any of it.
func (st *reqState) declaresTooLong(r *http.Request) bool {
	return st.bodyLimit > 0 && r.ContentLength > st.bodyLimit
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
