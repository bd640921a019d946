package openapi

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/briskgo/brisk/internal/openapi/internal/other"
)

type level string

type customJSON struct{ v int }

func (c customJSON) MarshalJSON() ([]byte, error) { return json.Marshal(c.v) }

//lint:ignore U1000 the fields only make it a struct
type textOnly struct{ a, b int }

func (t *textOnly) UnmarshalText([]byte) error { return nil }

func TestSchemaOfGoTypes(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[bool](), `{"type":"boolean"}`},
		{reflect.TypeFor[int](), `{"type":"integer","format":"int64"}`},
		{reflect.TypeFor[int8](), `{"type":"integer","format":"int32","minimum":-128,"maximum":127}`},
		{reflect.TypeFor[uint16](), `{"type":"integer","format":"int32","minimum":0,"maximum":65535}`},
		{reflect.TypeFor[float32](), `{"type":"number","format":"float"}`},
		{reflect.TypeFor[string](), `{"type":"string"}`},
		{reflect.TypeFor[level](), `{"type":"string"}`},
		{reflect.TypeFor[[]byte](), `{"type":"string","contentEncoding":"base64"}`},
		{reflect.TypeFor[[]string](), `{"type":"array","items":{"type":"string"}}`},
		{reflect.TypeFor[[3]int](), `{"type":"array","items":{"type":"integer","format":"int64"},"minItems":3,"maxItems":3}`},
		{reflect.TypeFor[[][]float64](), `{"type":"array","items":{"type":"array","items":{"type":"number","format":"double"}}}`},
		{reflect.TypeFor[map[string]int](), `{"type":"object","additionalProperties":{"type":"integer","format":"int64"}}`},
		{reflect.TypeFor[map[int]bool](), `{"type":"object","additionalProperties":{"type":"boolean"}}`},
		{reflect.TypeFor[map[netip.Addr]string](), `{"type":"object","additionalProperties":{"type":"string"}}`},
		{reflect.TypeFor[*string](), `{"type":["string","null"]}`},
		{reflect.TypeFor[**int](), `{"type":["integer","null"],"format":"int64"}`},
		{reflect.TypeFor[[]*int](), `{"type":"array","items":{"type":["integer","null"],"format":"int64"}}`},
		{reflect.TypeFor[any](), `{}`},
		{reflect.TypeFor[*any](), `{}`},
		{reflect.TypeFor[json.RawMessage](), `{}`},
		{reflect.TypeFor[json.Number](), `{"type":"number"}`},
		{reflect.TypeFor[time.Time](), `{"type":"string","format":"date-time"}`},
		{reflect.TypeFor[*time.Time](), `{"type":["string","null"],"format":"date-time"}`},
		{reflect.TypeFor[time.Duration](), `{"type":"number"}`},
		{reflect.TypeFor[netip.Addr](), `{"type":"string"}`},
		{reflect.TypeFor[textOnly](), `{"type":"string"}`},
		{reflect.TypeFor[customJSON](), `{}`},
		{reflect.TypeFor[struct {
			A int `json:"a"`
		}](), `{"type":"object","properties":{"a":{"type":"integer","format":"int64"}},"required":["a"]}`},
		{reflect.TypeFor[struct{}](), `{"type":"object","properties":{}}`},
	}
	for _, tt := range tests {
		got, _ := schemaJSON(t, tt.typ, "")
		equal(t, got, tt.want, tt.typ.String())
	}
}

type fieldRules struct {
	Plain    string    `json:"plain"`
	Renamed  int       `json:"renamed_field"`
	NoTag    bool      // the Go name, required
	Omit     string    `json:"omit,omitempty"`
	OmitZero time.Time `json:"omit_zero,omitzero"`
	Skipped  string    `json:"-"`
	//lint:ignore SA5008 the name "-" on purpose, as encoding/json documents
	Dash       string            `json:"-,"`
	Defaulted  int               `json:"defaulted" default:"10"`
	DefFloat   float64           `json:"def_float" default:"0.5"`
	DefBool    bool              `json:"def_bool" default:"true"`
	DefList    []int             `json:"def_list" default:"[1,2]"`
	DefDur     time.Duration     `json:"def_dur" default:"1.5s"`
	DefTime    time.Time         `json:"def_time" default:"2024-05-06T07:08:09Z"`
	DefQuoted  int               `json:"def_quoted,string" default:"3"`
	DefPtr     *int              `json:"def_ptr" default:"0"`
	Ptr        *string           `json:"ptr"`
	ReqPtr     *string           `json:"req_ptr" validate:"required"`
	ReqOmit    string            `json:"req_omit,omitempty" validate:"required"`
	Slice      []string          `json:"slice"`
	Map        map[string]string `json:"map"`
	Iface      any               `json:"iface"`
	Quoted     int64             `json:"quoted,string"`
	QuotedPtr  *int64            `json:"quoted_ptr,string"`
	Documented string            `json:"documented" doc:"Says <what> & why."`
	Array      [2]string         `json:"array"`
	//lint:ignore U1000 unexported fields are not written
	private string
}

func TestStructFields(t *testing.T) {
	got, comps := schemaJSON(t, reflect.TypeFor[fieldRules](), "")
	equal(t, got, `{"$ref":"#/components/schemas/fieldRules"}`)
	equal(t, comps["fieldRules"], `{"type":"object","properties":{`+
		`"plain":{"type":"string"},`+
		`"renamed_field":{"type":"integer","format":"int64"},`+
		`"NoTag":{"type":"boolean"},`+
		`"omit":{"type":"string"},`+
		`"omit_zero":{"type":"string","format":"date-time"},`+
		`"-":{"type":"string"},`+
		`"defaulted":{"type":"integer","format":"int64","default":10},`+
		`"def_float":{"type":"number","format":"double","default":0.5},`+
		`"def_bool":{"type":"boolean","default":true},`+
		`"def_list":{"type":"array","items":{"type":"integer","format":"int64"},"default":[1,2]},`+
		`"def_dur":{"type":"number","default":1.5},`+
		`"def_time":{"type":"string","format":"date-time","default":"2024-05-06T07:08:09Z"},`+
		`"def_quoted":{"type":"string","default":"3"},`+
		`"def_ptr":{"type":["integer","null"],"format":"int64","default":0},`+
		`"ptr":{"type":["string","null"]},`+
		`"req_ptr":{"type":"string"},`+
		`"req_omit":{"type":"string"},`+
		`"slice":{"type":"array","items":{"type":"string"}},`+
		`"map":{"type":"object","additionalProperties":{"type":"string"}},`+
		`"iface":{},`+
		`"quoted":{"type":"string"},`+
		`"quoted_ptr":{"type":["string","null"]},`+
		`"documented":{"type":"string","description":"Says <what> & why."},`+
		`"array":{"type":"array","items":{"type":"string"},"minItems":2,"maxItems":2}},`+
		`"required":["plain","renamed_field","NoTag","-","req_ptr","req_omit","quoted","documented","array"]}`)
}

type Base struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
	Kind string
}

type Extra struct {
	Note string `json:"note"`
	Kind string // same depth and name as Base.Kind: both hidden
}

type Stamp struct {
	At time.Time `json:"at"`
}

type tagged struct {
	Label string `json:"label"`
}

type untagged struct {
	Label string
}

type embeds struct {
	Base
	Extra
	*Stamp          // via a pointer: optional
	Named    Base   `json:"named"` // a tag makes it a plain field
	Own      string `json:"id"`    // shallower: wins over Base.ID
	tagged          // unexported embedded struct: fields still promoted
	untagged        // "Label" differs from "label": both are written
	//lint:ignore U1000 an embedded unexported non-struct type is skipped
	level
}

func TestEmbeddedStructsFlattenLikeEncodingJSON(t *testing.T) {
	_, comps := schemaJSON(t, reflect.TypeFor[embeds](), "")
	equal(t, comps["embeds"], `{"type":"object","properties":{`+
		`"name":{"type":"string"},`+
		`"note":{"type":"string"},`+
		`"at":{"type":"string","format":"date-time"},`+
		`"named":{"$ref":"#/components/schemas/Base"},`+
		`"id":{"type":"string"},`+
		`"label":{"type":"string"},`+
		`"Label":{"type":"string"}},`+
		`"required":["name","note","named","id","label","Label"]}`)

	// What encoding/json writes has exactly these keys.
	b, err := json.Marshal(embeds{Stamp: &Stamp{}})
	noErr(t, err)
	var m map[string]any
	noErr(t, json.Unmarshal(b, &m))
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for _, k := range []string{"name", "note", "at", "named", "id", "label", "Label"} {
		if _, ok := m[k]; !ok {
			t.Errorf("encoding/json did not write %q: %s", k, b)
		}
	}
	equal(t, len(m), 7, strings.Join(keys, ",")) // and not "Kind"
}

type Tree struct {
	Value    int     `json:"value"`
	Children []*Tree `json:"children"`
	Parent   *Tree   `json:"parent"`
	Sibling  *Tree   `json:"sibling" validate:"required"`
}

func TestRecursiveTypesUseRefs(t *testing.T) {
	got, comps := schemaJSON(t, reflect.TypeFor[*Tree](), "")
	equal(t, got, `{"anyOf":[{"$ref":"#/components/schemas/Tree"},{"type":"null"}]}`)
	equal(t, comps["Tree"], `{"type":"object","properties":{`+
		`"value":{"type":"integer","format":"int64"},`+
		`"children":{"type":"array","items":{"anyOf":[{"$ref":"#/components/schemas/Tree"},{"type":"null"}]}},`+
		`"parent":{"anyOf":[{"$ref":"#/components/schemas/Tree"},{"type":"null"}]},`+
		`"sibling":{"$ref":"#/components/schemas/Tree"}},`+
		`"required":["value","sibling"]}`)
}

type ValidationError struct {
	Field string `json:"field"`
}

type Wrapper[T any] struct {
	Value T `json:"value"`
}

type collide struct {
	Mine     Item                     `json:"mine"`
	Theirs   other.Item               `json:"theirs"`
	VE       ValidationError          `json:"ve"`
	OtherVE  other.ValidationError    `json:"other_ve"`
	Generic  Wrapper[Item]            `json:"generic"`
	Generic2 Wrapper[other.Item]      `json:"generic2"`
	Generic3 Wrapper[map[string]Tree] `json:"generic3"`
}

func TestComponentNamesAreUniqueAndOrderIndependent(t *testing.T) {
	got, comps := schemaJSON(t, reflect.TypeFor[collide](), "")
	equal(t, got, `{"$ref":"#/components/schemas/collide"}`)
	var names []string
	for n := range comps {
		names = append(names, n)
	}
	for _, want := range []string{"openapi_Item", "other_Item", "openapi_ValidationError", "other_ValidationError",
		"Wrapper_openapi_Item_", "Wrapper_other_Item_", "Wrapper_map_string_Tree_", "Tree", "User", "collide"} {
		if _, ok := comps[want]; !ok {
			t.Errorf("no component %q in %v", want, names)
		}
	}
	// Both Wrapper[…Item] instantiations live in this package: their
	// arguments' packages tell them apart.
	equal(t, comps["Wrapper_openapi_Item_"], `{"type":"object","properties":{"value":{"$ref":"#/components/schemas/openapi_Item"}},"required":["value"]}`)
	equal(t, comps["Wrapper_other_Item_"], `{"type":"object","properties":{"value":{"$ref":"#/components/schemas/other_Item"}},"required":["value"]}`)

	// The same types found in the opposite order get the same names.
	g := newGenerator()
	g.collect(reflect.TypeFor[other.ValidationError]())
	g.collect(reflect.TypeFor[other.Item]())
	g.collect(reflect.TypeFor[collide]())
	g.assignNames()
	equal(t, g.names[reflect.TypeFor[other.Item]()], "other_Item")
	equal(t, g.names[reflect.TypeFor[Item]()], "openapi_Item")
	equal(t, g.names[reflect.TypeFor[ValidationError]()], "openapi_ValidationError")

	// A lone type named like a built-in component is qualified too.
	g = newGenerator()
	g.collect(reflect.TypeFor[other.ValidationError]())
	g.assignNames()
	equal(t, g.names[reflect.TypeFor[other.ValidationError]()], "other_ValidationError")
}

func TestComponentNameHelpers(t *testing.T) {
	equal(t, baseName(reflect.TypeFor[Wrapper[map[string]*Tree]]()), "Wrapper_map_string__Tree_")
	equal(t, baseName(reflect.TypeFor[Item]()), "Item")
	equal(t, qualifiedName(reflect.TypeFor[Wrapper[map[string]*other.Item]](), 1), "Wrapper_map_string__other_Item_")
	equal(t, qualifiedName(reflect.TypeFor[Wrapper[other.Item]](), 2), "Wrapper_internal_other_Item_")
	equal(t, pkgPrefix("example.com/a/models", 1), "models")
	equal(t, pkgPrefix("example.com/a/models", 2), "a_models")
	equal(t, pkgPrefix("example.com/a/models", 9), "example.com_a_models")
	equal(t, pkgPrefix("", 1), "builtin")
	equal(t, sanitizeName("a b/c-d.e"), "a_b_c-d.e")
}

func TestUnsupportedTypesAreErrors(t *testing.T) {
	for _, typ := range []reflect.Type{
		reflect.TypeFor[chan int](),
		reflect.TypeFor[func()](),
		reflect.TypeFor[complex128](),
		reflect.TypeFor[map[[2]int]string](),
		reflect.TypeFor[struct {
			F func() `json:"f"`
		}](),
	} {
		g := newGenerator()
		g.collect(typ)
		g.assignNames()
		_, err := g.schema(typ, nil)
		errContains(t, err, "cannot be written as JSON")
	}
	// A field encoding/json skips may have any type.
	got, _ := schemaJSON(t, reflect.TypeFor[struct {
		F func() `json:"-"`
	}](), "")
	equal(t, got, `{"type":"object","properties":{}}`)
}

func TestBadDefaultIsAnError(t *testing.T) {
	typ := reflect.TypeFor[struct {
		N int `json:"n" default:"ten"`
	}]()
	g := newGenerator()
	g.collect(typ)
	g.assignNames()
	_, err := g.schema(typ, nil)
	errContains(t, err, `field struct { N int "json:\"n\" default:\"ten\"" }.N: default "ten" is not a valid int`)
}

func localA() reflect.Type {
	type Local struct {
		A int `json:"a"`
	}
	return reflect.TypeFor[Local]()
}

func localB() reflect.Type {
	type Local struct {
		B int `json:"b"`
	}
	return reflect.TypeFor[Local]()
}

func TestSameNamedLocalTypesAreNumbered(t *testing.T) {
	g := newGenerator()
	g.collect(localA())
	g.collect(localB())
	g.assignNames()
	equal(t, g.names[localA()], "Local")
	equal(t, g.names[localB()], "Local_2")
}
