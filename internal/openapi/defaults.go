// Default values in the document: a field's default tag read as the body
// decoder and the parameter decoder read it.

package openapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/jsonwrite"
)

// jsonDefault is the JSON value of a body field's `default:"…"` tag, read
// as Brisk's JSON body decoder reads it: for string types the text itself;
// for types with their own unmarshalling (and time.Time) the text as JSON,
// else as a string; for the rest the text as JSON. The result is the
// decoded Go value written back by encoding/json, so `default:"10"` on an
// int is 10 and on a string "10".
func jsonDefault(t reflect.Type, text string) (json.RawMessage, error) {
	base := deref(t)
	if base == reflect.TypeFor[time.Duration]() {
		// As the body decoder reads it: pydantic's timedelta (a number is
		// seconds), written in seconds.
		d, e := decode.ParseDuration(text)
		if e != nil {
			return nil, fmt.Errorf("default %q is not a valid %s: %v", text, t, e)
		}
		return jsonwrite.AppendSeconds(nil, d), nil
	}
	quoted, err := json.Marshal(text)
	if err != nil {
		return nil, err
	}
	var candidates [][]byte
	_, sp := special(base)
	switch {
	case base == reflect.TypeFor[json.Number]() || (base.Kind() == reflect.String && !sp):
		candidates = [][]byte{quoted}
	case sp && base != reflect.TypeFor[json.RawMessage]() && base.Kind() != reflect.Interface:
		candidates = [][]byte{[]byte(text), quoted}
	default:
		candidates = [][]byte{[]byte(text)}
	}
	var firstErr error
	for _, c := range candidates {
		v := reflect.New(t)
		err := json.Unmarshal(c, v.Interface())
		if err == nil {
			return jsonwrite.Marshal(v.Elem().Interface())
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return nil, fmt.Errorf("default %q is not a valid %s: %v", text, t, firstErr)
}

// paramDefault is the JSON value of a parameter's `default:"…"` tag, read
// as Brisk reads parameters (a slice's default is comma-separated). When
// the parameter's schema is a string (strings, times, durations, text
// types), the value is the text as written; otherwise the decoded number or
// boolean ("1_000" → 1000, "yes" → true).
func paramDefault(t reflect.Type, text string, s *Schema) (any, error) {
	fn, shape, ok := decode.For(t)
	if !ok {
		return nil, fmt.Errorf("default %q: %s is not a parameter type", text, t)
	}
	vals := []string{text}
	if shape == decode.Slice {
		vals = strings.Split(text, ",")
	}
	v := reflect.New(t)
	if err := fn(vals, v.UnsafePointer()); err != nil {
		return nil, fmt.Errorf("default %q is not a valid %s: %v", text, t, err)
	}
	scalar := s
	if shape == decode.Slice && s.Items != nil {
		scalar = s.Items
	}
	if scalar.Type == "string" {
		if shape == decode.Slice {
			return vals, nil
		}
		return text, nil
	}
	b, err := Marshal(v.Elem().Interface())
	return json.RawMessage(b), err
}
