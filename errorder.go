// 422 details: recording them (one per loc) and putting them in FastAPI's
// order.

package brisk

import (
	"cmp"
	"errors"
	"reflect"
	"slices"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/jsonfields"
	"github.com/briskgo/brisk/internal/problem"
)

// addItem records a 422 detail item, one per loc.
func (st *reqState) addItem(it problem.Item) {
	for _, e := range st.errs {
		if slices.Equal(e.Loc, it.Loc) {
			return
		}
	}
	st.errs = append(st.errs, it)
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

// overlaps reports whether an item of items is at loc, inside it, or
// contains it: a rule failure there repeats (or follows from) that error.
func overlaps(items []problem.Item, loc []any) bool {
	for _, it := range items {
		n := min(len(it.Loc), len(loc))
		if slices.Equal(it.Loc[:n], loc[:n]) {
			return true
		}
	}
	return false
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
