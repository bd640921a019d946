package jsonbody

import (
	"encoding/json"
	"reflect"
	"testing"
)

// benchItem is FastAPI's tutorial Item, with a default.
type benchItem struct {
	Name        string   `json:"name"`
	Description *string  `json:"description"`
	Price       float64  `json:"price"`
	Tax         *float64 `json:"tax"`
	Count       int      `json:"count" default:"1"`
}

var (
	benchValid   = []byte(`{"name":"Foo","description":"A very nice Item","price":35.4,"tax":3.2}`)
	benchInvalid = []byte(`{"name":"Foo","description":1,"price":"twenty","tax":3.2}`)
)

// BenchmarkPlainUnmarshal is the baseline: encoding/json alone.
func BenchmarkPlainUnmarshal(b *testing.B) {
	b.ReportAllocs()
	b.SetBytes(int64(len(benchValid)))
	for b.Loop() {
		var v benchItem
		if err := json.Unmarshal(benchValid, &v); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeValid decodes a valid body: one encoding/json decode plus
// the presence scan (the type has required fields and a default).
func BenchmarkDecodeValid(b *testing.B) {
	d, err := Compile(reflect.TypeFor[benchItem]())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(benchValid)))
	for b.Loop() {
		var v benchItem
		if items := d.Decode(benchValid, &v); items != nil {
			b.Fatal(items)
		}
	}
}

// BenchmarkDecodeInvalid decodes a body with two wrong types.
func BenchmarkDecodeInvalid(b *testing.B) {
	d, err := Compile(reflect.TypeFor[benchItem]())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(benchInvalid)))
	for b.Loop() {
		var v benchItem
		if items := d.Decode(benchInvalid, &v); len(items) != 2 {
			b.Fatal(items)
		}
	}
}
