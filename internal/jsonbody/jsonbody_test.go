package jsonbody

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/problem"
)

// decode compiles T and decodes body into a new T.
func decode[T any](t *testing.T, body string) (T, []problem.Item) {
	t.Helper()
	d, err := Compile(reflect.TypeFor[T]())
	require.NoError(t, err)
	var v T
	items := d.Decode([]byte(body), &v)
	return v, items
}

// obj is a decoded JSON object as an item's input.
type obj = map[string]any

// num is a JSON number as an item's input.
func num(s string) json.Number { return json.Number(s) }

func missing(input any, loc ...any) problem.Item {
	return problem.Missing(input, append([]any{"body"}, loc...)...)
}

func item(typ, msg string, input any, loc ...any) problem.Item {
	return problem.Item{Type: typ, Loc: append([]any{"body"}, loc...), Msg: msg, Input: input}
}

func withCtx(it problem.Item, ctx map[string]any) problem.Item {
	it.Ctx = ctx
	return it
}

// Item is FastAPI's docs_src/body/tutorial001 model.
type Item struct {
	Name        string   `json:"name"`
	Description *string  `json:"description"`
	Price       float64  `json:"price"`
	Tax         *float64 `json:"tax"`
}

// FastAPI's tests/test_tutorial/test_body/test_tutorial001.py, body by body.
func TestFastAPIBodyTutorial001(t *testing.T) {
	t.Run("body_float", func(t *testing.T) {
		v, items := decode[Item](t, `{"name": "Foo", "price": 50.5}`)
		require.Nil(t, items)
		assert.Equal(t, Item{Name: "Foo", Price: 50.5}, v)
	})
	t.Run("with_description_tax", func(t *testing.T) {
		v, items := decode[Item](t, `{"name": "Foo", "price": 50.5, "description": "Some Foo", "tax": 0.3}`)
		require.Nil(t, items)
		desc, tax := "Some Foo", 0.3
		assert.Equal(t, Item{Name: "Foo", Description: &desc, Price: 50.5, Tax: &tax}, v)
	})
	t.Run("only_name", func(t *testing.T) {
		_, items := decode[Item](t, `{"name": "Foo"}`)
		assert.Equal(t, []problem.Item{
			missing(obj{"name": "Foo"}, "price"),
		}, items)
	})
	t.Run("only_name_price", func(t *testing.T) {
		_, items := decode[Item](t, `{"name": "Foo", "price": "twenty"}`)
		assert.Equal(t, []problem.Item{
			item("float_parsing", "Input should be a valid number, unable to parse string as a number", "twenty", "price"),
		}, items)
	})
	t.Run("no_data", func(t *testing.T) {
		_, items := decode[Item](t, `{}`)
		assert.Equal(t, []problem.Item{
			missing(obj{}, "name"),
			missing(obj{}, "price"),
		}, items)
	})
	t.Run("none", func(t *testing.T) {
		_, items := decode[Item](t, `null`)
		assert.Equal(t, []problem.Item{problem.Missing(nil, "body")}, items)
	})
	t.Run("broken_body", func(t *testing.T) {
		_, items := decode[Item](t, `{some broken json}`)
		assert.Equal(t, []problem.Item{{
			Type:  "json_invalid",
			Loc:   []any{"body", 1},
			Msg:   "JSON decode error",
			Input: map[string]any{},
			Ctx:   map[string]any{"error": "Expecting property name enclosed in double quotes"},
		}}, items)
	})
	t.Run("wrong_kind", func(t *testing.T) {
		_, items := decode[Item](t, `"name=Foo&price=50.5"`)
		assert.Equal(t, []problem.Item{
			item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", "name=Foo&price=50.5"),
		}, items)
	})
	t.Run("str_float", func(t *testing.T) {
		// pydantic's lax mode (FastAPI's default) takes "50.5".
		v, items := decode[Item](t, `{"name": "Foo", "price": "50.5"}`)
		require.Nil(t, items)
		assert.Equal(t, Item{Name: "Foo", Price: 50.5}, v)
	})
}

func TestEmptyBody(t *testing.T) {
	for _, body := range []string{"", " ", "\n\t\r "} {
		_, items := decode[Item](t, body)
		assert.Equal(t, []problem.Item{problem.Missing(nil, "body")}, items, "%q", body)

		d, err := Compile(reflect.TypeFor[*Item]())
		require.NoError(t, err)
		assert.False(t, d.Required())
		sentinel := &Item{Name: "untouched"}
		dst := sentinel
		assert.Nil(t, d.Decode([]byte(body), &dst), "%q", body)
		assert.Same(t, sentinel, dst)
	}
}

func TestNullBody(t *testing.T) {
	_, items := decode[[]Item](t, ` null `)
	assert.Equal(t, []problem.Item{problem.Missing(nil, "body")}, items)
	_, items = decode[map[string]int](t, `null`)
	assert.Equal(t, []problem.Item{problem.Missing(nil, "body")}, items)

	d, err := Compile(reflect.TypeFor[*Item]())
	require.NoError(t, err)
	dst := &Item{}
	assert.Nil(t, d.Decode([]byte("null"), &dst))
	assert.Nil(t, dst)
}

func TestRequired(t *testing.T) {
	for typ, want := range map[reflect.Type]bool{
		reflect.TypeFor[Item]():           true,
		reflect.TypeFor[*Item]():          false,
		reflect.TypeFor[[]Item]():         true,
		reflect.TypeFor[map[string]any](): true,
		reflect.TypeFor[any]():            true,
		reflect.TypeFor[*[]int]():         false,
	} {
		d, err := Compile(typ)
		require.NoError(t, err)
		assert.Equal(t, want, d.Required(), "%v", typ)
		assert.Equal(t, typ, d.Type())
	}
}

// Fields.
type requiredRules struct {
	Plain     int            `json:"plain"`
	Str       string         // no tag: the Go name is the JSON name
	Ptr       *int           `json:"ptr"`
	Slice     []int          `json:"slice"`
	Map       map[string]int `json:"map"`
	Iface     any            `json:"iface"`
	OmitEmpty int            `json:"omit_empty,omitempty"`
	OmitZero  int            `json:"omit_zero,omitzero"`
	Default   int            `json:"default" default:"3"`
	Ignored   int            `json:"-"`
	//lint:ignore SA5008 encoding/json names this field "-", and so must Decode.
	Dash   int `json:"-,"`
	unexp  int
	Struct struct{ A int } `json:"struct"`
	Array  [2]int          `json:"array"`
}

func TestRequiredFields(t *testing.T) {
	_, items := decode[requiredRules](t, `{"unexp": 1, "Ignored": 2}`)
	in := obj{"unexp": num("1"), "Ignored": num("2")}
	assert.Equal(t, []problem.Item{
		missing(in, "plain"),
		missing(in, "Str"),
		missing(in, "-"),
		missing(in, "struct"),
		missing(in, "array"),
	}, items)

	v, items := decode[requiredRules](t, `{"plain":1,"Str":"s","-":2,"struct":{"A":1},"array":[1,2]}`)
	require.Nil(t, items)
	assert.Equal(t, 3, v.Default)
	assert.Equal(t, 2, v.Dash)
	assert.Equal(t, 0, v.unexp)
}

type Inner struct {
	X int    `json:"x"`
	Y string `json:"y,omitempty"`
}

type Outer struct {
	Inner  Inner            `json:"inner"`
	PInner *Inner           `json:"pinner"`
	Items  []Item           `json:"items"`
	ByName map[string]Inner `json:"by_name"`
	Arr    [2]Inner         `json:"arr"`
}

func TestNested(t *testing.T) {
	body := `{
		"inner": {"y": "a"},
		"pinner": {},
		"items": [{"name": "a", "price": 1}, {"price": 2}, {"name": "c"}],
		"by_name": {"k": {"y": "b"}, "ok": {"x": 1}},
		"arr": [{"x": 1}, {"y": "z"}, {"this": "is dropped"}]
	}`
	_, items := decode[Outer](t, body)
	assert.Equal(t, []problem.Item{
		missing(obj{"y": "a"}, "inner", "x"),
		missing(obj{}, "pinner", "x"),
		missing(obj{"price": num("2")}, "items", 1, "name"),
		missing(obj{"name": "c"}, "items", 2, "price"),
		missing(obj{"y": "b"}, "by_name", "k", "x"),
		missing(obj{"y": "z"}, "arr", 1, "x"),
	}, items)

	v, items := decode[Outer](t, `{"inner":{"x":1},"pinner":null,"items":[],"by_name":{},"arr":[{"x":1},{"x":2},{}]}`)
	require.Nil(t, items)
	assert.Equal(t, Outer{Inner: Inner{X: 1}, Items: []Item{}, ByName: map[string]Inner{}, Arr: [2]Inner{{X: 1}, {X: 2}}}, v)
}

func TestTopLevelSlice(t *testing.T) {
	v, items := decode[[]Item](t, `[{"name":"a","price":1},{"price":2},{"name":"c","price":3}]`)
	assert.Equal(t, []problem.Item{
		missing(obj{"price": num("2")}, 1, "name"),
	}, items)
	assert.Len(t, v, 3)

	_, items = decode[[]Item](t, `{"name":"a","price":1}`)
	assert.Equal(t, []problem.Item{
		item("list_type", "Input should be a valid list", obj{"name": "a", "price": num("1")}),
	}, items)

	// Pointer to a slice: optional body, same rules inside.
	_, items = decode[*[]Item](t, `[{}]`)
	assert.Equal(t, []problem.Item{missing(obj{}, 0, "name"), missing(obj{}, 0, "price")}, items)
}

func TestTopLevelMap(t *testing.T) {
	_, items := decode[map[string]Item](t, `{"a":{"name":"a","price":1},"b":{"name":"b"}}`)
	assert.Equal(t, []problem.Item{missing(obj{"name": "b"}, "b", "price")}, items)

	_, items = decode[map[string]int](t, `[1]`)
	assert.Equal(t, []problem.Item{item("dict_type", "Input should be a valid dictionary", []any{num("1")})}, items)
}

type Base struct {
	ID      int    `json:"id"`
	Created string `json:"created"`
}

type Meta struct {
	Note string `json:"note"`
}

type hidden struct {
	Secret string `json:"secret"`
}

type Embedding struct {
	Base            // promoted: id, created
	*Meta           // promoted through a pointer: note
	hidden          // unexported type, exported fields: promoted
	Tagged   Inner  `json:"tagged"`  // a named field, not promoted
	Created  int    `json:"created"` // shallower: hides Base.Created
	Optional string `json:"optional,omitempty"`
}

func TestEmbedded(t *testing.T) {
	_, items := decode[Embedding](t, `{"optional":"o"}`)
	in := obj{"optional": "o"}
	assert.Equal(t, []problem.Item{
		missing(in, "id"),
		missing(in, "note"),
		missing(in, "secret"),
		missing(in, "tagged"),
		missing(in, "created"),
	}, items)

	v, items := decode[Embedding](t, `{"id":1,"note":"n","secret":"s","tagged":{"x":2},"created":3}`)
	require.Nil(t, items)
	assert.Equal(t, 1, v.ID)
	assert.Equal(t, "n", v.Note)
	assert.Equal(t, "s", v.Secret)
	assert.Equal(t, 3, v.Created)
	assert.Empty(t, v.Base.Created)

	_, items = decode[Embedding](t, `{"id":"x","note":"n","secret":"s","tagged":{},"created":3}`)
	assert.Equal(t, []problem.Item{
		item("int_parsing", "Input should be a valid integer, unable to parse string as an integer", "x", "id"),
		missing(obj{}, "tagged", "x"),
	}, items)
}

// Two embedded structs with the same field at the same depth: encoding/json
// drops the name, so it is neither required nor decoded.
type Left struct{ Dup int }
type Right struct{ Dup int }
type Ambiguous struct {
	Left
	Right
	Other int
}

func TestEmbeddedAmbiguous(t *testing.T) {
	v, items := decode[Ambiguous](t, `{"Other":1,"Dup":2}`)
	require.Nil(t, items)
	assert.Equal(t, Ambiguous{Other: 1}, v)
}

type Cased struct {
	Name string `json:"name"`
	SKU  string `json:"sku"`
	Both int    `json:"both"`
	BOTH int    `json:"BOTH"`
}

func TestCaseInsensitiveKeys(t *testing.T) {
	for _, body := range []string{
		`{"NAME":"a","Sku":"b","both":1,"BOTH":2}`,
		`{"nAmE":"a","ſku":"b","both":1,"BOTH":2}`, // ſ (U+017F) folds to S, as in encoding/json
		`{"name":"a","\u017fKU":"b","both":1,"BOTH":2}`,
	} {
		var plain Cased
		require.NoError(t, json.Unmarshal([]byte(body), &plain))
		require.Equal(t, "b", plain.SKU, body)
		v, items := decode[Cased](t, body)
		require.Nil(t, items, body)
		assert.Equal(t, plain, v)
	}
	// "Both" folds to both and BOTH: encoding/json picks the first field, so
	// BOTH is still missing.
	_, items := decode[Cased](t, `{"name":"a","sku":"b","Both":1}`)
	assert.Equal(t, []problem.Item{missing(obj{"name": "a", "sku": "b", "Both": num("1")}, "BOTH")}, items)
	// A key that only looks like the name is not it.
	_, items = decode[Cased](t, `{"name ":"a","sku":"b","both":1,"BOTH":2}`)
	assert.Equal(t, []problem.Item{missing(obj{"name ": "a", "sku": "b", "both": num("1"), "BOTH": num("2")}, "name")}, items)
}

type Escaped struct {
	Amp     string `json:"it&s"`
	Slash   string `json:"a/b"`
	Unicode string `json:"é"`
	Astral  string `json:"𝔘"` // outside the BMP: a surrogate pair when escaped
	//lint:ignore SA5008 not a valid tag name: encoding/json uses the Go name, and so must Decode.
	Quote string `json:"say \"hi\""`
}

func TestEscapedKeys(t *testing.T) {
	body := `{"it\u0026s":"1","a\/b":"2","\u00e9":"3","\ud835\udd18":"4","\u0051uote":"5"}`
	v, items := decode[Escaped](t, body)
	require.Nil(t, items)
	assert.Equal(t, Escaped{"1", "2", "3", "4", "5"}, v)

	// A lone surrogate becomes U+FFFD, which names no field.
	_, items = decode[Escaped](t, `{"it&s":"1","a/b":"2","é":"3","\ud835":"4","Quote":"5"}`)
	assert.Equal(t, []problem.Item{missing(obj{"it&s": "1", "a/b": "2", "é": "3", "\ufffd": "4", "Quote": "5"}, "𝔘")}, items)

	// An escaped quote inside a key does not end it.
	_, items = decode[Item](t, `{"na\"me":"x","price":1,"name":"n"}`)
	assert.Nil(t, items)
	_, items = decode[Item](t, `{"na\\":"x","price":1}`)
	assert.Equal(t, []problem.Item{missing(obj{"na\\": "x", "price": num("1")}, "name")}, items)
}

type Defaults struct {
	Str    string            `json:"str" default:"hello"`
	Quote  string            `json:"quote" default:"\"q\""` // string kinds take the raw text
	Int    int               `json:"int" default:"10"`
	Float  float64           `json:"float" default:"1.5"`
	Bool   bool              `json:"bool" default:"true"`
	List   []string          `json:"list" default:"[\"a\"]"`
	Map    map[string]int    `json:"map" default:"{\"k\":1}"`
	PInt   *int              `json:"pint" default:"7"`
	PStr   *string           `json:"pstr" default:"ptr"`
	Struct WithDefault       `json:"struct" default:"{\"x\":1}"`
	Time   time.Time         `json:"time" default:"2020-01-02T03:04:05Z"`
	Addr   netip.Addr        `json:"addr" default:"10.0.0.1"`
	Num    json.Number       `json:"num" default:"12.50"`
	Any    any               `json:"any" default:"{\"a\":[1]}"`
	Arr    [2]int            `json:"arr" default:"[1,2]"`
	Nested map[string][]int  `json:"nested" default:"{\"a\":[1,2]}"`
	Empty  string            `json:"empty" default:""`
	Other  map[string]string `json:"other,omitempty"`
}

type WithDefault struct {
	X    int    `json:"x"`
	Unit string `json:"unit" default:"cm"`
}

func TestDefaults(t *testing.T) {
	v, items := decode[Defaults](t, `{}`)
	require.Nil(t, items)
	seven, ptr := 7, "ptr"
	want := Defaults{
		Str:    "hello",
		Quote:  `"q"`,
		Int:    10,
		Float:  1.5,
		Bool:   true,
		List:   []string{"a"},
		Map:    map[string]int{"k": 1},
		PInt:   &seven,
		PStr:   &ptr,
		Struct: WithDefault{X: 1, Unit: "cm"},
		Time:   time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
		Addr:   netip.MustParseAddr("10.0.0.1"),
		Num:    "12.50",
		Any:    map[string]any{"a": []any{1.0}},
		Arr:    [2]int{1, 2},
		Nested: map[string][]int{"a": {1, 2}},
	}
	assert.Equal(t, want, v)

	// Sent values win; null keeps the default where null means "no change",
	// and is nil where the type is nullable.
	v, items = decode[Defaults](t, `{"str":"s","int":null,"list":["x","y"],"pint":null,"struct":{"x":2},"any":null}`)
	require.Nil(t, items)
	assert.Equal(t, "s", v.Str)
	assert.Equal(t, 10, v.Int)
	assert.Equal(t, []string{"x", "y"}, v.List)
	assert.Nil(t, v.PInt)
	assert.Equal(t, WithDefault{X: 2, Unit: "cm"}, v.Struct)
	assert.Nil(t, v.Any)
}

func TestDefaultsAreCopied(t *testing.T) {
	d, err := Compile(reflect.TypeFor[Defaults]())
	require.NoError(t, err)
	var first Defaults
	require.Nil(t, d.Decode([]byte(`{}`), &first))
	first.List[0] = "changed"
	first.Map["k"] = 99
	*first.PInt = 99
	first.Any.(map[string]any)["a"].([]any)[0] = "changed"
	first.Nested["a"][0] = 99

	var second Defaults
	require.Nil(t, d.Decode([]byte(`{}`), &second))
	assert.Equal(t, []string{"a"}, second.List)
	assert.Equal(t, map[string]int{"k": 1}, second.Map)
	assert.Equal(t, 7, *second.PInt)
	assert.Equal(t, map[string]any{"a": []any{1.0}}, second.Any)
	assert.Equal(t, map[string][]int{"a": {1, 2}}, second.Nested)

	// Decoding into a default's slice must not write into the default.
	var third Defaults
	require.Nil(t, d.Decode([]byte(`{"list":["z"]}`), &third))
	var fourth Defaults
	require.Nil(t, d.Decode([]byte(`{}`), &fourth))
	assert.Equal(t, []string{"a"}, fourth.List)
}

type Line struct {
	SKU string  `json:"sku"`
	Qty int     `json:"qty" default:"1"`
	Tax float64 `json:"tax" default:"10.5"`
}

type Order struct {
	Lines    []Line          `json:"lines"`
	ByID     map[string]Line `json:"by_id"`
	Main     *Line           `json:"main"`
	Fixed    [2]Line         `json:"fixed"`
	Fallback Line            `json:"fallback" default:"{\"sku\":\"none\"}"`
}

func TestDefaultsInsideLists(t *testing.T) {
	v, items := decode[Order](t, `{
		"lines": [{"sku":"a"}, {"sku":"b","qty":3,"tax":null}],
		"by_id": {"x": {"sku":"x","tax":0}},
		"main": {"sku":"m"},
		"fixed": [{"sku":"f"}, {"sku":"g","qty":2}]
	}`)
	require.Nil(t, items)
	assert.Equal(t, Order{
		Lines:    []Line{{"a", 1, 10.5}, {"b", 3, 10.5}},
		ByID:     map[string]Line{"x": {"x", 1, 0}},
		Main:     &Line{"m", 1, 10.5},
		Fixed:    [2]Line{{"f", 1, 10.5}, {"g", 2, 10.5}},
		Fallback: Line{"none", 1, 10.5},
	}, v)

	_, items = decode[Order](t, `{"lines":[{"qty":2}], "fixed":[]}`)
	assert.Equal(t, []problem.Item{
		missing(obj{"qty": num("2")}, "lines", 0, "sku"),
	}, items)
}

type Node struct {
	Name     string `json:"name"`
	Children []Node `json:"children"`
	Next     *Node  `json:"next" default:"{\"name\":\"end\"}"`
}

func TestRecursiveType(t *testing.T) {
	_, items := decode[Node](t, `{"name":"a","children":[{"name":"b","children":[{}]}]}`)
	assert.Equal(t, []problem.Item{missing(obj{}, "children", 0, "children", 0, "name")}, items)

	v, items := decode[Node](t, `{"name":"a","next":{"name":"b","next":null}}`)
	require.Nil(t, items)
	assert.Equal(t, "b", v.Next.Name)
	assert.Nil(t, v.Next.Next)

	// The default contains itself: inside it, it is not applied again.
	v, items = decode[Node](t, `{"name":"a"}`)
	require.Nil(t, items)
	assert.Equal(t, &Node{Name: "end"}, v.Next)
}

func TestSyntaxErrors(t *testing.T) {
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	for _, tc := range []struct {
		body   string
		pos    int
		reason string
	}{
		{`{some broken json}`, 1, "Expecting property name enclosed in double quotes"},
		{`{"a" 1}`, 5, "Expecting ':' delimiter"},
		{`{"a":1 "b":2}`, 7, "Expecting ',' delimiter"},
		{`[1 2]`, 3, "Expecting ',' delimiter"},
		{`{"a":1}x`, 7, "Extra data"},
		{`{"a":}`, 5, "Expecting value"},
		{`{"a":tru}`, 5, "Expecting value"},
		{`{"a":nul`, 5, "Expecting value"},
		{"{\"a\":\"x\ny\"}", 7, "Invalid control character at"},
		{`{"a":"\x"}`, 7, "Invalid \\escape"},
		{`{"name": "Foo", "price": 50.5`, 29, "Expecting ',' delimiter"},
		{`{"name": "Fo`, 9, "Unterminated string starting at"},
		{`{"na`, 1, "Unterminated string starting at"},
		{`{`, 1, "Expecting property name enclosed in double quotes"},
		{`{"a":1,`, 7, "Expecting property name enclosed in double quotes"},
		{`{"a"`, 4, "Expecting ':' delimiter"},
		{`{"a":`, 5, "Expecting value"},
		{`[`, 1, "Expecting value"},
		{`[1,`, 3, "Expecting value"},
		{`[{"a":[1]}`, 10, "Expecting ',' delimiter"},
		{deep, 10000, "exceeded max depth"},
	} {
		_, items := decode[Item](t, tc.body)
		want := problem.Item{
			Type:  "json_invalid",
			Loc:   []any{"body", tc.pos},
			Msg:   "JSON decode error",
			Input: map[string]any{},
			Ctx:   map[string]any{"error": tc.reason},
		}
		assert.Equal(t, []problem.Item{want}, items, "%.40s", tc.body)
	}
}

type Scalars struct {
	I   int         `json:"i,omitempty"`
	I8  int8        `json:"i8,omitempty"`
	U8  uint8       `json:"u8,omitempty"`
	U   uint        `json:"u,omitempty"`
	F   float64     `json:"f,omitempty"`
	F32 float32     `json:"f32,omitempty"`
	S   string      `json:"s,omitempty"`
	B   bool        `json:"b,omitempty"`
	L   []int       `json:"l,omitempty"`
	M   map[int]int `json:"m,omitempty"`
	St  Inner       `json:"st,omitzero"`
	By  []byte      `json:"by,omitempty"`
	T   time.Time   `json:"t,omitzero"`
	A   netip.Addr  `json:"a,omitzero"`
	N   json.Number `json:"n,omitempty"`
	Q   int         `json:"q,omitempty,string"`
	QS  string      `json:"qs,omitempty,string"`
	Any any         `json:"any"`
}

func TestTypeErrors(t *testing.T) {
	const (
		intType   = "Input should be a valid integer"
		intParse  = "Input should be a valid integer, unable to parse string as an integer"
		fromFloat = "Input should be a valid integer, got a number with a fractional part"
		floatType = "Input should be a valid number"
		floatPars = "Input should be a valid number, unable to parse string as a number"
	)
	for _, tc := range []struct {
		body string
		want problem.Item
	}{
		{`{"i":"abc"}`, item("int_parsing", intParse, "abc", "i")},
		{`{"i":"1.5"}`, item("int_parsing", intParse, "1.5", "i")},
		{`{"i":1.5}`, item("int_from_float", fromFloat, num("1.5"), "i")},
		{`{"i":true}`, item("int_type", intType, true, "i")},
		{`{"i":[1]}`, item("int_type", intType, []any{num("1")}, "i")},
		{`{"i":{}}`, item("int_type", intType, obj{}, "i")},
		{`{"i":9223372036854775808}`, withCtx(item("less_than_equal", "Input should be less than or equal to 9223372036854775807", num("9223372036854775808"), "i"), map[string]any{"le": int64(9223372036854775807)})},
		{`{"i8":300}`, withCtx(item("less_than_equal", "Input should be less than or equal to 127", num("300"), "i8"), map[string]any{"le": int64(127)})},
		{`{"i8":-129}`, withCtx(item("greater_than_equal", "Input should be greater than or equal to -128", num("-129"), "i8"), map[string]any{"ge": int64(-128)})},
		{`{"i8":1e3}`, withCtx(item("less_than_equal", "Input should be less than or equal to 127", num("1e3"), "i8"), map[string]any{"le": int64(127)})},
		{`{"u8":-1}`, withCtx(item("greater_than_equal", "Input should be greater than or equal to 0", num("-1"), "u8"), map[string]any{"ge": 0})},
		{`{"u8":256}`, withCtx(item("less_than_equal", "Input should be less than or equal to 255", num("256"), "u8"), map[string]any{"le": uint64(255)})},
		{`{"u":18446744073709551616}`, withCtx(item("less_than_equal", "Input should be less than or equal to 18446744073709551615", num("18446744073709551616"), "u"), map[string]any{"le": uint64(18446744073709551615)})},
		{`{"f":"x"}`, item("float_parsing", floatPars, "x", "f")},
		{`{"f":{}}`, item("float_type", floatType, obj{}, "f")},
		{`{"f":false}`, item("float_type", floatType, false, "f")},
		{`{"f":1e400}`, item("finite_number", "Input should be a finite number", num("1e400"), "f")},
		{`{"f32":1e39}`, item("finite_number", "Input should be a finite number", num("1e39"), "f32")},
		{`{"s":1}`, item("string_type", "Input should be a valid string", num("1"), "s")},
		{`{"s":["a"]}`, item("string_type", "Input should be a valid string", []any{"a"}, "s")},
		{`{"b":"maybe"}`, item("bool_parsing", "Input should be a valid boolean, unable to interpret input", "maybe", "b")},
		{`{"b":2}`, item("bool_parsing", "Input should be a valid boolean, unable to interpret input", num("2"), "b")},
		{`{"b":[]}`, item("bool_type", "Input should be a valid boolean", []any{}, "b")},
		{`{"l":{}}`, item("list_type", "Input should be a valid list", obj{}, "l")},
		{`{"l":"1,2"}`, item("list_type", "Input should be a valid list", "1,2", "l")},
		{`{"m":[]}`, item("dict_type", "Input should be a valid dictionary", []any{}, "m")},
		{`{"m":{"x":1}}`, item("int_parsing", intParse, "x", "m", "x", "[key]")},
		{`{"m":{"1":"x"}}`, item("int_parsing", intParse, "x", "m", "1")},
		{`{"st":"x"}`, item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", "x", "st")},
		{`{"st":[]}`, item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", []any{}, "st")},
		{`{"by":"!!"}`, withCtx(item("bytes_invalid_encoding", "Data should be valid base64: illegal base64 data at input byte 0", "!!", "by"), map[string]any{"encoding": "base64", "encoding_error": "illegal base64 data at input byte 0"})},
		{`{"by":1}`, item("bytes_type", "Input should be a valid bytes", num("1"), "by")},
		{`{"by":[1,256]}`, withCtx(item("less_than_equal", "Input should be less than or equal to 255", num("256"), "by", 1), map[string]any{"le": uint64(255)})},
		{`{"t":"yesterday"}`, withCtx(item("datetime_from_date_parsing", "Input should be a valid datetime or date, input is too short", "yesterday", "t"), map[string]any{"error": "input is too short"})},
		{`{"t":true}`, item("datetime_type", "Input should be a valid datetime", true, "t")},
		{`{"a":1}`, item("string_type", "Input should be a valid string", num("1"), "a")},
		{`{"a":"x"}`, withCtx(item("value_error", `Value error, ParseAddr("x"): unable to parse IP`, "x", "a"), map[string]any{"error": `ParseAddr("x"): unable to parse IP`})},
		{`{"n":"x"}`, item("float_parsing", floatPars, "x", "n")},
		{`{"n":true}`, item("float_type", floatType, true, "n")},
		{`{"q":12}`, item("int_type", intType, num("12"), "q")},
		{`{"q":"x"}`, item("int_parsing", intParse, "x", "q")},
		{`{"q":"99999999999999999999"}`, withCtx(item("less_than_equal", "Input should be less than or equal to 9223372036854775807", "99999999999999999999", "q"), map[string]any{"le": int64(9223372036854775807)})},
		{`{"qs":"x"}`, item("string_type", "Input should be a valid string", "x", "qs")},
		{`{"qs":1}`, item("string_type", "Input should be a valid string", num("1"), "qs")},
	} {
		_, items := decode[Scalars](t, tc.body)
		assert.Equal(t, []problem.Item{tc.want}, items, tc.body)
	}

	// What pydantic's lax mode converts, Decode converts; the errors found
	// then show the values as sent.
	for _, tc := range []struct {
		body string
		want Scalars
	}{
		{`{"i":"5"}`, Scalars{I: 5}},
		{`{"i":" -7 "}`, Scalars{I: -7}},
		{`{"i":1.0}`, Scalars{I: 1}},
		{`{"i":1e3}`, Scalars{I: 1000}},
		{`{"i":"42.0"}`, Scalars{I: 42}},
		{`{"u8":-0}`, Scalars{}},
		{`{"f":"1.5"}`, Scalars{F: 1.5}},
		{`{"b":"yes"}`, Scalars{B: true}},
		{`{"b":"Off"}`, Scalars{}},
		{`{"b":1}`, Scalars{B: true}},
		{`{"l":[1,"2"]}`, Scalars{L: []int{1, 2}}},
	} {
		v, items := decode[Scalars](t, tc.body)
		require.Nil(t, items, tc.body)
		assert.Equal(t, tc.want, v, tc.body)
	}
	_, items := decode[Scalars](t, `{"i8":1e3,"b":"yes","s":1}`)
	assert.Equal(t, []problem.Item{
		withCtx(item("less_than_equal", "Input should be less than or equal to 127", num("1e3"), "i8"), map[string]any{"le": int64(127)}),
		item("string_type", "Input should be a valid string", num("1"), "s"),
	}, items)

	// And what encoding/json accepts, Decode accepts.
	v, items := decode[Scalars](t, `{"i":-1,"i8":127,"u8":255,"f":1e300,"s":"s","b":false,"l":[1],"m":{"-1":2},
		"st":{"x":1},"by":"aGk=","t":"2020-01-01T00:00:00Z","a":"::1","n":"1e5","q":"12","qs":"\"x\"","any":[{}]}`)
	require.Nil(t, items)
	assert.Equal(t, 12, v.Q)
	assert.Equal(t, "x", v.QS)
	assert.Equal(t, []byte("hi"), v.By)
	assert.Equal(t, map[int]int{-1: 2}, v.M)
}

func TestTypeErrorsAndMissingTogether(t *testing.T) {
	// encoding/json reports only its first type error; every one is listed,
	// with the missing fields, in the model's field order.
	_, items := decode[Item](t, `{"tax":"x","price":"y","description":5}`)
	in := obj{"tax": "x", "price": "y", "description": num("5")}
	assert.Equal(t, []problem.Item{
		missing(in, "name"),
		item("string_type", "Input should be a valid string", num("5"), "description"),
		item("float_parsing", "Input should be a valid number, unable to parse string as a number", "y", "price"),
		item("float_parsing", "Input should be a valid number, unable to parse string as a number", "x", "tax"),
	}, items)

	_, items = decode[[]Item](t, `[{"name":1,"price":1},{"name":"b"},"c"]`)
	assert.Equal(t, []problem.Item{
		item("string_type", "Input should be a valid string", num("1"), 0, "name"),
		missing(obj{"name": "b"}, 1, "price"),
		item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", "c", 2),
	}, items)
}

func TestNullWhereRequired(t *testing.T) {
	_, items := decode[Item](t, `{"name":null,"price":null,"description":null,"tax":null}`)
	assert.Equal(t, []problem.Item{
		item("string_type", "Input should be a valid string", nil, "name"),
		item("float_type", "Input should be a valid number", nil, "price"),
	}, items)

	_, items = decode[Outer](t, `{"inner":null,"pinner":null,"items":[null,{"name":"a","price":1}],"by_name":{"k":null},"arr":[null]}`)
	assert.Equal(t, []problem.Item{
		item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", nil, "inner"),
		item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", nil, "items", 0),
		item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", nil, "by_name", "k"),
		item("model_attributes_type", "Input should be a valid dictionary or object to extract fields from", nil, "arr", 0),
	}, items)

	// Lists of scalars keep encoding/json's null (the zero value).
	v, items := decode[[]int](t, `[1,null,3]`)
	require.Nil(t, items)
	assert.Equal(t, []int{1, 0, 3}, v)

	// A required time.Time: null would leave the zero time.
	type When struct {
		At time.Time `json:"at"`
	}
	_, items = decode[When](t, `{"at":null}`)
	assert.Equal(t, []problem.Item{item("datetime_type", "Input should be a valid datetime", nil, "at")}, items)
}

func TestDuplicateKeys(t *testing.T) {
	// encoding/json reports the first occurrence's type error.
	_, items := decode[Item](t, `{"name":"a","price":"x","price":1}`)
	assert.Equal(t, []problem.Item{
		item("float_parsing", "Input should be a valid number, unable to parse string as a number", "x", "price"),
	}, items)
	// Several errors at one loc are reported once.
	_, items = decode[Item](t, `{"name":"a","price":"x","Price":"y"}`)
	assert.Equal(t, []problem.Item{
		item("float_parsing", "Input should be a valid number, unable to parse string as a number", "x", "price"),
	}, items)
	// The last occurrence decides presence, as in pydantic.
	_, items = decode[Outer](t, `{"inner":{"x":1},"inner":{"y":"b"},"items":[],"pinner":null,"by_name":{"k":{"x":1},"k":{}},"arr":[]}`)
	assert.Equal(t, []problem.Item{
		missing(obj{"y": "b"}, "inner", "x"),
		missing(obj{}, "by_name", "k", "x"),
	}, items)
	_, items = decode[Item](t, `{"name":"a","price":1,"name":null}`)
	assert.Equal(t, []problem.Item{item("string_type", "Input should be a valid string", nil, "name")}, items)
	v, items := decode[Item](t, `{"name":null,"price":1,"name":"b"}`)
	require.Nil(t, items)
	assert.Equal(t, "b", v.Name)
}

func TestUnknownFieldsIgnored(t *testing.T) {
	v, items := decode[Item](t, `{"name":"a","price":1,"extra":{"deep":[1,{"x":"}"}]},"more":"\"}"}`)
	require.Nil(t, items)
	assert.Equal(t, Item{Name: "a", Price: 1}, v)
}

func TestNumbersInInterfaces(t *testing.T) {
	v, items := decode[map[string]any](t, `{"n":12345678901234567890}`)
	require.Nil(t, items)
	assert.Equal(t, map[string]any{"n": 12345678901234567890.0}, v)

	// encoding/json cannot make a float64 of 1e999, wherever it is.
	_, items = decode[Requiredless](t, `{"any":{"a":[1,1e999]},"list":[{"k":-1e999}]}`)
	assert.Equal(t, []problem.Item{
		item("finite_number", "Input should be a finite number", num("1e999"), "any", "a", 1),
		item("finite_number", "Input should be a finite number", num("-1e999"), "list", 0, "k"),
	}, items)
	_, items = decode[any](t, `1e999`)
	assert.Equal(t, []problem.Item{item("finite_number", "Input should be a finite number", num("1e999"))}, items)
}

// Requiredless has no required fields: a valid body is not scanned.
type Requiredless struct {
	Any  any              `json:"any"`
	List []map[string]any `json:"list"`
}

type badEmbed struct{ X int }
type BadPromoted struct {
	*badEmbed
}

type BadDefault struct {
	N int `json:"n" default:"abc"`
}

type BadDefaultRequired struct {
	In Inner `json:"in" default:"{}"`
}

type BadDefaultIgnored struct {
	N int `json:"-" default:"1"`
}

func TestCompileErrors(t *testing.T) {
	for typ, msg := range map[reflect.Type]string{
		reflect.TypeFor[chan int]():               "cannot decode JSON into chan int",
		reflect.TypeFor[func()]():                 "cannot decode JSON into func()",
		reflect.TypeFor[complex128]():             "cannot decode JSON into complex128",
		reflect.TypeFor[struct{ C chan int }]():   "C: cannot decode JSON into chan int",
		reflect.TypeFor[[]struct{ F func() }]():   "F: cannot decode JSON into func()",
		reflect.TypeFor[map[Inner]int]():          "its keys are jsonbody.Inner",
		reflect.TypeFor[struct{ E error }]():      "cannot decode JSON into non-empty interface error",
		reflect.TypeFor[BadPromoted]():            "embedded pointer to unexported type jsonbody.badEmbed",
		reflect.TypeFor[BadDefault]():             `default "abc"`,
		reflect.TypeFor[BadDefaultRequired]():     `[x]: Field required`,
		reflect.TypeFor[BadDefaultIgnored]():      "default tag on a field JSON ignores",
		reflect.TypeFor[struct{ P *complex64 }](): "cannot decode JSON into complex64",
		reflect.TypeFor[struct {
			C chan int `json:"-"`
		}](): "",
		reflect.TypeFor[struct{ c chan int }](): "",
	} {
		_, err := Compile(typ)
		if msg == "" {
			assert.NoError(t, err, "%v", typ)
			continue
		}
		if assert.Error(t, err, "%v", typ) {
			assert.Contains(t, err.Error(), msg)
		}
	}
	_, err := Compile(nil)
	assert.Error(t, err)
}

func TestDecodePanicsOnWrongDst(t *testing.T) {
	d, err := Compile(reflect.TypeFor[Item]())
	require.NoError(t, err)
	assert.PanicsWithValue(t, "jsonbody: Decode into jsonbody.Item({ <nil> 0 <nil>}), want a non-nil *jsonbody.Item", func() {
		d.Decode([]byte(`{}`), Item{})
	})
	assert.Panics(t, func() { d.Decode([]byte(`{}`), new(Inner)) })
	assert.Panics(t, func() { d.Decode([]byte(`{}`), (*Item)(nil)) })
	assert.Panics(t, func() { d.Decode([]byte(`{}`), nil) })
}

// customErr's UnmarshalJSON fails on "bad".
type customErr string

func (c *customErr) UnmarshalJSON(b []byte) error {
	if string(b) == `"bad"` {
		return &json.UnsupportedValueError{Str: "bad value"}
	}
	return json.Unmarshal(b, (*string)(c))
}

func TestCustomUnmarshaler(t *testing.T) {
	type Body struct {
		C  customErr   `json:"c"`
		CS []customErr `json:"cs"`
		N  int         `json:"n"`
	}
	_, items := decode[Body](t, `{"c":"bad","cs":["ok","bad"],"n":"x"}`)
	assert.Equal(t, []problem.Item{
		withCtx(item("value_error", "Value error, json: unsupported value: bad value", "bad", "c"), map[string]any{"error": "json: unsupported value: bad value"}),
		withCtx(item("value_error", "Value error, json: unsupported value: bad value", "bad", "cs", 1), map[string]any{"error": "json: unsupported value: bad value"}),
		item("int_parsing", "Input should be a valid integer, unable to parse string as an integer", "x", "n"),
	}, items)
}

func TestMapKeyKinds(t *testing.T) {
	v, items := decode[map[netip.Addr]int](t, `{"::1":1}`)
	require.Nil(t, items)
	assert.Equal(t, map[netip.Addr]int{netip.MustParseAddr("::1"): 1}, v)

	_, items = decode[map[netip.Addr]int](t, `{"nope":1}`)
	assert.Equal(t, []problem.Item{
		withCtx(item("value_error", `Value error, ParseAddr("nope"): unable to parse IP`, "nope", "nope", "[key]"), map[string]any{"error": `ParseAddr("nope"): unable to parse IP`}),
	}, items)

	_, items = decode[map[uint8]Item](t, `{"300":{"name":"a","price":1},"1":{}}`)
	assert.Equal(t, []problem.Item{
		item("int_parsing", "Input should be a valid integer, unable to parse string as an integer", "300", "300", "[key]"),
		missing(obj{}, "1", "name"),
		missing(obj{}, "1", "price"),
	}, items)
}

// Decode must agree with json.Unmarshal on every body both accept.
func TestMatchesEncodingJSON(t *testing.T) {
	for _, body := range []string{
		`{"inner":{"x":1,"y":"a"},"pinner":{"x":2},"items":[{"name":"a","price":1,"tax":2}],"by_name":{"a":{"x":3}},"arr":[{"x":1}]}`,
		`{"INNER":{"X":1},"pinner":null,"items":null,"by_name":null,"arr":[{"x":1},{"x":2},{"x":3}],"unknown":[1,2]}`,
	} {
		var plain Outer
		require.NoError(t, json.Unmarshal([]byte(body), &plain))
		v, items := decode[Outer](t, body)
		require.Nil(t, items, body)
		assert.Equal(t, plain, v)
	}
}

func TestConcurrentDecode(t *testing.T) {
	d, err := Compile(reflect.TypeFor[Order]())
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				var o Order
				if items := d.Decode([]byte(`{"lines":[{"sku":"a"}],"by_id":{"b":{"sku":"b"}},"fixed":[]}`), &o); items != nil {
					t.Error(items)
					return
				}
				o.Fallback.SKU = "mutated"
				o.Lines[0].Qty++
			}
		})
	}
	wg.Wait()
}

// A valid body costs what json.Unmarshal costs, in allocations.
func TestNoExtraAllocations(t *testing.T) {
	d, err := Compile(reflect.TypeFor[benchItem]())
	require.NoError(t, err)
	plain := testing.AllocsPerRun(200, func() {
		var v benchItem
		_ = json.Unmarshal(benchValid, &v)
	})
	ours := testing.AllocsPerRun(200, func() {
		var v benchItem
		_ = d.Decode(benchValid, &v)
	})
	assert.Equal(t, plain, ours)

	// The same for a type that needs no scan at all, and a nested one.
	dn, err := Compile(reflect.TypeFor[Outer]())
	require.NoError(t, err)
	body := []byte(`{"inner":{"x":1},"items":[{"name":"a","price":1},{"name":"b","price":2}],"arr":[{"x":1},{"x":2}]}`)
	plain = testing.AllocsPerRun(200, func() {
		var v Outer
		_ = json.Unmarshal(body, &v)
	})
	ours = testing.AllocsPerRun(200, func() {
		var v Outer
		_ = dn.Decode(body, &v)
	})
	assert.Equal(t, plain, ours)
}
