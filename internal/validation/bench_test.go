package validation

import (
	"testing"
)

type benchItem struct {
	Name  string   `json:"name" validate:"required,max=50"`
	Price float64  `json:"price" validate:"gt=0"`
	Tags  []string `json:"tags" validate:"max=5,dive,min=1"`
}

type benchQuery struct {
	Limit int    `query:"limit" validate:"gte=1,lte=100"`
	Q     string `query:"q" validate:"omitempty,min=2"`
	Sort  string `query:"sort" validate:"oneof=asc desc"`
}

func BenchmarkCheckValid(b *testing.B) {
	v := New()
	in := &benchItem{Name: "widget", Price: 9.5, Tags: []string{"a", "b"}}
	b.ReportAllocs()
	for b.Loop() {
		if v.Check(in) != nil {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkCheckValidQuery(b *testing.B) {
	v := New()
	in := &benchQuery{Limit: 10, Q: "go", Sort: "asc"}
	b.ReportAllocs()
	for b.Loop() {
		if v.Check(in) != nil {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkCheckInvalid(b *testing.B) {
	v := New()
	in := &benchItem{Name: "", Price: 0, Tags: []string{"a", ""}}
	b.ReportAllocs()
	for b.Loop() {
		if len(v.Check(in)) != 3 {
			b.Fatal("want 3 failures")
		}
	}
}

func BenchmarkCheckInvalidItems(b *testing.B) {
	v := New()
	in := &benchItem{Name: "", Price: 0, Tags: []string{"a", ""}}
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range v.Check(in) {
			_ = f.Item(append([]any{"body"}, f.Path...))
		}
	}
}

func BenchmarkCheckSliceValid(b *testing.B) {
	v := New()
	in := []benchItem{{Name: "a", Price: 1}, {Name: "b", Price: 2}, {Name: "c", Price: 3}}
	b.ReportAllocs()
	for b.Loop() {
		if v.Check(in) != nil {
			b.Fatal("invalid")
		}
	}
}
