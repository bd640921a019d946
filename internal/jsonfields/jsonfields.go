// Package jsonfields lists a struct's fields exactly as encoding/json sees
// them. The body decoder, the OpenAPI schemas and the order of 422 details
// all read it, so the three agree with each other and with encoding/json.
package jsonfields

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Field is one field as encoding/json sees it.
type Field struct {
	Name        string // the JSON key
	Tagged      bool   // Name comes from a json tag
	Index       []int  // the Go field's index sequence, for FieldByIndex
	Type        reflect.Type
	StructField reflect.StructField
	Opts        string // the tag's options, after the name
	OmitEmpty   bool
	OmitZero    bool
	Quoted      bool // the ",string" option on a scalar (or a pointer to one)
	ViaPointer  bool // reached through an embedded pointer: absent when it is nil
}

type fields struct {
	list    []Field
	ignored []reflect.StructField
}

var cache sync.Map // reflect.Type → *fields

// Of returns the fields encoding/json reads and writes for struct t, in
// declaration order, with its rules for embedded structs: fields of embedded
// structs are promoted, the shallowest wins, a tagged field beats an
// untagged one at the same depth, and a remaining tie hides the name
// altogether. ignored lists the exported fields tagged json:"-" met on the
// way. Both are shared: callers must not modify them.
func Of(t reflect.Type) (list []Field, ignored []reflect.StructField) {
	if f, ok := cache.Load(t); ok {
		return f.(*fields).list, f.(*fields).ignored
	}
	f, _ := cache.LoadOrStore(t, resolve(t))
	return f.(*fields).list, f.(*fields).ignored
}

// resolve is encoding/json's typeFields.
func resolve(t reflect.Type) *fields {
	type queued struct {
		typ        reflect.Type
		index      []int
		viaPointer bool
	}
	res := &fields{}
	var found []Field
	var current []queued
	next := []queued{{typ: t}}
	var count, nextCount map[reflect.Type]int
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current, next = next, nil
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, f := range current {
			if visited[f.typ] {
				continue
			}
			visited[f.typ] = true
			for i := 0; i < f.typ.NumField(); i++ {
				sf := f.typ.Field(i)
				if sf.Anonymous {
					et := sf.Type
					if et.Kind() == reflect.Pointer {
						et = et.Elem()
					}
					if !sf.IsExported() && et.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					res.ignored = append(res.ignored, sf)
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validName(name) {
					name = ""
				}
				index := append(append([]int(nil), f.index...), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					jf := Field{
						Name:        name,
						Tagged:      name != "",
						Index:       index,
						Type:        sf.Type,
						StructField: sf,
						Opts:        opts,
						OmitEmpty:   HasOpt(opts, "omitempty"),
						OmitZero:    HasOpt(opts, "omitzero"),
						ViaPointer:  f.viaPointer,
					}
					if jf.Name == "" {
						jf.Name = sf.Name
					}
					if HasOpt(opts, "string") {
						switch ft.Kind() {
						case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
							reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
							reflect.Float32, reflect.Float64, reflect.String:
							jf.Quoted = true
						}
					}
					found = append(found, jf)
					if count[f.typ] > 1 {
						// Two embeddings of the same type at this depth:
						// a duplicate makes the name ambiguous below.
						found = append(found, jf)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, queued{typ: ft, index: index, viaPointer: f.viaPointer || sf.Type.Kind() == reflect.Pointer})
				}
			}
		}
	}
	// Group by name; within a name, shallowest first, then tagged first.
	slices.SortFunc(found, func(a, b Field) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.Index), len(b.Index)); c != 0 {
			return c
		}
		if a.Tagged != b.Tagged {
			if a.Tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.Index, b.Index)
	})
	out := found[:0]
	for i, advance := 0, 0; i < len(found); i += advance {
		name := found[i].Name
		for advance = 1; i+advance < len(found); advance++ {
			if found[i+advance].Name != name {
				break
			}
		}
		if advance > 1 && len(found[i].Index) == len(found[i+1].Index) && found[i].Tagged == found[i+1].Tagged {
			continue // ambiguous: encoding/json uses neither
		}
		out = append(out, found[i])
	}
	slices.SortFunc(out, func(a, b Field) int { return slices.Compare(a.Index, b.Index) })
	res.list = out
	return res
}

// HasOpt reports whether a json tag's comma-separated options hold opt.
func HasOpt(opts, opt string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == opt {
			return true
		}
	}
	return false
}

// validName is encoding/json's rule for usable names in json tags.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}
