package jsonfields

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"testing"
)

type inner struct {
	A int
	B int
	C int `json:"c"`
}

type other struct {
	B int
	D int
}

type taggedB struct {
	X int `json:"B"`
}

type shadowing struct {
	inner
	Name string
	A    int // shadows inner.A: shallower
}

type tie struct {
	inner
	other       // B at the same depth in both, untagged: neither is used
	Skipped int `json:"-"`
}

type taggedWins struct {
	other
	taggedB     // a tagged B beats other's untagged B at the same depth
	Z       int `json:",string"`
}

type named struct {
	Weird int    `json:"a-b.c"`
	Str   string `json:"s,omitempty"`
}

// keys are the object keys encoding/json writes for v, in order.
func keys(t *testing.T, v any) []string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var out []string
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// Of lists exactly the keys encoding/json writes, in its order.
func TestOfMatchesEncodingJSON(t *testing.T) {
	for _, v := range []any{shadowing{}, tie{}, taggedWins{}, named{Str: "x"}} {
		list, _ := Of(reflect.TypeOf(v))
		var names []string
		for _, f := range list {
			names = append(names, f.Name)
		}
		if want := keys(t, v); !slices.Equal(names, want) {
			t.Errorf("%T: Of lists %v, encoding/json writes %v", v, names, want)
		}
	}
}

func TestOfDetails(t *testing.T) {
	list, _ := Of(reflect.TypeFor[taggedWins]())
	byName := map[string]Field{}
	for _, f := range list {
		byName[f.Name] = f
	}
	if f := byName["B"]; !f.Tagged || !slices.Equal(f.Index, []int{1, 0}) {
		t.Errorf("B: %+v, want the tagged taggedB.X at [1 0]", f)
	}
	if !byName["Z"].Quoted {
		t.Error("Z: the ,string option is not reported")
	}
	_, ignored := Of(reflect.TypeFor[tie]())
	if len(ignored) != 1 || ignored[0].Name != "Skipped" {
		t.Errorf("ignored: %v, want Skipped", ignored)
	}
	type viaPtr struct{ *inner }
	for _, f := range must(Of(reflect.TypeFor[viaPtr]())) {
		if !f.ViaPointer {
			t.Errorf("%s: not marked as reached through an embedded pointer", f.Name)
		}
	}
	list, _ = Of(reflect.TypeFor[named]())
	if !list[1].OmitEmpty || list[1].Opts != "omitempty" {
		t.Errorf("s: %+v", list[1])
	}
}

func must(list []Field, _ []reflect.StructField) []Field { return list }

func TestHasOpt(t *testing.T) {
	if !HasOpt("omitempty,string", "string") || HasOpt("omitempty", "string") || HasOpt("", "string") {
		t.Error("HasOpt")
	}
}
