package validation

import (
	"reflect"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Structs checked through a pointer are given to validator as one copy of
// their own when that saves validator's per-field copies: the same failures,
// fewer allocations, and the caller's value is never written.

type plainBody struct {
	Name  string   `json:"name" validate:"required"`
	Price float64  `json:"price" validate:"gt=0"`
	Tags  []string `json:"tags"`
}

// even has a validateFn rule whose method has a pointer receiver: validator
// finds it only on an addressable field.
type even int

func (e *even) Even() bool { return *e%2 == 0 }

type withValidateFn struct {
	N even `json:"n" validate:"validateFn=Even"`
}

type inner struct {
	Code string `json:"code" validate:"len=2"`
}

type withHiddenEmbedded struct {
	inner
	Name string `json:"name"`
}

type onlyPointers struct {
	P *inner          `json:"p"`
	M map[string]int  `json:"m" validate:"max=2"`
	F func()          `json:"-"`
	C map[string]bool `json:"c"`
}

func TestByValueDecision(t *testing.T) {
	assert.True(t, byValue(reflect.TypeFor[plainBody]()))
	assert.True(t, byValue(reflect.TypeFor[Order]()))
	assert.False(t, byValue(reflect.TypeFor[withValidateFn]()), "validateFn may need a pointer receiver")
	assert.False(t, byValue(reflect.TypeFor[withHiddenEmbedded]()), "an unexported embedded struct's fields are read through their address")
	assert.False(t, byValue(reflect.TypeFor[onlyPointers]()), "no field would be copied: the copy would be an extra allocation")
}

func TestByValueSameFailures(t *testing.T) {
	v := New()
	bad := plainBody{Price: -1, Tags: []string{"a"}}
	got := v.Check(&bad)
	require.Len(t, got, 2)
	assert.Equal(t, []any{"name"}, got[0].Path)
	assert.Equal(t, "required", got[0].Tag)
	assert.Equal(t, []any{"price"}, got[1].Path)
	assert.Equal(t, "gt", got[1].Tag)
	assert.Equal(t, -1.0, got[1].Value)
	assert.Equal(t, plainBody{Price: -1, Tags: []string{"a"}}, bad, "the checked value is left as it was")

	// The same failures for the value itself and for an element of a slice.
	assert.Equal(t, got, v.Check(bad))
	list := v.Check(&[]plainBody{{Name: "ok", Price: 1}, bad})
	require.Len(t, list, 2)
	assert.Equal(t, []any{1, "name"}, list[0].Path)
	assert.Equal(t, []any{1, "price"}, list[1].Path)

	ok := plainBody{Name: "x", Price: 2}
	assert.Empty(t, v.Check(&ok))
}

func TestByValuePointerReceiverRule(t *testing.T) {
	v := New()
	assert.Empty(t, v.Check(&withValidateFn{N: 4}))
	got := v.Check(&withValidateFn{N: 3})
	require.Len(t, got, 1)
	assert.Equal(t, "validateFn", got[0].Tag)
	assert.Equal(t, []any{"n"}, got[0].Path)
}

func TestByValueHiddenEmbedded(t *testing.T) {
	v := New()
	assert.Empty(t, v.Check(&withHiddenEmbedded{inner: inner{Code: "ab"}}))
	got := v.Check(&withHiddenEmbedded{inner: inner{Code: "abc"}})
	require.Len(t, got, 1)
	assert.Equal(t, "len", got[0].Tag)
}

func TestByValueFewerAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not exact under the race detector")
	}
	v := New()
	body := plainBody{Name: "widget", Price: 9.5, Tags: []string{"a", "b"}}
	rv := reflect.ValueOf(&body).Elem()
	byAddr := testing.AllocsPerRun(100, func() {
		var c collector
		v.checkStruct(rv.Addr().Interface(), rv.Type(), nil, true, &c)
	})
	byCopy := testing.AllocsPerRun(100, func() {
		var c collector
		v.checkStruct(structArg(rv), rv.Type(), nil, true, &c)
	})
	// validator reads each of the three fields through Value.Interface: as
	// fields of an addressable struct that is three copies; the struct
	// copied once costs one.
	assert.GreaterOrEqual(t, byAddr-byCopy, 2.0, "by address %v allocations, by copy %v", byAddr, byCopy)
}

func TestByValueConcurrent(t *testing.T) {
	v := New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				b := plainBody{Name: "n", Price: float64(i*50 + j + 1)}
				if j%2 == 1 {
					b.Price = -b.Price
				}
				got := v.Check(&b)
				if j%2 == 1 {
					if assert.Len(t, got, 1) {
						assert.Equal(t, b.Price, got[0].Value, "each check reports its own input")
					}
				} else {
					assert.Empty(t, got)
				}
			}
		}()
	}
	wg.Wait()
}
