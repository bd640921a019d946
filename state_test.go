package brisk

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

// reset leaves nothing of a request in a pooled state: it clears the scratch
// strings and provider slots element by element, only where set.
func TestResetClearsRequestScratch(t *testing.T) {
	a := New()
	st := newReqState(a)
	st.strs[0], st.strs[scratchSlots-1] = "email", "last"
	st.one[0] = "one"
	st.slots = append(st.slots, reflect.ValueOf("provided"), reflect.Value{}, reflect.ValueOf(3))
	st.slotState = append(st.slotState, slotReady, slotFailed, slotReady)
	st.ctx, st.writer = t.Context(), &nopWriter{}
	st.root.w, st.root.wroteHeader, st.root.status = &nopWriter{}, true, 200
	st.ctxAttached, st.rawPath = true, true

	st.reset()

	if st.strs != [scratchSlots]string{} || st.one[0] != "" {
		t.Errorf("scratch strings kept: %q %q", st.strs, st.one)
	}
	if len(st.slots) != 0 || len(st.slotState) != 0 {
		t.Errorf("slots not emptied: %d, %d", len(st.slots), len(st.slotState))
	}
	for i, v := range st.slots[:cap(st.slots)] {
		if v.IsValid() {
			t.Errorf("slot %d still holds %v", i, v)
		}
	}
	if st.ctx != nil || st.writer != nil || st.root.w != nil {
		t.Error("request references kept")
	}
	if st.root.wroteHeader || st.root.status != 0 || st.ctxAttached || st.rawPath {
		t.Error("request flags kept")
	}
	if st.root.st != st {
		t.Error("the root writer lost its state")
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
