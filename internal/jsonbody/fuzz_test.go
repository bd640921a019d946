package jsonbody

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"github.com/briskgo/brisk/internal/problem"
)

// fuzzPlain has no defaults, so a body Decode accepts must decode exactly
// as json.Unmarshal decodes it.
type fuzzPlain struct {
	Base
	Name   string           `json:"name"`
	Count  int8             `json:"count"`
	Price  float32          `json:"price,omitempty"`
	U      uint16           `json:"u,omitempty"`
	Ok     bool             `json:"ok,omitempty"`
	Tags   []string         `json:"tags"`
	Inner  Inner            `json:"inner,omitzero"`
	PInner *Inner           `json:"pinner"`
	Items  []Item           `json:"items"`
	ByKey  map[string]Inner `json:"by_key"`
	IntKey map[int8]int     `json:"int_key"`
	Arr    [2]Inner         `json:"arr,omitzero"`
	Any    any              `json:"any"`
	Num    json.Number      `json:"num,omitempty"`
	Bytes  []byte           `json:"bytes"`
	Q      int              `json:"q,omitempty,string"`
	QS     *string          `json:"qs,string"`
	QB     bool             `json:"qb,omitempty,string"`
	QF     float64          `json:"qf,omitempty,string"`
}

// fuzzDefaults has defaults at several depths.
type fuzzDefaults struct {
	Lines []Line          `json:"lines"`
	ByID  map[string]Line `json:"by_id"`
	Main  *Line           `json:"main"`
	Count int             `json:"count" default:"3"`
	Tags  []string        `json:"tags" default:"[\"a\"]"`
	Node  *Node           `json:"node"`
}

var fuzzSeeds = []string{
	``, ` `, `null`, `{}`, `[]`, `"x"`, `1`, `true`,
	`{"id":1,"created":"c","name":"n","count":1}`,
	`{"id":"x","created":1,"name":null,"count":300,"price":"1","u":-1,"ok":"yes"}`,
	`{"tags":["a",1],"inner":{"x":1.5},"pinner":{},"items":[{"name":"a","price":1},{}],"by_key":{"k":{}},"int_key":{"x":1,"300":2,"1":"y"}}`,
	`{"arr":[{"x":1},null,{"y":2}],"any":{"a":[1,{"b":null}]},"num":"1e5","bytes":"aGk=","q":"12","qs":"\"s\"","qb":"true","qf":"1.5"}`,
	`{"num":"x","bytes":"!!","q":12,"qs":"s","qb":"maybe","qf":"x"}`,
	`{"ID":1,"CREATED":"c","Name":"n","COUNT":1,"n\u0061me":"m"}`,
	`{"id":1,"id":"x","created":"c","created":null,"name":"n","count":1}`,
	`{"lines":[{"sku":"a"},{"qty":2},null],"by_id":{"a":{"sku":"a"},"a":{}},"main":{"sku":"m"},"count":null,"tags":null}`,
	`{"node":{"name":"a","children":[{"name":"b"},{}],"next":{"name":"c"}}}`,
	`{some broken json}`, `{"a":`, `[1,2`, `{"a":"\u00`, `{"a":1}}`, `{"a" 1}`,
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	decoders := []struct {
		d     *Decoder
		exact bool // no defaults: Decode's value must be json.Unmarshal's
	}{
		{mustCompile(f, reflect.TypeFor[fuzzPlain]()), true},
		{mustCompile(f, reflect.TypeFor[*fuzzPlain]()), true},
		{mustCompile(f, reflect.TypeFor[[]Item]()), true},
		{mustCompile(f, reflect.TypeFor[map[string]Inner]()), true},
		{mustCompile(f, reflect.TypeFor[fuzzDefaults]()), false},
		{mustCompile(f, reflect.TypeFor[any]()), true},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dec := range decoders {
			checkDecode(t, dec.d, dec.exact, data)
		}
	})
}

func mustCompile(f *testing.F, t reflect.Type) *Decoder {
	d, err := Compile(t)
	if err != nil {
		f.Fatal(err)
	}
	return d
}

// checkDecode checks Decode's invariants on one body.
func checkDecode(t *testing.T, d *Decoder, exact bool, data []byte) {
	dst := reflect.New(d.Type())
	items := d.Decode(data, dst.Interface())

	plain := reflect.New(d.Type())
	plainErr := json.Unmarshal(data, plain.Interface())
	blank := skipSpace(data, 0) == len(data)
	isNull := !blank && plainErr == nil && data[skipSpace(data, 0)] == 'n'

	switch {
	case blank || isNull:
		if d.Required() {
			if !reflect.DeepEqual(items, []problem.Item{problem.Missing(nil, "body")}) {
				t.Fatalf("%v: %q: want missing body, got %v", d.Type(), data, items)
			}
		} else if items != nil {
			t.Fatalf("%v: %q: optional body: got %v", d.Type(), data, items)
		}
		return
	case !json.Valid(data):
		if len(items) != 1 || items[0].Type != "json_invalid" {
			t.Fatalf("%v: %q: want one json_invalid, got %v", d.Type(), data, items)
		}
		return
	case plainErr != nil && len(items) == 0:
		t.Fatalf("%v: %q: json.Unmarshal failed (%v) but Decode reported nothing", d.Type(), data, plainErr)
	}
	if items == nil && exact && !reflect.DeepEqual(dst.Interface(), plain.Interface()) {
		t.Fatalf("%v: %q: Decode and json.Unmarshal differ:\n%#v\n%#v", d.Type(), data, dst.Elem(), plain.Elem())
	}
	seen := map[string]bool{}
	for _, it := range items {
		if len(it.Loc) == 0 || it.Loc[0] != "body" || it.Type == "" || it.Msg == "" {
			t.Fatalf("%v: %q: malformed item %#v", d.Type(), data, it)
		}
		if it.Type == "value_error" || it.Type == "json_invalid" {
			// value_error is the fallback for what the walk did not find;
			// these types have no custom unmarshalers.
			t.Fatalf("%v: %q: unexpected %s: %#v (json.Unmarshal: %v)", d.Type(), data, it.Type, it, plainErr)
		}
		k := fmt.Sprintf("%#v", it.Loc)
		if seen[k] {
			t.Fatalf("%v: %q: loc %v reported twice: %v", d.Type(), data, it.Loc, items)
		}
		seen[k] = true
	}
	if _, err := json.Marshal(items); err != nil {
		t.Fatalf("%v: %q: items do not marshal: %v", d.Type(), data, err)
	}
	again := d.Decode(data, reflect.New(d.Type()).Interface())
	if !reflect.DeepEqual(items, again) {
		t.Fatalf("%v: %q: not deterministic:\n%v\n%v", d.Type(), data, items, again)
	}
}
