package jsonbody

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/problem"
)

type chain struct {
	Name string `json:"name"`
	Tag  string `json:"tag" default:"t"`
	Next *chain `json:"next"`
}

// Deep bodies must cost about what encoding/json costs, not O(size ×
// depth): every level is scanned once, valid or not, with duplicate keys
// or without.
func TestDeepBodiesStayLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	const depth = 5000
	pad := strings.Repeat("x", 300000)
	bodies := map[string]string{
		"valid":     strings.Repeat(`{"name":"a","next":`, depth) + `{"name":"z","pad":"` + pad + `"}` + strings.Repeat("}", depth),
		"invalid":   strings.Repeat(`{"name":"a","next":`, depth) + `{"name":1,"pad":"` + pad + `"}` + strings.Repeat("}", depth),
		"missing":   strings.Repeat(`{"next":`, depth) + `{"pad":"` + pad + `"}` + strings.Repeat("}", depth),
		"duplicate": strings.Repeat(`{"name":"a","next":{"name":"b"},"next":`, depth) + `{"name":"z","pad":"` + pad + `"}` + strings.Repeat("}", depth),
	}
	d, err := Compile(reflect.TypeFor[chain]())
	require.NoError(t, err)
	// The quickest of a few runs, for a machine that may be busy: a
	// quadratic scan is some 100 times slower here, and fails regardless.
	quickest := func(f func()) time.Duration {
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	for name, body := range bodies {
		plain := quickest(func() { _ = json.Unmarshal([]byte(body), new(chain)) })
		var items []problem.Item
		ours := quickest(func() { items = d.Decode([]byte(body), new(chain)) })
		t.Logf("%s: json.Unmarshal %v, Decode %v, %d items", name, plain, ours, len(items))
		assert.Less(t, ours, 20*plain+100*time.Millisecond, name)
	}
}

func TestDeepDuplicates(t *testing.T) {
	// The last occurrence of "next" decides, at every level.
	var v chain
	d, err := Compile(reflect.TypeFor[chain]())
	require.NoError(t, err)
	items := d.Decode([]byte(`{"name":"a","next":{"name":"b","tag":"x"},"next":{"name":"c","next":{"name":"d"},"next":{"name":"e","tag":"y"}}}`), &v)
	require.Nil(t, items)
	assert.Equal(t, "a", v.Name)
	assert.Equal(t, "t", v.Tag)
	assert.Equal(t, "c", v.Next.Name)
	assert.Equal(t, "t", v.Next.Tag) // "x" came from the first occurrence: the last has no tag
	assert.Equal(t, "e", v.Next.Next.Name)
	assert.Equal(t, "y", v.Next.Next.Tag)

	_, items = decode[chain](t, `{"name":"a","next":{"name":"b"},"next":{"tag":"x"}}`)
	assert.Equal(t, []problem.Item{missing(obj{"tag": "x"}, "next", "name")}, items)

	// Maps: "1" and "01" are the same int key; the last one wins.
	type byNum struct {
		M map[int]Line `json:"m"`
	}
	v2, items := decode[byNum](t, `{"m":{"1":{"sku":"a","qty":5},"01":{"sku":"b"}}}`)
	require.Nil(t, items)
	assert.Equal(t, map[int]Line{1: {"b", 1, 10.5}}, v2.M)
	v2, items = decode[byNum](t, `{"m":{"1":{"sku":"a"},"2":{"sku":"b","qty":2},"1":{"sku":"c","qty":3}}}`)
	require.Nil(t, items)
	assert.Equal(t, map[int]Line{1: {"c", 3, 10.5}, 2: {"b", 2, 10.5}}, v2.M)
	_, items = decode[byNum](t, `{"m":{"1":{"sku":"a"},"1":{"qty":3}}}`)
	assert.Equal(t, []problem.Item{missing(obj{"qty": num("3")}, "m", "1", "sku")}, items)
}

// The detail of a report is bounded, so that a small body cannot make a
// huge response; below the bound every problem is listed.
func TestDetailBudget(t *testing.T) {
	few := "[" + strings.Repeat(`{},`, 999) + "{}]"
	_, items := decode[[]Item](t, few)
	assert.Len(t, items, 2000)

	many := "[" + strings.Repeat(`{},`, 99999) + "{}]"
	_, items = decode[[]Item](t, many)
	assert.Greater(t, len(items), 5000)
	assert.Less(t, len(items), 200000)
	for i, it := range items { // a prefix of the full list, in order
		require.Equal(t, missing(obj{}, i/2, []string{"name", "price"}[i%2]), it)
	}
}
