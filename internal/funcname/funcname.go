// Package funcname names func values for logs and registration messages.
package funcname

import (
	"fmt"
	"reflect"
	"runtime"
)

// Of names fn as the runtime does ("pkg.Func", "pkg.(*T).Method-fm",
// "pkg.outer.func1"). A value that is not a non-nil func is named by its
// type.
func Of(fn any) string {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return fmt.Sprintf("%T", fn)
	}
	if f := runtime.FuncForPC(v.Pointer()); f != nil {
		return f.Name()
	}
	return v.Type().String()
}

// WithLine is Of followed by the function's file:line, so that a message
// about a registration points at the code.
func WithLine(fn any) string {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return fmt.Sprintf("%T", fn)
	}
	f := runtime.FuncForPC(v.Pointer())
	if f == nil {
		return v.Type().String()
	}
	file, line := f.FileLine(v.Pointer())
	return fmt.Sprintf("%s (%s:%d)", f.Name(), file, line)
}
