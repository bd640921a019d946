// Package jsonwrite writes Go values as JSON the way Brisk sends them:
// encoding/json's output, byte for byte (without HTML escaping, as FastAPI's
// JSONResponse), except where encoding/json writes what the OpenAPI document
// cannot honestly describe:
//
//   - a nil slice is [] and a nil map {} (a nil []byte is ""), so a list or
//     object in the document is never null: generated clients need no
//     "| null" and `item.tags.length` works. Nil pointers and interfaces
//     stay null; the document marks them nullable.
//   - a time.Duration is a number of seconds ("1.5"), exactly (to the
//     nanosecond), which is what Brisk reads in bodies (pydantic's
//     timedelta), not encoding/json's nanoseconds.
//
// Types with their own MarshalJSON or MarshalText are written by those
// methods, as encoding/json does; what they write is theirs.
package jsonwrite

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/briskgo/brisk/internal/jsonfields"
)

// Encoder writes JSON into a buffer it reuses. It is not safe for
// concurrent use; the zero value is ready.
type Encoder struct {
	e encodeState
}

// Encode returns v as JSON. The bytes are valid until the next call.
func (enc *Encoder) Encode(v any) ([]byte, error) { return enc.EncodeValue(reflect.ValueOf(v)) }

// EncodeValue is Encode for a reflect.Value: a value a caller holds as one
// (an iterator's item) is written without boxing it in an interface.
func (enc *Encoder) EncodeValue(v reflect.Value) ([]byte, error) {
	enc.e.buf = enc.e.buf[:0]
	if err := enc.e.marshalValue(v); err != nil {
		return nil, err
	}
	return enc.e.buf, nil
}

// Marshal returns v as JSON in a new slice.
func Marshal(v any) ([]byte, error) {
	var e encodeState
	if err := e.marshal(v); err != nil {
		return nil, err
	}
	return e.buf, nil
}

// AppendSeconds appends d as a JSON number of seconds, exact to the
// nanosecond and without trailing zeros ("90", "1.5", "-0.000000001").
func AppendSeconds(b []byte, d time.Duration) []byte {
	n := uint64(d)
	if d < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendUint(b, n/1e9, 10)
	if frac := n % 1e9; frac != 0 {
		var digits [10]byte
		s := strconv.AppendUint(digits[:0], frac+1e9, 10)[1:] // nine digits, zero-padded
		b = append(b, '.')
		b = append(b, bytes.TrimRight(s, "0")...)
	}
	return b
}

type encodeState struct {
	buf      []byte
	scratch  bytes.Buffer // MarshalJSON output, compacted
	ptrLevel uint
	ptrSeen  map[any]struct{}
}

// jsonError wraps an encoding error, so marshal can tell it from a panic of
// user code (which goes on up, as in encoding/json).
type jsonError struct{ error }

func (e *encodeState) fail(err error) { panic(jsonError{err}) }

func (e *encodeState) marshal(v any) error { return e.marshalValue(reflect.ValueOf(v)) }

func (e *encodeState) marshalValue(v reflect.Value) (err error) {
	defer func() {
		if r := recover(); r != nil {
			je, ok := r.(jsonError)
			if !ok {
				panic(r)
			}
			err = je.error
		}
	}()
	e.ptrLevel = 0
	clear(e.ptrSeen)
	e.value(v, false)
	return nil
}

func (e *encodeState) value(v reflect.Value, quoted bool) {
	if !v.IsValid() {
		e.buf = append(e.buf, "null"...)
		return
	}
	typeEncoder(v.Type())(e, v, quoted)
}

// encoderFunc writes v; quoted is the ",string" option of the field.
type encoderFunc func(e *encodeState, v reflect.Value, quoted bool)

var encoderCache sync.Map // reflect.Type → encoderFunc

// typeEncoder returns t's encoder, building it once; a recursive type
// waits for its own encoder through an indirection, as in encoding/json.
func typeEncoder(t reflect.Type) encoderFunc {
	if f, ok := encoderCache.Load(t); ok {
		return f.(encoderFunc)
	}
	var (
		wg sync.WaitGroup
		f  encoderFunc
	)
	wg.Add(1)
	fi, loaded := encoderCache.LoadOrStore(t, encoderFunc(func(e *encodeState, v reflect.Value, quoted bool) {
		wg.Wait()
		f(e, v, quoted)
	}))
	if loaded {
		return fi.(encoderFunc)
	}
	f = newTypeEncoder(t, true)
	wg.Done()
	encoderCache.Store(t, f)
	return f
}

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	durationType      = reflect.TypeFor[time.Duration]()
	numberType        = reflect.TypeFor[json.Number]()
)

// newTypeEncoder is encoding/json's choice of encoder, with the two
// differences of the package doc. allowAddr: pointer-receiver marshalers
// are used when the value is addressable.
func newTypeEncoder(t reflect.Type, allowAddr bool) encoderFunc {
	if t.Kind() != reflect.Pointer && allowAddr && reflect.PointerTo(t).Implements(marshalerType) {
		return condAddrEncoder(addrMarshalerEncoder, newTypeEncoder(t, false))
	}
	if t.Implements(marshalerType) {
		return marshalerEncoder
	}
	if t.Kind() != reflect.Pointer && allowAddr && reflect.PointerTo(t).Implements(textMarshalerType) {
		return condAddrEncoder(addrTextMarshalerEncoder, newTypeEncoder(t, false))
	}
	if t.Implements(textMarshalerType) {
		return textMarshalerEncoder
	}
	if t == durationType {
		return durationEncoder
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolEncoder
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intEncoder
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintEncoder
	case reflect.Float32:
		return floatEncoder(32)
	case reflect.Float64:
		return floatEncoder(64)
	case reflect.String:
		if t == numberType {
			return numberEncoder
		}
		return stringEncoder
	case reflect.Interface:
		return interfaceEncoder
	case reflect.Struct:
		return newStructEncoder(t)
	case reflect.Map:
		return newMapEncoder(t)
	case reflect.Slice:
		return newSliceEncoder(t)
	case reflect.Array:
		return newArrayEncoder(t)
	case reflect.Pointer:
		return newPtrEncoder(t)
	}
	return func(e *encodeState, v reflect.Value, _ bool) {
		e.fail(&json.UnsupportedTypeError{Type: v.Type()})
	}
}

func condAddrEncoder(canAddr, other encoderFunc) encoderFunc {
	return func(e *encodeState, v reflect.Value, quoted bool) {
		if v.CanAddr() {
			canAddr(e, v, quoted)
		} else {
			other(e, v, quoted)
		}
	}
}

// viaInterface encodes a value through the interface M its type
// implements, with write; a nil pointer, or a value whose dynamic type does
// not implement M, is null (as in encoding/json).
func viaInterface[M any](write func(*encodeState, reflect.Type, M)) encoderFunc {
	return func(e *encodeState, v reflect.Value, _ bool) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return
		}
		m, ok := v.Interface().(M)
		if !ok {
			e.buf = append(e.buf, "null"...)
			return
		}
		write(e, v.Type(), m)
	}
}

var (
	marshalerEncoder     = viaInterface((*encodeState).writeMarshaled)
	textMarshalerEncoder = viaInterface((*encodeState).writeText)
)

func addrMarshalerEncoder(e *encodeState, v reflect.Value, _ bool) {
	e.writeMarshaled(v.Type(), v.Addr().Interface().(json.Marshaler))
}

func (e *encodeState) writeMarshaled(t reflect.Type, m json.Marshaler) {
	b, err := m.MarshalJSON()
	if err == nil {
		e.scratch.Reset()
		err = json.Compact(&e.scratch, b)
	}
	if err != nil {
		e.fail(&json.MarshalerError{Type: t, Err: err})
	}
	e.buf = append(e.buf, e.scratch.Bytes()...)
}

func addrTextMarshalerEncoder(e *encodeState, v reflect.Value, _ bool) {
	e.writeText(v.Type(), v.Addr().Interface().(encoding.TextMarshaler))
}

func (e *encodeState) writeText(t reflect.Type, m encoding.TextMarshaler) {
	b, err := m.MarshalText()
	if err != nil {
		e.fail(&json.MarshalerError{Type: t, Err: err})
	}
	e.buf = appendString(e.buf, b)
}

func durationEncoder(e *encodeState, v reflect.Value, quoted bool) {
	if quoted {
		e.buf = append(e.buf, '"')
	}
	e.buf = AppendSeconds(e.buf, time.Duration(v.Int()))
	if quoted {
		e.buf = append(e.buf, '"')
	}
}

func boolEncoder(e *encodeState, v reflect.Value, quoted bool) {
	if quoted {
		e.buf = append(e.buf, '"')
	}
	e.buf = strconv.AppendBool(e.buf, v.Bool())
	if quoted {
		e.buf = append(e.buf, '"')
	}
}

func intEncoder(e *encodeState, v reflect.Value, quoted bool) {
	if quoted {
		e.buf = append(e.buf, '"')
	}
	e.buf = strconv.AppendInt(e.buf, v.Int(), 10)
	if quoted {
		e.buf = append(e.buf, '"')
	}
}

func uintEncoder(e *encodeState, v reflect.Value, quoted bool) {
	if quoted {
		e.buf = append(e.buf, '"')
	}
	e.buf = strconv.AppendUint(e.buf, v.Uint(), 10)
	if quoted {
		e.buf = append(e.buf, '"')
	}
}

// floatEncoder writes floats as encoding/json does: the shortest decimal
// that reads back exactly, in exponent form only for very large and very
// small magnitudes, as ES6 does.
func floatEncoder(bits int) encoderFunc {
	return func(e *encodeState, v reflect.Value, quoted bool) {
		f := v.Float()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			e.fail(&json.UnsupportedValueError{Value: v, Str: strconv.FormatFloat(f, 'g', -1, bits)})
		}
		if quoted {
			e.buf = append(e.buf, '"')
		}
		format := byte('f')
		if abs := math.Abs(f); abs != 0 {
			if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
				format = 'e'
			}
		}
		e.buf = strconv.AppendFloat(e.buf, f, format, -1, bits)
		if format == 'e' {
			// "e-09" → "e-9"
			n := len(e.buf)
			if n >= 4 && e.buf[n-4] == 'e' && e.buf[n-3] == '-' && e.buf[n-2] == '0' {
				e.buf[n-2] = e.buf[n-1]
				e.buf = e.buf[:n-1]
			}
		}
		if quoted {
			e.buf = append(e.buf, '"')
		}
	}
}

func numberEncoder(e *encodeState, v reflect.Value, quoted bool) {
	s := v.String()
	if s == "" {
		s = "0" // as encoding/json: an empty Number is 0
	}
	if !isValidNumber(s) {
		e.fail(fmt.Errorf("json: invalid number literal %q", s))
	}
	if quoted {
		e.buf = append(e.buf, '"')
	}
	e.buf = append(e.buf, s...)
	if quoted {
		e.buf = append(e.buf, '"')
	}
}

// isValidNumber reports whether s is a JSON number literal.
func isValidNumber(s string) bool {
	digits := func() {
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	switch {
	case s == "":
		return false
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		digits()
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[1:]
		digits()
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
		}
		if s == "" || s[0] < '0' || s[0] > '9' {
			return false
		}
		digits()
	}
	return s == ""
}

func stringEncoder(e *encodeState, v reflect.Value, quoted bool) {
	if quoted {
		// ",string" on a string: the JSON string of its JSON string.
		inner := appendString(nil, v.String())
		e.buf = appendString(e.buf, inner)
		return
	}
	e.buf = appendString(e.buf, v.String())
}

func interfaceEncoder(e *encodeState, v reflect.Value, quoted bool) {
	if v.IsNil() {
		e.buf = append(e.buf, "null"...)
		return
	}
	e.value(v.Elem(), quoted)
}

// field is one struct field with its encoder and its written name.
type field struct {
	jsonfields.Field
	key    []byte // "name":
	enc    encoderFunc
	isZero func(reflect.Value) bool // omitzero: the type's IsZero, if it has one
}

type isZeroer interface{ IsZero() bool }

var isZeroerType = reflect.TypeFor[isZeroer]()

func newStructEncoder(t reflect.Type) encoderFunc {
	var fields []field
	list, _ := jsonfields.Of(t)
	for _, f := range list {
		fd := field{Field: f, enc: typeEncoder(f.Type)}
		fd.key = append(appendString(nil, f.Name), ':')
		if f.OmitZero {
			fd.isZero = zeroTest(f.Type)
		}
		fields = append(fields, fd)
	}
	return func(e *encodeState, v reflect.Value, _ bool) {
		next := byte('{')
	fieldLoop:
		for i := range fields {
			f := &fields[i]
			fv := v
			for _, j := range f.Index {
				if fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						continue fieldLoop
					}
					fv = fv.Elem()
				}
				fv = fv.Field(j)
			}
			if f.OmitEmpty && isEmptyValue(fv) || f.OmitZero && f.isZero(fv) {
				continue
			}
			e.buf = append(e.buf, next)
			next = ','
			e.buf = append(e.buf, f.key...)
			f.enc(e, fv, f.Quoted)
		}
		if next == '{' {
			e.buf = append(e.buf, '{')
		}
		e.buf = append(e.buf, '}')
	}
}

// zeroTest is encoding/json's omitzero test for t: its IsZero method if it
// has one (nil-safe), else the zero value.
func zeroTest(t reflect.Type) func(reflect.Value) bool {
	switch {
	case t.Kind() == reflect.Interface && t.Implements(isZeroerType):
		return func(v reflect.Value) bool {
			return v.IsNil() || v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() || v.Interface().(isZeroer).IsZero()
		}
	case t.Kind() == reflect.Pointer && t.Implements(isZeroerType):
		return func(v reflect.Value) bool { return v.IsNil() || v.Interface().(isZeroer).IsZero() }
	case t.Implements(isZeroerType):
		return func(v reflect.Value) bool { return v.Interface().(isZeroer).IsZero() }
	case reflect.PointerTo(t).Implements(isZeroerType):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				c := reflect.New(v.Type()).Elem()
				c.Set(v)
				v = c
			}
			return v.Addr().Interface().(isZeroer).IsZero()
		}
	}
	return reflect.Value.IsZero
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// Cycles are looked for only past this depth, as in encoding/json.
const startDetectingCyclesAfter = 1000

// see is called past that depth: a pointer, map or slice met twice on the
// way down is a cycle. The caller deletes key on its way back up.
func (e *encodeState) see(v reflect.Value, key any) {
	if e.ptrSeen == nil {
		e.ptrSeen = map[any]struct{}{}
	}
	if _, ok := e.ptrSeen[key]; ok {
		e.fail(&json.UnsupportedValueError{Value: v, Str: "encountered a cycle via " + v.Type().String()})
	}
	e.ptrSeen[key] = struct{}{}
}

func newMapEncoder(t reflect.Type) encoderFunc {
	switch t.Key().Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		if !t.Key().Implements(textMarshalerType) {
			return func(e *encodeState, v reflect.Value, _ bool) {
				e.fail(&json.UnsupportedTypeError{Type: v.Type()})
			}
		}
	}
	elem := typeEncoder(t.Elem())
	type entry struct {
		key string
		v   reflect.Value
	}
	return func(e *encodeState, v reflect.Value, _ bool) {
		if v.IsNil() || v.Len() == 0 {
			e.buf = append(e.buf, "{}"...)
			return
		}
		if e.ptrLevel++; e.ptrLevel > startDetectingCyclesAfter {
			key := any(v.UnsafePointer())
			e.see(v, key)
			defer delete(e.ptrSeen, key)
		}
		entries := make([]entry, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			k, err := keyName(it.Key())
			if err != nil {
				e.fail(&json.MarshalerError{Type: it.Key().Type(), Err: err})
			}
			entries = append(entries, entry{k, it.Value()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		e.buf = append(e.buf, '{')
		for i, en := range entries {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = appendString(e.buf, en.key)
			e.buf = append(e.buf, ':')
			elem(e, en.v, false)
		}
		e.buf = append(e.buf, '}')
		e.ptrLevel--
	}
}

// keyName is encoding/json's name of a map key.
func keyName(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", nil
		}
		b, err := tm.MarshalText()
		return string(b), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	default:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
}

func newSliceEncoder(t reflect.Type) encoderFunc {
	if t.Elem().Kind() == reflect.Uint8 {
		p := reflect.PointerTo(t.Elem())
		if !p.Implements(marshalerType) && !p.Implements(textMarshalerType) {
			return bytesEncoder
		}
	}
	array := newArrayEncoder(t)
	return func(e *encodeState, v reflect.Value, quoted bool) {
		if v.IsNil() {
			e.buf = append(e.buf, "[]"...)
			return
		}
		if e.ptrLevel++; e.ptrLevel > startDetectingCyclesAfter {
			// A slice's identity is its first element and its length.
			key := any(struct {
				ptr any
				n   int
			}{v.UnsafePointer(), v.Len()})
			e.see(v, key)
			defer delete(e.ptrSeen, key)
		}
		array(e, v, quoted)
		e.ptrLevel--
	}
}

func bytesEncoder(e *encodeState, v reflect.Value, _ bool) {
	b := v.Bytes()
	e.buf = append(e.buf, '"')
	e.buf = base64.StdEncoding.AppendEncode(e.buf, b)
	e.buf = append(e.buf, '"')
}

func newArrayEncoder(t reflect.Type) encoderFunc {
	elem := typeEncoder(t.Elem())
	return func(e *encodeState, v reflect.Value, _ bool) {
		e.buf = append(e.buf, '[')
		for i := range v.Len() {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			elem(e, v.Index(i), false)
		}
		e.buf = append(e.buf, ']')
	}
}

func newPtrEncoder(t reflect.Type) encoderFunc {
	elem := typeEncoder(t.Elem())
	return func(e *encodeState, v reflect.Value, quoted bool) {
		if v.IsNil() {
			e.buf = append(e.buf, "null"...)
			return
		}
		if e.ptrLevel++; e.ptrLevel > startDetectingCyclesAfter {
			key := any(v.UnsafePointer())
			e.see(v, key)
			defer delete(e.ptrSeen, key)
		}
		elem(e, v.Elem(), quoted)
		e.ptrLevel--
	}
}

// appendString appends s as a JSON string, escaped as encoding/json does
// without HTML escaping: quotes, backslashes and control characters, U+2028
// and U+2029; invalid UTF-8 becomes U+FFFD.
func appendString[S []byte | string](b []byte, s S) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		n := min(len(s)-i, utf8.UTFMax)
		r, size := utf8.DecodeRuneInString(string(s[i : i+n]))
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
