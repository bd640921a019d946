// Compiling a body type into the decoder's node tree: kinds, fields with
// encoding/json's rules, defaults and the steps to embedded fields.

package jsonbody

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	wire "github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/jsonfields"
	"github.com/briskgo/brisk/internal/validation"
)

// kind is what a node decodes, in encoding/json's terms.
type kind uint8

const (
	kindAny      kind = iota // empty interface: any JSON value
	kindOpaque               // has UnmarshalJSON or UnmarshalText: not looked into
	kindTime                 // time.Time: opaque, with pydantic's datetime errors
	kindBool                 // bool kinds
	kindInt                  // signed integer kinds
	kindUint                 // unsigned integer kinds
	kindFloat                // float kinds
	kindString               // string kinds
	kindNumber               // json.Number
	kindBytes                // []byte: a base64 string, or an array of numbers
	kindSlice                // other slices
	kindArray                // arrays
	kindMap                  // maps
	kindStruct               // structs
	kindPointer              // pointers
	kindDuration             // time.Duration: pydantic's timedelta (a number is seconds)
)

// keyKind is how a map key is made from an object key.
type keyKind uint8

const (
	keyString keyKind = iota // string kinds
	keyInt                   // signed integer kinds, parsed
	keyUint                  // unsigned integer kinds, parsed
	keyText                  // UnmarshalText (or UnmarshalJSON) on the key type
)

// node is the compiled form of one Go type. Nodes form a graph (recursive
// types point back at themselves) and are never changed after Compile.
type node struct {
	kind kind
	typ  reflect.Type

	elem     *node   // pointer, slice, bytes, array, map
	elemSize uintptr // slice, array
	length   int     // array
	key      keyKind // map

	fields []field        // struct: in encoding/json's order (declaration order)
	exact  map[string]int // struct: JSON name → index in fields
	folded map[string]int // struct: folded JSON name → first field with it
	check  []int          // struct: fields with required, default or sub set
	words  int            // struct: uint64 words for a bitset over fields
	subs   int            // struct: fields whose values need scanning

	// needScan: a valid body must be scanned for presence (the subtree has
	// required fields, defaults, or nulls to reject).
	needScan bool
	// needApply: the subtree has defaults, so the scan writes to the value.
	needApply bool
	// nullable: JSON null is a value (nil) rather than "no change".
	nullable bool
	// elemRejectNull: null is an error as a slice/array element or map value.
	elemRejectNull bool
	// textOnly: an opaque type with UnmarshalText but not UnmarshalJSON.
	textOnly bool
	// hasRefs: a value holds pointers, slices, maps or interfaces (so a
	// default must be deep-copied).
	hasRefs bool
}

// field is one JSON member of a struct, after embedding is resolved.
type field struct {
	name     string
	locName  any    // name, boxed once for the locs of its errors
	goName   string // for error messages at Compile
	steps    []step // from the struct to the field, through embedded pointers
	node     *node
	quoted   bool // ,string
	required bool
	// rejectNull: required, and null would silently leave the zero value.
	rejectNull bool
	sub        int // index among the struct's fields that need scanning, or -1
	def        *defaultValue
}

// step is one selector in a field's index path.
type step struct {
	off   uintptr
	deref bool         // the selected field is an embedded pointer to follow
	elem  reflect.Type // its element type, to allocate it
}

// defaultValue is a parsed default tag.
type defaultValue struct {
	text  string
	value reflect.Value // the decoded default, of the field's type
	mode  uint8         // how apply writes it: copyReflect, copyDeep, copyBytes, copyString
	bytes []byte        // copyBytes: the value's memory (a type without pointers)
	str   string        // copyString: the value
	state uint8         // defPending, defParsing, defReady
}

const (
	copyReflect = iota // reflect.Value.Set
	copyDeep           // copyValue: the type holds references
	copyBytes          // copy memory: the type holds no pointers at all
	copyString         // a string kind
)

const (
	defPending = iota
	defParsing
	defReady
)

type nodeKey struct {
	t      reflect.Type
	viaPtr bool
}

// compiler builds the node graph for one Compile call.
type compiler struct {
	nodes map[nodeKey]*node
	order []*node // in creation order
}

func newCompiler() *compiler {
	return &compiler{nodes: map[nodeKey]*node{}}
}

func (c *compiler) compile(t reflect.Type) (*node, error) {
	// dst is a *t, so encoding/json sees t through a pointer.
	root, err := c.node(t, true, t.String())
	if err != nil {
		return nil, err
	}
	c.flags()
	for _, n := range c.order {
		for i := range n.fields {
			if err := c.parseDefault(&n.fields[i]); err != nil {
				return nil, err
			}
		}
	}
	return root, nil
}

// node returns the node for t. viaPtr says the value is reached through a
// pointer, so its pointer methods count even if t is unnamed (encoding/json
// only takes the address of named types).
func (c *compiler) node(t reflect.Type, viaPtr bool, path string) (*node, error) {
	key := nodeKey{t, viaPtr && t.Name() == ""}
	if n, ok := c.nodes[key]; ok {
		return n, nil
	}
	n := &node{typ: t}
	c.nodes[key] = n
	c.order = append(c.order, n)

	if t.Kind() != reflect.Pointer && (t.Name() != "" || viaPtr) {
		pt := reflect.PointerTo(t)
		isJSON := pt.Implements(reflect.TypeFor[json.Unmarshaler]())
		isText := pt.Implements(reflect.TypeFor[encoding.TextUnmarshaler]())
		if t == reflect.TypeFor[time.Time]() {
			n.kind = kindTime
			return n, nil
		}
		if isJSON || isText {
			n.kind = kindOpaque
			n.textOnly = !isJSON
			n.nullable = true // null is the type's business
			n.hasRefs = typeHasRefs(t, map[reflect.Type]bool{})
			return n, nil
		}
	}

	if t == reflect.TypeFor[time.Duration]() {
		n.kind = kindDuration
		return n, nil
	}

	var err error
	switch t.Kind() {
	case reflect.Bool:
		n.kind = kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n.kind = kindInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n.kind = kindUint
	case reflect.Float32, reflect.Float64:
		n.kind = kindFloat
	case reflect.String:
		n.kind = kindString
		if t == reflect.TypeFor[json.Number]() {
			n.kind = kindNumber
		}
	case reflect.Interface:
		if t.NumMethod() != 0 {
			return nil, fmt.Errorf("jsonbody: %s: cannot decode JSON into non-empty interface %v", path, t)
		}
		n.kind = kindAny
		n.nullable = true
	case reflect.Pointer:
		n.kind = kindPointer
		n.nullable = true
		n.elem, err = c.node(t.Elem(), true, path)
	case reflect.Slice:
		n.kind = kindSlice
		if t.Elem().Kind() == reflect.Uint8 {
			n.kind = kindBytes
		}
		n.nullable = true
		n.elemSize = t.Elem().Size()
		n.elem, err = c.node(t.Elem(), false, path+"[]")
	case reflect.Array:
		n.kind = kindArray
		n.length = t.Len()
		n.elemSize = t.Elem().Size()
		n.elem, err = c.node(t.Elem(), false, path+"[]")
	case reflect.Map:
		n.kind = kindMap
		n.nullable = true
		kt := t.Key()
		switch {
		case reflect.PointerTo(kt).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()):
			n.key = keyText
		case kt.Kind() == reflect.String:
			n.key = keyString
		case kt.Kind() >= reflect.Int && kt.Kind() <= reflect.Int64:
			n.key = keyInt
		case kt.Kind() >= reflect.Uint && kt.Kind() <= reflect.Uintptr:
			n.key = keyUint
		default:
			return nil, fmt.Errorf("jsonbody: %s: cannot decode a JSON object into %v: its keys are %v", path, t, kt)
		}
		n.elem, err = c.node(t.Elem(), false, path+"[]")
	case reflect.Struct:
		n.kind = kindStruct
		err = c.structFields(n, t, path)
	default:
		return nil, fmt.Errorf("jsonbody: %s: cannot decode JSON into %v", path, t)
	}
	if err != nil {
		return nil, err
	}
	n.hasRefs = typeHasRefs(t, map[reflect.Type]bool{})
	return n, nil
}

// structFields compiles t's JSON fields, as encoding/json resolves them
// (see jsonfields).
func (c *compiler) structFields(n *node, t reflect.Type, path string) error {
	fields, ignored := jsonfields.Of(t)
	for _, sf := range ignored {
		if _, ok := sf.Tag.Lookup("default"); ok {
			return fmt.Errorf("jsonbody: %s.%s: default tag on a field JSON ignores (json:\"-\")", path, sf.Name)
		}
	}

	n.fields = make([]field, len(fields))
	n.exact = make(map[string]int, len(fields))
	n.folded = make(map[string]int, len(fields))
	n.words = (len(fields) + 63) / 64
	for i, jf := range fields {
		fpath := path + "." + jf.StructField.Name
		steps, err := fieldSteps(t, jf.Index, fpath)
		if err != nil {
			return err
		}
		fn, err := c.node(jf.StructField.Type, false, fpath)
		if err != nil {
			return err
		}
		f := field{name: jf.Name, locName: jf.Name, goName: fpath, steps: steps, node: fn, quoted: jf.Quoted, sub: -1}
		if text, ok := jf.StructField.Tag.Lookup("default"); ok {
			f.def = &defaultValue{text: text}
		}
		switch jf.StructField.Type.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		default:
			f.required = f.def == nil && !jf.OmitEmpty && !jf.OmitZero
		}
		// validate:"required" means present, as pydantic's required (and the
		// OpenAPI document) say, whatever the kind; a zero number or false
		// sent is present (see validation.Check).
		if f.def == nil && validation.HasRequired(jf.StructField.Tag.Get("validate")) {
			f.required = true
		}
		n.fields[i] = f
		n.exact[jf.Name] = i
		fk := string(appendFold(nil, []byte(jf.Name)))
		if _, ok := n.folded[fk]; !ok {
			n.folded[fk] = i
		}
	}
	return nil
}

// typeHasRefs reports whether values of t hold pointers, slices, maps,
// interfaces, channels or funcs (time.Time's *Location is ignored: it is
// never written through).
func typeHasRefs(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == reflect.TypeFor[time.Time]() {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return true
	case reflect.Array:
		return t.Len() > 0 && typeHasRefs(t.Elem(), seen)
	case reflect.Struct:
		if seen[t] {
			return false
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			if typeHasRefs(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// fieldSteps turns an index path into offsets, refusing paths through
// embedded pointers to unexported types (encoding/json cannot allocate
// them and fails on every body that sets such a field).
func fieldSteps(t reflect.Type, index []int, path string) ([]step, error) {
	steps := make([]step, len(index))
	for i, x := range index {
		sf := t.Field(x)
		steps[i].off = sf.Offset
		t = sf.Type
		if i < len(index)-1 && t.Kind() == reflect.Pointer {
			if !sf.IsExported() {
				return nil, fmt.Errorf("jsonbody: %s: promoted through an embedded pointer to unexported type %v, which encoding/json cannot set", path, t.Elem())
			}
			steps[i].deref = true
			steps[i].elem = t.Elem()
			t = t.Elem()
		}
	}
	return steps, nil
}

// flags computes needScan, needApply, nullability and the per-struct
// bookkeeping, to a fixpoint (types may be recursive).
func (c *compiler) flags() {
	for _, n := range c.order {
		switch n.kind {
		case kindStruct:
			for i := range n.fields {
				f := &n.fields[i]
				if f.required || f.def != nil {
					n.needScan = true
				}
				if f.def != nil {
					n.needApply = true
				}
				f.rejectNull = f.required && !f.node.nullable
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, n := range c.order {
			scan, apply := n.needScan, n.needApply
			switch n.kind {
			case kindStruct:
				for i := range n.fields {
					fn := n.fields[i].node
					scan = scan || fn.needScan
					apply = apply || fn.needApply
				}
			case kindPointer, kindSlice, kindArray, kindMap:
				scan = scan || n.elem.needScan
				apply = apply || n.elem.needApply
			}
			if scan != n.needScan || apply != n.needApply {
				n.needScan, n.needApply = scan, apply
				changed = true
			}
		}
	}
	for _, n := range c.order {
		switch n.kind {
		case kindSlice, kindArray, kindMap:
			n.elemRejectNull = n.elem.needScan && !n.elem.nullable
		case kindStruct:
			n.check = n.check[:0]
			for i := range n.fields {
				f := &n.fields[i]
				if f.node.needScan {
					f.sub = n.subs
					n.subs++
				}
				if f.required || f.def != nil || f.sub >= 0 {
					n.check = append(n.check, i)
				}
			}
		}
	}
}

// parseDefault parses f's default tag, first parsing the defaults it
// depends on (those inside its type) so that they apply within it. A
// default that (through its type) contains itself is applied without
// itself.
func (c *compiler) parseDefault(f *field) error {
	d := f.def
	if d == nil || d.state != defPending {
		return nil
	}
	d.state = defParsing
	if f.node.needApply {
		seen := map[*node]bool{}
		var visit func(n *node) error
		visit = func(n *node) error {
			if n == nil || seen[n] {
				return nil
			}
			seen[n] = true
			for i := range n.fields {
				if err := c.parseDefault(&n.fields[i]); err != nil {
					return err
				}
				if err := visit(n.fields[i].node); err != nil {
					return err
				}
			}
			return visit(n.elem)
		}
		if err := visit(f.node); err != nil {
			return err
		}
	}
	v, err := decodeDefault(f.node, d.text)
	if err != nil {
		return fmt.Errorf("jsonbody: %s: default %q: %w", f.goName, d.text, err)
	}
	d.value = v
	t := f.node.typ
	switch {
	case t.Kind() == reflect.String:
		d.mode, d.str = copyString, v.String()
	case !typeHasPointers(t):
		d.mode = copyBytes
		p := reflect.New(t)
		p.Elem().Set(v)
		d.bytes = bytes.Clone(unsafe.Slice((*byte)(p.UnsafePointer()), t.Size()))
	case f.node.hasRefs && f.node.kind != kindOpaque && f.node.kind != kindTime:
		// Values of types with their own unmarshalers are copied
		// shallowly; see the package doc.
		d.mode = copyDeep
	}
	d.state = defReady
	return nil
}

// decodeDefault decodes a default tag's text into a new value of n's type,
// applying the defaults inside it and checking its required fields.
func decodeDefault(n *node, text string) (reflect.Value, error) {
	base := n
	for base.kind == kindPointer {
		base = base.elem
	}
	var candidates [][]byte
	quotedText, _ := json.Marshal(text)
	switch base.kind {
	case kindString, kindNumber:
		candidates = [][]byte{quotedText}
	case kindDuration:
		d, e := wire.ParseDuration(text)
		if e != nil {
			return reflect.Value{}, e
		}
		candidates = [][]byte{[]byte(strconv.FormatInt(int64(d), 10))}
	case kindOpaque, kindTime:
		candidates = [][]byte{[]byte(text), quotedText}
	default:
		candidates = [][]byte{[]byte(text)}
	}
	var firstErr error
	for _, raw := range candidates {
		v := reflect.New(n.typ)
		if problems := decodeValue(n, raw, v); problems == "" {
			return v.Elem(), nil
		} else if firstErr == nil {
			firstErr = fmt.Errorf("%s", problems)
		}
	}
	return reflect.Value{}, firstErr
}

// decodeValue decodes raw into the value v points to, with the same rules
// as Decode, and returns the problems as one line ("" if none).
func decodeValue(n *node, raw []byte, v reflect.Value) string {
	start := skipSpace(raw, 0)
	if start == len(raw) {
		return "empty"
	}
	err := json.Unmarshal(raw, v.Interface())
	if se, ok := err.(*json.SyntaxError); ok {
		return "invalid JSON: " + se.Error()
	}
	if err == nil {
		if !n.needScan || raw[start] == 'n' {
			return ""
		}
		p := v.UnsafePointer()
		if !n.needApply {
			p = nil
		}
		if scanBody(n, raw, start, v.Interface(), p) {
			return ""
		}
	}
	var b strings.Builder
	for i, it := range report(n, raw, buildSpans(raw), start, err, nil) {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%v: %s", it.Loc[1:], it.Msg)
	}
	return b.String()
}

// appendFold appends encoding/json's case-folded form of name: equal folds
// mean bytes.EqualFold, which is how encoding/json matches keys to fields.
func appendFold(out, in []byte) []byte {
	for i := 0; i < len(in); {
		if c := in[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(in[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += n
	}
	return out
}

// foldRune returns the smallest rune in r's case-folding orbit.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}

// fieldPtr returns a pointer to f within the struct at p, allocating
// embedded pointers on the way if they are nil.
func fieldPtr(p unsafe.Pointer, f *field) unsafe.Pointer {
	for i := range f.steps {
		s := &f.steps[i]
		p = unsafe.Add(p, s.off)
		if s.deref {
			pp := (*unsafe.Pointer)(p)
			if *pp == nil {
				*pp = reflect.New(s.elem).UnsafePointer()
			}
			p = *pp
		}
	}
	return p
}

// apply writes f's default into the field at p.
func (f *field) apply(p unsafe.Pointer) {
	d := f.def
	if d.state != defReady {
		return // only while compiling a default that contains itself
	}
	switch d.mode {
	case copyString:
		*(*string)(p) = d.str
	case copyBytes:
		copy(unsafe.Slice((*byte)(p), len(d.bytes)), d.bytes)
	case copyDeep:
		copyValue(reflect.NewAt(f.node.typ, p).Elem(), d.value)
	default:
		reflect.NewAt(f.node.typ, p).Elem().Set(d.value)
	}
}

// typeHasPointers reports whether t's memory holds any pointer (strings
// included), so that it cannot be copied as bytes.
func typeHasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	case reflect.Array:
		return t.Len() > 0 && typeHasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if typeHasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	}
	return true
}
