// How a task is called: the typed form, the common shapes called without
// reflect.Value.Call, and the checks AddTask makes of a call's arguments.

package background

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
)

// task is one unit of work: either the typed form (fn) or a reflective call
// (call[0] is the function, call[1:] its arguments, checked by AddTask).
// Keeping the function in the same slice as the arguments keeps a task at
// four words, so the inline array stays small.
type task struct {
	fn    func(context.Context) error
	call  []reflect.Value
	shape shape // call[0]'s type, when it is one run without reflect.Value.Call
}

// shape names the function types that task.run calls directly, through a
// type assertion, rather than with reflect.Value.Call, which costs more than
// everything else a request's task does (its frame layout is looked up, its
// arguments copied and checked again). These are the tasks FastAPI's
// tutorials write (write_notification(email, message)): string arguments,
// no result or an error.
type shape uint8

const (
	shapeOther   shape = iota // reflect.Value.Call
	shapeFunc                 // func()
	shapeFuncErr              // func() error
	shapeS                    // func(string)
	shapeSErr                 // func(string) error
	shapeSS                   // func(string, string)
	shapeSSErr                // func(string, string) error
)

// fits reports whether args are what a func of shape s takes: as many
// arguments as it has parameters, each of type string exactly (a named
// string type is not assignable to string).
func (s shape) fits(args []any) bool {
	n := 0
	switch s {
	case shapeS, shapeSErr:
		n = 1
	case shapeSS, shapeSSErr:
		n = 2
	}
	if len(args) != n {
		return false
	}
	for _, a := range args {
		if _, ok := a.(string); !ok {
			return false
		}
	}
	return true
}

// shapeOf returns the shape of fn, which may be anything.
func shapeOf(fn any) shape {
	switch fn.(type) {
	case func():
		return shapeFunc
	case func() error:
		return shapeFuncErr
	case func(string):
		return shapeS
	case func(string) error:
		return shapeSErr
	case func(string, string):
		return shapeSS
	case func(string, string) error:
		return shapeSSErr
	}
	return shapeOther
}

// run calls the task and returns the error it reports, if any.
func (tk *task) run(ctx context.Context) error {
	if tk.fn != nil {
		return tk.fn(ctx)
	}
	// checkCall made sure of the argument types: for these shapes, string
	// arguments of type string exactly (a named string type is not
	// assignable to string).
	c := tk.call
	switch tk.shape {
	case shapeFunc:
		c[0].Interface().(func())()
		return nil
	case shapeFuncErr:
		return c[0].Interface().(func() error)()
	case shapeS:
		c[0].Interface().(func(string))(c[1].String())
		return nil
	case shapeSErr:
		return c[0].Interface().(func(string) error)(c[1].String())
	case shapeSS:
		c[0].Interface().(func(string, string))(c[1].String(), c[2].String())
		return nil
	case shapeSSErr:
		return c[0].Interface().(func(string, string) error)(c[1].String(), c[2].String())
	}
	out := tk.call[0].Call(tk.call[1:])
	if n := len(out); n > 0 && tk.call[0].Type().Out(n-1) == reflect.TypeFor[error]() {
		if err, _ := out[n-1].Interface().(error); err != nil {
			return err
		}
	}
	return nil
}

// name is the task's function name, for log records.
func (tk *task) name() string {
	if tk.fn != nil {
		return funcName(reflect.ValueOf(tk.fn))
	}
	return funcName(tk.call[0])
}

// funcName names a function as the runtime does ("pkg.Func",
// "pkg.(*T).Method-fm", "pkg.outer.func1"), falling back to its type.
func funcName(v reflect.Value) string {
	if v.Kind() == reflect.Func && !v.IsNil() {
		if f := runtime.FuncForPC(v.Pointer()); f != nil {
			return f.Name()
		}
	}
	if !v.IsValid() {
		return "<nil>"
	}
	return v.Type().String()
}

// checkCall checks fn and args as AddTask documents and returns fn's value,
// for fillCall. Checking now means the call in the background does no
// checking.
func checkCall(fn any, args []any) reflect.Value {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func {
		panic(fmt.Sprintf("background: AddTask: fn must be a func, got %T", fn))
	}
	ft := v.Type()
	if v.IsNil() {
		panic(fmt.Sprintf("background: AddTask: fn is a nil %s", ft))
	}
	in := ft.NumIn()
	fixed := in
	if ft.IsVariadic() {
		fixed--
	}
	if len(args) < fixed || (!ft.IsVariadic() && len(args) > fixed) {
		want := fmt.Sprint(fixed)
		if ft.IsVariadic() {
			want = "at least " + want
		}
		panic(fmt.Sprintf("background: AddTask(%s): got %d argument%s, want %s for %s",
			funcName(v), len(args), plural(len(args)), want, ft))
	}
	for i, a := range args {
		pt := paramType(ft, i)
		if a == nil {
			if !nilable(pt.Kind()) {
				panic(fmt.Sprintf("background: AddTask(%s): args[%d] is nil, want %s "+
					"(only pointer, interface, map, slice, func and chan parameters accept nil)",
					funcName(v), i, pt))
			}
			continue
		}
		if at := reflect.TypeOf(a); !at.AssignableTo(pt) {
			panic(fmt.Sprintf("background: AddTask(%s): args[%d] has type %s, want %s%s",
				funcName(v), i, at, pt, conversionHint(at, pt)))
		}
	}
	return v
}

// fillCall sets call, of length 1+len(args), to the values to call v with,
// args checked by checkCall: v itself, then the arguments, nil ones turned
// into the zero value of their parameter. Converting now rather than keeping
// args means the caller's slice is not retained (a caller passing args... may
// reuse it).
func fillCall(call []reflect.Value, v reflect.Value, args []any) {
	call[0] = v
	for i, a := range args {
		if a == nil {
			call[1+i] = reflect.Zero(paramType(v.Type(), i))
		} else {
			call[1+i] = reflect.ValueOf(a)
		}
	}
}

// paramType is the type of the parameter of ft that argument i is passed
// to: the element type of the variadic parameter for the variadic arguments.
func paramType(ft reflect.Type, i int) reflect.Type {
	if !ft.IsVariadic() || i < ft.NumIn()-1 {
		return ft.In(i)
	}
	return ft.In(ft.NumIn() - 1).Elem()
}

// nilable reports whether nil is a value of a type of kind k.
func nilable(k reflect.Kind) bool {
	switch k {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return true
	}
	return false
}

// conversionHint explains the most common mismatch: an untyped constant that
// Go typed as int or float64 where fn wants another numeric type, or a plain
// string where fn wants a named string type. The fix is not obvious from
// "has type int, want int64" alone. Conversions between kinds (int to
// string) are not suggested: they compile but rarely mean what was wanted.
func conversionHint(got, want reflect.Type) string {
	if got.ConvertibleTo(want) && (got.Kind() == want.Kind() || numeric(got.Kind()) && numeric(want.Kind())) {
		return fmt.Sprintf(" (AddTask does no conversion: pass %s(x))", want)
	}
	return ""
}

// numeric reports whether k is an integer or floating-point kind.
func numeric(k reflect.Kind) bool {
	return k >= reflect.Int && k <= reflect.Float64
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
