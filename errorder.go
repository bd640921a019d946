// 422 details: recording them (one per loc) and putting them in FastAPI's
// order.

package brisk

import (
	"cmp"
	"errors"
	"net/http"
	"reflect"
	"slices"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/jsonfields"
	"github.com/briskgo/brisk/internal/problem"
)

// addItem records a 422 detail item, one per loc (the first wins), its
// input cut to problem.MaxInputBytes; it reports whether it was new. Every error of every source comes
// through here, so a loc is looked up in a set, never in the list: a
// request with n failing values costs O(n), not O(n²).
func (st *reqState) addItem(it problem.Item) bool {
	if !st.errLocs.Add(it.Loc) {
		return false
	}
	problem.ClipInput(&it)
	st.errs = append(st.errs, it)
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

// capErrors cuts the collected list, once in its final order, to the
// limits of a 422 (see problem.Cap): the answer stays within
// problem.Budget of the request's size.
func (st *reqState) capErrors(r *http.Request) {
	if len(st.errs) <= 1 && st.omitted == 0 {
		return // one item, its input already clipped, is always sent
	}
	st.errs = problem.Cap(st.errs, st.omitted, st.requestSize(r), func(it problem.Item) int {
		b, err := st.enc.encode(it)
		if err != nil {
			return -1
		}
		return len(b)
	})
}

// requestSize is about the size of r on the wire, counting only the body
// bytes read: the request line, the headers and the body.
func (st *reqState) requestSize(r *http.Request) int {
	n := len(r.Method) + len(r.RequestURI) + len(r.Proto) + len(r.Host) + 16
	if r.RequestURI == "" {
		n += len(r.URL.RequestURI())
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	if st.bodyRead {
		n += st.body.Len()
	}
	return n
}

// Validation errors are collected as binders run — type errors while
// decoding, rule failures after — but FastAPI reports them in a fixed
// order, and clients (and tests ported from FastAPI) compare the whole
// list: per dependency, path errors, then query, header, cookie, and body;
// inside a body, in the order the model declares its fields. The sorting
// below runs only on the error path.

// sourceRank orders an error by where its input came from.
func sourceRank(it problem.Item) int {
	if len(it.Loc) > 0 {
		for i, s := range sources {
			if it.Loc[0] == s {
				return i
			}
		}
	}
	return len(sources)
}

// sortBySource stably orders one call's errors by source.
func sortBySource(items []problem.Item) {
	slices.SortStableFunc(items, func(a, b problem.Item) int {
		return cmp.Compare(sourceRank(a), sourceRank(b))
	})
}

// sortBodyItems stably orders the errors of a body of type t by the
// position of the field each names, as pydantic validates them: field by
// field in declaration order, list items by index. Items whose loc does not
// start with "body" keep their place after the body's.
func sortBodyItems(t reflect.Type, items []problem.Item) {
	if len(items) < 2 {
		return
	}
	slices.SortStableFunc(items, func(a, b problem.Item) int {
		return compareLoc(t, bodyPath(a.Loc), bodyPath(b.Loc))
	})
}

func bodyPath(loc []any) []any {
	if len(loc) > 0 && loc[0] == "body" {
		return loc[1:]
	}
	return loc
}

// compareLoc compares two paths into a value of type t by field
// declaration order and index.
func compareLoc(t reflect.Type, a, b []any) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t == nil {
			return 0
		}
		switch t.Kind() {
		case reflect.Struct:
			an, _ := a[i].(string)
			bn, _ := b[i].(string)
			ai, at := jsonFieldIndex(t, an)
			bi, _ := jsonFieldIndex(t, bn)
			if c := cmp.Compare(ai, bi); c != 0 {
				return c
			}
			t = at
		case reflect.Slice, reflect.Array:
			ai, aok := a[i].(int)
			bi, bok := b[i].(int)
			if aok && bok {
				if c := cmp.Compare(ai, bi); c != 0 {
					return c
				}
			}
			t = t.Elem()
		case reflect.Map:
			if a[i] != b[i] {
				return 0 // keys keep the order the decoder met them in
			}
			t = t.Elem()
		default:
			return 0
		}
	}
	// A field's own error comes before those of its members.
	return cmp.Compare(len(a), len(b))
}

// jsonFieldIndex returns the position of the field with JSON name name
// among t's fields, as the decoder resolves them (see jsonfields), and its
// type; unknown names sort last.
func jsonFieldIndex(t reflect.Type, name string) (int, reflect.Type) {
	fields, _ := jsonfields.Of(t)
	for i, f := range fields {
		if f.Name == name {
			return i, f.Type
		}
	}
	return int(^uint(0) >> 1), nil
}

// sortModelItems stably orders a request model's errors as FastAPI lists
// them: by source (path, query, header, cookie, body), then by the field's
// declaration order, whether the error came from decoding or from a rule.
func sortModelItems(items []problem.Item, fields []modelField) {
	pos := func(it problem.Item) int {
		if len(it.Loc) >= 2 {
			for i := range fields {
				if fields[i].locSource() == it.Loc[0] && fields[i].name == it.Loc[1] {
					return i
				}
			}
		}
		return len(fields)
	}
	slices.SortStableFunc(items, func(a, b problem.Item) int {
		if c := cmp.Compare(sourceRank(a), sourceRank(b)); c != 0 {
			return c
		}
		return cmp.Compare(pos(a), pos(b))
	})
}
