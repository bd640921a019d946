package decode

import (
	"net/netip"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

func benchDecode[T any](b *testing.B, vals ...string) {
	fn, _, ok := For(reflect.TypeFor[T]())
	if !ok {
		b.Fatal("no decoder")
	}
	var v T
	p := unsafe.Pointer(&v)
	b.ReportAllocs()
	for b.Loop() {
		if err := fn(vals, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkString(b *testing.B)      { benchDecode[string](b, "hello") }
func BenchmarkInt(b *testing.B)         { benchDecode[int](b, "123456") }
func BenchmarkInt8(b *testing.B)        { benchDecode[int8](b, "-12") }
func BenchmarkUint64(b *testing.B)      { benchDecode[uint64](b, "18446744073709551615") }
func BenchmarkFloat64(b *testing.B)     { benchDecode[float64](b, "3.14159") }
func BenchmarkBool(b *testing.B)        { benchDecode[bool](b, "true") }
func BenchmarkTime(b *testing.B)        { benchDecode[time.Time](b, "2024-01-02T03:04:05.123Z") }
func BenchmarkTimeOffset(b *testing.B)  { benchDecode[time.Time](b, "2024-01-02T03:04:05+02:00") }
func BenchmarkDurationGo(b *testing.B)  { benchDecode[time.Duration](b, "1h30m") }
func BenchmarkDurationISO(b *testing.B) { benchDecode[time.Duration](b, "PT1H30M") }
func BenchmarkTextUnmarshaler(b *testing.B) {
	benchDecode[netip.Addr](b, "192.168.1.1")
}
func BenchmarkPointerInt(b *testing.B)  { benchDecode[*int](b, "42") }
func BenchmarkSliceString(b *testing.B) { benchDecode[[]string](b, "a", "b", "c", "d") }
func BenchmarkSliceInt(b *testing.B)    { benchDecode[[]int](b, "1", "22", "333", "4444") }
func BenchmarkIntError(b *testing.B) {
	fn, _, _ := For(reflect.TypeFor[int]())
	var v int
	vals := []string{"abc"}
	b.ReportAllocs()
	for b.Loop() {
		if fn(vals, unsafe.Pointer(&v)) == nil {
			b.Fatal("no error")
		}
	}
}
