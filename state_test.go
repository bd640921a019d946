package brisk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// keptByReset are the request-state fields reset leaves as they are, and
// why. Every other field must be empty after reset: a field added to
// reqState (or rootWriter) fails TestResetClearsRequestScratch until reset
// clears it or it is listed here.
var keptByReset = map[string]string{
	"app":         "the state's App, for its whole life",
	"root.st":     "the root writer's own state",
	"enc":         "its buffer is reused; every encode starts by resetting it",
	"ctxValue":    "points at ctx, made once per pooled state",
	"writerValue": "points at writer, made once per pooled state",
	"words":       "scalar scratch, zeroed by each use; it holds no references",
	"args":        "cleared by routePlan.serve after every call",
	"values":      "reused request models and bodies, zeroed by each use",
	"rctx":        "reset by chi's own Context.Reset (checked below)",
	"body":        "its buffer is reused (checked below: empty)",
	"errLocs.m":   "emptied by LocSet.Reset, which drops a large one (checked below: empty)",
	"life.v":      "the generation, bumped by reset so a stale request context cannot join the next request (the runs are zero)",
}

// fill sets v (and, in a struct or array, every element) to a value that is
// not zero, so that a field reset forgets stays visibly set.
func fill(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	if _, kept := keptByReset[path]; kept {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(1)
	case reflect.String:
		v.SetString("x")
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	case reflect.Func:
		v.Set(reflect.MakeFunc(v.Type(), func([]reflect.Value) []reflect.Value { return nil }))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 4))
		fill(t, path+"[]", v.Index(0))
	case reflect.Array:
		for i := range v.Len() {
			fill(t, path+"[]", v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[reflect.Value]() {
			v.Set(reflect.ValueOf(reflect.ValueOf("provided")))
			return
		}
		for i := range v.NumField() {
			fill(t, path+"."+v.Type().Field(i).Name, settable(v.Field(i)))
		}
	case reflect.Interface:
		switch {
		case reflect.TypeFor[*nopWriter]().Implements(v.Type()):
			v.Set(reflect.ValueOf(&nopWriter{}))
		case reflect.TypeFor[context.Context]() == v.Type():
			v.Set(reflect.ValueOf(t.Context()))
		case reflect.TypeFor[*strings.Reader]().Implements(v.Type()):
			v.Set(reflect.ValueOf(strings.NewReader("body")))
		case v.NumMethod() == 0:
			v.Set(reflect.ValueOf("x"))
		default:
			t.Fatalf("%s: no test value for %s", path, v.Type())
		}
	default:
		t.Fatalf("%s: no test value for %s", path, v.Type())
	}
}

// settable makes an unexported field of an addressable struct settable, so
// that fill and emptyAfterReset need no list of field names.
func settable(v reflect.Value) reflect.Value {
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

// emptyAfterReset reports the fields under v that reset left set: a value
// must be zero, a slice empty with no references left in its capacity.
func emptyAfterReset(path string, v reflect.Value) []string {
	if _, kept := keptByReset[path]; kept {
		return nil
	}
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[reflect.Value]() {
			break
		}
		var bad []string
		for i := range v.NumField() {
			bad = append(bad, emptyAfterReset(path+"."+v.Type().Field(i).Name, settable(v.Field(i)))...)
		}
		return bad
	case reflect.Array:
		var bad []string
		for i := range v.Len() {
			bad = append(bad, emptyAfterReset(path+"[]", v.Index(i))...)
		}
		return bad
	case reflect.Slice:
		if v.Len() != 0 {
			return []string{path}
		}
		if !holdsReferences(v.Type().Elem()) {
			return nil
		}
		all := v.Slice(0, v.Cap())
		for i := range all.Len() {
			if bad := emptyAfterReset(path+"[]", all.Index(i)); len(bad) > 0 {
				return bad
			}
		}
		return nil
	}
	if !v.IsZero() {
		return []string{path}
	}
	return nil
}

// holdsReferences reports whether a value of t can keep memory alive.
func holdsReferences(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsReferences(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Array:
		return holdsReferences(t.Elem())
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.String, reflect.Interface,
		reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return true
	}
	return false
}

// reset leaves nothing of a request in a pooled state: every field is
// filled, then every field not listed in keptByReset must be empty.
func TestResetClearsRequestScratch(t *testing.T) {
	a := New()
	st := newReqState(a)
	v := reflect.ValueOf(st).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		fill(t, strings.TrimPrefix(name, "."), settable(v.Field(i)))
	}
	st.rctx.URLParams.Add("id", "7")
	st.rctx.RoutePath = "/items/7"
	st.body.WriteString("body")
	st.errLocs.Add([]any{"query", "q"})

	st.reset()

	for i := range v.NumField() {
		for _, bad := range emptyAfterReset(v.Type().Field(i).Name, settable(v.Field(i))) {
			t.Errorf("reset left %s set", bad)
		}
	}
	if len(st.rctx.URLParams.Keys) != 0 || st.rctx.RoutePath != "" || st.body.Len() != 0 || st.errLocs.Len() != 0 {
		t.Error("routing context or body kept")
	}
	if st.root.st != st || st.app != a {
		t.Error("the state lost its App or its root writer")
	}
}

// noContentLength is h.Get("Content-Length") == "" without canonicalising.
func TestNoContentLength(t *testing.T) {
	for _, h := range []http.Header{
		nil,
		{},
		{"Content-Length": nil},
		{"Content-Length": {""}},
		{"Content-Length": {"0"}},
		{"Content-Length": {"12", "13"}},
		{"Content-Type": {"text/plain"}},
	} {
		if got, want := noContentLength(h), h.Get("Content-Length") == ""; got != want {
			t.Errorf("%v: noContentLength %v, Get says %v", h, got, want)
		}
	}
}

// A route without middleware of its own is run by dispatch directly; one
// with group middleware, and a raw handler, go through their chain. All three
// answer, also after Override recompiled the plans.
func TestDirectRoutes(t *testing.T) {
	a := New()
	a.Get("/plain", func() string { return "plain" })
	g := a.Group("/g")
	g.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Group", "1")
			next.ServeHTTP(w, r)
		})
	})
	g.Get("/x", func() string { return "grouped" })
	a.Get("/raw", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`"raw"`)) }))

	get := func(path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		a.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		return rec
	}
	check := func() {
		t.Helper()
		for path, want := range map[string]string{"/plain": `"plain"`, "/g/x": `"grouped"`, "/raw": `"raw"`} {
			rec := get(path)
			if rec.Code != http.StatusOK || rec.Body.String() != want {
				t.Errorf("%s: %d %q, want 200 %s", path, rec.Code, rec.Body.String(), want)
			}
			if got := rec.Header().Get("X-Group"); (got == "1") != (path == "/g/x") {
				t.Errorf("%s: X-Group %q", path, got)
			}
		}
	}
	check()
	direct := map[string]bool{}
	for _, rt := range a.all {
		direct[rt.pattern] = rt.direct
	}
	if !direct["/plain"] || direct["/g/x"] || direct["/raw"] {
		t.Errorf("direct: %v, want only /plain", direct)
	}
	type word string
	a.Override(func() word { return "unused" })
	check()
}
