// JSON Schemas of Go types: the Schema object, the generator that collects
// component types, and the schemas of special types (time, bytes, uuid).

package openapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/jsonfields"
)

// Schema is a JSON Schema (draft 2020-12, as OpenAPI 3.1 uses it). Only the
// keywords Brisk emits are present; the field order is the order they appear
// in the document.
type Schema struct {
	Title                string      `json:"title,omitempty"`
	Ref                  string      `json:"$ref,omitempty"`
	AnyOf                []*Schema   `json:"anyOf,omitempty"`
	AllOf                []*Schema   `json:"allOf,omitempty"`
	Type                 any         `json:"type,omitempty"` // a string, or []string for nullable types
	Format               string      `json:"format,omitempty"`
	ContentEncoding      string      `json:"contentEncoding,omitempty"`
	ContentMediaType     string      `json:"contentMediaType,omitempty"`
	ContentSchema        *Schema     `json:"contentSchema,omitempty"`
	Items                *Schema     `json:"items,omitempty"`
	Properties           *Properties `json:"properties,omitempty"`
	AdditionalProperties *Schema     `json:"additionalProperties,omitempty"`
	Required             []string    `json:"required,omitempty"`
	Enum                 []any       `json:"enum,omitempty"`
	Const                any         `json:"const,omitempty"`
	Pattern              string      `json:"pattern,omitempty"`
	MinLength            *int        `json:"minLength,omitempty"`
	MaxLength            *int        `json:"maxLength,omitempty"`
	Minimum              json.Number `json:"minimum,omitempty"`
	ExclusiveMinimum     json.Number `json:"exclusiveMinimum,omitempty"`
	Maximum              json.Number `json:"maximum,omitempty"`
	ExclusiveMaximum     json.Number `json:"exclusiveMaximum,omitempty"`
	MinItems             *int        `json:"minItems,omitempty"`
	MaxItems             *int        `json:"maxItems,omitempty"`
	UniqueItems          bool        `json:"uniqueItems,omitempty"`
	MinProperties        *int        `json:"minProperties,omitempty"`
	MaxProperties        *int        `json:"maxProperties,omitempty"`
	Default              any         `json:"default,omitempty"`
	Description          string      `json:"description,omitempty"`
	Examples             []any       `json:"examples,omitempty"`
}

// Properties is a JSON object of named schemas that keeps insertion order
// (struct field order), so documents are stable and read like the Go code.
type Properties struct {
	ordered[*Schema]
}

// Set adds or replaces the schema of a property; a new name goes last.
func (p *Properties) Set(name string, s *Schema) { p.set(name, s) }

// Marshal is json.Marshal without HTML escaping, so descriptions keep their
// "<", ">" and "&": how every part of the document is written.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

const refPrefix = "#/components/schemas/"

// Names of the built-in components; a user type with one of these names is
// package-qualified.
const (
	httpValidationErrorName = "HTTPValidationError"
	validationErrorName     = "ValidationError"
	httpErrorName           = "HTTPError"
	// problemName is brisk.Problem's component, reserved only in a
	// document that uses it (see generator.problem).
	problemName = "ProblemDetails"
)

// implements reports whether t or *t implements iface.
func implements(t, iface reflect.Type) bool {
	if t.Implements(iface) {
		return true
	}
	return t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface)
}

// special returns the schema of types that encoding/json does not write by
// their kind: well-known types and types with their own (text) marshalling.
// A type with its own JSON marshalling has an unknown shape: {}.
func special(t reflect.Type) (*Schema, bool) {
	switch t {
	case reflect.TypeFor[time.Time]():
		return &Schema{Type: "string", Format: "date-time"}, true
	case reflect.TypeFor[time.Duration]():
		return &Schema{Type: "number"}, true // seconds, as Brisk reads and writes it
	case reflect.TypeFor[json.RawMessage]():
		return &Schema{}, true
	case reflect.TypeFor[json.Number]():
		return &Schema{Type: "number"}, true
	}
	jsonMarshaler := reflect.TypeFor[json.Marshaler]()
	textMarshaler := reflect.TypeFor[encoding.TextMarshaler]()
	if t.Kind() == reflect.Interface {
		return &Schema{}, true
	}
	if implements(t, jsonMarshaler) || implements(t, reflect.TypeFor[json.Unmarshaler]()) {
		return &Schema{}, true
	}
	if implements(t, textMarshaler) || implements(t, reflect.TypeFor[encoding.TextUnmarshaler]()) {
		if decode.IsUUID(t) {
			return &Schema{Type: "string", Format: "uuid"}, true
		}
		return &Schema{Type: "string"}, true
	}
	if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 && !implements(t.Elem(), jsonMarshaler) && !implements(t.Elem(), textMarshaler) {
		return &Schema{Type: "string", ContentEncoding: "base64"}, true
	}
	return nil, false
}

// isComponent reports whether t gets its own entry under
// components/schemas: a named struct type without special marshalling.
func isComponent(t reflect.Type) bool {
	if t.Kind() != reflect.Struct || t.Name() == "" {
		return false
	}
	_, sp := special(t)
	return !sp
}

// generator turns Go types into schemas, sharing one set of components.
type generator struct {
	names      map[reflect.Type]string // component name of each named struct
	components map[string]*Schema
	seen       map[reflect.Type]bool // structs collect has walked
	order      []reflect.Type        // the named structs collect found
	problem    string                // the problem details component's name
}

func newGenerator() *generator {
	return &generator{
		names:      map[reflect.Type]string{},
		components: map[string]*Schema{},
		seen:       map[reflect.Type]bool{},
	}
}

// collect walks t and records every named struct type it reaches, so that
// component names can be chosen knowing all of them.
func (g *generator) collect(t reflect.Type) {
	if t == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if _, ok := special(t); ok {
		return
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		g.collect(t.Elem())
	case reflect.Struct:
		if g.seen[t] {
			return
		}
		g.seen[t] = true
		if isComponent(t) {
			g.order = append(g.order, t)
		}
		fields, _ := jsonfields.Of(t)
		for _, f := range fields {
			g.collect(f.Type)
		}
	}
}

// schema returns the schema of a value of type t, with the validate rules
// applied (rules after "dive" go to the elements). A pointer is nullable
// unless its rules say "required" (null fails validation then).
func (g *generator) schema(t reflect.Type, rules []string) (*Schema, error) {
	here, dive := splitDive(rules)
	if t.Kind() == reflect.Pointer {
		inner, err := g.schema(t.Elem(), rules)
		if err != nil || hasRule(here, "required") {
			return inner, err
		}
		return nullable(inner), nil
	}
	s, err := g.base(t, dive)
	if err != nil {
		return nil, err
	}
	if err := applyRules(s, t, here); err != nil {
		return nil, err
	}
	return s, nil
}

// base is the schema of t (not a pointer) before its own validate rules;
// dive holds the rules for its elements.
func (g *generator) base(t reflect.Type, dive []string) (*Schema, error) {
	if s, ok := special(t); ok {
		return s, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return &Schema{Type: "boolean"}, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return integerSchema(t), nil
	case reflect.Float32:
		return &Schema{Type: "number", Format: "float"}, nil
	case reflect.Float64:
		return &Schema{Type: "number", Format: "double"}, nil
	case reflect.String:
		return &Schema{Type: "string"}, nil
	case reflect.Slice, reflect.Array:
		items, err := g.schema(t.Elem(), dive)
		if err != nil {
			return nil, err
		}
		s := &Schema{Type: "array", Items: items}
		if t.Kind() == reflect.Array {
			n := t.Len()
			s.MinItems, s.MaxItems = &n, &n
		}
		return s, nil
	case reflect.Map:
		if err := checkMapKey(t); err != nil {
			return nil, err
		}
		values, err := g.schema(t.Elem(), skipKeys(dive))
		if err != nil {
			return nil, err
		}
		return &Schema{Type: "object", AdditionalProperties: values}, nil
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		return g.ref(t)
	}
	return nil, fmt.Errorf("openapi: type %s cannot be written as JSON", t)
}

func checkMapKey(t reflect.Type) error {
	k := t.Key()
	switch k.Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return nil
	}
	if implements(k, reflect.TypeFor[encoding.TextMarshaler]()) {
		return nil
	}
	return fmt.Errorf("openapi: map key type %s of %s cannot be written as JSON", k, t)
}

// ref returns a $ref to the component of the named struct t, building the
// component the first time (a placeholder goes in first, so recursive
// types end at the $ref).
func (g *generator) ref(t reflect.Type) (*Schema, error) {
	name, ok := g.names[t]
	if !ok {
		return nil, fmt.Errorf("openapi: internal error: type %s was not collected", t)
	}
	if _, built := g.components[name]; !built {
		g.components[name] = &Schema{} // placeholder while building
		obj, err := g.object(t)
		if err != nil {
			return nil, err
		}
		g.components[name] = obj
	}
	return &Schema{Ref: refPrefix + name}, nil
}

// object is the inline object schema of struct t's JSON fields.
func (g *generator) object(t reflect.Type) (*Schema, error) {
	s := &Schema{Type: "object", Properties: &Properties{}}
	fields, _ := jsonfields.Of(t)
	for _, f := range fields {
		sf := f.StructField
		rules := parseRules(sf.Tag.Get("validate"))
		here, _ := splitDive(rules)
		ruleRequired := hasRule(here, "required")
		var fs *Schema
		var err error
		if f.Quoted {
			fs = &Schema{Type: "string"}
			if f.Type.Kind() == reflect.Pointer {
				fs = nullable(fs)
			}
		} else {
			fs, err = g.schema(f.Type, rules)
			if err != nil {
				return nil, fmt.Errorf("%w (field %s.%s)", err, t, sf.Name)
			}
		}
		def, hasDef := sf.Tag.Lookup("default")
		if hasDef {
			v, err := fieldDefault(f, def, fs)
			if err != nil {
				return nil, fmt.Errorf("openapi: field %s.%s: %w", t, sf.Name, err)
			}
			fs = withExtra(fs, v, "")
		}
		if doc := sf.Tag.Get("doc"); doc != "" {
			fs = withExtra(fs, nil, doc)
		}
		if ex, ok := sf.Tag.Lookup("example"); ok {
			v, err := fieldDefault(f, ex, fs) // read as the default is
			if err != nil {
				return nil, fmt.Errorf("openapi: field %s.%s: %w", t, sf.Name, err)
			}
			fs = withExamples(fs, v)
		}
		s.Properties.Set(f.Name, fs)
		if ruleRequired || (!hasDef && !f.OmitEmpty && !f.OmitZero && !f.ViaPointer && !optionalKind(f.Type)) {
			s.Required = append(s.Required, f.Name)
		}
	}
	return s, nil
}

// sourceTags are the struct tags that bind a request-model field to a part
// of the request other than the JSON body. Such a field's `default` (and
// `example`) is read as that parameter's is, even where the struct is also
// written as JSON (a handler may return its request model).
var sourceTags = []string{"path", "query", "header", "cookie", "form"}

// isParamField reports whether f carries a source tag.
func isParamField(f jsonfields.Field) bool {
	for _, tag := range sourceTags {
		if _, ok := f.StructField.Tag.Lookup(tag); ok {
			return true
		}
	}
	return false
}

// fieldDefault is the JSON value of a field's `default:"…"` tag: read as a
// parameter's when the field is one (a slice's default is comma-separated),
// else as Brisk's JSON body decoder reads it.
func fieldDefault(f jsonfields.Field, text string, fs *Schema) (any, error) {
	if isParamField(f) {
		if _, _, ok := decode.For(f.Type); ok {
			return paramDefault(f.Type, text, fs)
		}
	}
	v, err := jsonDefault(f.Type, text)
	if err != nil {
		return nil, err
	}
	if f.Quoted { // ",string": the value is written inside a string
		q, err := Marshal(string(v))
		return json.RawMessage(q), err
	}
	return v, nil
}

// optionalKind reports the kinds whose JSON fields are optional by default.
func optionalKind(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	}
	return false
}

// withExtra sets a default and/or a description on s. A $ref is copied
// first: the $ref schema object may be shared.
func withExtra(s *Schema, def any, desc string) *Schema {
	c := *s
	if def != nil {
		c.Default = def
	}
	if desc != "" {
		c.Description = desc
	}
	return &c
}

// nullable makes s also accept null: a type array for inline schemas,
// anyOf with {"type":"null"} for $refs and schemas without a single type.
func nullable(s *Schema) *Schema {
	if typ, ok := s.Type.(string); ok && s.Ref == "" && s.Const == nil {
		c := *s
		c.Type = []string{typ, "null"}
		if c.Enum != nil {
			c.Enum = append(append([]any(nil), c.Enum...), nil)
		}
		return &c
	}
	if s.Type == nil && s.Ref == "" && s.AnyOf == nil && s.AllOf == nil && s.Enum == nil && s.Const == nil {
		return s // {} already accepts null
	}
	if _, ok := s.Type.([]string); ok {
		return s // already nullable
	}
	return &Schema{AnyOf: []*Schema{s, {Type: "null"}}}
}

// integerSchema is the schema of an integer kind: the OpenAPI format that
// holds it (so generated clients pick a wide enough type), and the bounds
// of the narrow kinds, which Brisk enforces when it reads them.
func integerSchema(t reflect.Type) *Schema {
	s := &Schema{Type: "integer"}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		s.Format = "int64"
	case reflect.Int32:
		s.Format = "int32"
	case reflect.Int8, reflect.Int16:
		s.Format = "int32"
		s.Minimum = json.Number(strconv.FormatInt(-1<<(t.Bits()-1), 10))
		s.Maximum = json.Number(strconv.FormatInt(1<<(t.Bits()-1)-1, 10))
	case reflect.Uint8, reflect.Uint16:
		s.Format = "int32"
		s.Minimum, s.Maximum = "0", json.Number(strconv.FormatUint(1<<t.Bits()-1, 10))
	case reflect.Uint32:
		s.Format = "int64"
		s.Minimum, s.Maximum = "0", json.Number(strconv.FormatUint(1<<t.Bits()-1, 10))
	default: // uint, uint64, uintptr: wider than int64, no format holds them
		s.Minimum = "0"
	}
	return s
}
