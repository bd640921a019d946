// A scanner over bodies encoding/json has just accepted: skipping values,
// object members and array elements, key spans, map keys as encoding/json
// makes them, and the slow path that decodes what the fast path cannot.

package jsonbody

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// The scanner below runs over bodies that encoding/json has just accepted,
// so it can trust their syntax; it still never indexes out of range.

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at data[i]
// (a '"').
func skipString(data []byte, i int) int {
	for i++; i < len(data); i++ {
		switch data[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(data)
}

// skipValue returns the index just past the value starting at data[i].
func skipValue(data []byte, i int) int {
	if i >= len(data) {
		return len(data)
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		depth := 0
		for i < len(data) {
			switch data[i] {
			case '"':
				i = skipString(data, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(data)
	default:
		for i < len(data) {
			switch data[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
			i++
		}
		return len(data)
	}
}

// at returns data[i], or 0 past the end.
func at(data []byte, i int) byte {
	if i < len(data) {
		return data[i]
	}
	return 0
}

// member is one "key": value pair of an object, as offsets into the body.
type member struct {
	keyStart, keyEnd int // the key, quotes included
	start, end       int // the value
	next             int // where the next member (or the closing brace) starts
}

// quoted returns the key as sent, quotes included.
func (m *member) quoted(data []byte) []byte { return data[m.keyStart:m.keyEnd] }

// rawKey returns the key's bytes between the quotes, still escaped.
func (m *member) rawKey(data []byte) []byte {
	return data[m.keyStart+1 : max(m.keyStart+1, m.keyEnd-1)]
}

// nextMember reads the member at data[i] into m, skipping its value with
// sp (nil: by scanning); it returns false at the closing brace.
func nextMember(data []byte, sp *spans, i int, m *member) bool {
	i = skipSpace(data, i)
	if at(data, i) != '"' {
		return false
	}
	m.keyStart = i
	m.keyEnd = skipString(data, i)
	i = skipSpace(data, m.keyEnd) // ':'
	m.start = skipSpace(data, i+1)
	m.end = sp.skip(data, m.start)
	m.next = afterValue(data, m.end)
	return true
}

// afterValue returns where the next member or element starts after a
// value ending at i (or where the closing brace or bracket is).
func afterValue(data []byte, i int) int {
	i = skipSpace(data, i)
	if at(data, i) == ',' {
		i = skipSpace(data, i+1)
	}
	return i
}

// nextElement reads the array element at data[i], skipping it with sp;
// more is false at the closing bracket.
func nextElement(data []byte, sp *spans, i int) (start, end, next int, more bool) {
	i = skipSpace(data, i)
	if i >= len(data) || data[i] == ']' {
		return 0, 0, i, false
	}
	start = i
	end = sp.skip(data, start)
	return start, end, afterValue(data, end), true
}

// spans indexes where every object and array of a body ends, so that the
// slow paths skip a nested value in O(log n) instead of rescanning it at
// every level of nesting.
type spans struct {
	start []int // ascending
	end   []int // end[k]: just past the value starting at start[k]
}

func buildSpans(data []byte) *spans {
	// Counted first, so that the index is allocated once, at its size.
	n := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			i = skipString(data, i) - 1
		case '{', '[':
			n++
		}
	}
	s := &spans{start: make([]int, 0, n), end: make([]int, 0, n)}
	var open []int
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			i = skipString(data, i) - 1
		case '{', '[':
			open = append(open, len(s.start))
			s.start = append(s.start, i)
			s.end = append(s.end, len(data))
		case '}', ']':
			if len(open) > 0 {
				s.end[open[len(open)-1]] = i + 1
				open = open[:len(open)-1]
			}
		}
	}
	return s
}

// skip returns the end of the value at data[i]; a nil s scans for it.
func (s *spans) skip(data []byte, i int) int {
	if s != nil {
		if c := at(data, i); c == '{' || c == '[' {
			if k, ok := slices.BinarySearch(s.start, i); ok {
				return s.end[k]
			}
		}
	}
	return skipValue(data, i)
}

// plainKey reports whether a key's bytes are its own unquoted form.
func plainKey(key []byte) bool {
	for _, c := range key {
		if c == '\\' {
			return false
		}
		if c >= utf8.RuneSelf {
			return bytes.IndexByte(key, '\\') < 0 && utf8.Valid(key)
		}
	}
	return true
}

// unquote appends the unquoted form of a JSON string's inner bytes, as
// encoding/json makes it: escapes decoded, invalid UTF-8 and lone
// surrogates replaced by U+FFFD.
func unquote(out, s []byte) []byte {
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			r++
			if r >= len(s) {
				return out
			}
			switch s[r] {
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				rr := getu4(s[r-1:])
				if rr < 0 {
					return out
				}
				r += 5
				if utf16.IsSurrogate(rr) {
					rr1 := getu4(s[r:])
					if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
						r += 6
						out = utf8.AppendRune(out, dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				out = utf8.AppendRune(out, rr)
				continue
			default: // '"', '\\', '/', '\''
				out = append(out, s[r])
			}
			r++
		case c < utf8.RuneSelf:
			out = append(out, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			out = utf8.AppendRune(out, rr)
		}
	}
	return out
}

// getu4 decodes \uXXXX from the beginning of s, returning -1 if it fails.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// lookup returns the index of the field encoding/json would store key in
// (exact name first, then case-folded), or -1.
func (n *node) lookup(key []byte) int {
	if len(n.fields) <= smallStruct {
		for i := range n.fields {
			if n.fields[i].name == string(key) {
				return i
			}
		}
	} else if i, ok := n.exact[string(key)]; ok {
		return i
	}
	var buf [64]byte
	if i, ok := n.folded[string(appendFold(buf[:0], key))]; ok {
		return i
	}
	return -1
}

// smallStruct is the most fields a struct may have for lookup to compare
// names one by one rather than hash (faster for a few short names).
const smallStruct = 8

// memberField returns the field a member's key selects, or -1.
func (n *node) memberField(data []byte, m *member) int {
	key := m.rawKey(data)
	if plainKey(key) {
		return n.lookup(key)
	}
	var buf [64]byte
	return n.lookup(unquote(buf[:0], key))
}

// status is the outcome of scanning a value.
type status uint8

const (
	scanOK   status = iota // no problem
	scanFail               // a missing field, or a null where a value is required
	// scanRedo: a duplicate key whose value has defaults inside. The fast
	// scan may already have written defaults that the last occurrence does
	// not want, over a value encoding/json merged from all occurrences, so
	// the body is decoded again and scanned by the slow path.
	scanRedo
)

// scanBody checks the presence rules for a body that encoding/json has
// just decoded into the value at p (of root's type; nil when root has no
// defaults) and writes the defaults of absent keys. dst is p as an
// interface, for the rare second decode. It reports whether the body is
// free of problems.
func scanBody(root *node, data []byte, start int, dst any, p unsafe.Pointer) bool {
	_, st := fastValue(root, data, start, p)
	if st != scanRedo {
		return st == scanOK
	}
	reflect.ValueOf(dst).Elem().SetZero()
	if json.Unmarshal(data, dst) != nil {
		return false
	}
	return slowValue(root, data, buildSpans(data), start, p)
}

// The fast scan visits every byte once: it recurses into a value that
// needs scanning as it reaches it (and learns its end from the recursion)
// and skips the others. It allocates nothing, except for maps of values
// with defaults.

// fastValue scans the non-null value at data[i], decoded into n's type at
// p (nil when n's subtree has no defaults), and returns its end.
func fastValue(n *node, data []byte, i int, p unsafe.Pointer) (int, status) {
	switch n.kind {
	case kindStruct:
		if at(data, i) == '{' {
			return fastStruct(n, data, i, p)
		}
	case kindPointer:
		if p != nil {
			p = *(*unsafe.Pointer)(p)
		}
		return fastValue(n.elem, data, i, p)
	case kindSlice, kindArray:
		if at(data, i) == '[' {
			return fastList(n, data, i, p)
		}
	case kindMap:
		if at(data, i) == '{' {
			return fastMap(n, data, i, p)
		}
	}
	return skipValue(data, i), scanOK
}

func fastStruct(n *node, data []byte, i int, p unsafe.Pointer) (int, status) {
	var seenBuf, nullBuf, failBuf [2]uint64
	seen, null, fail := seenBuf[:], nullBuf[:], failBuf[:]
	if n.words > len(seenBuf) {
		seen, null, fail = make([]uint64, n.words), make([]uint64, n.words), make([]uint64, n.words)
	}
	var m member
	for i = skipSpace(data, i+1); at(data, i) == '"'; i = afterValue(data, m.end) {
		m.keyStart = i
		m.keyEnd = skipString(data, i)
		m.start = skipSpace(data, skipSpace(data, m.keyEnd)+1)
		fi := n.memberField(data, &m)
		if fi < 0 {
			m.end = skipValue(data, m.start)
			continue
		}
		f := &n.fields[fi]
		w, b := fi>>6, uint64(1)<<(fi&63)
		dup := seen[w]&b != 0
		seen[w] |= b
		fail[w] &^= b // the last occurrence decides
		if at(data, m.start) == 'n' {
			null[w] |= b
			m.end = skipValue(data, m.start)
			continue
		}
		null[w] &^= b
		if f.sub < 0 {
			m.end = skipValue(data, m.start)
			continue
		}
		var fp unsafe.Pointer
		if f.node.needApply {
			if dup {
				return 0, scanRedo
			}
			if p != nil {
				fp = fieldPtr(p, f)
			}
		}
		var st status
		m.end, st = fastValue(f.node, data, m.start, fp)
		switch st {
		case scanRedo:
			return 0, scanRedo
		case scanFail:
			fail[w] |= b
		}
	}
	end := i + 1 // past '}'
	for _, fi := range n.check {
		f := &n.fields[fi]
		w, b := fi>>6, uint64(1)<<(fi&63)
		switch {
		case seen[w]&b == 0 || null[w]&b != 0:
			if !f.settle(p, seen[w]&b == 0) {
				return end, scanFail
			}
		case fail[w]&b != 0:
			return end, scanFail
		}
	}
	return end, scanOK
}

// settle applies a field's rules to a member that is missing or null: the
// default where one applies (a null keeps a nullable field nil), and false
// when the field may not be missing (required) or null (rejectNull). The
// fast and the slow scan share it, so they agree.
func (f *field) settle(p unsafe.Pointer, missing bool) bool {
	if f.def != nil && p != nil && (missing || !f.node.nullable) {
		f.apply(fieldPtr(p, f))
	}
	if missing {
		return !f.required
	}
	return !f.rejectNull
}

func fastList(n *node, data []byte, i int, p unsafe.Pointer) (int, status) {
	base, length := listBase(n, p)
	st := scanOK
	idx := 0
	for i = skipSpace(data, i+1); i < len(data) && data[i] != ']'; idx++ {
		var end int
		switch {
		case n.kind == kindArray && idx >= n.length:
			end = skipValue(data, i) // encoding/json drops extra elements
		case at(data, i) == 'n':
			if n.elemRejectNull {
				st = scanFail
			}
			end = skipValue(data, i)
		default:
			var ep unsafe.Pointer
			if base != nil && idx < length {
				ep = unsafe.Add(base, uintptr(idx)*n.elemSize)
			}
			var est status
			end, est = fastValue(n.elem, data, i, ep)
			if est == scanRedo {
				return 0, scanRedo
			}
			if est == scanFail {
				st = scanFail
			}
		}
		i = afterValue(data, end)
	}
	return i + 1, st
}

// listBase returns where a slice's or array's elements are, when they
// need defaults written.
func listBase(n *node, p unsafe.Pointer) (unsafe.Pointer, int) {
	if p == nil || !n.elem.needApply {
		return nil, 0
	}
	if n.kind == kindSlice {
		// Every slice has the same header, whatever its element type.
		s := *(*[]byte)(p)
		return unsafe.Pointer(unsafe.SliceData(s)), len(s)
	}
	return p, n.length
}

func fastMap(n *node, data []byte, i int, p unsafe.Pointer) (int, status) {
	mv := mapValue(n, p)
	var failed map[string]bool // keys whose (last) value fails; rarely made
	members := 0
	var kbuf [64]byte
	var m member
	for i = skipSpace(data, i+1); at(data, i) == '"'; i = afterValue(data, m.end) {
		members++
		m.keyStart = i
		m.keyEnd = skipString(data, i)
		m.start = skipSpace(data, skipSpace(data, m.keyEnd)+1)
		key := m.rawKey(data)
		if !plainKey(key) {
			key = unquote(kbuf[:0], key)
		}
		st := scanOK
		switch {
		case at(data, m.start) == 'n':
			if n.elemRejectNull {
				st = scanFail
			}
			m.end = skipValue(data, m.start)
		case mv.IsValid():
			kv, err := n.mapKey(string(key), m.quoted(data))
			if err != nil {
				return 0, scanRedo // encoding/json accepted the key: cannot happen
			}
			tmp := reflect.New(n.typ.Elem())
			if cur := mv.MapIndex(kv); cur.IsValid() {
				tmp.Elem().Set(cur)
			}
			m.end, st = fastValue(n.elem, data, m.start, tmp.UnsafePointer())
			mv.SetMapIndex(kv, tmp.Elem())
		default:
			m.end, st = fastValue(n.elem, data, m.start, nil)
		}
		switch {
		case st == scanRedo:
			return 0, scanRedo
		case st == scanFail:
			if failed == nil {
				failed = map[string]bool{}
			}
			failed[string(key)] = true
		case failed != nil:
			delete(failed, string(key))
		}
	}
	if mv.IsValid() && members != mv.Len() {
		// Duplicate keys: the defaults written for an earlier one may
		// not be the last one's.
		return 0, scanRedo
	}
	if len(failed) > 0 {
		return i + 1, scanFail
	}
	return i + 1, scanOK
}

// mapValue returns the map at p when its values need defaults written.
func mapValue(n *node, p unsafe.Pointer) reflect.Value {
	if p == nil || !n.elem.needApply {
		return reflect.Value{}
	}
	if mv := reflect.NewAt(n.typ, p).Elem(); !mv.IsNil() {
		return mv
	}
	return reflect.Value{} // not decoded from an object: cannot happen
}

// The slow scan, for bodies with duplicate keys that have defaults inside:
// it first notes where each field's last occurrence is, then scans those
// only, so that defaults follow the last occurrence. Skipping goes through
// an index of spans, so it stays O(n log n) however deep the body.

func slowValue(n *node, data []byte, sp *spans, i int, p unsafe.Pointer) bool {
	switch n.kind {
	case kindStruct:
		return at(data, i) != '{' || slowStruct(n, data, sp, i, p)
	case kindPointer:
		if p != nil {
			p = *(*unsafe.Pointer)(p)
		}
		return slowValue(n.elem, data, sp, i, p)
	case kindSlice, kindArray:
		return at(data, i) != '[' || slowList(n, data, sp, i, p)
	case kindMap:
		return at(data, i) != '{' || slowMap(n, data, sp, i, p)
	}
	return true
}

func slowStruct(n *node, data []byte, sp *spans, i int, p unsafe.Pointer) bool {
	seen, null, off := make([]uint64, n.words), make([]uint64, n.words), make([]int, n.subs)
	var m member
	for i++; nextMember(data, sp, i, &m); i = m.next {
		fi := n.memberField(data, &m)
		if fi < 0 {
			continue
		}
		w, b := fi>>6, uint64(1)<<(fi&63)
		seen[w] |= b
		if at(data, m.start) == 'n' {
			null[w] |= b
		} else {
			null[w] &^= b
		}
		if s := n.fields[fi].sub; s >= 0 {
			off[s] = m.start
		}
	}
	ok := true
	for _, fi := range n.check {
		f := &n.fields[fi]
		w, b := fi>>6, uint64(1)<<(fi&63)
		switch {
		case seen[w]&b == 0 || null[w]&b != 0:
			if !f.settle(p, seen[w]&b == 0) {
				ok = false
			}
		case f.sub >= 0:
			var fp unsafe.Pointer
			if p != nil && f.node.needApply {
				fp = fieldPtr(p, f)
			}
			if !slowValue(f.node, data, sp, off[f.sub], fp) {
				ok = false
			}
		}
	}
	return ok
}

func slowList(n *node, data []byte, sp *spans, i int, p unsafe.Pointer) bool {
	base, length := listBase(n, p)
	ok := true
	i++
	for idx := 0; ; idx++ {
		start, _, next, more := nextElement(data, sp, i)
		if !more {
			return ok
		}
		i = next
		switch {
		case n.kind == kindArray && idx >= n.length:
		case at(data, start) == 'n':
			if n.elemRejectNull {
				ok = false
			}
		default:
			var ep unsafe.Pointer
			if base != nil && idx < length {
				ep = unsafe.Add(base, uintptr(idx)*n.elemSize)
			}
			if !slowValue(n.elem, data, sp, start, ep) {
				ok = false
			}
		}
	}
}

// slowMap scans the last member of each map key (keys compared as
// encoding/json converts them, so "1" and "01" are one int key).
func slowMap(n *node, data []byte, sp *spans, i int, p unsafe.Pointer) bool {
	type entry struct {
		kv reflect.Value
		m  member
	}
	var order []any
	last := map[any]entry{}
	var m member
	for i++; nextMember(data, sp, i, &m); i = m.next {
		kv, err := n.mapKey(string(unquote(nil, m.rawKey(data))), m.quoted(data))
		if err != nil {
			return false
		}
		k := kv.Interface()
		if _, ok := last[k]; !ok {
			order = append(order, k)
		}
		last[k] = entry{kv, m}
	}
	mv := mapValue(n, p)
	ok := true
	for _, k := range order {
		e := last[k]
		if at(data, e.m.start) == 'n' {
			if n.elemRejectNull {
				ok = false
			}
			continue
		}
		if !mv.IsValid() {
			if !slowValue(n.elem, data, sp, e.m.start, nil) {
				ok = false
			}
			continue
		}
		tmp := reflect.New(n.typ.Elem())
		if cur := mv.MapIndex(e.kv); cur.IsValid() {
			tmp.Elem().Set(cur)
		}
		if !slowValue(n.elem, data, sp, e.m.start, tmp.UnsafePointer()) {
			ok = false
		}
		mv.SetMapIndex(e.kv, tmp.Elem())
	}
	return ok
}

// mapKey makes the map key encoding/json makes of an object key (k
// unquoted, raw quoted).
func (n *node) mapKey(k string, raw []byte) (reflect.Value, error) {
	kt := n.typ.Key()
	switch n.key {
	case keyText:
		kv := reflect.New(kt)
		if u, ok := kv.Interface().(json.Unmarshaler); ok {
			if err := u.UnmarshalJSON(raw); err != nil {
				return reflect.Value{}, err
			}
		} else if err := kv.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(k)); err != nil {
			return reflect.Value{}, err
		}
		return kv.Elem(), nil
	case keyInt, keyUint:
		return parseInteger(kt, n.key == keyUint, k)
	}
	return reflect.ValueOf(k).Convert(kt), nil
}

// parseInteger parses a base-10 literal into a new value of the integer
// type t (unsigned for the uint kinds) as encoding/json does: a value that
// does not fit t is strconv.ErrRange. Map keys, number checks and the 422
// reasons all use it, so they agree on what fits.
func parseInteger(t reflect.Type, unsigned bool, s string) (reflect.Value, error) {
	v := reflect.New(t).Elem()
	var err error
	if unsigned {
		var x uint64
		if x, err = strconv.ParseUint(s, 10, 64); err == nil && !v.OverflowUint(x) {
			v.SetUint(x)
			return v, nil
		}
	} else {
		var x int64
		if x, err = strconv.ParseInt(s, 10, 64); err == nil && !v.OverflowInt(x) {
			v.SetInt(x)
			return v, nil
		}
	}
	if err == nil {
		err = strconv.ErrRange
	}
	return reflect.Value{}, err
}
