package brisk

import (
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestPatternParams(t *testing.T) {
	cases := map[string][]string{
		"/":                           nil,
		"/items/{id}":                 {"id"},
		"/u/{user}/items/{id:[0-9]+}": {"user", "id"},
		"/re/{code:[a-z]{3}}/{n}":     {"code", "n"},
		"/static/*":                   {"*"},
		"/files/{dir}/*":              {"dir", "*"},
		"/sp/{ name }":                {"name"},
	}
	for pattern, want := range cases {
		assert.Equal(t, want, patternParams(pattern), pattern)
	}
}

func TestIsJSONContentType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/json":                  true,
		"Application/JSON; charset=utf-8":   true,
		"application/problem+json":          true,
		"application/vnd.api+json; v=1":     true,
		"text/plain":                        false,
		"application/x-www-form-urlencoded": false,
		"application/jsonx":                 false,
		"json":                              false,
	} {
		assert.Equal(t, want, isJSONContentType(ct), ct)
	}
}

func TestQueryParsing(t *testing.T) {
	st := newReqState(New())
	r := httptest.NewRequest("GET", "/?a=1&b=x+y&a=2&&c=%zz&d=caf%C3%A9&e", nil)
	assert.Equal(t, []string{"1", "2"}, st.queryValues(r, "a"))
	assert.Equal(t, []string{"x y"}, st.queryValues(r, "b"))
	assert.Empty(t, st.queryValues(r, "c"), "undecodable pairs are skipped, as url.ParseQuery")
	assert.Equal(t, []string{"café"}, st.queryValues(r, "d"))
	assert.Equal(t, []string{""}, st.queryValues(r, "e"))
}

func TestBindingOrderIsFastAPIs(t *testing.T) {
	assert.Equal(t, []int{2, 0, 3, 1}, bindingOrder([]int{rankPath, rankBody, rankProvided, rankModel}))
}

func TestScratchAllocatorAvoidsAllocations(t *testing.T) {
	st := newReqState(New())
	type ID int64
	for _, typ := range []reflect.Type{reflect.TypeFor[string](), reflect.TypeFor[ID](), reflect.TypeFor[float64](), reflect.TypeFor[bool]()} {
		alloc := scratchAllocator(typ, 0)
		allocs := testing.AllocsPerRun(100, func() { _ = alloc(st) })
		assert.Zero(t, allocs, typ.String())
		assert.True(t, alloc(st).CanSet(), typ.String())
	}
	// Types with their own unmarshalling or more memory get a fresh value.
	v := scratchAllocator(reflect.TypeFor[time.Time](), 0)(st)
	assert.True(t, v.CanSet())
}

func TestContentLengthTable(t *testing.T) {
	assert.Equal(t, "0", contentLength(0))
	assert.Equal(t, "4095", contentLength(4095))
	assert.Equal(t, "123456", contentLength(123456))
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = contentLength(512) }))
}
