package validation

import (
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/problem"
)

type Tag struct {
	Label string `json:"label" validate:"min=2"`
}

type Item struct {
	Name  string         `json:"name" validate:"required"`
	Price float64        `json:"price" validate:"gt=0"`
	Tags  []Tag          `json:"tags" validate:"dive"`
	Attrs map[string]Tag `json:"attrs" validate:"dive"`
}

type Paging struct {
	Limit  int `query:"limit" validate:"gte=1,lte=100"`
	Offset int `query:"offset" validate:"gte=0"`
}

type Named struct {
	Title string `json:"title" validate:"required"`
}

type Order struct {
	Paging                // promoted: its fields sit at the top level
	Named  `json:"named"` // has a wire name: a nested object
	ID     int            `path:"id" validate:"gt=0"`
	Token  string         `header:"x-token" validate:"len=4"`
	Items  []Item         `json:"items" validate:"min=1,dive"`
	Ptr    *Tag           `json:"ptr"`
	Opt    *string        `json:"opt" validate:"required"`
	Plain  string         `validate:"max=1"`
	Skip   string         `json:"-" query:"skip" validate:"max=1"`
	Omit   string         `json:",omitempty" form:"omit" validate:"max=1"`
}

func validOrder() Order {
	opt := "x"
	return Order{
		Paging: Paging{Limit: 10},
		Named:  Named{Title: "t"},
		ID:     1,
		Token:  "abcd",
		Items:  []Item{{Name: "a", Price: 1, Tags: []Tag{{Label: "ok"}}, Attrs: map[string]Tag{"k": {Label: "ok"}}}},
		Ptr:    &Tag{Label: "ok"},
		Opt:    &opt,
	}
}

func TestCheckValid(t *testing.T) {
	v := New()
	o := validOrder()
	assert.Nil(t, v.Check(o))
	assert.Nil(t, v.Check(&o))
	assert.Nil(t, v.Check([]Order{o, o}))
	assert.Nil(t, v.Check(map[string]*Order{"a": &o, "nil": nil}))
	assert.Nil(t, v.Check((*Order)(nil)))
	assert.Nil(t, v.Check(nil))
	assert.Nil(t, v.Check(42))
}

func TestCheckPaths(t *testing.T) {
	v := New()
	o := validOrder()
	o.Limit = 0
	o.Title = ""
	o.ID = 0
	o.Token = "abc"
	o.Items = append(o.Items, Item{Name: "", Price: 0, Tags: []Tag{{Label: "ok"}, {Label: "x"}}, Attrs: map[string]Tag{"a.b]": {Label: "y"}}})
	o.Ptr = &Tag{Label: "z"}
	o.Opt = nil
	o.Plain = "xx"
	o.Skip = "xx"
	o.Omit = "xx"

	got := v.Check(&o)
	want := []Failure{
		{Path: []any{"limit"}, TopField: "Limit", Tag: "gte", Param: "1", Value: 0},
		{Path: []any{"named", "title"}, TopField: "Named", Tag: "required", Value: ""},
		{Path: []any{"id"}, TopField: "ID", Tag: "gt", Param: "0", Value: 0},
		{Path: []any{"x-token"}, TopField: "Token", Tag: "len", Param: "4", Value: "abc"},
		{Path: []any{"items", 1, "name"}, TopField: "Items", Tag: "required", Value: ""},
		{Path: []any{"items", 1, "price"}, TopField: "Items", Tag: "gt", Param: "0", Value: 0.0},
		{Path: []any{"items", 1, "tags", 1, "label"}, TopField: "Items", Tag: "min", Param: "2", Value: "x"},
		{Path: []any{"items", 1, "attrs", "a.b]", "label"}, TopField: "Items", Tag: "min", Param: "2", Value: "y"},
		{Path: []any{"ptr", "label"}, TopField: "Ptr", Tag: "min", Param: "2", Value: "z"},
		{Path: []any{"opt"}, TopField: "Opt", Tag: "required", Value: (*string)(nil)},
		{Path: []any{"Plain"}, TopField: "Plain", Tag: "max", Param: "1", Value: "xx"},
		{Path: []any{"skip"}, TopField: "Skip", Tag: "max", Param: "1", Value: "xx"},
		{Path: []any{"omit"}, TopField: "Omit", Tag: "max", Param: "1", Value: "xx"},
	}
	assert.Equal(t, want, got)
}

func TestCheckAnonymousRoot(t *testing.T) {
	v := New()
	in := struct {
		Q    string `query:"q" validate:"max=2"`
		Body Item   `body:""`
	}{Q: "long", Body: Item{Name: "n", Price: -1}}
	assert.Equal(t, []Failure{
		{Path: []any{"q"}, TopField: "Q", Tag: "max", Param: "2", Value: "long"},
		{Path: []any{"Body", "price"}, TopField: "Body", Tag: "gt", Param: "0", Value: -1.0},
	}, v.Check(in))
}

type Embedded struct {
	*Paging `validate:"required"`
}

func TestCheckEmbedded(t *testing.T) {
	v := New()
	assert.Equal(t, []Failure{
		{Path: []any{}, TopField: "Paging", Tag: "required", Value: (*Paging)(nil)},
	}, v.Check(Embedded{}))
	assert.Equal(t, []Failure{
		{Path: []any{"limit"}, TopField: "Limit", Tag: "lte", Param: "100", Value: 101},
	}, v.Check(Embedded{&Paging{Limit: 101}}))
}

func TestCheckRoots(t *testing.T) {
	v := New()
	items := []Item{{Name: "a", Price: 1}, {Price: 1}, {Name: "c", Price: 0}}
	assert.Equal(t, []Failure{
		{Path: []any{1, "name"}, Tag: "required", Value: ""},
		{Path: []any{2, "price"}, Tag: "gt", Param: "0", Value: 0.0},
	}, v.Check(items))
	assert.Equal(t, []Failure{
		{Path: []any{1, "name"}, Tag: "required", Value: ""},
	}, v.Check(&[]*Item{{Name: "a", Price: 1}, {Price: 1}, nil}))
	assert.Equal(t, []Failure{
		{Path: []any{0, 1, "label"}, Tag: "min", Param: "2", Value: "x"},
	}, v.Check([][]Tag{{{Label: "ok"}, {Label: "x"}}}))
	assert.Equal(t, []Failure{
		{Path: []any{"a", "label"}, Tag: "min", Param: "2", Value: "1"},
		{Path: []any{"b", "label"}, Tag: "min", Param: "2", Value: "2"},
		{Path: []any{"c", "label"}, Tag: "min", Param: "2", Value: "3"},
	}, v.Check(map[string]Tag{"c": {"3"}, "a": {"1"}, "b": {"2"}, "ok": {"ok"}}))
	assert.Equal(t, []Failure{
		{Path: []any{"7", 0, "label"}, Tag: "min", Param: "2", Value: "1"},
	}, v.Check(map[int][]Tag{7: {{"1"}}}))
	assert.Equal(t, []Failure{
		{Path: []any{1, "label"}, Tag: "min", Param: "2", Value: ""},
	}, v.Check([2]Tag{{"ok"}, {""}}))
}

type Node struct {
	Name     string  `json:"name" validate:"required"`
	Children []*Node `json:"children" validate:"dive"`
}

type Plain struct {
	A int
	B []string
	C map[string]struct{ D time.Time }
	E *Plain
}

type Deep struct {
	X []map[string]*[2]struct {
		Y int `validate:"gt=0"`
	}
}

type Hidden struct {
	x int `validate:"gt=0"` // an unexported field: validator skips it
	Y int `validate:"-"`
}

func TestHas(t *testing.T) {
	v := New()
	for _, c := range []struct {
		typ  reflect.Type
		want bool
	}{
		{reflect.TypeFor[Item](), true},
		{reflect.TypeFor[*Item](), true},
		{reflect.TypeFor[[]Item](), true},
		{reflect.TypeFor[map[string][]*Item](), true},
		{reflect.TypeFor[Order](), true},
		{reflect.TypeFor[Embedded](), true},
		{reflect.TypeFor[struct{ P Paging }](), true},
		{reflect.TypeFor[struct{ Paging }](), true},
		{reflect.TypeFor[Node](), true},
		{reflect.TypeFor[Deep](), true},
		{reflect.TypeFor[map[Tag]int](), true},
		{reflect.TypeFor[Plain](), false},
		{reflect.TypeFor[[]Plain](), false},
		{reflect.TypeFor[Hidden](), false},
		{reflect.TypeFor[time.Time](), false},
		{reflect.TypeFor[string](), false},
		{reflect.TypeFor[[]int](), false},
		{reflect.TypeFor[any](), false},
		{nil, false},
	} {
		assert.Equal(t, c.want, v.Has(c.typ), "%v", c.typ)
	}
}

func TestUnexportedSkipped(t *testing.T) {
	assert.Nil(t, New().Check(Hidden{x: -1}))
}

func TestRecursive(t *testing.T) {
	v := New()
	n := &Node{Name: "root", Children: []*Node{{Name: "a", Children: []*Node{{}}}}}
	assert.Equal(t, []Failure{
		{Path: []any{"children", 0, "children", 0, "name"}, TopField: "Children", Tag: "required", Value: ""},
	}, v.Check(n))
}

func TestConcurrent(t *testing.T) {
	v := New()
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				o := validOrder()
				if (i+j)%2 == 0 {
					o.ID = 0
					f := v.Check(&o)
					if assert.Len(t, f, 1) {
						assert.Equal(t, []any{"id"}, f[0].Path)
						assert.Equal(t, "greater_than", f[0].Item([]any{"path", "id"}).Type)
					}
				} else {
					assert.Nil(t, v.Check(o))
				}
				assert.True(t, v.Has(reflect.TypeFor[Order]()))
			}
		}()
	}
	wg.Wait()
}

// item validates value and returns the item of its only failure.
func item(t *testing.T, value any) problem.Item {
	t.Helper()
	f := New().Check(value)
	require.Len(t, f, 1, "%+v", value)
	return f[0].Item(append([]any{"body"}, f[0].Path...))
}

func TestItemLoc(t *testing.T) {
	assert.Equal(t, problem.Item{
		Type:  "greater_than",
		Loc:   []any{"query", "n"},
		Msg:   "Input should be greater than 0",
		Input: 0,
		Ctx:   map[string]any{"gt": 0},
	}, Failure{Path: []any{"n"}, Tag: "gt", Param: "0", Value: 0}.Item([]any{"query", "n"}))
}

func TestItemMissing(t *testing.T) {
	want := problem.Item{Type: "missing", Loc: []any{"body", "v"}, Msg: "Field required"}
	assert.Equal(t, want, item(t, struct {
		V *int `json:"v" validate:"required"`
	}{}))
	assert.Equal(t, want, item(t, struct {
		V string `json:"v" validate:"required"`
	}{}))
	assert.Equal(t, want, item(t, struct {
		V Tag `json:"v" validate:"required"`
	}{}))
	assert.Equal(t, want, item(t, struct {
		V any `json:"v" validate:"required"`
	}{}))
	assert.Equal(t, want, item(t, struct {
		W string `json:"w"`
		V string `json:"v" validate:"required_without=W"`
	}{}))
}

func TestItemNumbers(t *testing.T) {
	type c = map[string]any
	cases := []struct {
		value any
		want  problem.Item
	}{
		{struct {
			V int `json:"v" validate:"gt=0"`
		}{0}, problem.Item{Type: "greater_than", Msg: "Input should be greater than 0", Input: 0, Ctx: c{"gt": 0}}},
		{struct {
			V int8 `json:"v" validate:"gte=-5"`
		}{-6}, problem.Item{Type: "greater_than_equal", Msg: "Input should be greater than or equal to -5", Input: int8(-6), Ctx: c{"ge": -5}}},
		{struct {
			V uint `json:"v" validate:"min=3"`
		}{2}, problem.Item{Type: "greater_than_equal", Msg: "Input should be greater than or equal to 3", Input: uint(2), Ctx: c{"ge": 3}}},
		{struct {
			V float64 `json:"v" validate:"lt=1.5"`
		}{2}, problem.Item{Type: "less_than", Msg: "Input should be less than 1.5", Input: 2.0, Ctx: c{"lt": 1.5}}},
		{struct {
			V float32 `json:"v" validate:"lte=0"`
		}{1}, problem.Item{Type: "less_than_equal", Msg: "Input should be less than or equal to 0", Input: float32(1), Ctx: c{"le": 0}}},
		{struct {
			V int64 `json:"v" validate:"max=100"`
		}{101}, problem.Item{Type: "less_than_equal", Msg: "Input should be less than or equal to 100", Input: int64(101), Ctx: c{"le": 100}}},
		{struct {
			V uint64 `json:"v" validate:"max=18446744073709551614"`
		}{18446744073709551615}, problem.Item{
			Type: "less_than_equal", Msg: "Input should be less than or equal to 18446744073709551614",
			Input: uint64(18446744073709551615), Ctx: c{"le": uint64(18446744073709551614)},
		}},
		{struct {
			V int `json:"v" validate:"eq=5"`
		}{4}, problem.Item{Type: "literal_error", Msg: "Input should be 5", Input: 4, Ctx: c{"expected": "5"}}},
		{struct {
			V int `json:"v" validate:"oneof=1 2 3"`
		}{4}, problem.Item{Type: "enum", Msg: "Input should be 1, 2 or 3", Input: 4, Ctx: c{"expected": "1, 2 or 3"}}},
		{struct {
			V int `json:"v" validate:"ne=4"`
		}{4}, problem.Item{Type: "ne", Msg: "Value error, failed on the 'ne=4' rule", Input: 4}},
		{struct {
			V *int `json:"v" validate:"omitempty,gt=10"`
		}{new(int(3))}, problem.Item{Type: "greater_than", Msg: "Input should be greater than 10", Input: 3, Ctx: c{"gt": 10}}},
	}
	for _, tc := range cases {
		tc.want.Loc = []any{"body", "v"}
		assert.Equal(t, tc.want, item(t, tc.value), "%+v", tc.value)
	}
}

func TestItemStrings(t *testing.T) {
	type c = map[string]any
	short := func(n int, s string) problem.Item {
		return problem.Item{Type: "string_too_short", Msg: s, Ctx: c{"min_length": n}}
	}
	long := func(n int, s string) problem.Item {
		return problem.Item{Type: "string_too_long", Msg: s, Ctx: c{"max_length": n}}
	}
	cases := []struct {
		tag, value string
		want       problem.Item
	}{
		{"min=3", "ab", short(3, "String should have at least 3 characters")},
		{"min=1", "", short(1, "String should have at least 1 character")},
		{"gte=2", "é", short(2, "String should have at least 2 characters")},
		{"gt=2", "ab", short(3, "String should have at least 3 characters")},
		{"max=2", "abc", long(2, "String should have at most 2 characters")},
		{"lte=1", "ab", long(1, "String should have at most 1 character")},
		{"lt=3", "abc", long(2, "String should have at most 2 characters")},
		{"len=3", "ab", short(3, "String should have at least 3 characters")},
		{"len=3", "abcd", long(3, "String should have at most 3 characters")},
		{"eq=yes", "no", problem.Item{Type: "literal_error", Msg: "Input should be 'yes'", Ctx: c{"expected": "'yes'"}}},
		{"oneof=a b c", "d", problem.Item{Type: "enum", Msg: "Input should be 'a', 'b' or 'c'", Ctx: c{"expected": "'a', 'b' or 'c'"}}},
		{"oneof=red 'dark blue'", "x", problem.Item{Type: "enum", Msg: "Input should be 'red' or 'dark blue'", Ctx: c{"expected": "'red' or 'dark blue'"}}},
		{"oneof=only", "x", problem.Item{Type: "enum", Msg: "Input should be 'only'", Ctx: c{"expected": "'only'"}}},
		{"email", "nobody", problem.Item{Type: "value_error", Msg: "value is not a valid email address: An email address must have an @-sign.",
			Ctx: c{"reason": "An email address must have an @-sign."}}},
		{"email", "@x.com", problem.Item{Type: "value_error", Msg: "value is not a valid email address: There must be something before the @-sign.",
			Ctx: c{"reason": "There must be something before the @-sign."}}},
		{"email", "a@", problem.Item{Type: "value_error", Msg: "value is not a valid email address: There must be something after the @-sign.",
			Ctx: c{"reason": "There must be something after the @-sign."}}},
		{"email", "a@b", problem.Item{Type: "value_error", Msg: "value is not a valid email address: The part after the @-sign is not valid. It should have a period.",
			Ctx: c{"reason": "The part after the @-sign is not valid. It should have a period."}}},
		{"url", "example.com/x", problem.Item{Type: "url_parsing", Msg: "Input should be a valid URL, relative URL without a base",
			Ctx: c{"error": "relative URL without a base"}}},
		{"url", "http://", problem.Item{Type: "url_parsing", Msg: "Input should be a valid URL, empty host", Ctx: c{"error": "empty host"}}},
		{"uri", "nope", problem.Item{Type: "url_parsing", Msg: "Input should be a valid URL, relative URL without a base",
			Ctx: c{"error": "relative URL without a base"}}},
		{"http_url", "ftp://example.com", problem.Item{Type: "url_scheme", Msg: "URL scheme should be 'http' or 'https'",
			Ctx: c{"expected_schemes": "'http' or 'https'"}}},
		{"https_url", "http://example.com", problem.Item{Type: "url_scheme", Msg: "URL scheme should be 'https'",
			Ctx: c{"expected_schemes": "'https'"}}},
		{"uuid", "123", problem.Item{Type: "uuid_parsing", Msg: "Input should be a valid UUID, invalid length: expected length 32 for simple format, found 3",
			Ctx: c{"error": "invalid length: expected length 32 for simple format, found 3"}}},
		{"uuid", "not-a-uuid", problem.Item{Type: "uuid_parsing",
			Msg: "Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1",
			Ctx: c{"error": "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1"}}},
		{"uuid", "10c25fc2-835b-4ef3-bb3d-bf44fe496e", problem.Item{Type: "uuid_parsing",
			Msg: "Input should be a valid UUID, invalid group length in group 4: expected 12, found 10",
			Ctx: c{"error": "invalid group length in group 4: expected 12, found 10"}}},
		{"uuid", "10c25fc2-835b4ef3-bb3d-bf44fe496e1a", problem.Item{Type: "uuid_parsing",
			Msg: "Input should be a valid UUID, invalid group count: expected 5, found 4",
			Ctx: c{"error": "invalid group count: expected 5, found 4"}}},
		{"uuid", "10c25fc-2835b-4ef3-bb3d-bf44fe496e1a", problem.Item{Type: "uuid_parsing",
			Msg: "Input should be a valid UUID, invalid group length in group 0: expected 8, found 7",
			Ctx: c{"error": "invalid group length in group 0: expected 8, found 7"}}},
		{"uuid4", "10c25fc2-835b-1ef3-bb3d-bf44fe496e1a", problem.Item{Type: "uuid_version", Msg: "UUID version 4 expected",
			Ctx: c{"expected_version": 4}}},
		{"ip", "1.2.3", problem.Item{Type: "ip_any_address", Msg: "value is not a valid IPv4 or IPv6 address"}},
		{"ipv4", "::1", problem.Item{Type: "ip_v4_address", Msg: "Input is not a valid IPv4 address"}},
		{"ipv6", "1.2.3.4", problem.Item{Type: "ip_v6_address", Msg: "Input is not a valid IPv6 address"}},
		{"cidr", "1.2.3.4", problem.Item{Type: "ip_any_network", Msg: "value is not a valid IPv4 or IPv6 network"}},
		{"cidrv4", "::/0", problem.Item{Type: "ip_v4_network", Msg: "Input is not a valid IPv4 network"}},
		{"cidrv6", "10.0.0.0/8", problem.Item{Type: "ip_v6_network", Msg: "Input is not a valid IPv6 network"}},
		{"alpha", "a1", problem.Item{Type: "string_pattern_mismatch", Msg: "String should match pattern '^[a-zA-Z]+$'", Ctx: c{"pattern": "^[a-zA-Z]+$"}}},
		{"alphanum", "a-", problem.Item{Type: "string_pattern_mismatch", Msg: "String should match pattern '^[a-zA-Z0-9]+$'", Ctx: c{"pattern": "^[a-zA-Z0-9]+$"}}},
		{"numeric", "x", problem.Item{Type: "string_pattern_mismatch", Msg: `String should match pattern '^[-+]?[0-9]+(?:\.[0-9]+)?$'`,
			Ctx: c{"pattern": `^[-+]?[0-9]+(?:\.[0-9]+)?$`}}},
		{"number", "-1", problem.Item{Type: "string_pattern_mismatch", Msg: "String should match pattern '^[0-9]+$'", Ctx: c{"pattern": "^[0-9]+$"}}},
		{"hexadecimal", "g", problem.Item{Type: "string_pattern_mismatch", Msg: "String should match pattern '^(0[xX])?[0-9a-fA-F]+$'",
			Ctx: c{"pattern": "^(0[xX])?[0-9a-fA-F]+$"}}},
		{"startswith=a.b", "x", problem.Item{Type: "string_pattern_mismatch", Msg: `String should match pattern '^a\.b'`, Ctx: c{"pattern": `^a\.b`}}},
		{"endswith=.go", "x", problem.Item{Type: "string_pattern_mismatch", Msg: `String should match pattern '\.go$'`, Ctx: c{"pattern": `\.go$`}}},
		{"contains=ab", "x", problem.Item{Type: "string_pattern_mismatch", Msg: `String should match pattern 'ab'`, Ctx: c{"pattern": `ab`}}},
		{"boolean", "x", problem.Item{Type: "bool_parsing", Msg: "Input should be a valid boolean, unable to interpret input"}},
		{"lowercase", "X", problem.Item{Type: "lowercase", Msg: "Value error, failed on the 'lowercase' rule"}},
		{"hexcolor|rgb", "x", problem.Item{Type: "hexcolor|rgb", Msg: "Value error, failed on the 'hexcolor|rgb' rule"}},
		{"excludes=x", "x", problem.Item{Type: "excludes", Msg: "Value error, failed on the 'excludes=x' rule"}},
	}
	v := New()
	for _, tc := range cases {
		f := v.Check(reflect.ValueOf(struct {
			V string `json:"v"`
		}{tc.value}).Convert(structWithTag(tc.tag)).Interface())
		require.Len(t, f, 1, "%s %q", tc.tag, tc.value)
		tc.want.Loc = []any{"body", "v"}
		tc.want.Input = tc.value
		assert.Equal(t, tc.want, f[0].Item([]any{"body", "v"}), "%s %q", tc.tag, tc.value)
	}
}

// structWithTag is struct{ V string `json:"v" validate:"<tag>"` }.
func structWithTag(tag string) reflect.Type {
	return reflect.StructOf([]reflect.StructField{{
		Name: "V",
		Type: reflect.TypeFor[string](),
		Tag:  reflect.StructTag(`json:"v" validate:"` + tag + `"`),
	}})
}

func TestItemCollections(t *testing.T) {
	type c = map[string]any
	cases := []struct {
		value any
		want  problem.Item
	}{
		{struct {
			V []int `json:"v" validate:"min=2"`
		}{[]int{1}}, problem.Item{Type: "too_short", Msg: "List should have at least 2 items after validation, not 1",
			Input: []int{1}, Ctx: c{"field_type": "List", "min_length": 2, "actual_length": 1}}},
		{struct {
			V []int `json:"v" validate:"gt=0"`
		}{[]int{}}, problem.Item{Type: "too_short", Msg: "List should have at least 1 item after validation, not 0",
			Input: []int{}, Ctx: c{"field_type": "List", "min_length": 1, "actual_length": 0}}},
		{struct {
			V []string `json:"v" validate:"max=1"`
		}{[]string{"a", "b"}}, problem.Item{Type: "too_long", Msg: "List should have at most 1 item after validation, not 2",
			Input: []string{"a", "b"}, Ctx: c{"field_type": "List", "max_length": 1, "actual_length": 2}}},
		{struct {
			V [3]int `json:"v" validate:"lt=3"`
		}{}, problem.Item{Type: "too_long", Msg: "List should have at most 2 items after validation, not 3",
			Input: [3]int{}, Ctx: c{"field_type": "List", "max_length": 2, "actual_length": 3}}},
		{struct {
			V []int `json:"v" validate:"len=2"`
		}{[]int{1, 2, 3}}, problem.Item{Type: "too_long", Msg: "List should have at most 2 items after validation, not 3",
			Input: []int{1, 2, 3}, Ctx: c{"field_type": "List", "max_length": 2, "actual_length": 3}}},
		{struct {
			V map[string]int `json:"v" validate:"min=1"`
		}{map[string]int{}}, problem.Item{Type: "too_short", Msg: "Dictionary should have at least 1 item after validation, not 0",
			Input: map[string]int{}, Ctx: c{"field_type": "Dictionary", "min_length": 1, "actual_length": 0}}},
		{struct {
			V []int `json:"v" validate:"unique"`
		}{[]int{1, 1}}, problem.Item{Type: "value_error", Msg: "Value error, list items must be unique",
			Input: []int{1, 1}, Ctx: c{"error": "list items must be unique"}}},
		{struct {
			V map[string]int `json:"v" validate:"unique"`
		}{map[string]int{"a": 1, "b": 1}}, problem.Item{Type: "value_error", Msg: "Value error, dict values must be unique",
			Input: map[string]int{"a": 1, "b": 1}, Ctx: c{"error": "dict values must be unique"}}},
	}
	for _, tc := range cases {
		tc.want.Loc = []any{"body", "v"}
		assert.Equal(t, tc.want, item(t, tc.value), "%+v", tc.value)
	}
	// dive: the element's rule, the element's index in loc.
	assert.Equal(t, problem.Item{
		Type: "string_too_short", Loc: []any{"body", "v", 1}, Msg: "String should have at least 2 characters",
		Input: "x", Ctx: c{"min_length": 2},
	}, item(t, struct {
		V []string `json:"v" validate:"dive,min=2"`
	}{[]string{"ok", "x"}}))
}

func TestItemTimes(t *testing.T) {
	past := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	future := time.Now().Add(time.Hour)
	assert.Equal(t, problem.Item{Type: "datetime_future", Loc: []any{"body", "v"}, Msg: "Input should be in the future", Input: past},
		item(t, struct {
			V time.Time `json:"v" validate:"gt"`
		}{past}))
	assert.Equal(t, problem.Item{Type: "datetime_past", Loc: []any{"body", "v"}, Msg: "Input should be in the past", Input: future},
		item(t, struct {
			V time.Time `json:"v" validate:"lte"`
		}{future}))
	assert.Equal(t, problem.Item{
		Type: "greater_than_equal", Loc: []any{"body", "v"}, Msg: "Input should be greater than or equal to 1m30s",
		Input: time.Second, Ctx: map[string]any{"ge": "1m30s"},
	}, item(t, struct {
		V time.Duration `json:"v" validate:"min=1m30s"`
	}{time.Second}))
}

func TestPyRepr(t *testing.T) {
	assert.Equal(t, `'a'`, pyRepr("a"))
	assert.Equal(t, `"it's"`, pyRepr("it's"))
	assert.Equal(t, `'both \' and "'`, pyRepr(`both ' and "`))
	assert.Equal(t, `'a\\b\n\x01'`, pyRepr("a\\b\n\x01"))
	assert.Equal(t, "'é'", pyRepr("é"))
}

func TestReasons(t *testing.T) {
	for s, want := range map[string]string{
		"a b@x.com": "The email address contains invalid characters before the @-sign: SPACE.",
		".a@x.com":  "An email address cannot start with a period.",
		"a.@x.com":  "An email address cannot have a period immediately before the @-sign.",
		"a..b@x.co": "An email address cannot have two periods in a row.",
		"a@.x.com":  "An email address cannot have a period immediately after the @-sign.",
		"a@x.com.":  "An email address cannot end with a period.",
		"a@x..com":  "An email address cannot have two periods in a row.",
		"a@x.c_m":   "The email address is not valid.",
	} {
		assert.Equal(t, want, emailReason(s), s)
	}
	for s, want := range map[string]string{
		"http://x:99999":  "invalid port number",
		"http://x:ab":     "invalid port number",
		"http://[::1":     "invalid IPv6 address",
		"http://a b":      "invalid domain character",
		"foo:bar":         "empty host",
		"http://user@:80": "empty host",
	} {
		assert.Equal(t, problem.Item{Type: "url_parsing", Msg: "Input should be a valid URL, " + want, Ctx: map[string]any{"error": want}},
			urlItem("url", s), s)
	}
	for s, want := range map[string]string{
		"{10c25fc2-835b-4ef3-bb3d-bf44fe496e1}":          "invalid group length in group 4: expected 12, found 13",
		"urn:uuid:10c25fc2-835b-4ef3-bb3d-bf44fe496e1az": "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `z` at 46",
		"10c25fc2835b4ef3bb3dbf44fe496e1a":               "invalid group count: expected 5, found 1",
		"é":                                              "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `é` at 1",
	} {
		assert.Equal(t, "Input should be a valid UUID, "+want, uuidItem(s, 0).Msg, s)
	}
	assert.Equal(t, "uuid_version", uuidItem("10c25fc2835b3ef3bb3dbf44fe496e1a", 4).Type)
}
