package decode

import (
	"errors"
	"math"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeAs compiles the decoder for T and runs it on vals.
func decodeAs[T any](t *testing.T, vals ...string) (T, error) {
	t.Helper()
	var v T
	fn, _, ok := For(reflect.TypeFor[T]())
	require.True(t, ok, "no decoder for %v", reflect.TypeFor[T]())
	err := fn(vals, unsafe.Pointer(&v))
	return v, err
}

func ok[T any](t *testing.T, want T, vals ...string) {
	t.Helper()
	got, err := decodeAs[T](t, vals...)
	require.NoError(t, err, "%q", vals)
	assert.Equal(t, want, got, "%q", vals)
}

func fails[T any](t *testing.T, want *Error, vals ...string) {
	t.Helper()
	got, err := decodeAs[T](t, vals...)
	var e *Error
	require.True(t, errors.As(err, &e), "%q: got %v, %v", vals, got, err)
	assert.Equal(t, want, e, "%q", vals)
	var zero T
	assert.Equal(t, zero, got, "%q: the target must stay untouched", vals)
}

var (
	errInt    = &Error{Type: "int_parsing", Msg: "Input should be a valid integer, unable to parse string as an integer", Index: -1}
	errFloat  = &Error{Type: "float_parsing", Msg: "Input should be a valid number, unable to parse string as a number", Index: -1}
	errFinite = &Error{Type: "finite_number", Msg: "Input should be a finite number", Index: -1}
	errBool   = &Error{Type: "bool_parsing", Msg: "Input should be a valid boolean, unable to interpret input", Index: -1}
)

func le(v any, text string) *Error {
	return &Error{Type: "less_than_equal", Msg: "Input should be less than or equal to " + text, Ctx: map[string]any{"le": v}, Index: -1}
}

func ge(v int64, text string) *Error {
	return &Error{Type: "greater_than_equal", Msg: "Input should be greater than or equal to " + text, Ctx: map[string]any{"ge": v}, Index: -1}
}

type (
	Query  string
	ID     int64
	Small  int8
	Count  uint16
	Ratio  float32
	Flag   bool
	Upper  string // has UnmarshalText: checked before the string kind
	Level  int    // has UnmarshalText with a value receiver
	Failer struct{ V string }
)

func (u *Upper) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		return errors.New("empty")
	}
	*u = Upper(strings.ToUpper(string(b)))
	return nil
}

func (l Level) UnmarshalText(b []byte) error { return nil }

func (f *Failer) UnmarshalText(b []byte) error { return errors.New("bad " + string(b)) }

func TestString(t *testing.T) {
	ok(t, "hello", "hello")
	ok(t, "", "")
	ok(t, "last", "first", "last")
	ok(t, " keep spaces ", " keep spaces ")
	ok(t, Query("q"), "q")
}

func TestBool(t *testing.T) {
	for _, s := range []string{"true", "TRUE", "True", "1", "yes", "YES", "on", "On", "t", "T", "y", "Y"} {
		ok(t, true, s)
	}
	for _, s := range []string{"false", "FALSE", "0", "no", "No", "off", "OFF", "f", "F", "n", "N"} {
		ok(t, false, s)
	}
	for _, s := range []string{"", "2", "tru", "yess", " true", "true ", "none", "nope", "01", "-1", "ja"} {
		fails[bool](t, errBool, s)
	}
	ok(t, Flag(true), "on")
	fails[Flag](t, errBool, "maybe")
}

func TestInt(t *testing.T) {
	ok(t, 42, "42")
	ok(t, -42, "-42")
	ok(t, 42, "+42")
	ok(t, 42, " 42 ")
	ok(t, 42, "\t42\n")
	ok(t, 7, "007")
	ok(t, 0, "-0")
	ok(t, 1000, "1_000")
	ok(t, 1000000, "1_000_000")
	ok(t, 3, "3.0")
	ok(t, 3, "3.000")
	ok(t, -3, "-3.0")
	ok(t, 1000, "1_000.00")
	ok(t, 9, "1", "9")
	for _, s := range []string{
		"", " ", "abc", "4a", "1.5", "1.", ".0", "1e3", "0x10", "_1", "1_", "1__0", "+-1", "-+1", "--1", "++1",
		"1.0_0", "- 1", "1 000", "١٢", "inf", "nan",
	} {
		fails[int](t, errInt, s)
	}
	ok(t, int64(math.MaxInt64), "9223372036854775807")
	ok(t, int64(math.MinInt64), "-9223372036854775808")
	fails[int64](t, le(int64(math.MaxInt64), "9223372036854775807"), "9223372036854775808")
	fails[int64](t, le(int64(math.MaxInt64), "9223372036854775807"), "123456789012345678901234567890")
	fails[int64](t, ge(math.MinInt64, "-9223372036854775808"), "-9223372036854775809")
	fails[int64](t, ge(math.MinInt64, "-9223372036854775808"), "-123456789012345678901234567890")
	fails[int64](t, errInt, "12345678901234567890123456789x")
}

func TestIntKinds(t *testing.T) {
	ok(t, int8(127), "127")
	ok(t, int8(-128), "-128")
	fails[int8](t, le(int64(127), "127"), "128")
	fails[int8](t, le(int64(127), "127"), "300")
	fails[int8](t, ge(-128, "-128"), "-129")
	ok(t, int16(-32768), "-32768")
	fails[int16](t, le(int64(32767), "32767"), "32768")
	ok(t, int32(math.MaxInt32), "2147483647")
	fails[int32](t, ge(math.MinInt32, "-2147483648"), "-2147483649")

	ok(t, uint(7), "7")
	ok(t, uint8(255), "255")
	ok(t, uint8(0), "-0")
	fails[uint8](t, le(uint64(255), "255"), "256")
	fails[uint8](t, ge(0, "0"), "-1")
	fails[uint](t, ge(0, "0"), "-1")
	fails[uint](t, ge(0, "0"), "-99999999999999999999999")
	ok(t, uint16(65535), "65535")
	ok(t, uint32(math.MaxUint32), "4294967295")
	fails[uint32](t, le(uint64(math.MaxUint32), "4294967295"), "4294967296")
	ok(t, uint64(math.MaxUint64), "18446744073709551615")
	fails[uint64](t, le(uint64(math.MaxUint64), "18446744073709551615"), "18446744073709551616")
	fails[uint64](t, errInt, "x")

	ok(t, ID(99), "99")
	ok(t, Small(-5), "-5")
	fails[Small](t, le(int64(127), "127"), "128")
	ok(t, Count(65535), "65535")
	fails[Count](t, ge(0, "0"), "-3")
}

func TestFloat(t *testing.T) {
	ok(t, 1.5, "1.5")
	ok(t, -1.5, " -1.5 ")
	ok(t, 3.0, "3")
	ok(t, 0.5, ".5")
	ok(t, 5.0, "5.")
	ok(t, 1e3, "1e3")
	ok(t, 1.5e-3, "1.5E-3")
	ok(t, 1000.5, "1_000.5")
	ok(t, 0.0, "1e-400")
	ok(t, math.MaxFloat64, "1.7976931348623157e308")
	for _, s := range []string{"inf", "+Infinity", "-INF", "1e400", "-1e400", "NaN", "-nan", " nan "} {
		fails[float64](t, errFinite, s)
	}
	for _, s := range []string{"", "abc", "1.5.5", "0x1p3", "0x10", "1_", "_1", "1__0", "1,5", "1e", "--1", "infinit"} {
		fails[float64](t, errFloat, s)
	}
	ok(t, float32(1.5), "1.5")
	ok(t, float32(math.MaxFloat32), "3.4028235e38")
	fails[float32](t, errFinite, "1e39")
	fails[float32](t, errFinite, "-1e39")
	fails[float32](t, errFinite, "inf")
	fails[float32](t, errFloat, "x")
	ok(t, Ratio(0.25), "0.25")
}

func TestTime(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	ok(t, utc(2024, 1, 2, 3, 4, 5, 0), "2024-01-02T03:04:05Z")
	ok(t, utc(2024, 1, 2, 3, 4, 5, 0), "2024-01-02t03:04:05z")
	ok(t, utc(2024, 1, 2, 3, 4, 5, 0), "2024-01-02 03:04:05")
	ok(t, utc(2024, 1, 2, 3, 4, 5, 0), "2024-01-02_03:04:05+00:00")
	ok(t, utc(2024, 1, 2, 3, 4, 0, 0), "2024-01-02T03:04")
	ok(t, utc(2024, 1, 2, 3, 4, 5, 123456789), "2024-01-02T03:04:05.123456789Z")
	ok(t, utc(2024, 1, 2, 3, 4, 5, 123456789), "2024-01-02T03:04:05.1234567891234Z")
	ok(t, utc(2024, 1, 2, 3, 4, 5, 500000000), "2024-01-02T03:04:05,5")
	ok(t, utc(2024, 2, 29, 0, 0, 0, 0), "2024-02-29")
	ok(t, utc(2023, 11, 14, 22, 13, 20, 0), "1700000000")
	ok(t, utc(2023, 11, 14, 22, 13, 20, 0), "1700000000000")
	ok(t, utc(2023, 11, 14, 22, 13, 20, 500000000), "1700000000.5")
	ok(t, utc(1969, 12, 31, 23, 59, 59, 0), "-1")

	got, err := decodeAs[time.Time](t, "2024-01-02T03:04:05+05:30")
	require.NoError(t, err)
	assert.True(t, got.Equal(time.Date(2024, 1, 1, 21, 34, 5, 0, time.UTC)))
	_, off := got.Zone()
	assert.Equal(t, 5*3600+30*60, off)
	got, err = decodeAs[time.Time](t, "2024-01-02T03:04:05\u22120800")
	require.NoError(t, err)
	_, off = got.Zone()
	assert.Equal(t, -8*3600, off)

	dt := func(reason string) *Error {
		return &Error{
			Type:  "datetime_from_date_parsing",
			Msg:   "Input should be a valid datetime or date, " + reason,
			Ctx:   map[string]any{"error": reason},
			Index: -1,
		}
	}
	fails[time.Time](t, dt("input is too short"), "")
	fails[time.Time](t, dt("input is too short"), "abc")
	fails[time.Time](t, dt("invalid character in year"), "yesterday!")
	fails[time.Time](t, dt("invalid date separator, expected `-`"), "2024/01/02")
	fails[time.Time](t, dt("invalid character in month"), "2024-xx-02")
	fails[time.Time](t, dt("invalid character in day"), "2024-01-xx")
	fails[time.Time](t, dt("month value is outside expected range of 1-12"), "2024-13-01")
	fails[time.Time](t, dt("day value is outside expected range"), "2023-02-29")
	fails[time.Time](t, dt("unexpected extra characters at the end of the input"), "2024-01-02T25:00:00")
	fails[time.Time](t, dt("unexpected extra characters at the end of the input"), "2024-01-02T10:00:00+25:00")
	fails[time.Time](t, dt("unexpected extra characters at the end of the input"), "2024-01-02T10:00:00 UTC")
	fails[time.Time](t, dt("unexpected extra characters at the end of the input"), "2024-01-02X10:00")
	fails[time.Time](t, dt("dates after 9999 are not supported as unix timestamps"), "999999999999999999")
	fails[time.Time](t, dt("dates before 1600 are not supported as unix timestamps"), "-99999999999999")
	fails[time.Time](t, &Error{
		Type:  "datetime_parsing",
		Msg:   "Input should be a valid datetime, year 0 is out of range",
		Ctx:   map[string]any{"error": "year 0 is out of range"},
		Index: -1,
	}, "0000-01-01T00:00:00")
}

func TestDuration(t *testing.T) {
	ok(t, 30*time.Second, "30")
	ok(t, 1500*time.Millisecond, "1.5")
	ok(t, -2*time.Second, "-2")
	ok(t, 90*time.Minute, "1h30m")
	ok(t, 250*time.Millisecond, "250ms")
	ok(t, -1500*time.Millisecond, "-1.5s")
	ok(t, 26*time.Hour+3*time.Minute+4500*time.Millisecond, "P1DT2H3M4.5S")
	ok(t, 14*24*time.Hour, "P2W")
	ok(t, 365*24*time.Hour, "P1Y")
	ok(t, 30*24*time.Hour, "P1M")
	ok(t, time.Minute, "PT1M")
	ok(t, 36*time.Hour, "P1.5D")
	ok(t, -time.Hour, "-PT1H")
	ok(t, time.Duration(0), "-PT")
	ok(t, time.Hour+2*time.Minute+3*time.Second, "01:02:03")
	ok(t, time.Hour+2*time.Minute+3*time.Second+4000*time.Microsecond, "+01:02:03.004")
	ok(t, 10*time.Minute, "00:10")
	ok(t, 3*24*time.Hour, "3 days")
	ok(t, 24*time.Hour, "1d")
	ok(t, 24*time.Hour+time.Hour+2*time.Minute+3*time.Second, "1 day, 01:02:03")
	ok(t, 2*24*time.Hour+time.Hour, "2D01:00:00")

	td := func(reason string) *Error {
		return &Error{
			Type:  "time_delta_parsing",
			Msg:   "Input should be a valid timedelta, " + reason,
			Ctx:   map[string]any{"error": reason},
			Index: -1,
		}
	}
	fails[time.Duration](t, td("input is too short"), "")
	fails[time.Duration](t, td("input is too short"), "P")
	fails[time.Duration](t, td("input is too short"), "PT")
	fails[time.Duration](t, td("invalid digit in duration"), "abc")
	fails[time.Duration](t, td("invalid digit in duration"), "PXD")
	fails[time.Duration](t, td("quantity invalid in date part of duration"), "P1X")
	fails[time.Duration](t, td("quantity invalid in time part of duration"), "PT1D")
	fails[time.Duration](t, td("`t` character repeated in duration"), "PT1HT")
	fails[time.Duration](t, td("quantity fraction invalid in duration"), "P1.5D2H")
	fails[time.Duration](t, td("\"day\" identifier in duration not correctly formatted"), "1x")
	fails[time.Duration](t, td("\"day\" identifier in duration not correctly formatted"), "1 week")
	fails[time.Duration](t, td("hour value is outside expected range of 0-23"), "25:00:00")
	fails[time.Duration](t, td("invalid character in minute"), "10:xx")
	fails[time.Duration](t, td("unexpected extra characters at the end of the input"), "10:00:00x")
	fails[time.Duration](t, td("a numeric value in the duration is too large"), "P99999999999D")
	fails[time.Duration](t, td("a numeric value in the duration is too large"), "P999999999D")
	fails[time.Duration](t, td("a numeric value in the duration is too large"), "99999999999999999999")
	fails[time.Duration](t, td("durations may not exceed 999,999,999 days"), "P3000000Y")
}

// A named int64 is an integer, not a duration.
type Seconds time.Duration

func TestNamedDurationIsInt(t *testing.T) {
	ok(t, Seconds(5), "5")
	fails[Seconds](t, errInt, "5s")
}

func TestTextUnmarshaler(t *testing.T) {
	ok(t, Upper("ABC"), "abc")
	fails[Upper](t, &Error{Type: "value_error", Msg: "Value error, empty", Ctx: map[string]any{"error": "empty"}, Index: -1}, "")
	ok(t, Level(0), "anything")
	ok(t, netip.MustParseAddr("10.0.0.1"), "10.0.0.1")
	ok(t, netip.MustParseAddr("::1"), "::1")
	msg := `ParseAddr("nope"): unable to parse IP`
	fails[netip.Addr](t, &Error{Type: "value_error", Msg: "Value error, " + msg, Ctx: map[string]any{"error": msg}, Index: -1}, "nope")

	p, err := decodeAs[*netip.Addr](t, "::1")
	require.NoError(t, err)
	require.NotNil(t, p)
	assert.Equal(t, netip.MustParseAddr("::1"), *p)
	s, err := decodeAs[[]netip.Addr](t, "1.2.3.4", "::1")
	require.NoError(t, err)
	assert.Equal(t, []netip.Addr{netip.MustParseAddr("1.2.3.4"), netip.MustParseAddr("::1")}, s)
	_, err = decodeAs[[]Failer](t, "a", "b")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, &Error{Type: "value_error", Msg: "Value error, bad a", Ctx: map[string]any{"error": "bad a"}, Index: 0,
		More: []*Error{{Type: "value_error", Msg: "Value error, bad b", Ctx: map[string]any{"error": "bad b"}, Index: 1}}}, e)
}

func TestPointer(t *testing.T) {
	p, err := decodeAs[*int](t, "5")
	require.NoError(t, err)
	require.NotNil(t, p)
	assert.Equal(t, 5, *p)

	s, err := decodeAs[*Query](t, "a", "b")
	require.NoError(t, err)
	require.NotNil(t, s)
	assert.Equal(t, Query("b"), *s)

	tm, err := decodeAs[*time.Time](t, "2024-01-02")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), *tm)

	fails[*int](t, errInt, "x")
	fails[*bool](t, errBool, "x")
}

func TestSlice(t *testing.T) {
	ok(t, []string{"a", "b", "a"}, "a", "b", "a")
	ok(t, []int{1, 2, 3}, "1", "2", "3")
	ok(t, []Query{"x"}, "x")
	ok(t, []ID{1, -1}, "1", "-1")
	ok(t, []float64{1.5}, "1.5")
	ok(t, []bool{true, false}, "yes", "off")
	ok(t, []time.Duration{time.Second, time.Minute}, "1", "1m")
	ok(t, []Upper{"A", "B"}, "a", "b")

	one := *errInt
	one.Index = 1
	fails[[]int](t, &one, "1", "x", "3")

	first, second := *errInt, le(int64(127), "127")
	first.Index, second.Index = 0, 2
	first.More = []*Error{second}
	fails[[]int8](t, &first, "x", "1", "128")
}

func TestShapes(t *testing.T) {
	for _, c := range []struct {
		typ   reflect.Type
		shape Shape
	}{
		{reflect.TypeFor[string](), Scalar},
		{reflect.TypeFor[Query](), Scalar},
		{reflect.TypeFor[time.Time](), Scalar},
		{reflect.TypeFor[time.Duration](), Scalar},
		{reflect.TypeFor[netip.Addr](), Scalar},
		{reflect.TypeFor[Upper](), Scalar},
		{reflect.TypeFor[*int](), Pointer},
		{reflect.TypeFor[*netip.Addr](), Pointer},
		{reflect.TypeFor[[]string](), Slice},
		{reflect.TypeFor[[]*int](), -1},
		{reflect.TypeFor[**int](), -1},
		{reflect.TypeFor[*[]int](), -1},
		{reflect.TypeFor[[]byte](), -1},
		{reflect.TypeFor[[]uint8](), -1},
		{reflect.TypeFor[[][]string](), -1},
		{reflect.TypeFor[uintptr](), -1},
		{reflect.TypeFor[complex128](), -1},
		{reflect.TypeFor[struct{ A int }](), -1},
		{reflect.TypeFor[map[string]string](), -1},
		{reflect.TypeFor[any](), -1},
		{reflect.TypeFor[error](), -1},
		{reflect.TypeFor[[2]int](), -1},
		{nil, -1},
	} {
		fn, shape, ok := For(c.typ)
		if c.shape < 0 {
			assert.False(t, ok, "%v", c.typ)
			assert.Nil(t, fn, "%v", c.typ)
			assert.False(t, IsScalar(c.typ), "%v", c.typ)
			continue
		}
		assert.True(t, ok, "%v", c.typ)
		assert.NotNil(t, fn, "%v", c.typ)
		assert.Equal(t, c.shape, shape, "%v", c.typ)
		assert.Equal(t, c.shape == Scalar, IsScalar(c.typ), "%v", c.typ)
	}
}

func TestErrorString(t *testing.T) {
	_, err := decodeAs[int](t, "x")
	assert.EqualError(t, err, "Input should be a valid integer, unable to parse string as an integer")
}

func TestNoAllocs(t *testing.T) {
	var (
		s   string
		i   int
		u8  uint8
		f   float64
		b   bool
		tm  time.Time
		d   time.Duration
		ids ID
	)
	for _, c := range []struct {
		typ  reflect.Type
		p    unsafe.Pointer
		vals []string
	}{
		{reflect.TypeFor[string](), unsafe.Pointer(&s), []string{"hello"}},
		{reflect.TypeFor[int](), unsafe.Pointer(&i), []string{"-12345"}},
		{reflect.TypeFor[int](), unsafe.Pointer(&i), []string{" 1_000.0 "}},
		{reflect.TypeFor[uint8](), unsafe.Pointer(&u8), []string{"200"}},
		{reflect.TypeFor[float64](), unsafe.Pointer(&f), []string{"3.25"}},
		{reflect.TypeFor[bool](), unsafe.Pointer(&b), []string{"TRUE"}},
		{reflect.TypeFor[time.Time](), unsafe.Pointer(&tm), []string{"2024-01-02T03:04:05.5Z"}},
		{reflect.TypeFor[time.Time](), unsafe.Pointer(&tm), []string{"1700000000"}},
		{reflect.TypeFor[time.Duration](), unsafe.Pointer(&d), []string{"1h30m"}},
		{reflect.TypeFor[time.Duration](), unsafe.Pointer(&d), []string{"P1DT2H"}},
		{reflect.TypeFor[time.Duration](), unsafe.Pointer(&d), []string{"30"}},
		{reflect.TypeFor[ID](), unsafe.Pointer(&ids), []string{"7"}},
	} {
		fn, _, ok := For(c.typ)
		require.True(t, ok)
		allocs := testing.AllocsPerRun(100, func() {
			if err := fn(c.vals, c.p); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, "%v %q", c.typ, c.vals)
	}
}
