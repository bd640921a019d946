package jsonwrite

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stdJSON is encoding/json without HTML escaping, what Brisk sent before.
func stdJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return strings.TrimSuffix(buf.String(), "\n")
}

type valMarshaler struct{ N int }

func (v valMarshaler) MarshalJSON() ([]byte, error) { return []byte(` { "n" : [ 1, 2 ] } `), nil }

type ptrMarshaler struct{ N int }

func (p *ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"ptr"`), nil }

type ptrText struct{ S string }

func (p *ptrText) MarshalText() ([]byte, error) { return []byte("text:" + p.S), nil }

type textKey int

func (k textKey) MarshalText() ([]byte, error) {
	return []byte("k<" + string(rune('a'+int(k))) + ">"), nil
}

type zeroer struct{ A int }

func (z zeroer) IsZero() bool { return z.A == 42 }

type ptrZeroer struct{ A int }

func (z *ptrZeroer) IsZero() bool { return z.A == 7 }

type Inner struct {
	X int    `json:"x"`
	Y string `json:"y,omitempty"`
}

type embeddedPtr struct {
	P int
}

type node struct {
	Name     string  `json:"name"`
	Children []*node `json:"children"`
}

type everything struct {
	Inner
	*embeddedPtr
	B        bool               `json:"b"`
	I8       int8               `json:"i8"`
	U64      uint64             `json:"u64"`
	F32      float32            `json:"f32"`
	F64      float64            `json:"f64"`
	S        string             `json:"s"`
	Quoted   int                `json:"quoted,string"`
	QStr     string             `json:"qstr,string"`
	QPtr     *float64           `json:"qptr,string"`
	Omit     string             `json:"omit,omitempty"`
	OmitZ    zeroer             `json:"omitz,omitzero"`
	OmitPZ   ptrZeroer          `json:"omitpz,omitzero"`
	OmitT    time.Time          `json:"omitt,omitzero"`
	Ptr      *Inner             `json:"ptr"`
	NilPtr   *Inner             `json:"nilptr"`
	Any      any                `json:"any"`
	NilAny   any                `json:"nilany"`
	Bytes    []byte             `json:"bytes"`
	Arr      [3]byte            `json:"arr"`
	M        map[string]int     `json:"m"`
	IntKeys  map[int]string     `json:"intkeys"`
	TextKeys map[textKey]bool   `json:"textkeys"`
	Raw      json.RawMessage    `json:"raw"`
	Num      json.Number        `json:"num"`
	VM       valMarshaler       `json:"vm"`
	PM       ptrMarshaler       `json:"pm"`
	PT       ptrText            `json:"pt"`
	Addr     netip.Addr         `json:"addr"`
	When     time.Time          `json:"when"`
	Anon     struct{ A, B int } `json:"anon"`
	Tree     node               `json:"tree"`
	Slice    []Inner            `json:"slice"`
	Hidden   int                `json:"-"`
	//lint:ignore SA5008 the name "-" on purpose, as encoding/json documents
	Dash  int `json:"-,"`
	unexp int
}

// Values holding no nil slice, nil map or duration are written exactly as
// encoding/json writes them.
func TestMatchesEncodingJSON(t *testing.T) {
	f := 1.5
	v := everything{
		Inner:       Inner{X: 1},
		embeddedPtr: &embeddedPtr{P: 2},
		B:           true, I8: -8, U64: math.MaxUint64, F32: 0.1, F64: 1e21,
		S:      "a\"b\\c\n\r\t\b\f\x01\x7f<>&\u2028\u2029é\xff",
		Quoted: 5, QStr: `q"s`, QPtr: &f,
		OmitZ: zeroer{A: 42}, OmitPZ: ptrZeroer{A: 7},
		Ptr:      &Inner{X: 3, Y: "y"},
		Any:      map[string]any{"z": []any{1.0, "x", nil}, "a": true},
		Bytes:    []byte("hello"),
		Arr:      [3]byte{1, 2, 3},
		M:        map[string]int{"b": 2, "a": 1},
		IntKeys:  map[int]string{10: "x", 2: "y", -1: "z"},
		TextKeys: map[textKey]bool{1: true, 0: false},
		Raw:      json.RawMessage(`{"raw" : 1}`),
		Num:      "12.5e3",
		Addr:     netip.MustParseAddr("::1"),
		When:     time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC),
		Tree:     node{Name: "root", Children: []*node{{Name: "leaf", Children: []*node{}}}},
		Slice:    []Inner{{X: 1}, {X: 2, Y: "two"}},
		Dash:     9,
		unexp:    1,
	}
	for _, x := range []any{
		v, &v, []any{v}, map[string]any{"v": &v},
		nil, 0, math.Copysign(0, -1), 1e-7, 123456789.0, float32(1e-7), math.SmallestNonzeroFloat64, math.MaxFloat64,
		"", "plain", []int{}, map[string]int{}, struct{}{}, [0]int{},
		[]everything{v}, // addressable elements: pointer-receiver marshalers apply
	} {
		got, err := Marshal(x)
		require.NoError(t, err)
		assert.Equal(t, stdJSON(t, x), string(got))
	}
}

// Nil slices and maps are [] and {} at every depth; nil pointers and
// interfaces stay null.
func TestNilSlicesAndMaps(t *testing.T) {
	type Item struct {
		Tags  []string          `json:"tags"`
		Attrs map[string]string `json:"attrs"`
		Data  []byte            `json:"data"`
		Next  *Item             `json:"next"`
		Any   any               `json:"any"`
		Omit  []int             `json:"omit,omitempty"`
	}
	cases := []struct {
		v    any
		want string
	}{
		{Item{}, `{"tags":[],"attrs":{},"data":"","next":null,"any":null}`},
		{[]Item(nil), `[]`},
		{map[string][]int{"a": nil}, `{"a":[]}`},
		{[]Item{{Next: &Item{}}}, `[{"tags":[],"attrs":{},"data":"","next":{"tags":[],"attrs":{},"data":"","next":null,"any":null},"any":null}]`},
		{map[string]any{"x": []int(nil), "y": map[int]int(nil)}, `{"x":[],"y":{}}`},
		{(*Item)(nil), `null`},
	}
	for _, c := range cases {
		got, err := Marshal(c.v)
		require.NoError(t, err)
		assert.JSONEq(t, c.want, string(got))
		assert.Equal(t, c.want, string(got))
	}
}

// A time.Duration is written as seconds, exactly.
func TestDurationSeconds(t *testing.T) {
	type Job struct {
		After time.Duration   `json:"after"`
		Steps []time.Duration `json:"steps"`
		Q     time.Duration   `json:"q,string"`
	}
	got, err := Marshal(Job{After: 90 * time.Second, Steps: []time.Duration{1500 * time.Millisecond, -1, 0, math.MaxInt64, math.MinInt64}, Q: time.Minute})
	require.NoError(t, err)
	assert.Equal(t, `{"after":90,"steps":[1.5,-0.000000001,0,9223372036.854775807,-9223372036.854775808],"q":"60"}`, string(got))
}

// Errors are encoding/json's: unsupported types and values, failing
// marshalers, cycles.
func TestErrors(t *testing.T) {
	_, err := Marshal(math.NaN())
	var uv *json.UnsupportedValueError
	assert.ErrorAs(t, err, &uv)
	_, err = Marshal(map[string]any{"c": make(chan int)})
	var ut *json.UnsupportedTypeError
	assert.ErrorAs(t, err, &ut)
	_, err = Marshal(json.RawMessage(`{bad`))
	var me *json.MarshalerError
	assert.ErrorAs(t, err, &me)
	_, err = Marshal(json.Number("1x"))
	assert.Error(t, err)
	cyc := &node{Name: "a"}
	cyc.Children = []*node{cyc}
	_, err = Marshal(cyc)
	assert.ErrorAs(t, err, &uv)
	assert.Contains(t, err.Error(), "cycle")
	// A panic in user code is not an encoding error: it goes on up.
	assert.PanicsWithValue(t, "boom", func() { _, _ = Marshal(panicky{}) })
	assert.False(t, errors.Is(err, nil))
}

type panicky struct{}

func (panicky) MarshalJSON() ([]byte, error) { panic("boom") }

// The Encoder reuses its buffer and stays correct after an error.
func TestEncoderReuse(t *testing.T) {
	var enc Encoder
	b, err := enc.Encode([]int{1})
	require.NoError(t, err)
	assert.Equal(t, "[1]", string(b))
	_, err = enc.Encode(math.Inf(1))
	require.Error(t, err)
	b, err = enc.Encode(map[string]int{"a": 1})
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(b))
}

func FuzzStrings(f *testing.F) {
	for _, s := range []string{"", "a", "\x00", "\u2028", "\xff\xfe", "<&>", `"\`} {
		f.Add(s, 1.5)
	}
	f.Fuzz(func(t *testing.T, s string, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		v := map[string]any{s: []any{s, x, float32(x)}}
		got, err := Marshal(v)
		require.NoError(t, err)
		assert.Equal(t, stdJSON(t, v), string(got))
	})
}
