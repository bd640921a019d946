package jsonbody

import (
	"encoding/json"
	"reflect"
	"strings"
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

// benchOrder nests a list of models with required fields and defaults.
type benchOrder struct {
	Customer string `json:"customer"`
	Lines    []Line `json:"lines"`
	Note     string `json:"note,omitempty"`
}

var (
	benchValid   = []byte(`{"name":"Foo","description":"A very nice Item","price":35.4,"tax":3.2}`)
	benchInvalid = []byte(`{"name":"Foo","description":1,"price":"twenty","tax":3.2}`)
	benchNested  = []byte(`{"customer":"c","lines":[` + strings.TrimSuffix(strings.Repeat(`{"sku":"abc","qty":2,"tax":1.5},{"sku":"def"},`, 20), ",") + `]}`)
)

func benchPlain[T any](b *testing.B, body []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var v T
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode[T any](b *testing.B, body []byte, wantItems int) {
	d, err := Compile(reflect.TypeFor[T]())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var v T
		if items := d.Decode(body, &v); len(items) != wantItems {
			b.Fatal(items)
		}
	}
}

// BenchmarkPlainUnmarshal is the baseline for BenchmarkDecodeValid:
// encoding/json alone.
func BenchmarkPlainUnmarshal(b *testing.B) { benchPlain[benchItem](b, benchValid) }

// BenchmarkDecodeValid decodes a valid small body: one encoding/json
// decode plus the presence scan (the type has required fields and a
// default).
func BenchmarkDecodeValid(b *testing.B) { benchDecode[benchItem](b, benchValid, 0) }

// BenchmarkDecodeInvalid decodes a body with two wrong types.
func BenchmarkDecodeInvalid(b *testing.B) { benchDecode[benchItem](b, benchInvalid, 2) }

// BenchmarkPlainUnmarshalNested is the baseline for BenchmarkDecodeNested.
func BenchmarkPlainUnmarshalNested(b *testing.B) { benchPlain[benchOrder](b, benchNested) }

// BenchmarkDecodeNested decodes a valid body with 40 nested models, half
// of them missing defaulted fields.
func BenchmarkDecodeNested(b *testing.B) { benchDecode[benchOrder](b, benchNested, 0) }

// BenchmarkDecodeNoScan decodes into a type with no required fields and no
// defaults: encoding/json alone, nothing scanned.
func BenchmarkDecodeNoScan(b *testing.B) { benchDecode[map[string]any](b, benchValid, 0) }

// BenchmarkPlainUnmarshalNoScan is the baseline for BenchmarkDecodeNoScan.
func BenchmarkPlainUnmarshalNoScan(b *testing.B) { benchPlain[map[string]any](b, benchValid) }

// BenchmarkScanOnly is the presence scan alone (what Decode adds to
// encoding/json for benchItem on a valid body).
func BenchmarkScanOnly(b *testing.B) {
	d, err := Compile(reflect.TypeFor[benchItem]())
	if err != nil {
		b.Fatal(err)
	}
	var v benchItem
	if err := json.Unmarshal(benchValid, &v); err != nil {
		b.Fatal(err)
	}
	p := reflect.ValueOf(&v).UnsafePointer()
	b.ReportAllocs()
	for b.Loop() {
		if !scanBody(d.root, benchValid, 0, &v, p) {
			b.Fatal("scan failed")
		}
	}
}
