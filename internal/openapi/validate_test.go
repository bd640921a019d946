package openapi

import (
	"encoding/json"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Each validate rule with a JSON Schema counterpart, on the Go kinds it
// applies to.
func TestValidateRulesToJSONSchema(t *testing.T) {
	str := reflect.TypeFor[string]()
	strPtr := reflect.TypeFor[*string]()
	i := reflect.TypeFor[int]()
	u := reflect.TypeFor[uint8]()
	f := reflect.TypeFor[float64]()
	dur := reflect.TypeFor[time.Duration]()
	strs := reflect.TypeFor[[]string]()
	ints := reflect.TypeFor[[]int]()
	m := reflect.TypeFor[map[string]int]()
	tests := []struct {
		typ  reflect.Type
		tag  string
		want string
	}{
		// lengths of strings
		{str, "min=3", `{"type":"string","minLength":3}`},
		{str, "max=10", `{"type":"string","maxLength":10}`},
		{str, "len=4", `{"type":"string","minLength":4,"maxLength":4}`},
		{str, "gte=2,lte=5", `{"type":"string","minLength":2,"maxLength":5}`},
		{str, "gt=2,lt=5", `{"type":"string","minLength":3,"maxLength":4}`},
		{str, "eq=abc", `{"type":"string","const":"abc"}`},
		// values of numbers
		{i, "min=1,max=10", `{"type":"integer","format":"int64","minimum":1,"maximum":10}`},
		{i, "gte=-5,lte=0x10", `{"type":"integer","format":"int64","minimum":-5,"maximum":16}`},
		{i, "gt=0,lt=100", `{"type":"integer","format":"int64","exclusiveMinimum":0,"exclusiveMaximum":100}`},
		{i, "len=7", `{"type":"integer","format":"int64","const":7}`},
		{i, "eq=3", `{"type":"integer","format":"int64","const":3}`},
		{u, "max=200", `{"type":"integer","format":"int32","minimum":0,"maximum":200}`},
		{u, "gt=1", `{"type":"integer","format":"int32","exclusiveMinimum":1,"maximum":255}`},
		{f, "gt=0.5,lte=99.9", `{"type":"number","format":"double","exclusiveMinimum":0.5,"maximum":99.9}`},
		{f, "min=1e3", `{"type":"number","format":"double","minimum":1000}`},
		{dur, "min=1s,max=1500", `{"type":"number","minimum":1,"maximum":0.0000015}`},
		{reflect.TypeFor[bool](), "eq=true", `{"type":"boolean","const":true}`},
		// counts of slices and maps
		{strs, "min=1,max=5", `{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":5}`},
		{strs, "len=2", `{"type":"array","items":{"type":"string"},"minItems":2,"maxItems":2}`},
		{strs, "gt=0,lt=3", `{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":2}`},
		{strs, "unique", `{"type":"array","items":{"type":"string"},"uniqueItems":true}`},
		{m, "min=1,max=3", `{"type":"object","additionalProperties":{"type":"integer","format":"int64"},"minProperties":1,"maxProperties":3}`},
		// enums, typed
		{str, "oneof=red green 'light blue'", `{"type":"string","enum":["red","green","light blue"]}`},
		{i, "oneof=1 2 3", `{"type":"integer","format":"int64","enum":[1,2,3]}`},
		{u, "oneof=0 255", `{"type":"integer","format":"int32","enum":[0,255],"minimum":0,"maximum":255}`},
		{strPtr, "omitempty,oneof=a b", `{"type":["string","null"],"enum":["a","b",null]}`},
		// formats
		{str, "email", `{"type":"string","format":"email"}`},
		{str, "url", `{"type":"string","format":"uri"}`},
		{str, "uri", `{"type":"string","format":"uri"}`},
		{str, "http_url", `{"type":"string","format":"uri"}`},
		{str, "https_url", `{"type":"string","format":"uri"}`},
		{str, "uuid7", `{"type":"string","format":"uuid"}`},
		{i, "port", `{"type":"integer","format":"int64","minimum":1,"maximum":65535}`},
		{u, "port", `{"type":"integer","format":"int32","minimum":1,"maximum":255}`},
		{str, "uuid", `{"type":"string","format":"uuid"}`},
		{str, "uuid4", `{"type":"string","format":"uuid"}`},
		{str, "ipv4", `{"type":"string","format":"ipv4"}`},
		{str, "ipv6", `{"type":"string","format":"ipv6"}`},
		{str, "hostname", `{"type":"string","format":"hostname"}`},
		{str, "hostname_rfc1123", `{"type":"string","format":"hostname"}`},
		{str, "fqdn", `{"type":"string","format":"hostname"}`},
		{str, "datetime=2006-01-02T15:04:05Z07:00", `{"type":"string","format":"date-time"}`},
		{str, "datetime=2006-01-02", `{"type":"string","format":"date"}`},
		{str, "datetime=15:04:05", `{"type":"string","format":"time"}`},
		{str, "datetime=02/01/2006", `{"type":"string"}`},
		{str, "base64", `{"type":"string","contentEncoding":"base64"}`},
		{str, "base64url", `{"type":"string","contentEncoding":"base64url"}`},
		// patterns (validator/v10's own expressions)
		{str, "alpha", `{"type":"string","pattern":"^[a-zA-Z]+$"}`},
		{str, "alphanum", `{"type":"string","pattern":"^[a-zA-Z0-9]+$"}`},
		{str, "numeric", `{"type":"string","pattern":"^[-+]?[0-9]+(?:\\.[0-9]+)?$"}`},
		{str, "number", `{"type":"string","pattern":"^[0-9]+$"}`},
		{str, "hexadecimal", `{"type":"string","pattern":"^(0[xX])?[0-9a-fA-F]+$"}`},
		{str, "e164", `{"type":"string","pattern":"^\\+?[1-9]\\d{7,14}$"}`},
		{str, "startswith=a.b", `{"type":"string","pattern":"^a\\.b"}`},
		{str, "endswith=.go", `{"type":"string","pattern":"\\.go$"}`},
		{str, "contains=x0x2Cy", `{"type":"string","pattern":"x,y"}`},
		{str, "alpha,startswith=ab", `{"allOf":[{"pattern":"^ab"}],"type":"string","pattern":"^[a-zA-Z]+$"}`},
		// dive: the rules after it go to the elements; keys…endkeys are skipped
		{strs, "max=3,dive,min=1,email", `{"type":"array","items":{"type":"string","format":"email","minLength":1},"maxItems":3}`},
		{reflect.TypeFor[[][]int](), "dive,min=1,dive,gte=0", `{"type":"array","items":{"type":"array","items":{"type":"integer","format":"int64","minimum":0},"minItems":1}}`},
		{reflect.TypeFor[[]*string](), "dive,required,uuid", `{"type":"array","items":{"type":"string","format":"uuid"}}`},
		{reflect.TypeFor[map[string]string](), "min=1,dive,keys,alpha,endkeys,max=9", `{"type":"object","additionalProperties":{"type":"string","maxLength":9},"minProperties":1}`},
		{ints, "dive,oneof=1 2", `{"type":"array","items":{"type":"integer","format":"int64","enum":[1,2]}}`},
		// ignored: omitempty, required (a required list, not a keyword),
		// alternatives, rules without a counterpart, rules on other kinds
		{str, "omitempty,required", `{"type":"string"}`},
		{str, "email|url", `{"type":"string"}`},
		{str, "lowercase,ne=x,eqfield=Other,required_if=A 1,excludes=z", `{"type":"string"}`},
		{i, "email,alpha,unique", `{"type":"integer","format":"int64"}`},
		{f, "oneof=1.5 2.5", `{"type":"number","format":"double"}`},
		{reflect.TypeFor[time.Time](), "gt", `{"type":"string","format":"date-time"}`},
		{reflect.TypeFor[[]byte](), "min=1", `{"type":"string","contentEncoding":"base64"}`},
	}
	for _, tt := range tests {
		got, _ := schemaJSON(t, tt.typ, tt.tag)
		equal(t, got, tt.want, tt.typ.String(), tt.tag)
	}
}

func TestRequiredRuleMakesFieldsRequired(t *testing.T) {
	typ := reflect.TypeFor[struct {
		A *string `json:"a" validate:"required"`
		B string  `json:"b,omitempty" validate:"required,min=2"`
		C []int   `json:"c" validate:"required,dive,required"`
		D string  `json:"d,omitempty" validate:"omitempty,min=2"`
	}]()
	got, _ := schemaJSON(t, typ, "")
	equal(t, got, `{"type":"object","properties":{`+
		`"a":{"type":"string"},`+
		`"b":{"type":"string","minLength":2},`+
		`"c":{"type":"array","items":{"type":"integer","format":"int64"}},`+
		`"d":{"type":"string","minLength":2}},`+
		`"required":["a","b","c"]}`)
}

func TestBadRuleParametersAreErrors(t *testing.T) {
	for _, tt := range []struct {
		typ  reflect.Type
		tag  string
		want string
	}{
		{reflect.TypeFor[string](), "min=x", `validate rule "min=x" on string: length "x" is not an integer`},
		{reflect.TypeFor[int](), "max=1.5", `"1.5" is not an integer`},
		{reflect.TypeFor[uint](), "gte=-1", `"-1" is not an unsigned integer`},
		{reflect.TypeFor[float64](), "lt=abc", `"abc" is not a number`},
		{reflect.TypeFor[int](), "oneof=1 two", `"two" is not a decimal integer`},
		{reflect.TypeFor[bool](), "eq=maybe", `"maybe" is not a bool`},
	} {
		g := newGenerator()
		_, err := g.schema(tt.typ, parseRules(tt.tag))
		errContains(t, err, tt.want)
	}
}

func TestJSONDefault(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		raw  string
		want string
	}{
		{reflect.TypeFor[int](), "10", `10`},
		{reflect.TypeFor[*int8](), "-3", `-3`},
		{reflect.TypeFor[uint](), "7", `7`},
		{reflect.TypeFor[float32](), "0.25", `0.25`},
		{reflect.TypeFor[bool](), "false", `false`},
		{reflect.TypeFor[string](), "10", `"10"`},
		{reflect.TypeFor[string](), "", `""`},
		{reflect.TypeFor[level](), `"q"`, `"\"q\""`},
		{reflect.TypeFor[json.Number](), "1.50", `1.50`},
		{reflect.TypeFor[[]string](), `["a","b"]`, `["a","b"]`},
		{reflect.TypeFor[map[string]int](), `{"b":2,"a":1}`, `{"a":1,"b":2}`},
		{reflect.TypeFor[time.Duration](), "5000", `5000`},
		{reflect.TypeFor[time.Time](), "2024-01-02T03:04:05Z", `"2024-01-02T03:04:05Z"`},
		{reflect.TypeFor[time.Time](), `"2024-01-02T03:04:05+01:00"`, `"2024-01-02T03:04:05+01:00"`},
		{reflect.TypeFor[netip.Addr](), "10.0.0.1", `"10.0.0.1"`},
		{reflect.TypeFor[any](), `[1,"x"]`, `[1,"x"]`},
		{reflect.TypeFor[Pet](), `{"name":"Rex","extra":1}`, `{"name":"Rex"}`},
	}
	for _, tt := range tests {
		v, err := jsonDefault(tt.typ, tt.raw)
		noErr(t, err)
		equal(t, string(v), tt.want, tt.typ.String(), tt.raw)
	}
	for _, tt := range []struct {
		typ reflect.Type
		raw string
	}{
		{reflect.TypeFor[int8](), "300"},
		{reflect.TypeFor[int](), "1.5"},
		{reflect.TypeFor[bool](), "yes"},
		{reflect.TypeFor[[]int](), "1,2"},
		{reflect.TypeFor[time.Duration](), "soon"},
		{reflect.TypeFor[time.Time](), "soon"},
		{reflect.TypeFor[any](), "plain"},
	} {
		_, err := jsonDefault(tt.typ, tt.raw)
		if err == nil {
			t.Errorf("jsonDefault(%s, %q): want an error", tt.typ, tt.raw)
		}
	}
}

func TestParamDefault(t *testing.T) {
	tests := []struct {
		typ  reflect.Type
		raw  string
		want string
	}{
		{reflect.TypeFor[int](), "10", `{"type":"integer","format":"int64","default":10}`},
		{reflect.TypeFor[int](), " 1_000 ", `{"type":"integer","format":"int64","default":1000}`},
		{reflect.TypeFor[*uint16](), "8", `{"type":"integer","format":"int32","minimum":0,"maximum":65535,"default":8}`},
		{reflect.TypeFor[float64](), "2.50", `{"type":"number","format":"double","default":2.5}`},
		{reflect.TypeFor[bool](), "yes", `{"type":"boolean","default":true}`},
		{reflect.TypeFor[string](), "10", `{"type":"string","default":"10"}`},
		{reflect.TypeFor[level](), "", `{"type":"string","default":""}`},
		{reflect.TypeFor[[]int](), "1,2", `{"type":"array","items":{"type":"integer","format":"int64"},"default":[1,2]}`},
		{reflect.TypeFor[[]string](), "a,b", `{"type":"array","items":{"type":"string"},"default":["a","b"]}`},
		{reflect.TypeFor[time.Duration](), "1h30m", `{"type":"string","default":"1h30m"}`},
		{reflect.TypeFor[[]time.Duration](), "PT1H,90", `{"type":"array","items":{"type":"string"},"default":["PT1H","90"]}`},
		{reflect.TypeFor[time.Time](), "2024-01-02", `{"type":"string","format":"date-time","default":"2024-01-02"}`},
		{reflect.TypeFor[netip.Addr](), "::1", `{"type":"string","default":"::1"}`},
	}
	for _, tt := range tests {
		doc := mustBuild(t, Operation{Method: "GET", Pattern: "/", Params: []Param{
			{Name: "p", In: "query", Type: tt.typ, Default: tt.raw, HasDefault: true},
		}})
		equal(t, fragment(t, doc, "paths", "/", "get", "parameters"), `[{"name":"p","in":"query","required":false,"schema":`+tt.want+`}]`, tt.typ.String(), tt.raw)
	}
	for _, tt := range []struct {
		typ reflect.Type
		raw string
	}{
		{reflect.TypeFor[int8](), "300"},
		{reflect.TypeFor[bool](), "maybe"},
		{reflect.TypeFor[[]int](), "1,x"},
		{reflect.TypeFor[time.Duration](), "soon"},
		{reflect.TypeFor[map[string]int](), "{}"},
	} {
		_, err := Build(Info{}, []Operation{{Method: "GET", Pattern: "/", Params: []Param{
			{Name: "p", In: "query", Type: tt.typ, Default: tt.raw, HasDefault: true},
		}}})
		errContains(t, err, `parameter "p": default`)
	}
}

func TestOneOfValuesSplitLikeValidator(t *testing.T) {
	for _, tt := range []struct {
		param string
		want  string
	}{
		{"a b  c", "a|b|c"},
		{"'light blue' red", "light blue|red"},
		{"'x y'z", "x y|z"},
		{"it's fine", "its|fine"},
		{"'unclosed", "unclosed"},
		{"", ""},
	} {
		equal(t, strings.Join(oneOfValues(tt.param), "|"), tt.want, tt.param)
	}
}
