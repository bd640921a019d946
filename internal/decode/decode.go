// Package decode turns wire strings (path segments, query values, headers,
// cookies) into typed Go values. Decoders are chosen once per parameter at
// registration and write through unsafe pointers at request time, so the hot
// path inspects no types.
//
// # Accepted inputs
//
// Where pydantic v2 (lax mode, as FastAPI uses it for parameters) accepts a
// string, so does Brisk, and the errors carry pydantic's type, message and
// context:
//
//   - string, and named string types: the value as it is. Never fails.
//   - bool: "true"/"false", "1"/"0", "yes"/"no", "on"/"off", "t"/"f", "y"/"n",
//     case-insensitive; otherwise "bool_parsing".
//   - int and uint kinds: surrounding white space is ignored; an optional sign,
//     decimal digits with single underscores between them ("1_000"), leading
//     zeros, and a ".0…" fraction of zeros only ("3.00") are accepted, as
//     pydantic does. Otherwise "int_parsing". A well-formed integer that does
//     not fit the Go type gets pydantic's bound errors, as if the type were
//     declared with Field(ge=min, le=max): "less_than_equal" with ctx {"le":
//     max}, or "greater_than_equal" with ctx {"ge": min} (so a negative number
//     for an unsigned type is "Input should be greater than or equal to 0").
//     Context numbers are int64 (uint64 for an unsigned maximum).
//   - float32/float64: surrounding white space is ignored; decimal and
//     exponent forms, "inf"/"infinity"/"nan" (any case, signed) and single
//     underscores between digits are accepted; hexadecimal floats are not.
//     Otherwise "float_parsing". A value that is not finite — "inf", "nan",
//     or a number too large for the type ("1e400", "1e39" for a float32) —
//     is "finite_number" ("Input should be a finite number", pydantic's
//     allow_inf_nan=False), as in a JSON body: JSON cannot carry it back.
//   - time.Time: RFC 3339 / ISO 8601 as pydantic (speedate) reads it:
//     "YYYY-MM-DD", then a 'T', 't', ' ' or '_' separator, "HH:MM" with
//     optional ":SS" and a fraction ('.' or ',', any number of digits, kept to
//     the nanosecond), then an optional zone "Z", "z", "±HH:MM" or "±HHMM". A
//     date alone means midnight. Unix timestamps (an integer or decimal number
//     of seconds, or of milliseconds when its magnitude exceeds 2e10) are
//     accepted too. Values without a zone, timestamps and dates are UTC.
//     Errors are pydantic's lax-mode ones: type "datetime_from_date_parsing",
//     "Input should be a valid datetime or date, <reason>", the reason being
//     speedate's text for why the string is not a date either ("input is too
//     short", "unexpected extra characters at the end of the input", …), with
//     ctx {"error": reason}.
//   - time.Duration (exactly that type; other int64 kinds are integers):
//     pydantic's formats — ISO 8601 "P1DT2H3M4.5S" (with W, and Y = 365 days,
//     M = 30 days as in pydantic), "HH:MM[:SS[.ffffff]]", "3 days, HH:MM:SS",
//     each with an optional sign — plus Go's own syntax ("1h30m", "250ms") and
//     a plain decimal number of seconds ("30", "1.5"). Errors are
//     "time_delta_parsing", "Input should be a valid timedelta, <reason>" with
//     speedate's reason and ctx {"error": reason}.
//   - any type whose pointer implements encoding.TextUnmarshaler (checked
//     before the kinds above, after time.Time): its UnmarshalText. A failure is
//     "value_error", "Value error, <err>", ctx {"error": "<err>"}; for a UUID
//     type (IsUUID) pydantic's "uuid_parsing", "Input should be a valid
//     UUID, <err>".
//
// Pointers to those allocate the pointee when a value is present; slices of
// those take every value in order. []byte (and any slice of a uint8 kind) is
// not supported.
package decode

import (
	"encoding"
	"reflect"
	"strings"
	"time"
	"unsafe"

	"github.com/briskgo/brisk/internal/problem"
)

// Error says, in pydantic v2's terms, why a wire string could not become a value.
type Error struct {
	// Type is pydantic's error type, e.g. "int_parsing".
	Type string
	// Msg is pydantic's message, e.g. "Input should be a valid integer, unable
	// to parse string as an integer".
	Msg string
	// Ctx is pydantic's error context, or nil.
	Ctx map[string]any
	// Index is the position of the failing value among a Slice parameter's
	// values, so the caller can append it to loc; -1 for Scalar and Pointer.
	Index int
	// More holds, for a Slice parameter, the errors of the later failing
	// values (each with its Index), in order: pydantic reports every bad
	// element, so the caller should report e and then each of e.More.
	// Past problem.MaxItems errors in all, the rest are only counted, in
	// Omitted: a 422 lists no more.
	More    []*Error
	Omitted int
}

// Error returns the message.
func (e *Error) Error() string { return e.Msg }

// Shape is how a parameter's Go type holds its wire values.
type Shape int

const (
	// Scalar is a single value (the last one given).
	Scalar Shape = iota
	// Pointer is a pointer to a scalar, nil when the parameter is absent.
	Pointer
	// Slice is a slice of scalars, one per value given.
	Slice
)

// Func decodes the wire values of one parameter into the value p points to (p
// points at a value of the type given to For).
//
// Scalar and Pointer shapes use the LAST value of vals (duplicate query keys:
// last wins, as Starlette); Slice uses all, in order. len(vals) >= 1.
// On failure the error is a *Error and *p is left untouched (except that a
// failing UnmarshalText of a Scalar may have changed it).
type Func func(vals []string, p unsafe.Pointer) error

// elemFunc decodes one wire string into the value p points to, writing it only
// on success.
type elemFunc func(s string, p unsafe.Pointer) *Error

// codec is everything compiled for one scalar type.
type codec struct {
	dec       elemFunc
	alloc     func() unsafe.Pointer      // new zero value
	makeSlice func(n int) unsafe.Pointer // backing array of n zero values
	setSlice  func(p, data unsafe.Pointer, n int)
	size      uintptr
}

var (
	timeType            = reflect.TypeFor[time.Time]()
	durationType        = reflect.TypeFor[time.Duration]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// For returns the decoder for t: a scalar, a pointer to a scalar (the pointee
// is allocated when a value is present), or a slice of scalars. ok is false
// for anything else.
func For(t reflect.Type) (fn Func, shape Shape, ok bool) {
	if t == nil {
		return nil, 0, false
	}
	if c, ok := scalar(t); ok {
		return scalarFunc(c.dec), Scalar, true
	}
	switch t.Kind() {
	case reflect.Pointer:
		if c, ok := scalar(t.Elem()); ok {
			return pointerFunc(c), Pointer, true
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return nil, 0, false
		}
		if c, ok := scalar(t.Elem()); ok {
			return sliceFunc(c), Slice, true
		}
	}
	return nil, 0, false
}

// IsScalar reports whether t is a supported scalar.
func IsScalar(t reflect.Type) bool {
	if t == nil {
		return false
	}
	_, ok := scalar(t)
	return ok
}

func scalarFunc(dec elemFunc) Func {
	return func(vals []string, p unsafe.Pointer) error {
		if e := dec(vals[len(vals)-1], p); e != nil {
			return e
		}
		return nil
	}
}

func pointerFunc(c codec) Func {
	dec, alloc := c.dec, c.alloc
	return func(vals []string, p unsafe.Pointer) error {
		v := alloc()
		if e := dec(vals[len(vals)-1], v); e != nil {
			return e
		}
		*(*unsafe.Pointer)(p) = v
		return nil
	}
}

func sliceFunc(c codec) Func {
	dec, makeSlice, setSlice, size := c.dec, c.makeSlice, c.setSlice, c.size
	return func(vals []string, p unsafe.Pointer) error {
		n := len(vals)
		data := makeSlice(n)
		var first *Error
		for i, s := range vals {
			if e := dec(s, unsafe.Add(data, uintptr(i)*size)); e != nil {
				e.Index = i
				switch {
				case first == nil:
					first = e
				case len(first.More) < problem.MaxItems-1:
					first.More = append(first.More, e)
				default:
					first.Omitted++
				}
			}
		}
		if first != nil {
			return first
		}
		setSlice(p, data, n)
		return nil
	}
}

func newOf[T any]() unsafe.Pointer { return unsafe.Pointer(new(T)) }

func sliceOf[T any](n int) unsafe.Pointer {
	return unsafe.Pointer(unsafe.SliceData(make([]T, n)))
}

// setSliceOf stores at p (a *[]T) the slice of the n values at data.
func setSliceOf[T any](p, data unsafe.Pointer, n int) {
	*(*[]T)(p) = unsafe.Slice((*T)(data), n)
}

func codecOf[T any](dec elemFunc) codec {
	var zero T
	return codec{dec: dec, alloc: newOf[T], makeSlice: sliceOf[T], setSlice: setSliceOf[T], size: unsafe.Sizeof(zero)}
}

// scalar compiles the decoder of a scalar type. Named types are written
// through the codec of their kind: the memory layout is the same.
func scalar(t reflect.Type) (codec, bool) {
	switch t {
	case timeType:
		return codecOf[time.Time](decodeTime), true
	case durationType:
		return codecOf[time.Duration](decodeDuration), true
	}
	if t.Kind() != reflect.Interface && reflect.PointerTo(t).Implements(textUnmarshalerType) {
		st := reflect.SliceOf(t)
		return codec{
			dec:       textDecoder(t),
			alloc:     func() unsafe.Pointer { return reflect.New(t).UnsafePointer() },
			makeSlice: func(n int) unsafe.Pointer { return reflect.MakeSlice(st, n, n).UnsafePointer() },
			setSlice: func(p, data unsafe.Pointer, n int) {
				reflect.NewAt(st, p).Elem().Set(reflect.SliceAt(t, data, n))
			},
			size: t.Size(),
		}, true
	}
	switch t.Kind() {
	case reflect.String:
		return codecOf[string](decodeString), true
	case reflect.Bool:
		return codecOf[bool](decodeBool), true
	case reflect.Int:
		return codecOf[int](signedDecoder[int](minOf(t), maxOf(t))), true
	case reflect.Int8:
		return codecOf[int8](signedDecoder[int8](minOf(t), maxOf(t))), true
	case reflect.Int16:
		return codecOf[int16](signedDecoder[int16](minOf(t), maxOf(t))), true
	case reflect.Int32:
		return codecOf[int32](signedDecoder[int32](minOf(t), maxOf(t))), true
	case reflect.Int64:
		return codecOf[int64](signedDecoder[int64](minOf(t), maxOf(t))), true
	case reflect.Uint:
		return codecOf[uint](unsignedDecoder[uint](umaxOf(t))), true
	case reflect.Uint8:
		return codecOf[uint8](unsignedDecoder[uint8](umaxOf(t))), true
	case reflect.Uint16:
		return codecOf[uint16](unsignedDecoder[uint16](umaxOf(t))), true
	case reflect.Uint32:
		return codecOf[uint32](unsignedDecoder[uint32](umaxOf(t))), true
	case reflect.Uint64:
		return codecOf[uint64](unsignedDecoder[uint64](umaxOf(t))), true
	case reflect.Float32:
		return codecOf[float32](decodeFloat32), true
	case reflect.Float64:
		return codecOf[float64](decodeFloat64), true
	}
	return codec{}, false
}

func minOf(t reflect.Type) int64 { return -1 << (t.Bits() - 1) }
func maxOf(t reflect.Type) int64 { return 1<<(t.Bits()-1) - 1 }
func umaxOf(t reflect.Type) uint64 {
	return 1<<(t.Bits()-1) - 1 + 1<<(t.Bits()-1)
}

func decodeString(s string, p unsafe.Pointer) *Error {
	*(*string)(p) = s
	return nil
}

// reasonError is pydantic's error of type typ for a scalar: its message is
// prefix followed by the reason, which its ctx holds as "error".
func reasonError(typ, prefix, reason string) *Error {
	return &Error{Type: typ, Msg: prefix + reason, Ctx: map[string]any{"error": reason}, Index: -1}
}

// textDecoder calls t's UnmarshalText on the value p points to.
func textDecoder(t reflect.Type) elemFunc {
	uuid := IsUUID(t)
	return func(s string, p unsafe.Pointer) *Error {
		u := reflect.NewAt(t, p).Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText([]byte(s)); err != nil {
			return TextError(err, uuid)
		}
		return nil
	}
}

// TextError is pydantic's error for text a type's UnmarshalText refused:
// "uuid_parsing" for a UUID type (see IsUUID), else "value_error".
func TextError(err error, uuid bool) *Error {
	if uuid {
		return reasonError("uuid_parsing", "Input should be a valid UUID, ", err.Error())
	}
	return reasonError("value_error", "Value error, ", err.Error())
}

// IsUUID reports whether t is a UUID type: a 16-byte array named like one
// (google/uuid's and gofrs/uuid's UUID, a user's own) with a text form.
// Such types are documented with "format": "uuid" and their bad inputs are
// pydantic's "uuid_parsing".
func IsUUID(t reflect.Type) bool {
	if t.Kind() != reflect.Array || t.Len() != 16 || t.Elem().Kind() != reflect.Uint8 {
		return false
	}
	if !strings.Contains(strings.ToLower(t.Name()), "uuid") {
		return false
	}
	pt := reflect.PointerTo(t)
	return pt.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) || t.Implements(reflect.TypeFor[encoding.TextMarshaler]())
}
