package decode

// Fuzz targets for the wire-scalar decoders: every kind family checked
// against an oracle written independently of the decoder (a regular
// expression and math/big for integers, the Rust float grammar for floats,
// the standard library for times and durations), and the slice and pointer
// shapes against the scalar decoder. Run one with
//
//	go test -run '^$' -fuzz '^FuzzScalarInt$' -fuzztime 10s -parallel 1 ./internal/decode/

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// fuzzDecode decodes vals into a T that starts as start, and returns it.
func fuzzDecode[T any](t *testing.T, start T, vals ...string) (T, *Error) {
	t.Helper()
	fn, _, ok := For(reflect.TypeFor[T]())
	if !ok {
		t.Fatalf("no decoder for %v", reflect.TypeFor[T]())
	}
	v := start
	err := fn(vals, unsafe.Pointer(&v))
	if err == nil {
		return v, nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%v %q: the error is a %T, not a *decode.Error: %v", reflect.TypeFor[T](), vals, err, err)
	}
	if e.Type == "" || e.Msg == "" || e.Error() != e.Msg {
		t.Fatalf("%v %q: malformed error %#v", reflect.TypeFor[T](), vals, e)
	}
	return v, e
}

// untouched fails unless a failed decode left the target as it was.
func untouched[T comparable](t *testing.T, s string, got, start T) {
	t.Helper()
	if got != start {
		t.Fatalf("%v %q: a failed decode changed the target from %v to %v", reflect.TypeFor[T](), s, start, got)
	}
}

// The integer grammar pydantic accepts, after trimming white space.
var intGrammar = regexp.MustCompile(`^[+-]?[0-9]+(_[0-9]+)*(\.0+)?$`)

// refInt is the oracle for integers: the value, or the error type and the
// bound it names.
func refInt(s string, min, max *big.Int) (v *big.Int, errType string, bound *big.Int) {
	s = strings.TrimSpace(s)
	if !intGrammar.MatchString(s) {
		return nil, "int_parsing", nil
	}
	digits, _, _ := strings.Cut(s, ".")
	digits = strings.ReplaceAll(digits, "_", "")
	v, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		panic("the grammar let through " + s)
	}
	switch {
	case v.Cmp(min) < 0:
		return nil, "greater_than_equal", min
	case v.Cmp(max) > 0:
		return nil, "less_than_equal", max
	}
	return v, "", nil
}

type fuzzNamedInt int16

type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

func checkInt[T integer](t *testing.T, s string) {
	t.Helper()
	typ := reflect.TypeFor[T]()
	var min, max *big.Int
	if typ.Kind() >= reflect.Uint && typ.Kind() <= reflect.Uint64 {
		min, max = big.NewInt(0), new(big.Int).SetUint64(umaxOf(typ))
	} else {
		min, max = big.NewInt(minOf(typ)), big.NewInt(maxOf(typ))
	}
	const start = 7
	got, e := fuzzDecode[T](t, start, s)
	want, wantErr, bound := refInt(s, min, max)
	if wantErr == "" {
		if e != nil {
			t.Fatalf("%v %q: want %v, got error %#v", typ, s, want, e)
		}
		if gotBig := bigOf(got); gotBig.Cmp(want) != 0 {
			t.Fatalf("%v %q: want %v, got %v", typ, s, want, got)
		}
		return
	}
	if e == nil {
		t.Fatalf("%v %q: want %s, got %v", typ, s, wantErr, got)
	}
	untouched(t, s, got, T(start))
	if e.Type != wantErr || e.Index != -1 {
		t.Fatalf("%v %q: want %s, got %#v", typ, s, wantErr, e)
	}
	if bound != nil {
		key := map[string]string{"greater_than_equal": "ge", "less_than_equal": "le"}[wantErr]
		if fmt.Sprint(e.Ctx[key]) != bound.String() || !strings.HasSuffix(e.Msg, " "+bound.String()) {
			t.Fatalf("%v %q: want the bound %s in %#v", typ, s, bound, e)
		}
	}
}

func bigOf[T integer](v T) *big.Int {
	if v < 0 {
		return big.NewInt(int64(v))
	}
	return new(big.Int).SetUint64(uint64(v))
}

var intSeeds = []string{
	"0", "-0", "+0", "1", "-1", "127", "128", "-128", "-129", "255", "256", "300", "-300",
	"32767", "65535", "2147483647", "-2147483648", "4294967295", "4294967296",
	"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
	"18446744073709551615", "18446744073709551616", "-18446744073709551616",
	"99999999999999999999999999999999", "1_000", "1__000", "_1", "1_", "1_000.000", "3.00", "3.", "3.01",
	" 42 ", "\t-7\n", "\u00a012\u00a0", "\u200b1", "1e3", "0x10", "0b1", "0o7", "١٢", "+-1", "--1", "", " ", "-", "+",
	".0", "0.", "1.0e0", "nan", "inf", "\xff1", "1\xff", "1\x00",
}

// FuzzScalarInt checks every signed and unsigned kind against refInt.
func FuzzScalarInt(f *testing.F) {
	for _, s := range intSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkInt[int](t, s)
		checkInt[int8](t, s)
		checkInt[int16](t, s)
		checkInt[int32](t, s)
		checkInt[int64](t, s)
		checkInt[uint](t, s)
		checkInt[uint8](t, s)
		checkInt[uint16](t, s)
		checkInt[uint32](t, s)
		checkInt[uint64](t, s)
		checkInt[fuzzNamedInt](t, s)
	})
}

// Rust's f64 grammar (pydantic parses floats with it), after trimming white
// space and taking out the underscores that sit between two digits.
var floatGrammar = regexp.MustCompile(`^[+-]?(([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?|(?i:inf|infinity|nan))$`)

// refFloat is the oracle for floats: ok, and the text to read the value from.
func refFloat(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '_' {
			if i == 0 || i == len(s)-1 || !isDigit(s[i-1]) || !isDigit(s[i+1]) {
				return "", false
			}
			continue
		}
		b.WriteByte(s[i])
	}
	u := b.String()
	return u, floatGrammar.MatchString(u)
}

type fuzzNamedFloat float32

func checkFloat[T ~float32 | ~float64](t *testing.T, s string) {
	t.Helper()
	typ := reflect.TypeFor[T]()
	const start = 7
	got, e := fuzzDecode[T](t, start, s)
	text, ok := refFloat(s)
	if !ok {
		if e == nil {
			t.Fatalf("%v %q: not a number, yet decoded to %v", typ, s, got)
		}
		untouched(t, s, got, T(start))
		if e.Type != "float_parsing" || e.Index != -1 {
			t.Fatalf("%v %q: want float_parsing, got %#v", typ, s, e)
		}
		return
	}
	if t := strings.TrimLeft(text, "+-"); strings.EqualFold(t, "nan") {
		text = t // strconv takes no sign on nan
	}
	want, err := strconv.ParseFloat(text, typ.Bits())
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		t.Fatalf("%v %q: the oracle's text %q does not parse: %v", typ, s, text, err)
	}
	if math.IsNaN(want) || math.IsInf(want, 0) {
		// A number, but not one JSON can carry: finite_number.
		if e == nil || e.Type != "finite_number" || e.Msg != "Input should be a finite number" || e.Index != -1 {
			t.Fatalf("%v %q: not finite, want finite_number, got %v %#v", typ, s, got, e)
		}
		untouched(t, s, got, T(start))
		return
	}
	if e != nil {
		t.Fatalf("%v %q: a number, yet failed: %#v", typ, s, e)
	}
	if w := T(want); w != got {
		t.Fatalf("%v %q: want %v, got %v", typ, s, w, got)
	}
	// What the decoder accepts survives a round trip through its text.
	again, e := fuzzDecode[T](t, 0, strconv.FormatFloat(float64(got), 'g', -1, typ.Bits()))
	if e != nil || again != got {
		t.Fatalf("%v %q: %v does not round-trip: %v %v", typ, s, got, again, e)
	}
}

var floatSeeds = []string{
	"0", "-0", "1.5", "-2e10", ".5", "5.", "1.e5", "1e", "e5", ".", "+.5", "1e400", "-1e400", "1e-400", "3.4e38", "3.5e38",
	"1_000.5", "1__0", "_1", "1_", "1_e5", "1e_5", "inf", "-Inf", "+infinity", "INFINITY", "nan", "-nan", "+NaN", "nann",
	"infin", "0x1p-2", "0x10", "1p5", " 2.5 ", "\u00a03\u00a0", "١", "", " ", "+", "-", "1,5", "1.5.5", "\xff",
}

// FuzzScalarFloat checks float32 and float64 against Rust's grammar.
func FuzzScalarFloat(f *testing.F) {
	for _, s := range floatSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkFloat[float32](t, s)
		checkFloat[float64](t, s)
		checkFloat[fuzzNamedFloat](t, s)
	})
}

type fuzzNamedBool bool

// FuzzScalarBool checks bools against pydantic's words, ASCII
// case-insensitively (never Unicode case folding: "falſe" is not false).
func FuzzScalarBool(f *testing.F) {
	for _, s := range []string{"true", "False", "1", "0", "yes", "NO", "on", "Off", "t", "F", "y", "n", "", " true", "truE ",
		"2", "tru", "yeſ", "falſe", "oﬀ", "\u212a", "ON\x00"} {
		f.Add(s)
	}
	words := map[string]bool{"true": true, "1": true, "yes": true, "on": true, "t": true, "y": true,
		"false": false, "0": false, "no": false, "off": false, "f": false, "n": false}
	f.Fuzz(func(t *testing.T, s string) {
		lower := []byte(s)
		for i, c := range lower {
			if 'A' <= c && c <= 'Z' {
				lower[i] = c + 'a' - 'A'
			}
		}
		want, ok := words[string(lower)]
		for _, start := range []bool{false, true} {
			got, e := fuzzDecode[bool](t, start, s)
			switch {
			case ok && (e != nil || got != want):
				t.Fatalf("%q: want %v, got %v %v", s, want, got, e)
			case !ok && e == nil:
				t.Fatalf("%q: not a bool word, yet decoded to %v", s, got)
			case !ok && (e.Type != "bool_parsing" || got != start):
				t.Fatalf("%q: want bool_parsing and the target untouched, got %v %#v", s, got, e)
			}
		}
		if got, e := fuzzDecode[fuzzNamedBool](t, false, s); ok != (e == nil) || (ok && bool(got) != want) {
			t.Fatalf("named bool %q: got %v %v", s, got, e)
		}
	})
}

type fuzzNamedString string

// FuzzScalarText checks strings (never fail, taken as they are, invalid
// UTF-8 included) and TextUnmarshaler types (netip.Addr, whose own
// UnmarshalText is the oracle).
func FuzzScalarText(f *testing.F) {
	for _, s := range []string{"", "x", "héllo", "\xff\xfe", "a\x00b", "127.0.0.1", "::1", "fe80::1%eth0", "1.2.3", "::ffff:1.2.3.4", "[::1]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, e := fuzzDecode[string](t, "start", s); e != nil || got != s {
			t.Fatalf("string %q: got %q %v", s, got, e)
		}
		if got, e := fuzzDecode[fuzzNamedString](t, "start", s); e != nil || string(got) != s {
			t.Fatalf("named string %q: got %q %v", s, got, e)
		}
		var want netip.Addr
		wantErr := want.UnmarshalText([]byte(s))
		got, e := fuzzDecode[netip.Addr](t, netip.Addr{}, s)
		switch {
		case wantErr == nil && (e != nil || got != want):
			t.Fatalf("netip.Addr %q: want %v, got %v %v", s, want, got, e)
		case wantErr != nil && e == nil:
			t.Fatalf("netip.Addr %q: UnmarshalText fails (%v), yet decoded to %v", s, wantErr, got)
		case wantErr != nil && (e.Type != "value_error" || e.Msg != "Value error, "+wantErr.Error() || e.Ctx["error"] != wantErr.Error()):
			t.Fatalf("netip.Addr %q: want value_error for %v, got %#v", s, wantErr, e)
		}
	})
}

// FuzzScalarTime checks time.Time: strict RFC 3339 that Go's parser accepts
// (years 1 to 9999) decodes to the same instant; whatever decodes is a
// time between 1600 and 9999 that survives a round trip; failures carry
// pydantic's types and a reason.
func FuzzScalarTime(f *testing.F) {
	for _, s := range []string{
		"2024-01-02", "2024-01-02T03:04:05Z", "2024-01-02t03:04z", "2024-01-02 03:04:05.123456789+05:30",
		"2024-01-02_03:04:05,5-0800", "2024-01-02T03:04:05\u22120800", "2024-02-29", "2023-02-29", "2024-13-01",
		"0000-01-01", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999-23:59", "2024-01-02T24:00",
		"2024-01-02T10:00:60", "2024-01-02T10:00:00.", "2024-01-02T10:00:00.1234567890123", "2024-01-02T10:00+2400", "0001-10-01T00:00:00+00:60",
		"1700000000", "-1700000000", "1700000000000", "1700000000.5", "-11676096001", "253402300800", "1e9",
		"99999999999999999999", "", "x", "2024/01/02", "２０２４-01-02", "2024-01-02T03:04:05Z ", "+", "-", ".5",
	} {
		f.Add(s)
	}
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	min := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, e := fuzzDecode[time.Time](t, start, s)
		if want, err := time.Parse(time.RFC3339Nano, s); err == nil && want.Year() >= 1 && strictRFC3339.MatchString(s) {
			if e != nil || !got.Equal(want) {
				t.Fatalf("%q: Go reads %v, the decoder %v %v", s, want, got, e)
			}
		}
		if e != nil {
			if !got.Equal(start) {
				t.Fatalf("%q: a failed decode changed the target to %v", s, got)
			}
			reason, _ := e.Ctx["error"].(string)
			switch {
			case e.Type != "datetime_from_date_parsing" && e.Type != "datetime_parsing",
				reason == "" || !strings.HasSuffix(e.Msg, ", "+reason):
				t.Fatalf("%q: malformed error %#v", s, e)
			}
			return
		}
		if got.Year() < 1 || got.Year() > 9999 || (got.Before(min) && isDecimalTimestamp(s)) {
			t.Fatalf("%q: decoded to %v, out of range", s, got)
		}
		again, e := fuzzDecode[time.Time](t, start, got.Format(time.RFC3339Nano))
		if e != nil || !again.Equal(got) {
			t.Fatalf("%q: %v does not round-trip: %v %v", s, got, again, e)
		}
	})
}

// strictRFC3339 is RFC 3339's grammar: Go's parser is laxer (one-digit
// hours, an offset of "+00:60"), and where it is, speedate need not agree.
var strictRFC3339 = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`)

func isDecimalTimestamp(s string) bool { return len(s) < 10 || s[4] != '-' }

// FuzzScalarDuration checks time.Duration: Go's syntax decodes as
// time.ParseDuration reads it; whatever decodes survives a round trip
// through Duration.String; failures are time_delta_parsing with a reason.
func FuzzScalarDuration(f *testing.F) {
	for _, s := range []string{
		"30", "1.5", "-2", "1h30m", "250ms", "-1.5s", "P1DT2H3M4.5S", "P2W", "P1Y", "P1M", "PT1M", "P1.5D", "-PT1H",
		"+P1D", "P", "PT", "P1", "PT1.5H2M", "P1.5D1H", "PTT1H", "P999999999D", "P4294967295Y", "P4294967296D",
		"10:20", "10:20:30.5", "-10:20:30", "25:00", "1 day", "3 days, 10:20:30", "2d", "2 d 10:00", "1 DAYS,10:20",
		"2562047h47m16.854775807s", "-2562047h47m16.854775808s", "2562048h", "9223372036.854775807", "1e3", "0", "-0",
		"", " ", "-", "+", "1µs", "1us", ".5h", "1.h", "P1DT", "P1D2", "106751D", "106752D", "P106751DT23H47M16.854775S",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, e := fuzzDecode[time.Duration](t, 7, s)
		if want, err := time.ParseDuration(s); err == nil {
			if e != nil || got != want {
				t.Fatalf("%q: Go reads %v, the decoder %v %v", s, want, got, e)
			}
		}
		if e != nil {
			untouched(t, s, got, 7)
			if reason, _ := e.Ctx["error"].(string); e.Type != "time_delta_parsing" || reason == "" || !strings.HasSuffix(e.Msg, ", "+reason) {
				t.Fatalf("%q: malformed error %#v", s, e)
			}
			return
		}
		again, e := fuzzDecode[time.Duration](t, 0, got.String())
		if e != nil || again != got {
			t.Fatalf("%q: %v does not round-trip through %q: %v %v", s, got, got.String(), again, e)
		}
	})
}

// checkSlice decodes vals into a []T and checks it against the scalar
// decoder element by element, and the pointer shape against the last value.
func checkSlice[T comparable](t *testing.T, vals []string) {
	t.Helper()
	var zero T
	got, e := fuzzDecode[[]T](t, nil, vals...)
	var bad []int
	for i, s := range vals {
		want, se := fuzzDecode[T](t, zero, s)
		if se != nil {
			bad = append(bad, i)
		} else if e == nil && !sameValue(got[i], want) {
			t.Fatalf("[]%T %q: element %d is %v, alone it decodes to %v", zero, vals, i, got[i], want)
		}
	}
	if len(bad) == 0 {
		if e != nil || len(got) != len(vals) {
			t.Fatalf("[]%T %q: every element decodes, yet got %v %#v", zero, vals, got, e)
		}
	} else {
		if e == nil || got != nil {
			t.Fatalf("[]%T %q: elements %v fail, yet got %v %v", zero, vals, bad, got, e)
		}
		all := append([]*Error{e}, e.More...)
		if len(all) != len(bad) {
			t.Fatalf("[]%T %q: elements %v fail, the error lists %d", zero, vals, bad, len(all))
		}
		for k, i := range bad {
			_, se := fuzzDecode[T](t, zero, vals[i])
			if all[k].Index != i || all[k].Type != se.Type || all[k].Msg != se.Msg || !reflect.DeepEqual(all[k].Ctx, se.Ctx) {
				t.Fatalf("[]%T %q: error %d is %#v, want index %d and %#v", zero, vals, k, all[k], i, se)
			}
		}
	}
	// The pointer shape: nil until a valid last value is given.
	p, pe := fuzzDecode[*T](t, nil, vals...)
	want, se := fuzzDecode[T](t, zero, vals[len(vals)-1])
	switch {
	case se != nil && (pe == nil || p != nil || pe.Type != se.Type):
		t.Fatalf("*%T %q: want %#v and nil, got %v %v", zero, vals, se, p, pe)
	case se == nil && (pe != nil || p == nil || !sameValue(*p, want)):
		t.Fatalf("*%T %q: want %v, got %v %v", zero, vals, want, p, pe)
	}
	// The scalar shape: the last value wins.
	if s, e := fuzzDecode[T](t, zero, vals...); (e == nil) != (se == nil) || (e == nil && !sameValue(s, want)) {
		t.Fatalf("%T %q: the last value must win: got %v %v, want %v %v", zero, vals, s, e, want, se)
	}
}

func sameValue[T comparable](a, b T) bool {
	if a == b {
		return true
	}
	switch x := any(a).(type) {
	case float32:
		return x != x && any(b).(float32) != any(b).(float32)
	case float64:
		return x != x && any(b).(float64) != any(b).(float64)
	case time.Time:
		return x.Equal(any(b).(time.Time))
	}
	return false
}

// FuzzSlice checks repeated values (split at NUL, at most 16) into slices
// and pointers of several kinds.
func FuzzSlice(f *testing.F) {
	for _, s := range []string{"1", "1\x002\x003", "1\x00x\x003\x00y", "", "\x00", "300\x00-1\x0012",
		"true\x00no\x00maybe", "1.5\x00nan\x00-inf\x00x", "2024-01-02\x00bad\x001700000000", "1h\x00P1D\x00??",
		"::1\x00127.0.0.1\x00nope", strings.Repeat("7\x00", 20)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vals := strings.Split(raw, "\x00")
		if len(vals) > 16 {
			vals = vals[:16]
		}
		checkSlice[int8](t, vals)
		checkSlice[uint64](t, vals)
		checkSlice[fuzzNamedInt](t, vals)
		checkSlice[float32](t, vals)
		checkSlice[bool](t, vals)
		checkSlice[string](t, vals)
		checkSlice[time.Time](t, vals)
		checkSlice[time.Duration](t, vals)
		checkSlice[netip.Addr](t, vals)
	})
}

// Regression (found by FuzzScalarFloat): a signed nan is a number, as in
// Rust's grammar and as the package documents (strconv refuses the sign);
// being no finite number, it is finite_number, not float_parsing.
func TestFloatSignedNaN(t *testing.T) {
	for _, s := range []string{"-nan", "+NaN", " -NAN "} {
		got, e := fuzzDecode[float64](t, 7, s)
		if e == nil || e.Type != "finite_number" || got != 7 {
			t.Errorf("%q: want finite_number, got %v %v", s, got, e)
		}
	}
	if _, e := fuzzDecode[float64](t, 7, "--nan"); e == nil || e.Type != "float_parsing" {
		t.Errorf(`"--nan" must be float_parsing, got %v`, e)
	}
}
