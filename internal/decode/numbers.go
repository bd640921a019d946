// Integers and floats from parameter text: range-checked signed and
// unsigned decoders, the float forms pydantic accepts, and their 422 errors.

package decode

import (
	"math"
	"strconv"
	"strings"
	"unsafe"
)

const (
	msgInt   = "Input should be a valid integer, unable to parse string as an integer"
	msgFloat = "Input should be a valid number, unable to parse string as a number"
	msgBool  = "Input should be a valid boolean, unable to interpret input"
	// msgFinite is pydantic's message for finite_number.
	msgFinite = "Input should be a finite number"
)

func intParsing() *Error   { return &Error{Type: "int_parsing", Msg: msgInt, Index: -1} }
func floatParsing() *Error { return &Error{Type: "float_parsing", Msg: msgFloat, Index: -1} }

// notFinite is the error for inf, nan and magnitudes past the type's range
// (1e400, or 1e39 for a float32): JSON cannot carry them, so a value that
// reached a handler could not be sent back, and a JSON body refuses them
// with the same error.
func notFinite() *Error { return &Error{Type: "finite_number", Msg: msgFinite, Index: -1} }

func greaterEqual(min int64) *Error {
	return &Error{
		Type:  "greater_than_equal",
		Msg:   "Input should be greater than or equal to " + strconv.FormatInt(min, 10),
		Ctx:   map[string]any{"ge": min},
		Index: -1,
	}
}

func lessEqual(max any, text string) *Error {
	return &Error{
		Type:  "less_than_equal",
		Msg:   "Input should be less than or equal to " + text,
		Ctx:   map[string]any{"le": max},
		Index: -1,
	}
}

type signed interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64
}

type unsigned interface {
	~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// signedDecoder decodes into a T holding values in [min, max].
func signedDecoder[T signed](min, max int64) elemFunc {
	return func(s string, p unsafe.Pointer) *Error {
		mag, neg, big, ok := parseInt(s)
		switch {
		case !ok:
			return intParsing()
		case neg:
			if big || mag > uint64(max)+1 {
				return greaterEqual(min)
			}
			*(*T)(p) = T(int64(-mag))
		default:
			if big || mag > uint64(max) {
				return lessEqual(max, strconv.FormatInt(max, 10))
			}
			*(*T)(p) = T(mag)
		}
		return nil
	}
}

// unsignedDecoder decodes into a T holding values in [0, max].
func unsignedDecoder[T unsigned](max uint64) elemFunc {
	return func(s string, p unsafe.Pointer) *Error {
		mag, neg, big, ok := parseInt(s)
		switch {
		case !ok:
			return intParsing()
		case neg && (big || mag != 0):
			return greaterEqual(0)
		case big || mag > max:
			return lessEqual(max, strconv.FormatUint(max, 10))
		}
		*(*T)(p) = T(mag)
		return nil
	}
}

// parseInt reads an integer as pydantic does from a string: white space
// around it, one optional sign, decimal digits with single underscores
// between them, and an optional fraction of zeros (".0", ".000"). It returns
// the magnitude and sign; big reports a magnitude beyond uint64.
func parseInt(s string) (mag uint64, neg, big, ok bool) {
	if len(s) == 0 || s[0] <= ' ' || s[len(s)-1] <= ' ' || s[0] >= 0x80 || s[len(s)-1] >= 0x80 {
		s = strings.TrimSpace(s)
	}
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		frac := s[i+1:]
		if len(frac) == 0 {
			return 0, false, false, false
		}
		for j := 0; j < len(frac); j++ {
			if frac[j] != '0' {
				return 0, false, false, false
			}
		}
		s = s[:i]
	}
	if len(s) == 0 || s[0] == '_' || s[len(s)-1] == '_' {
		return 0, false, false, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '_' {
			if s[i-1] == '_' {
				return 0, false, false, false
			}
			continue
		}
		if c < '0' || c > '9' {
			return 0, false, false, false
		}
		if big {
			continue
		}
		d := uint64(c - '0')
		if mag > math.MaxUint64/10 || mag == math.MaxUint64/10 && d > math.MaxUint64%10 {
			big = true
			continue
		}
		mag = mag*10 + d
	}
	return mag, neg, big, true
}

func decodeFloat64(s string, p unsafe.Pointer) *Error {
	f, err := finiteFloat(s, 64)
	if err == nil {
		*(*float64)(p) = f
	}
	return err
}

func decodeFloat32(s string, p unsafe.Pointer) *Error {
	f, err := finiteFloat(s, 32)
	if err == nil {
		*(*float32)(p) = float32(f)
	}
	return err
}

// finiteFloat is parseFloat for a float of bits bits, with its 422 error:
// float_parsing, or finite_number (see notFinite).
func finiteFloat(s string, bits int) (float64, *Error) {
	f, ok := parseFloat(s, bits)
	if !ok {
		return 0, floatParsing()
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, notFinite()
	}
	return f, nil
}

// parseFloat reads a float as pydantic does from a string (Rust's f64
// grammar): white space around it, decimal and exponent forms, inf, infinity
// and nan in any case; underscores between digits; no hexadecimal.
// Out-of-range magnitudes become ±Inf or 0, as in Rust.
func parseFloat(s string, bits int) (float64, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 4 && (s[0] == '+' || s[0] == '-') && strings.EqualFold(s[1:], "nan") {
		return math.NaN(), true // Rust takes a sign on nan; strconv does not
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case 'x', 'X', 'p', 'P':
			return 0, false
		case '_':
			return parseFloatUnderscores(s, bits)
		}
	}
	f, err := strconv.ParseFloat(s, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

// parseFloatUnderscores accepts "1_000.5": underscores that neither lead,
// trail nor repeat, each between two digits.
func parseFloatUnderscores(s string, bits int) (float64, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '_' {
			b = append(b, s[i])
			continue
		}
		if i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
			return 0, false
		}
	}
	return parseFloat(string(b), bits)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func decodeBool(s string, p unsafe.Pointer) *Error {
	v, ok := parseBool(s)
	if !ok {
		return &Error{Type: "bool_parsing", Msg: msgBool, Index: -1}
	}
	*(*bool)(p) = v
	return nil
}

// parseBool accepts pydantic's words, case-insensitively: true/false, 1/0,
// yes/no, on/off, t/f, y/n.
func parseBool(s string) (v, ok bool) {
	switch len(s) {
	case 1:
		switch s[0] {
		case '1', 't', 'T', 'y', 'Y':
			return true, true
		case '0', 'f', 'F', 'n', 'N':
			return false, true
		}
	case 2:
		if strings.EqualFold(s, "on") {
			return true, true
		}
		if strings.EqualFold(s, "no") {
			return false, true
		}
	case 3:
		if strings.EqualFold(s, "yes") {
			return true, true
		}
		if strings.EqualFold(s, "off") {
			return false, true
		}
	case 4:
		if strings.EqualFold(s, "true") {
			return true, true
		}
	case 5:
		if strings.EqualFold(s, "false") {
			return false, true
		}
	}
	return false, false
}
