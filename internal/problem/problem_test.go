package problem

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLocSetTellsStringsFromInts(t *testing.T) {
	var s LocSet
	for _, loc := range [][]any{
		{"body", "a", 1}, {"body", "a", "1"}, {"body", "a"}, {"body"}, {}, {"body", "a\x00", 1},
		{"body", "a", 1, "b"}, {"query", "a", 1},
	} {
		assert.True(t, s.Add(loc), "%#v is new", loc)
	}
	assert.False(t, s.Add([]any{"body", "a", 1}))
	assert.False(t, s.Add([]any{}))
	assert.True(t, s.Has([]any{"body", "a", "1"}))
	assert.False(t, s.Has([]any{"body", "b"}))
	assert.Equal(t, 8, s.Len())
	s.Reset()
	assert.Equal(t, 0, s.Len())
	assert.False(t, s.Has([]any{"body"}))
}

// A collision is told apart by comparing the locs: forced here by adding
// locs straight under one hash.
func TestLocSetCollisions(t *testing.T) {
	var s LocSet
	a, b := []any{"body", "a"}, []any{"body", "b"}
	assert.True(t, s.add(a, 7))
	assert.True(t, s.add(b, 7))
	assert.False(t, s.add(b, 7))
	assert.True(t, s.has(a, 7))
	assert.True(t, s.has(b, 7))
	assert.False(t, s.has([]any{"body", "c"}, 7))
	assert.Equal(t, 2, s.Len())
}

// naiveOverlaps is the definition: an item at loc, inside it, or
// containing it.
func naiveOverlaps(items []Item, loc []any) bool {
	for _, it := range items {
		n := min(len(it.Loc), len(loc))
		if slices.Equal(it.Loc[:n], loc[:n]) {
			return true
		}
	}
	return false
}

func TestOverlapsMatchesTheDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	randLoc := func() []any {
		loc := []any{[]string{"body", "query"}[rng.IntN(2)]}
		for range rng.IntN(4) {
			if rng.IntN(2) == 0 {
				loc = append(loc, rng.IntN(3))
			} else {
				loc = append(loc, []string{"a", "b", "0"}[rng.IntN(3)])
			}
		}
		return loc
	}
	for range 300 {
		var items []Item
		for range rng.IntN(6) {
			items = append(items, Item{Loc: randLoc()})
		}
		o := NewOverlaps(items)
		for range 20 {
			loc := randLoc()
			require.Equal(t, naiveOverlaps(items, loc), o.Overlaps(loc), "items %v, loc %v", items, loc)
		}
		extra := randLoc()
		o.Add(extra)
		items = append(items, Item{Loc: extra})
		for range 20 {
			loc := randLoc()
			require.Equal(t, naiveOverlaps(items, loc), o.Overlaps(loc), "items %v, loc %v", items, loc)
		}
	}
	var none *Overlaps
	assert.False(t, none.Overlaps([]any{"body"}))
}

func TestClipInput(t *testing.T) {
	small := Item{Input: "short", Ctx: map[string]any{"max_length": 3}}
	ClipInput(&small)
	assert.Equal(t, "short", small.Input)
	assert.Equal(t, map[string]any{"max_length": 3}, small.Ctx)

	// A long string is cut at a rune boundary and marked; the item's own
	// ctx map is not written to.
	ctx := map[string]any{"max_length": 3}
	long := Item{Input: strings.Repeat("é", MaxInputBytes), Ctx: ctx}
	ClipInput(&long)
	s := long.Input.(string)
	assert.LessOrEqual(t, len(s), MaxInputBytes)
	assert.Greater(t, len(s), MaxInputBytes-4)
	assert.True(t, utf8.ValidString(s))
	assert.Equal(t, map[string]any{"max_length": 3, "input_truncated": true}, long.Ctx)
	assert.Equal(t, map[string]any{"max_length": 3}, ctx)

	// A large object becomes the start of its JSON text.
	obj := map[string]any{}
	for i := range 2000 {
		obj[strings.Repeat("k", 5)+string(rune('a'+i%26))+strings.Repeat("x", i%7)] = []any{json.Number("1"), "v", nil, true}
	}
	big := Item{Input: obj}
	ClipInput(&big)
	text := big.Input.(string)
	assert.Len(t, text, MaxInputBytes)
	assert.True(t, strings.HasPrefix(text, `{"kkkkka":[1,"v",null,true],"kkkkkax":`), text[:80])
	assert.Equal(t, map[string]any{"input_truncated": true}, big.Ctx)

	// Small values of any kind are left as they are.
	for _, v := range []any{nil, true, 3, int8(4), 2.5, json.Number("1e400"), []any{"a"}, map[string]any{"a": 1}, []int{1, 2}} {
		it := Item{Input: v}
		ClipInput(&it)
		assert.Equal(t, v, it.Input)
		assert.Nil(t, it.Ctx)
	}
	// A large Go value (a rule failure's input) is cut too.
	it := Item{Input: make([]int, 5000)}
	ClipInput(&it)
	want := ("[" + strings.Repeat("0,", MaxInputBytes))[:MaxInputBytes]
	assert.True(t, it.Input.(string) == want, "a cut []int: %.40q…", it.Input)
}

func TestCap(t *testing.T) {
	size := func(it Item) int {
		b, err := json.Marshal(it)
		if err != nil {
			return -1
		}
		return len(b)
	}
	items := func(n int) []Item {
		out := make([]Item, n)
		for i := range out {
			out[i] = Item{Type: "int_parsing", Loc: []any{"query", "n", i}, Msg: "m", Input: "x"}
		}
		return out
	}
	// Under both limits: as it is.
	assert.Len(t, Cap(items(10), 0, 0, size), 10)

	// Past MaxItems: MaxItems, then the marker.
	got := Cap(items(5000), 0, 1<<30, size)
	require.Len(t, got, MaxItems+1)
	assert.Equal(t, Item{Type: TooManyType, Loc: []any{}, Msg: "Too many errors: 4000 more not listed",
		Ctx: map[string]any{"shown": MaxItems, "omitted": 4000}}, got[MaxItems])
	assert.Equal(t, []any{"query", "n", MaxItems - 1}, got[MaxItems-1].Loc)

	// Past the size budget of a small request: fewer items, all of them
	// the list's first, the whole within the budget.
	got = Cap(items(5000), 0, 100, size)
	require.Less(t, len(got), MaxItems)
	last := got[len(got)-1]
	assert.Equal(t, TooManyType, last.Type)
	assert.Equal(t, 5000-(len(got)-1), last.Ctx["omitted"])
	b, err := json.Marshal(Detail{Detail: got})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(b), Budget(100))
	assert.Greater(t, len(b), Budget(100)-1024)
	for i, it := range got[:len(got)-1] {
		assert.Equal(t, i, it.Loc[2])
	}

	// Items a producer left out are counted in the marker.
	got = Cap(items(3), 7, 1<<30, size)
	require.Len(t, got, 4)
	assert.Equal(t, TooMany(3, 7), got[3])
}

func TestLocSetCount(t *testing.T) {
	var s LocSet
	s.Add([]any{"body", 0})
	assert.False(t, s.Count([]any{"body", 0}), "listed already")
	assert.True(t, s.Count([]any{"body", 1}))
	assert.False(t, s.Count([]any{"body", 1}), "counted already")
	s.Reset()
	assert.True(t, s.Count([]any{"body", 1}))
}
