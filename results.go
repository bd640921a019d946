// What a handler, dependency or provider may return: checked at
// registration, read per request.

package brisk

import (
	"fmt"
	"reflect"
	"strings"
)

// resultShape says what a function returns.
type resultShape struct {
	value      bool // the first result is a value
	valueType  reflect.Type
	errIndex   int          // -1: no error result
	cleanupIdx int          // providers' (T, func(), error): the cleanup's index, else -1
	stream     *streamShape // a handler's iterator result (see stream.go), else nil
}

// checkResults validates the results of a handler or dependency.
func (c *compiler) checkResults(t reflect.Type, name string, ro role) resultShape {
	shape := resultShape{errIndex: -1, cleanupIdx: -1}
	bad := func() {
		want := "T, (T, error), error or nothing"
		if ro == roleDependency {
			want = "T, (T, error), (T, func(), error), error or nothing"
		}
		panic(fmt.Sprintf("brisk: %s %s: %s %s returns %s; want %s",
			c.method, c.pattern, ro, name, resultsString(t), want))
	}
	switch t.NumOut() {
	case 0:
	case 1:
		if t.Out(0) == errorType {
			shape.errIndex = 0
		} else {
			shape.value, shape.valueType = true, t.Out(0)
		}
	case 2:
		if t.Out(1) != errorType || t.Out(0) == errorType {
			bad()
		}
		shape.value, shape.valueType, shape.errIndex = true, t.Out(0), 1
	case 3:
		// A route dependency may have a provider's cleanup form, as FastAPI's
		// dependencies=[Depends(a_yield_dependency)].
		if ro != roleDependency || t.Out(1) != cleanupType || t.Out(2) != errorType || t.Out(0) == errorType {
			bad()
		}
		shape.value, shape.valueType, shape.cleanupIdx, shape.errIndex = true, t.Out(0), 1, 2
	default:
		bad()
	}
	if shape.value && ro == roleHandler {
		s, badSeq2 := streamOf(shape.valueType)
		if badSeq2 {
			panic(fmt.Sprintf("brisk: %s %s: handler %s returns %s; a streaming handler returns iter.Seq[T] or iter.Seq2[T, error]",
				c.method, c.pattern, name, shape.valueType))
		}
		if s != nil {
			shape.stream = s
			return shape
		}
		if notJSON(shape.valueType) {
			panic(fmt.Sprintf("brisk: %s %s: handler %s returns %s, which cannot be written as JSON", c.method, c.pattern, name, shape.valueType))
		}
	}
	return shape
}

// resultsString renders a func type's results for messages.
func resultsString(t reflect.Type) string {
	if t.NumOut() == 0 {
		return "nothing"
	}
	parts := make([]string, t.NumOut())
	for i := range parts {
		parts[i] = t.Out(i).String()
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// errorOf extracts a non-nil error result.
func errorOf(out []reflect.Value, shape resultShape) error {
	if shape.errIndex < 0 {
		return nil
	}
	ev := out[shape.errIndex]
	if ev.IsNil() {
		return nil
	}
	return ev.Interface().(error)
}

// notJSON reports whether values of t cannot be written as JSON at all.
func notJSON(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
		return true
	}
	return false
}
