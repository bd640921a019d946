// Copying a decoded value into the caller's, deep for what the decoder
// built and shallow for types with their own unmarshalling.

package jsonbody

import (
	"encoding"
	"encoding/json"
	"reflect"
)

// copyValue sets dst (settable, or a struct whose exported fields are) to
// a deep copy of src, so that a default handed to one request shares no
// memory with the next. Values of types with their own UnmarshalJSON or
// UnmarshalText are copied shallowly.
func copyValue(dst, src reflect.Value) {
	t := src.Type()
	if t.Name() != "" && t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		pt := reflect.PointerTo(t)
		if pt.Implements(reflect.TypeFor[json.Unmarshaler]()) || pt.Implements(reflect.TypeFor[encoding.TextUnmarshaler]()) {
			set(dst, src)
			return
		}
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			zero(dst)
			return
		}
		p := reflect.New(t.Elem())
		copyValue(p.Elem(), src.Elem())
		set(dst, p)
	case reflect.Interface:
		if src.IsNil() {
			zero(dst)
			return
		}
		e := src.Elem()
		v := reflect.New(e.Type()).Elem()
		copyValue(v, e)
		set(dst, v)
	case reflect.Slice:
		if src.IsNil() {
			zero(dst)
			return
		}
		s := reflect.MakeSlice(t, src.Len(), src.Len())
		for i := range src.Len() {
			copyValue(s.Index(i), src.Index(i))
		}
		set(dst, s)
	case reflect.Map:
		if src.IsNil() {
			zero(dst)
			return
		}
		m := reflect.MakeMapWithSize(t, src.Len())
		it := src.MapRange()
		for it.Next() {
			v := reflect.New(t.Elem()).Elem()
			copyValue(v, it.Value())
			m.SetMapIndex(it.Key(), v)
		}
		set(dst, m)
	case reflect.Array:
		for i := range src.Len() {
			copyValue(dst.Index(i), src.Index(i))
		}
	case reflect.Struct:
		// Everything first (unexported fields included), then the fields
		// that may hold references, one by one.
		set(dst, src)
		for i := range t.NumField() {
			sf := t.Field(i)
			if !sf.IsExported() && !sf.Anonymous {
				continue
			}
			copyValue(dst.Field(i), src.Field(i))
		}
	default:
		set(dst, src)
	}
}

// set is dst.Set(src) where reflect allows it; elsewhere (inside an
// unexported embedded struct) the enclosing struct's copy already did it.
func set(dst, src reflect.Value) {
	if dst.CanSet() && src.CanInterface() {
		dst.Set(src)
	}
}

func zero(dst reflect.Value) {
	if dst.CanSet() {
		dst.SetZero()
	}
}
