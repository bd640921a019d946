package jsonbody

import (
	"bytes"
	"encoding"
	"encoding/json"
	"reflect"
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

// nextMember reads the member at data[i] into m; it returns false at the
// closing brace.
func nextMember(data []byte, i int, m *member) bool {
	i = skipSpace(data, i)
	if at(data, i) != '"' {
		return false
	}
	m.keyStart = i
	m.keyEnd = skipString(data, i)
	i = skipSpace(data, m.keyEnd) // ':'
	m.start = skipSpace(data, i+1)
	m.end = skipValue(data, m.start)
	i = skipSpace(data, m.end)
	if at(data, i) == ',' {
		i++
	}
	m.next = i
	return true
}

// nextElement reads the array element at data[i]; more is false at the
// closing bracket.
func nextElement(data []byte, i int) (start, end, next int, more bool) {
	i = skipSpace(data, i)
	if i >= len(data) || data[i] == ']' {
		return 0, 0, i, false
	}
	start = i
	end = skipValue(data, start)
	i = skipSpace(data, end)
	if at(data, i) == ',' {
		i++
	}
	return start, end, i, true
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
	if i, ok := n.exact[string(key)]; ok {
		return i
	}
	var buf [64]byte
	if i, ok := n.folded[string(appendFold(buf[:0], key))]; ok {
		return i
	}
	return -1
}

// memberField returns the field a member's key selects, or -1. buf is
// scratch space for unquoting.
func (n *node) memberField(data []byte, m *member, buf []byte) int {
	key := m.rawKey(data)
	if !plainKey(key) {
		key = unquote(buf[:0], key)
	}
	return n.lookup(key)
}

// sliceHeader is the layout of a slice value.
type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

// scanValue checks the presence rules for the non-null value at data[i],
// which encoding/json has decoded into n's type at p, and writes defaults
// for absent keys. p is nil when n's subtree has no defaults. It reports
// whether the value is free of problems.
func scanValue(n *node, data []byte, i int, p unsafe.Pointer) bool {
	switch n.kind {
	case kindStruct:
		if at(data, i) != '{' {
			return true
		}
		return scanStruct(n, data, i, p)
	case kindPointer:
		if p != nil {
			p = *(*unsafe.Pointer)(p)
		}
		return scanValue(n.elem, data, i, p)
	case kindSlice, kindArray:
		return scanList(n, data, i, p)
	case kindMap:
		return scanMap(n, data, i, p)
	}
	return true
}

func scanStruct(n *node, data []byte, i int, p unsafe.Pointer) bool {
	var seenBuf, nullBuf [2]uint64
	var offBuf [8]int
	seen, null, off := seenBuf[:], nullBuf[:], offBuf[:]
	if n.words > len(seenBuf) {
		seen, null = make([]uint64, n.words), make([]uint64, n.words)
	}
	if n.subs > len(offBuf) {
		off = make([]int, n.subs)
	}
	var kbuf [64]byte
	var m member
	for i++; nextMember(data, i, &m); {
		i = m.next
		fi := n.memberField(data, &m, kbuf[:])
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
	for _, fi := range n.check {
		f := &n.fields[fi]
		w, b := fi>>6, uint64(1)<<(fi&63)
		switch {
		case seen[w]&b == 0:
			if f.required {
				return false
			}
			if f.def != nil && p != nil {
				f.apply(fieldPtr(p, f))
			}
		case null[w]&b != 0:
			if f.rejectNull {
				return false
			}
			if f.def != nil && !f.node.nullable && p != nil {
				f.apply(fieldPtr(p, f))
			}
		case f.sub >= 0:
			var fp unsafe.Pointer
			if p != nil && f.node.needApply {
				fp = fieldPtr(p, f)
			}
			if !scanValue(f.node, data, off[f.sub], fp) {
				return false
			}
		}
	}
	return true
}

func scanList(n *node, data []byte, i int, p unsafe.Pointer) bool {
	if at(data, i) != '[' {
		return true
	}
	var base unsafe.Pointer
	length := n.length
	if p != nil && n.elem.needApply {
		if n.kind == kindSlice {
			h := (*sliceHeader)(p)
			base, length = h.data, h.len
		} else {
			base = p
		}
	}
	i++
	for idx := 0; ; idx++ {
		start, _, next, more := nextElement(data, i)
		if !more {
			return true
		}
		i = next
		if n.kind == kindArray && idx >= n.length {
			continue // encoding/json drops extra elements
		}
		if at(data, start) == 'n' {
			if n.elemRejectNull {
				return false
			}
			continue
		}
		var ep unsafe.Pointer
		if base != nil && idx < length {
			ep = unsafe.Add(base, uintptr(idx)*n.elemSize)
		}
		if !scanValue(n.elem, data, start, ep) {
			return false
		}
	}
}

// scanMap checks a map's values. The last member with a key is the one
// that counts, so members are collected first; that allocates, for map
// types whose values need scanning only.
func scanMap(n *node, data []byte, i int, p unsafe.Pointer) bool {
	if at(data, i) != '{' {
		return true
	}
	last := map[string]member{}
	var m member
	for i++; nextMember(data, i, &m); {
		i = m.next
		last[string(unquote(nil, m.rawKey(data)))] = m
	}
	var mv reflect.Value
	if p != nil && n.elem.needApply {
		mv = reflect.NewAt(n.typ, p).Elem()
	}
	for k, m := range last {
		if at(data, m.start) == 'n' {
			if n.elemRejectNull {
				return false
			}
			continue
		}
		if !mv.IsValid() {
			if !scanValue(n.elem, data, m.start, nil) {
				return false
			}
			continue
		}
		kv, err := n.mapKey(k, m.quoted(data))
		if err != nil {
			return false
		}
		tmp := reflect.New(n.typ.Elem())
		if cur := mv.MapIndex(kv); cur.IsValid() {
			tmp.Elem().Set(cur)
		}
		ok := scanValue(n.elem, data, m.start, tmp.UnsafePointer())
		mv.SetMapIndex(kv, tmp.Elem())
		if !ok {
			return false
		}
	}
	return true
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
	case keyInt:
		x, err := strconv.ParseInt(k, 10, 64)
		kv := reflect.New(kt).Elem()
		if err == nil && kv.OverflowInt(x) {
			err = strconv.ErrRange
		}
		if err != nil {
			return reflect.Value{}, err
		}
		kv.SetInt(x)
		return kv, nil
	case keyUint:
		x, err := strconv.ParseUint(k, 10, 64)
		kv := reflect.New(kt).Elem()
		if err == nil && kv.OverflowUint(x) {
			err = strconv.ErrRange
		}
		if err != nil {
			return reflect.Value{}, err
		}
		kv.SetUint(x)
		return kv, nil
	}
	return reflect.ValueOf(k).Convert(kt), nil
}
