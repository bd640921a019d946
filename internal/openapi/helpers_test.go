package openapi

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The tests use the standard library only, so the package's checks need
// nothing beyond the module's own go.sum.

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func equal[T comparable](t *testing.T, got, want T, msg ...string) {
	t.Helper()
	if got != want {
		t.Errorf("%s\n got: %v\nwant: %v", strings.Join(msg, " "), got, want)
	}
}

func errContains(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error containing %q, got none", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}

// fragment returns the raw JSON at a path of object keys in doc, exactly as
// Build wrote it.
func fragment(t *testing.T, doc []byte, keys ...string) string {
	t.Helper()
	raw := json.RawMessage(doc)
	for _, k := range keys {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			t.Fatalf("at %q: %v in %s", k, err, raw)
		}
		v, ok := obj[k]
		if !ok {
			t.Fatalf("no key %q in %s", k, raw)
		}
		raw = v
	}
	return string(raw)
}

// schemaJSON is the compact JSON schema of typ with a validate tag, and the
// components it created.
func schemaJSON(t *testing.T, typ reflect.Type, validate string) (string, map[string]string) {
	t.Helper()
	g := newGenerator()
	g.collect(typ)
	g.assignNames()
	s, err := g.schema(typ, parseRules(validate))
	noErr(t, err)
	b, err := Marshal(s)
	noErr(t, err)
	comps := map[string]string{}
	for name, c := range g.components {
		cb, err := Marshal(c)
		noErr(t, err)
		comps[name] = string(cb)
	}
	return string(b), comps
}

func mustBuild(t *testing.T, ops ...Operation) []byte {
	t.Helper()
	doc, err := Build(Info{}, ops)
	noErr(t, err)
	return doc
}
