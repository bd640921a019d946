// Binders for what Brisk provides itself (context, request, writer, tasks,
// provider results) and for path scalars, with the scratch memory they use.

package brisk

import (
	"net/http"
	"reflect"
	"unsafe"

	"github.com/briskgo/brisk/internal/decode"
)

func bindContext(st *reqState, _ http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
	st.ctx = r.Context()
	*out = st.ctxValue
	return true
}

func bindRequest(_ *reqState, _ http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
	*out = reflect.ValueOf(r)
	return true
}

func bindWriter(st *reqState, w http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
	st.writer = w
	*out = st.writerValue
	return true
}

func bindTasks(st *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
	*out = reflect.ValueOf(st.backgroundTasks())
	return true
}

func bindSlot(slot int) binder {
	return func(st *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
		if st.slotState[slot] != slotReady {
			return false
		}
		*out = st.slots[slot]
		return true
	}
}

// scratchSlots is how many scalar path parameters per call are decoded into
// the request state's own memory instead of a fresh allocation.
const scratchSlots = 8

// pathBinder binds the positional path parameter i, decoding it into
// per-request scratch memory when the type fits, so scalars cost no
// allocation.
func (c *compiler) pathBinder(t reflect.Type, i, scratch int) binder {
	dec, _, _ := decode.For(t)
	name := c.pathNames[i]
	alloc := scratchAllocator(t, scratch)
	return func(st *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
		raw := st.pathValue(i)
		v := alloc(st)
		st.one[0] = raw
		if err := dec(st.one[:], v.Addr().UnsafePointer()); err != nil {
			st.addDecodeError(err, raw, "path", name)
			return false
		}
		*out = v
		return true
	}
}

// scratchAllocator returns a func that gives a settable zero value of t,
// in the request state's scratch words when t is a string or fits a word.
func scratchAllocator(t reflect.Type, i int) func(*reqState) reflect.Value {
	if i < scratchSlots {
		switch t.Kind() {
		case reflect.String:
			if !reflect.PointerTo(t).Implements(unmarshalType) {
				return func(st *reqState) reflect.Value {
					st.strs[i] = ""
					return reflect.NewAt(t, unsafe.Pointer(&st.strs[i])).Elem()
				}
			}
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64:
			if !reflect.PointerTo(t).Implements(unmarshalType) {
				return func(st *reqState) reflect.Value {
					st.words[i] = 0
					return reflect.NewAt(t, unsafe.Pointer(&st.words[i])).Elem()
				}
			}
		}
	}
	return func(*reqState) reflect.Value { return reflect.New(t).Elem() }
}

// valueAllocator returns a func giving a pointer to a zero t for one
// request. Values passed by value are copied into the call, so the memory is
// the request state's own, reused request after request; a pointer type gets
// a fresh value, since its pointee is what the callee receives.
func (c *compiler) valueAllocator(t reflect.Type) func(*reqState) reflect.Value {
	if t.Kind() == reflect.Pointer {
		return func(*reqState) reflect.Value { return reflect.New(t) }
	}
	id := c.app.newScratchID()
	return func(st *reqState) reflect.Value { return st.scratchValue(id, t) }
}

// scratchValue returns a pointer to a zeroed t kept in this state for
// scratch ID id (see compiler.valueAllocator).
func (st *reqState) scratchValue(id int, t reflect.Type) reflect.Value {
	if id >= len(st.values) {
		st.values = append(st.values, make([]reflect.Value, id+1-len(st.values))...)
	}
	v := st.values[id]
	if !v.IsValid() {
		v = reflect.New(t)
		st.values[id] = v
		return v
	}
	v.Elem().SetZero()
	return v
}
