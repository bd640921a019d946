// Package jsonbody decodes a JSON request body into a handler's Go type and
// reports what is wrong with it in FastAPI's (pydantic v2's) error shapes.
//
// Everything that depends on the type is worked out once, by [Compile]. On a
// valid body, [Decoder.Decode] runs encoding/json once and then, only for
// types that have required fields or defaults somewhere, one pass over the
// bytes that notes which object keys are present and writes the defaults of
// absent ones; that pass allocates nothing (except for maps whose values
// have defaults) and visits each byte once, however deep the body. A body
// that is wrong is walked again beside the compiled type to list every
// problem, with pydantic's types, messages and inputs, in pydantic's order
// (a struct's fields in declaration order; list elements and map members
// in body order).
//
// The rules, and where they differ from pydantic:
//
//   - A struct field is required when its type is not a pointer, slice, map
//     or interface, its json tag has neither omitempty nor omitzero, and it
//     has no default tag. A required field that is absent is
//     {"type":"missing","msg":"Field required"} with the enclosing object as
//     input. Fields promoted from embedded structs, keys matched
//     case-insensitively and escaped keys count exactly as encoding/json
//     counts them; the loc names the field by its JSON name.
//   - A required field sent as null is a type error (pydantic's, e.g.
//     "int_type" with input null), since encoding/json would silently leave
//     the zero value. So is null for a list element or map value whose type
//     is a struct with required fields or defaults inside (pydantic's
//     "model_attributes_type"). Elsewhere null is what encoding/json makes
//     of it: nil for pointers, slices, maps and interfaces, and no change
//     otherwise (so a field with a default keeps its default, unless its
//     type is nullable, where null means nil).
//   - `default:"…"` applies when the key is absent: for string types (and
//     types with UnmarshalText that reject the text as JSON) the raw text,
//     otherwise the text as JSON. Defaults are parsed by Compile, with the
//     defaults of their own fields applied, and copied afresh into each
//     decoded value. A value of a type with its own UnmarshalJSON or
//     UnmarshalText is copied shallowly (time.Time is safe).
//   - Duplicate keys: the last occurrence decides presence and defaults, as
//     in pydantic, and every occurrence's type errors are reported (each
//     loc once). The decoded Go value is otherwise encoding/json's, which
//     merges repeated objects into one value. When a repeated key's value
//     has defaults inside, the body is decoded a second time to get this
//     right: only bodies with such duplicates pay for it. A key repeated
//     many times costs memory for its bytes, not per occurrence: an
//     error's input is built once per loc, and an object's members are
//     indexed by one word each.
//   - Scalars convert as in pydantic's (default) lax mode: a number in a
//     string ("50.5", " 42 ") is a number for int and float fields, an
//     integral float (42.0, 1e3) an int, and pydantic's boolean strings
//     ("true", "yes", "off", …) and the numbers 0 and 1 a bool. encoding/json
//     refuses these, so a body holding one is decoded a second time with
//     them rewritten as plain literals; errors found then show the rewritten
//     values as input. Strings stay strict: a number is not a string. A
//     string that is not a number at all is "int_parsing"/"float_parsing",
//     a fractional float for an int "int_from_float". An integer out of the
//     Go type's range is "less_than_equal"/"greater_than_equal" with the
//     bound in ctx; a float out of range is "finite_number".
//   - time.Duration reads as pydantic's timedelta, not encoding/json's
//     nanoseconds: a number is seconds, a string any format of the decode
//     package's ParseDuration ("PT5M", "00:05:00", "5m", "300"). Every body
//     of a type holding one is rewritten (durations as nanoseconds) before
//     encoding/json decodes it. Errors are "time_delta_parsing" (ctx.error
//     the reason) and, for other JSON types, "time_delta_type".
//   - Unknown keys are ignored. Numbers decoded into interface{} values are
//     float64 (encoding/json's default); the "input" of an error keeps the
//     number exactly as sent (json.Number).
//   - Malformed JSON is one "json_invalid" item at ["body", byte offset]
//     with the reason Python's json module gives in ctx.error (offsets are
//     bytes, where Python counts characters).
//   - The detail of one report is bounded (about 1 MiB plus twice the body,
//     counting inputs and locs): pydantic's shape lets a small deeply nested
//     body produce a huge list (each nested missing field carries its
//     enclosing object). Past the bound the remaining problems are dropped.
package jsonbody

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/briskgo/brisk/internal/problem"
)

// Decoder decodes JSON bodies into one Go type; compiled once per handler
// parameter. It is safe for concurrent use.
type Decoder struct {
	typ      reflect.Type // the compiled type t
	ptrType  reflect.Type // *t, the type Decode's dst must have
	root     *node
	required bool
	// durations: the type holds a time.Duration somewhere, whose JSON
	// (seconds, or pydantic's and Go's duration strings) encoding/json
	// would misread, so every body is rewritten before it is decoded.
	durations bool
}

// Compile prepares a decoder for t (struct, pointer to struct, map, slice,
// or any type encoding/json can decode into). It returns an error for types
// JSON cannot decode (chan, func, complex, non-empty interfaces, maps with
// keys JSON cannot name), for fields encoding/json could not set, and for
// default tags whose text does not decode into the field.
func Compile(t reflect.Type) (*Decoder, error) {
	if t == nil {
		return nil, errors.New("jsonbody: nil type")
	}
	c := newCompiler()
	root, err := c.compile(t)
	if err != nil {
		return nil, err
	}
	d := &Decoder{
		typ:      t,
		ptrType:  reflect.PointerTo(t),
		root:     root,
		required: t.Kind() != reflect.Pointer,
	}
	for _, n := range c.order {
		if n.kind == kindDuration {
			d.durations = true
		}
	}
	return d, nil
}

// Type returns the type the decoder was compiled for.
func (d *Decoder) Type() reflect.Type { return d.typ }

// Required reports whether an empty body is an error (t is not a pointer).
func (d *Decoder) Required() bool { return d.required }

// Decode unmarshals data into dst (a non-nil pointer to a value of the
// compiled type t — i.e. reflect.New(t).Interface()) and reports every
// problem it can find, each with loc beginning with "body".
//
// An empty body (len(data)==0 or only whitespace), and a JSON null, are
// one problem.Missing(nil, "body") for a required body; for an optional
// one they are no problem, and dst is left untouched (empty) or set to nil
// (null). Decode panics if dst is not a *t: that is a programming error.
//
// When Decode reports problems, dst holds whatever encoding/json made of
// the body and should be discarded.
func (d *Decoder) Decode(data []byte, dst any) []problem.Item {
	if reflect.TypeOf(dst) != d.ptrType || reflect.ValueOf(dst).IsNil() {
		panic(fmt.Sprintf("jsonbody: Decode into %T(%v), want a non-nil %v", dst, dst, d.ptrType))
	}
	return d.decode(data, dst, true, nil)
}

// decode is Decode; lax allows one retry with the scalars that pydantic's
// lax mode converts rewritten (orig then holds the values as sent).
func (d *Decoder) decode(data []byte, dst any, lax bool, orig map[int][]byte) []problem.Item {
	start := skipSpace(data, 0)
	if start == len(data) {
		if d.required {
			return []problem.Item{problem.Missing(nil, "body")}
		}
		return nil
	}
	err := json.Unmarshal(data, dst)
	if se, ok := err.(*json.SyntaxError); ok {
		return []problem.Item{syntaxItem(data, se)}
	}
	if data[start] == 'n' { // a valid body that starts with n is null
		if d.required {
			return []problem.Item{problem.Missing(nil, "body")}
		}
		if err == nil {
			return nil
		}
	}
	// The index of the body's containers, built once for the walks below.
	var sp *spans
	spansOf := func() *spans {
		if sp == nil {
			sp = buildSpans(data)
		}
		return sp
	}
	if lax && d.durations {
		// Durations are rewritten as nanoseconds, with the lax scalars.
		if fixed, orig := coerce(d.root, data, spansOf(), start); fixed != nil {
			reflect.ValueOf(dst).Elem().SetZero()
			return d.decode(fixed, dst, false, orig)
		}
	}
	if err == nil {
		if !d.root.needScan {
			return nil
		}
		p := reflect.ValueOf(dst).UnsafePointer()
		if !d.root.needApply {
			p = nil
		}
		if scanBody(d.root, data, start, dst, p) {
			return nil
		}
	}
	if err != nil && lax {
		if fixed, orig := coerce(d.root, data, spansOf(), start); fixed != nil {
			reflect.ValueOf(dst).Elem().SetZero()
			return d.decode(fixed, dst, false, orig)
		}
	}
	return report(d.root, data, spansOf(), start, err, orig)
}
