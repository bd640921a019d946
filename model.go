// Request models: structs whose fields come from path, query, header and
// cookie (and the body), compiled and bound.

package brisk

import (
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/openapi"
	"github.com/briskgo/brisk/internal/problem"
	"github.com/briskgo/brisk/internal/validation"
)

// isRequestModel reports whether t (or what it points to) is a struct with a
// field tagged path, query, header, cookie, form or body.
func isRequestModel(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if hasSourceTag(f) {
			return true
		}
		if f.Anonymous && isRequestModel(f.Type) {
			return true
		}
	}
	return false
}

// modelField is one bound field of a request model.
type modelField struct {
	goName   string // the Go field's name
	offset   uintptr
	source   string // "path", "query", "header", "cookie", "form"
	name     string // the name on the wire
	key      string // the header's canonical key
	pathIdx  int
	decode   decode.Func
	def      []string // the default, as wire values; nil: none
	required bool
	slice    bool     // form: takes every value (an empty one is no value otherwise)
	file     fileKind // form: the field holds uploaded files
}

// locSource is loc[0] of the field's errors: its source, but "body" for a
// form field, as FastAPI reports Form() fields.
func (f *modelField) locSource() string {
	if f.source == "form" {
		return "body"
	}
	return f.source
}

func (c *compiler) modelBinder(t reflect.Type, where func() string) binder {
	checkTags(t, where)
	ptr := t.Kind() == reflect.Pointer
	st := t
	if ptr {
		st = t.Elem()
	}
	var fields []modelField
	var body binder
	var bodyOffset uintptr
	var walk func(t reflect.Type, base uintptr)
	walk = func(t reflect.Type, base uintptr) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct && !hasSourceTag(f) {
				walk(f.Type, base+f.Offset)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if _, ok := f.Tag.Lookup("body"); ok || (f.Name == "Body" && !hasSourceTag(f)) {
				if body != nil {
					panic(fmt.Sprintf("brisk: %s: model %s has two body fields", where(), st))
				}
				fieldWhere := func() string { return fmt.Sprintf("%s, field %s", where(), f.Name) }
				body, bodyOffset = c.bodyBinder(f.Type, fieldWhere), base+f.Offset
				continue
			}
			if mf, ok := c.modelField(f, base, where); ok {
				fields = append(fields, mf)
			}
		}
	}
	walk(st, 0)
	v := c.app.validator
	validate := v.Has(st)
	if validate {
		if err := v.Verify(st); err != nil {
			panic(fmt.Sprintf("brisk: %s: model %s: bad validate rule: %v", where(), st, err))
		}
	}
	newValue := c.valueAllocator(st)
	if ptr {
		// The handler gets the pointer and may keep it: a fresh value each time.
		newValue = func(*reqState) reflect.Value { return reflect.New(st) }
	}
	return func(rs *reqState, w http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
		pv := newValue(rs)
		p := pv.UnsafePointer()
		ok := true
		first := len(rs.errs)
		for i := range fields {
			if !rs.bindField(&fields[i], unsafe.Add(p, fields[i].offset), r) {
				ok = false
			}
		}
		bodyFailed := false
		if body != nil {
			var bv reflect.Value
			if body(rs, w, r, &bv) {
				reflect.NewAt(bv.Type(), unsafe.Add(p, bodyOffset)).Elem().Set(bv)
			} else {
				ok, bodyFailed = false, true
				if rs.abort != nil {
					return false
				}
			}
		}
		if validate {
			var failed *problem.Overlaps // the errors since first, once there is a failure
			var listed []int             // rule errors kept, by field (the body's last)
			for _, f := range v.Check(pv.Interface()) {
				k, loc := modelLoc(fields, f, body != nil)
				var field *modelField
				if k < len(fields) {
					field = &fields[k]
				}
				if field == nil && bodyFailed {
					// The body's own errors are reported; its zero value's
					// are not errors of the request.
					continue
				}
				if failed == nil {
					failed = problem.NewOverlaps(rs.errs[first:])
				}
				if failed.Overlaps(loc) {
					// The input did not decode (or was missing): its zero
					// value's rules say nothing more, as in pydantic.
					continue
				}
				// Each field lists at most problem.MaxItems errors (a
				// 422 lists no more); the rest are counted.
				if listed == nil {
					listed = make([]int, len(fields)+1)
				}
				if listed[k] == problem.MaxItems {
					rs.omitted++
					ok = false
					continue
				}
				listed[k]++
				it := f.Item(loc)
				if field != nil && len(f.Path) == 1 && it.Type != "missing" {
					if raw, found := rs.rawInput(field, r); found {
						it.Input = raw
					}
				}
				if rs.addItem(it) {
					failed.Add(it.Loc)
				}
				ok = false
			}
		}
		if !ok {
			if len(rs.errs)-first > 1 {
				sortModelItems(rs.errs[first:], fields)
			}
			return false
		}
		if ptr {
			*out = pv
		} else {
			*out = pv.Elem()
		}
		return true
	}
}

// modelLoc maps a validation failure in a request model to its field's
// index (len(fields) when it is no tagged field: the body or the model
// itself) and loc: the field's source and its name on the wire (a header's
// with hyphens for underscores), then the rest of the path.
func modelLoc(fields []modelField, f validation.Failure, hasBody bool) (int, []any) {
	path := f.Path
	if len(path) == 0 {
		return len(fields), []any{"body"}
	}
	for i := range fields {
		if fields[i].goName == f.TopField {
			return i, append([]any{fields[i].locSource(), fields[i].name}, path[1:]...)
		}
	}
	if hasBody {
		// The body field's own name is not on the wire.
		return len(fields), append([]any{"body"}, path[1:]...)
	}
	return len(fields), append([]any{"query"}, path...)
}

// sources are the tags a request-model field takes its value from, in the
// order FastAPI lists their errors: the parameters' (paramSources), then
// the body.
var sources = [...]string{"path", "query", "header", "cookie", "body"}

// paramSources are the sources of parameters, all but the body.
var paramSources = sources[:len(sources)-1]

// hasSourceTag reports whether f carries one of the source tags (the
// sources' and form).
func hasSourceTag(f reflect.StructField) bool {
	for _, tag := range sourceTags {
		if _, ok := f.Tag.Lookup(tag); ok {
			return true
		}
	}
	return false
}

// modelField compiles one tagged field; untagged fields are left alone.
func (c *compiler) modelField(f reflect.StructField, base uintptr, where func() string) (modelField, bool) {
	if tag, ok := f.Tag.Lookup("form"); ok {
		return c.formField(f, tag, base, where), true
	}
	mf := modelField{goName: f.Name, offset: base + f.Offset, pathIdx: -1}
	var tagOpts string
	for _, src := range paramSources {
		if tag, ok := f.Tag.Lookup(src); ok {
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			mf.source, mf.name, tagOpts = src, name, opts
			break
		}
	}
	if mf.source == "" {
		return mf, false
	}
	fieldWhere := fmt.Sprintf("%s, field %s (%s %q)", where(), f.Name, mf.source, mf.name)
	dec, shape, ok := decode.For(f.Type)
	if !ok {
		panic(fmt.Sprintf("brisk: %s: type %s cannot be read from a %s value", fieldWhere, f.Type, mf.source))
	}
	mf.decode = dec
	switch mf.source {
	case "path":
		if shape == decode.Slice {
			panic(fmt.Sprintf("brisk: %s: a path parameter cannot be a slice", fieldWhere))
		}
		mf.pathIdx = slices.Index(c.pathNames, mf.name)
		if mf.pathIdx < 0 {
			panic(fmt.Sprintf("brisk: %s: the pattern %s has no parameter %q (it names %v)", fieldWhere, c.pattern, mf.name, c.pathNames))
		}
	case "header":
		// As FastAPI's Header(convert_underscores=True): user_agent is the
		// User-Agent header; with the "raw" option (convert_underscores=False)
		// the name is used as it is.
		if !hasTagOption(tagOpts, "raw") {
			mf.name = strings.ReplaceAll(mf.name, "_", "-")
		}
		mf.key = textproto.CanonicalMIMEHeaderKey(mf.name)
	}
	def, hasDef := f.Tag.Lookup("default")
	if hasDef {
		mf.def = tagValues(dec, shape, f.Type, fieldWhere, "default", def)
	}
	mf.required = mf.source == "path" || (!hasDef && shape == decode.Scalar)
	example, hasExample := f.Tag.Lookup("example")
	if hasExample {
		tagValues(dec, shape, f.Type, fieldWhere, "example", example)
	}
	c.addParam(openapi.Param{
		Name: mf.name, In: mf.source, Type: f.Type, Required: mf.required,
		Default: def, HasDefault: hasDef, Validate: f.Tag.Get("validate"), Description: f.Tag.Get("doc"),
		Example: example, HasExample: hasExample,
	})
	return mf, true
}

// hasTagOption reports whether the comma-separated options of a tag hold opt.
func hasTagOption(opts, opt string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if strings.TrimSpace(o) == opt {
			return true
		}
	}
	return false
}

// bindField fills one request-model field at p.
func (st *reqState) bindField(f *modelField, p unsafe.Pointer, r *http.Request) bool {
	var vals []string
	switch f.source {
	case "path":
		st.one[0] = st.pathValue(f.pathIdx)
		vals = st.one[:]
	case "query":
		vals = st.queryValues(r, f.name)
	case "header":
		vals = r.Header[f.key]
	case "cookie":
		if v, ok := st.cookie(r, f.name); ok {
			st.one[0] = v
			vals = st.one[:]
		}
	case "form":
		return st.bindFormField(f, p, r)
	}
	if len(vals) == 0 {
		switch {
		case f.def != nil:
			return f.decode(f.def, p) == nil
		case f.required:
			st.addItem(problem.Missing(nil, f.source, f.name))
			return false
		}
		return true
	}
	return st.decodeValues(f, vals, p)
}

// decodeValues decodes a field's wire values into p, reporting each value
// that does not decode.
func (st *reqState) decodeValues(f *modelField, vals []string, p unsafe.Pointer) bool {
	if err := f.decode(vals, p); err != nil {
		src := f.locSource()
		var de *decode.Error
		if !errors.As(err, &de) || de.Index < 0 {
			st.addDecodeError(err, vals[len(vals)-1], src, f.name)
			return false
		}
		// A slice reports each bad element at its index, as pydantic.
		for _, e := range append([]*decode.Error{de}, de.More...) {
			if e.Index < len(vals) {
				st.addDecodeError(e, vals[e.Index], src, f.name, e.Index)
			}
		}
		st.omitted += de.Omitted
		return false
	}
	return true
}

// rawInput is the wire text of a model field, which pydantic reports as the
// input of a failed rule on a parameter ("1000", not 1000).
func (st *reqState) rawInput(f *modelField, r *http.Request) (string, bool) {
	var vals []string
	switch f.source {
	case "path":
		return st.pathValue(f.pathIdx), true
	case "query":
		vals = st.queryValues(r, f.name)
	case "header":
		vals = r.Header[f.key]
	case "cookie":
		return st.cookie(r, f.name)
	case "form":
		vals = st.formValues(f.name)
	}
	if len(vals) == 0 {
		return "", false
	}
	return vals[len(vals)-1], true
}

// tagValues is a default or example tag's text as the request values it
// stands for: the text, or for a slice its comma-separated items (an empty
// text is an empty list, as FastAPI's q: list = []). It is decoded now, as
// a request's values would be, so that a tag the field's type cannot hold
// panics at registration, naming the field.
func tagValues(dec decode.Func, shape decode.Shape, t reflect.Type, where, tag, text string) []string {
	vals := []string{text}
	if shape == decode.Slice {
		vals = []string{}
		if text != "" {
			vals = strings.Split(text, ",")
		}
	}
	if err := dec(vals, reflect.New(t).UnsafePointer()); err != nil {
		panic(fmt.Sprintf("brisk: %s: %s %q: %v", where, tag, text, err))
	}
	return vals
}
