// The 422 report of a body encoding/json refused or the rules failed:
// walking the JSON against the node tree, pydantic's type, message and ctx
// for each wrong value, lax coercions, and the bounded item list.

package jsonbody

import (
	"bytes"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	wire "github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/problem"
)

// pydantic v2's error types and messages.
const (
	msgInt          = "Input should be a valid integer"
	msgIntParsing   = "Input should be a valid integer, unable to parse string as an integer"
	msgIntFromFloat = "Input should be a valid integer, got a number with a fractional part"
	msgFloat        = "Input should be a valid number"
	msgFloatParsing = "Input should be a valid number, unable to parse string as a number"
	msgFinite       = "Input should be a finite number"
	msgString       = "Input should be a valid string"
	msgBool         = "Input should be a valid boolean"
	msgBoolParsing  = "Input should be a valid boolean, unable to interpret input"
	msgList         = "Input should be a valid list"
	msgDict         = "Input should be a valid dictionary"
	msgModel        = "Input should be a valid dictionary or object to extract fields from"
	msgBytes        = "Input should be a valid bytes"
	msgDatetime     = "Input should be a valid datetime"
)

// report walks a body that encoding/json either rejected with err (not a
// syntax error) or accepted while the presence scan found a problem, and
// lists every problem: missing fields, nulls where a value is required,
// and values of the wrong JSON type, in pydantic's order (a struct's
// fields in declaration order, list elements and map members in body
// order). It never returns an empty list.
func report(root *node, data []byte, sp *spans, start int, err error, orig map[int][]byte) []problem.Item {
	r := &reporter{data: data, sp: sp, budget: detailBudget + 2*len(data), orig: orig}
	var av any = unknown{}
	if root.needScan {
		// The body as decoded into any: missing fields' inputs are its
		// objects, found by walking it alongside (decoding each object
		// again would cost O(n) per level of nesting).
		av = decodeAny(data, start, len(data), sp)
	}
	r.value(root, start, []any{"body"}, true, false, av)
	if len(r.items) == 0 {
		// encoding/json saw something the walk did not: say what it said.
		msg := "invalid body"
		if err != nil {
			msg = err.Error()
		}
		return []problem.Item{{
			Type:  "value_error",
			Loc:   []any{"body"},
			Msg:   "Value error, " + msg,
			Input: decodeAny(data, start, len(data), sp),
			Ctx:   map[string]any{"error": msg},
		}}
	}
	return r.items
}

type reporter struct {
	data   []byte
	sp     *spans
	items  []problem.Item
	seen   problem.LocSet // locs reported so far
	budget int            // what is left of the detail budget

	// lax: the walk collects, in fixes, the scalars pydantic's lax mode
	// converts (see laxLiteral) instead of reporting them.
	lax   bool
	fixes []fix
	// orig: for a body coerce rewrote, the values as sent, by their offset
	// in the rewritten body, so that errors show the client's input.
	orig map[int][]byte
}

// fix replaces data[start:end] with lit.
type fix struct {
	start, end int
	lit        string
}

// coerce returns the body with every scalar that pydantic's lax mode would
// convert ("50.5" for a float, "42" or 42.0 for an int, "yes" or 1 for a
// bool) rewritten as the JSON literal encoding/json accepts, or nil when
// there is none; orig maps each rewritten value's offset in the new body to
// the value as sent.
func coerce(root *node, data []byte, sp *spans, start int) (fixed []byte, orig map[int][]byte) {
	r := &reporter{data: data, sp: sp, budget: detailBudget + 2*len(data), lax: true}
	r.value(root, start, []any{"body"}, true, false, unknown{})
	if len(r.fixes) == 0 {
		return nil, nil
	}
	slices.SortFunc(r.fixes, func(a, b fix) int { return a.start - b.start })
	out := make([]byte, 0, len(data))
	orig = make(map[int][]byte, len(r.fixes))
	last := 0
	for _, f := range r.fixes {
		if f.start < last {
			continue // the same value, reached twice
		}
		out = append(out, data[last:f.start]...)
		orig[len(out)] = data[f.start:f.end]
		out = append(out, f.lit...)
		last = f.end
	}
	return append(out, data[last:]...), orig
}

// laxLiteral is the JSON literal pydantic's lax mode reads raw as, for a
// scalar encoding/json refuses (scalarProblem reported an *_type problem),
// or false when lax mode refuses it too. Numbers in strings are trimmed as
// pydantic trims them; bools come from pydantic's strings and from 0 and 1;
// an integer from an integral float. Range is checked by the decode that
// follows.
func laxLiteral(n *node, raw []byte) (string, bool) {
	c := raw[0]
	isNum := c == '-' || '0' <= c && c <= '9'
	var s string
	if c == '"' {
		s = strings.TrimSpace(string(unquote(nil, raw[1:len(raw)-1])))
	}
	switch n.kind {
	case kindBool:
		switch {
		case c == '"' && pyBoolString(s):
			switch strings.ToLower(s) {
			case "1", "on", "t", "true", "y", "yes":
				return "true", true
			}
			return "false", true
		case isNum && string(raw) == "0":
			return "false", true
		case isNum && string(raw) == "1":
			return "true", true
		}
	case kindInt, kindUint:
		switch {
		case c == '"' && isValidNumber(s) && isPlainInt(s):
			if strings.Trim(s, "-0") == "" {
				return "0", true
			}
			return s, true
		case c == '"' && isValidNumber(s) && isIntegral(s):
			return integralLiteral(s)
		case isNum && !isPlainInt(string(raw)) && isIntegral(string(raw)):
			return integralLiteral(string(raw))
		case isNum && strings.Trim(string(raw), "-0") == "":
			return "0", true // -0
		}
	case kindFloat:
		if c == '"' && isValidNumber(s) {
			return s, true
		}
	}
	return "", false
}

// integralLiteral writes an integral float literal (42.0, 1e3) as an
// integer literal; one too large to be exact is left to the range check.
func integralLiteral(lit string) (string, bool) {
	x, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(x, 0) {
		return "", false
	}
	if x == 0 {
		return "0", true
	}
	return strconv.FormatFloat(x, 'f', -1, 64), true
}

// detailBudget bounds how much detail a report holds, in bytes of input
// and loc (plus 2 per byte of body). pydantic's shape can make the detail
// far larger than the body (each nested missing field carries its
// enclosing object, and its loc the whole path), so past the budget the
// remaining problems are dropped: only deliberately pathological bodies
// get there.
const detailBudget = 1 << 20

// unknown stands for a part of the body not decoded into any (av), where
// no missing field is reported.
type unknown struct{}

// avMember returns av's member k when av is a known object, else unknown.
func avMember(av any, k string, known bool) any {
	if m, ok := av.(map[string]any); ok && known {
		if v, ok := m[k]; ok {
			return v
		}
	}
	return unknown{}
}

// full reports whether the detail budget is spent.
func (r *reporter) full() bool { return r.budget < 0 }

// add records an item unless its loc has been reported already; size is
// the length of its input in the body.
func (r *reporter) add(it problem.Item, size int) {
	if r.full() || r.seen.Has(it.Loc) {
		return
	}
	it.Loc = slices.Clone(it.Loc)
	r.seen.Add(it.Loc)
	r.budget -= 64 + size + 8*len(it.Loc)
	r.items = append(r.items, it)
}

// wrong records a type error at loc for the value data[start:end]. The
// input is built only for a loc not reported yet: a key repeated many
// times with a wrong value costs its bytes, not a decoded input each.
func (r *reporter) wrong(loc []any, typ, msg string, start, end int, ctx map[string]any) {
	if r.full() || r.seen.Has(loc) {
		return
	}
	var input any
	if o, ok := r.orig[start]; ok {
		input = decodeAny(o, 0, len(o), nil)
	} else {
		input = decodeAny(r.data, start, end, r.sp)
	}
	r.add(problem.Item{Type: typ, Loc: loc, Msg: msg, Input: input, Ctx: ctx}, end-start)
}

// child returns loc extended by x. It may share loc's array with loc's
// other children (so it costs O(1), not O(depth)): the walk is depth
// first, and add copies a loc into the item it keeps.
func child(loc []any, x any) []any {
	return append(loc, x)
}

// parent returns loc with room for children, so that child does not copy
// loc for each of a container's members, nor for a few levels below.
func parent(loc []any) []any {
	if len(loc) < cap(loc) {
		return loc
	}
	return slices.Grow(loc, 8)
}

// value checks the value at data[start] against n and returns its end.
// presence says whether missing fields and nulls count here: they do not
// in an object that a later duplicate key replaces. quoted is the
// ,string option.
func (r *reporter) value(n *node, start int, loc []any, presence, quoted bool, av any) int {
	data := r.data
	end := r.sp.skip(data, start)
	if r.full() {
		return end
	}
	c := at(data, start)
	if c == 'n' && n.kind != kindOpaque {
		return end // null: nil or no change; the caller checks where it is required
	}
	if quoted {
		r.quoted(n, start, end, loc)
		return end
	}
	switch n.kind {
	case kindAny:
		r.anything(start, loc)
	case kindOpaque:
		r.opaque(n, start, end, loc)
	case kindTime:
		if _, ok := r.orig[start]; ok {
			break // rewritten from a valid datetime
		}
		r.datetime(start, end, loc)
	case kindDuration:
		if _, ok := r.orig[start]; ok {
			break // rewritten from a valid duration
		}
		d, e := durationOf(data[start:end])
		switch {
		case e == nil && r.lax:
			r.fixes = append(r.fixes, fix{start: start, end: end, lit: strconv.FormatInt(int64(d), 10)})
		case e != nil && !r.lax:
			r.wrong(loc, e.Type, e.Msg, start, end, e.Ctx)
		}
	case kindPointer:
		r.value(n.elem, start, loc, presence, false, av)
	case kindBool, kindInt, kindUint, kindFloat, kindString, kindNumber:
		if typ, msg, ctx := scalarProblem(n, data[start:end]); typ != "" {
			if r.lax {
				if lit, ok := laxLiteral(n, data[start:end]); ok {
					r.fixes = append(r.fixes, fix{start: start, end: end, lit: lit})
				}
				break
			}
			r.wrong(loc, typ, msg, start, end, ctx)
		}
	case kindBytes:
		switch c {
		case '"':
			s := unquote(nil, data[start+1:max(start+1, end-1)])
			if _, err := base64.StdEncoding.DecodeString(string(s)); err != nil {
				r.wrong(loc, "bytes_invalid_encoding", "Data should be valid base64: "+err.Error(), start, end,
					map[string]any{"encoding": "base64", "encoding_error": err.Error()})
			}
		case '[':
			r.list(n, start, loc, presence, av)
		default:
			r.wrong(loc, "bytes_type", msgBytes, start, end, nil)
		}
	case kindSlice, kindArray:
		if c != '[' {
			r.wrong(loc, "list_type", msgList, start, end, nil)
			break
		}
		r.list(n, start, loc, presence, av)
	case kindMap:
		if c != '{' {
			r.wrong(loc, "dict_type", msgDict, start, end, nil)
			break
		}
		r.dict(n, start, loc, presence, av)
	case kindStruct:
		if c != '{' {
			r.wrong(loc, "model_attributes_type", msgModel, start, end, nil)
			break
		}
		r.object(n, start, end, loc, presence, av)
	}
	return end
}

// anything checks a value decoded into interface{}: encoding/json takes
// any JSON but a number too large for a float64.
func (r *reporter) anything(start int, loc []any) {
	data := r.data
	loc = parent(loc)
	switch at(data, start) {
	case '[':
		i := start + 1
		for idx := 0; ; idx++ {
			s, _, next, more := nextElement(data, r.sp, i)
			if !more {
				return
			}
			i = next
			r.anything(s, child(loc, idx))
		}
	case '{':
		var m member
		for i := start + 1; nextMember(data, r.sp, i, &m); i = m.next {
			r.anything(m.start, child(loc, string(unquote(nil, m.rawKey(data)))))
		}
	case '"', 't', 'f', 'n':
	default:
		end := skipValue(data, start)
		if _, err := strconv.ParseFloat(string(data[start:end]), 64); err != nil {
			r.wrong(loc, "finite_number", msgFinite, start, end, nil)
		}
	}
}

// null records the error for a null where n's value is required.
func (r *reporter) null(n *node, loc []any) {
	typ, msg := nullProblem(n)
	r.add(problem.Item{Type: typ, Loc: loc, Msg: msg, Input: nil}, 4)
}

func (r *reporter) list(n *node, start int, loc []any, presence bool, av any) {
	loc = parent(loc)
	arr, known := av.([]any)
	i := start + 1
	for idx := 0; ; idx++ {
		s, _, next, more := nextElement(r.data, r.sp, i)
		if !more {
			return
		}
		i = next
		if n.kind == kindArray && idx >= n.length {
			continue
		}
		if at(r.data, s) == 'n' {
			if presence && n.elemRejectNull {
				r.null(n.elem, child(loc, idx))
				continue
			}
			if n.elem.kind != kindOpaque {
				continue // nil, or no change
			}
		}
		var ev any = unknown{}
		if known && idx < len(arr) {
			ev = arr[idx]
		}
		r.value(n.elem, s, child(loc, idx), presence, false, ev)
	}
}

func (r *reporter) dict(n *node, start int, loc []any, presence bool, av any) {
	loc = parent(loc)
	// Each distinct key once, boxed for the locs, with its last occurrence
	// (which decides, as in pydantic): a key repeated many times costs its
	// bytes, not an entry each.
	type key struct {
		loc     any // the key as a string
		last    int
		checked bool
	}
	keys := map[string]*key{}
	var buf []byte
	keyOf := func(m *member) []byte {
		raw := m.rawKey(r.data)
		if plainKey(raw) {
			return raw
		}
		buf = unquote(buf[:0], raw)
		return buf
	}
	var m member
	j := 0
	for i := start + 1; nextMember(r.data, r.sp, i, &m); i = m.next {
		kb := keyOf(&m)
		if e := keys[string(kb)]; e != nil {
			e.last = j
		} else {
			k := string(kb)
			keys[k] = &key{loc: k, last: j}
		}
		j++
	}
	j = 0
	for i := start + 1; nextMember(r.data, r.sp, i, &m); i, j = m.next, j+1 {
		e := keys[string(keyOf(&m))]
		k := e.loc.(string)
		kloc := child(loc, e.loc)
		if !e.checked {
			e.checked = true
			if _, err := n.mapKey(k, m.quoted(r.data)); err != nil {
				typ, msg := "value_error", "Value error, "+err.Error()
				var ctx map[string]any
				if n.key == keyInt || n.key == keyUint {
					typ, msg = "int_parsing", msgIntParsing
				} else {
					ctx = map[string]any{"error": err.Error()}
				}
				r.add(problem.Item{Type: typ, Loc: child(kloc, "[key]"), Msg: msg, Input: k, Ctx: ctx}, len(k))
			}
		}
		isLast := e.last == j
		if at(r.data, m.start) == 'n' {
			if presence && isLast && n.elemRejectNull {
				r.null(n.elem, kloc)
				continue
			}
			if n.elem.kind != kindOpaque {
				continue
			}
		}
		r.value(n.elem, m.start, kloc, presence && isLast, false, avMember(av, k, presence && isLast))
	}
}

func (r *reporter) object(n *node, start, end int, loc []any, presence bool, av any) {
	loc = parent(loc)
	// The members by field, in body order within a field: counted first,
	// then placed, so that a body of many (repeated) keys costs one word
	// per member, allocated once.
	var m member
	counts := make([]int, 2*len(n.fields)+1)
	first := counts[:len(n.fields)+1] // where each field's members begin in occ
	for i := start + 1; nextMember(r.data, r.sp, i, &m); i = m.next {
		if fi := n.memberField(r.data, &m); fi >= 0 {
			first[fi+1]++
		}
	}
	for fi := range n.fields {
		first[fi+1] += first[fi]
	}
	occ := make([]int, first[len(n.fields)]) // the members' key offsets
	fill := counts[len(n.fields)+1:]
	copy(fill, first)
	for i := start + 1; nextMember(r.data, r.sp, i, &m); i = m.next {
		if fi := n.memberField(r.data, &m); fi >= 0 {
			occ[fill[fi]] = m.keyStart
			fill[fi]++
		}
	}
	for fi := range n.fields {
		f := &n.fields[fi]
		floc := child(loc, f.locName)
		group := occ[first[fi]:first[fi+1]]
		if len(group) == 0 {
			if presence && f.required {
				if _, ok := av.(unknown); ok && !r.full() {
					av = decodeAny(r.data, start, end, r.sp)
				}
				r.add(problem.Missing(av, floc...), end-start)
			}
			continue
		}
		for g, keyStart := range group {
			var o member
			nextMember(r.data, r.sp, keyStart, &o)
			isLast := g == len(group)-1
			if at(r.data, o.start) == 'n' {
				if presence && isLast && f.rejectNull {
					r.null(f.node, floc)
					continue
				}
				if f.quoted || f.node.kind != kindOpaque {
					continue
				}
			}
			known := presence && isLast
			var fv any = unknown{}
			if known {
				fv = avMember(av, string(unquote(nil, o.rawKey(r.data))), true)
			}
			r.value(f.node, o.start, floc, known, f.quoted, fv)
		}
	}
}

// opaque checks a value of a type with its own unmarshaler by running it.
func (r *reporter) opaque(n *node, start, end int, loc []any) {
	raw := r.data[start:end]
	err := json.Unmarshal(raw, reflect.New(n.typ).Interface())
	if err == nil {
		return
	}
	uuid := wire.IsUUID(n.typ)
	if _, ok := err.(*json.UnmarshalTypeError); ok && n.textOnly {
		if uuid {
			r.wrong(loc, "uuid_type", "UUID input should be a string, bytes or UUID object", start, end, nil)
			return
		}
		r.wrong(loc, "string_type", msgString, start, end, nil)
		return
	}
	e := wire.TextError(err, uuid)
	r.wrong(loc, e.Type, e.Msg, start, end, e.Ctx)
}

// datetime checks a time.Time value as a query parameter's is read (the
// decode package's ParseTime: RFC 3339, pydantic's looser forms, a date
// alone, a timestamp), so that a value means the same in a body and in a
// query. encoding/json reads RFC 3339 only: in lax mode the others are
// rewritten as RFC 3339.
func (r *reporter) datetime(start, end int, loc []any) {
	raw := r.data[start:end]
	if json.Unmarshal(raw, new(time.Time)) == nil {
		return
	}
	var t time.Time
	var e *wire.Error
	switch c := raw[0]; {
	case c == '"':
		t, e = wire.ParseTime(string(unquote(nil, raw[1:max(1, len(raw)-1)])))
	case c == '-' || '0' <= c && c <= '9':
		t, e = wire.ParseTime(string(raw))
	default:
		e = &wire.Error{Type: "datetime_type", Msg: msgDatetime}
	}
	switch {
	case e == nil && r.lax:
		r.fixes = append(r.fixes, fix{start: start, end: end, lit: `"` + t.Format(time.RFC3339Nano) + `"`})
	case e != nil && !r.lax:
		r.wrong(loc, e.Type, e.Msg, start, end, e.Ctx)
	}
}

// quoted checks a ,string field's value as encoding/json does: a JSON
// string holding the literal (or null).
func (r *reporter) quoted(n *node, start, end int, loc []any) {
	for n.kind == kindPointer {
		n = n.elem
	}
	raw := r.data[start:end]
	typ, msg := parsingProblem(n)
	if raw[0] != '"' {
		typ, msg = nullProblem(n)
		r.wrong(loc, typ, msg, start, end, nil)
		return
	}
	inner := unquote(nil, raw[1:max(1, len(raw)-1)])
	if quotedOK(n, inner) {
		return
	}
	if (n.kind == kindInt || n.kind == kindUint) && isValidNumber(string(inner)) {
		if t, m, ctx := intProblem(n, string(inner)); t == "less_than_equal" || t == "greater_than_equal" {
			r.wrong(loc, t, m, start, end, ctx)
			return
		}
	}
	r.wrong(loc, typ, msg, start, end, nil)
}

// quotedOK mirrors encoding/json's literalStore(inner, v, fromQuoted=true).
func quotedOK(n *node, inner []byte) bool {
	if len(inner) == 0 {
		return false
	}
	switch n.kind {
	case kindOpaque, kindTime:
		v := reflect.New(n.typ).Interface()
		if u, ok := v.(json.Unmarshaler); ok && inner[0] != 'n' {
			return u.UnmarshalJSON(inner) == nil
		}
		if inner[0] == 'n' {
			return string(inner) == "null"
		}
		if inner[0] != '"' || !json.Valid(inner) {
			return false
		}
		var s string
		if json.Unmarshal(inner, &s) != nil {
			return false
		}
		return v.(encoding.TextUnmarshaler).UnmarshalText([]byte(s)) == nil
	}
	switch c := inner[0]; {
	case c == 'n':
		return string(inner) == "null"
	case c == 't' || c == 'f':
		return (string(inner) == "true" || string(inner) == "false") && n.kind == kindBool
	case c == '"':
		if n.kind != kindString && n.kind != kindNumber {
			return false
		}
		if !json.Valid(inner) {
			return false
		}
		if n.kind == kindNumber {
			var s string
			_ = json.Unmarshal(inner, &s)
			return isValidNumber(s)
		}
		return true
	case c == '-' || '0' <= c && c <= '9':
		z := reflect.New(n.typ).Elem()
		switch n.kind {
		case kindInt, kindUint:
			_, err := parseInteger(n.typ, n.kind == kindUint, string(inner))
			return err == nil
		case kindFloat:
			x, err := strconv.ParseFloat(string(inner), n.typ.Bits())
			return err == nil && !z.OverflowFloat(x)
		case kindNumber:
			return true
		}
	}
	return false
}

// kindProblem is pydantic's type and message for a JSON value of the wrong
// type (null among them) where a value of a kind is required, and, for the
// scalars that can be read from a string, for a string that does not hold
// one.
type kindProblem struct{ typ, msg, parsingTyp, parsingMsg string }

var kindProblems = [...]kindProblem{
	kindBool:     {"bool_type", msgBool, "bool_parsing", msgBoolParsing},
	kindInt:      {"int_type", msgInt, "int_parsing", msgIntParsing},
	kindUint:     {"int_type", msgInt, "int_parsing", msgIntParsing},
	kindFloat:    {"float_type", msgFloat, "float_parsing", msgFloatParsing},
	kindNumber:   {"float_type", msgFloat, "float_parsing", msgFloatParsing},
	kindString:   {typ: "string_type", msg: msgString},
	kindArray:    {typ: "list_type", msg: msgList},
	kindSlice:    {typ: "list_type", msg: msgList},
	kindMap:      {typ: "dict_type", msg: msgDict},
	kindStruct:   {typ: "model_attributes_type", msg: msgModel},
	kindTime:     {typ: "datetime_type", msg: msgDatetime},
	kindDuration: {typ: "time_delta_type", msg: msgTimedelta},
	kindBytes:    {typ: "bytes_type", msg: msgBytes},
}

// nullProblem is the error for null (or another JSON type) where a value
// of n's type is required.
func nullProblem(n *node) (string, string) {
	if p := kindProblems[n.kind]; p.typ != "" {
		return p.typ, p.msg
	}
	return "value_error", "Value error, a value is required"
}

// parsingProblem is the error for a string that does not hold a value of
// n's type.
func parsingProblem(n *node) (string, string) {
	if p := kindProblems[n.kind]; p.parsingTyp != "" {
		return p.parsingTyp, p.parsingMsg
	}
	return nullProblem(n)
}

// scalarProblem checks a non-null JSON value against a scalar node and
// returns pydantic's type, message and ctx, or "" if encoding/json
// accepts it.
func scalarProblem(n *node, raw []byte) (string, string, map[string]any) {
	c := raw[0]
	isNum := c == '-' || '0' <= c && c <= '9'
	switch n.kind {
	case kindBool:
		switch {
		case c == 't' || c == 'f':
			return "", "", nil
		case c == '"':
			if pyBoolString(string(unquote(nil, raw[1:len(raw)-1]))) {
				return "bool_type", msgBool, nil
			}
			return "bool_parsing", msgBoolParsing, nil
		case isNum && string(raw) != "0" && string(raw) != "1":
			return "bool_parsing", msgBoolParsing, nil
		}
		return "bool_type", msgBool, nil
	case kindInt, kindUint:
		switch {
		case isNum:
			return intProblem(n, string(raw))
		case c == '"':
			s := strings.TrimSpace(string(unquote(nil, raw[1:len(raw)-1])))
			if isValidNumber(s) && isIntegral(s) {
				return "int_type", msgInt, nil
			}
			return "int_parsing", msgIntParsing, nil
		}
		return "int_type", msgInt, nil
	case kindFloat:
		switch {
		case isNum:
			x, err := strconv.ParseFloat(string(raw), n.typ.Bits())
			if err != nil || reflect.New(n.typ).Elem().OverflowFloat(x) {
				return "finite_number", msgFinite, nil
			}
			return "", "", nil
		case c == '"':
			if isValidNumber(strings.TrimSpace(string(unquote(nil, raw[1:len(raw)-1])))) {
				return "float_type", msgFloat, nil
			}
			return "float_parsing", msgFloatParsing, nil
		}
		return "float_type", msgFloat, nil
	case kindNumber:
		switch {
		case isNum:
			return "", "", nil
		case c == '"':
			if isValidNumber(string(unquote(nil, raw[1:len(raw)-1]))) {
				return "", "", nil
			}
			return "float_parsing", msgFloatParsing, nil
		}
		return "float_type", msgFloat, nil
	case kindString:
		if c == '"' {
			return "", "", nil
		}
		return "string_type", msgString, nil
	}
	return "", "", nil
}

// isIntegral reports whether a numeric string has no fractional part.
func isIntegral(s string) bool {
	x, err := strconv.ParseFloat(s, 64)
	return err == nil && x == math.Trunc(x)
}

// intProblem checks a number literal against an integer node.
func intProblem(n *node, lit string) (string, string, map[string]any) {
	if _, err := parseInteger(n.typ, n.kind == kindUint, lit); err == nil {
		return "", "", nil
	}
	if !isPlainInt(lit) {
		x, err := strconv.ParseFloat(lit, 64)
		if err == nil && x != math.Trunc(x) {
			return "int_from_float", msgIntFromFloat, nil
		}
		if err != nil || math.IsInf(x, 0) {
			return "int_type", msgInt, nil
		}
		// An integral number written as a float (1.0, 1e3): encoding/json
		// wants an integer literal.
		if !outOfRange(n, x < 0, x) {
			return "int_type", msgInt, nil
		}
	}
	neg := strings.HasPrefix(lit, "-")
	if n.kind == kindUint && neg {
		if strings.Trim(lit, "-0") == "" {
			return "int_type", msgInt, nil // -0
		}
		return "greater_than_equal", "Input should be greater than or equal to 0", map[string]any{"ge": 0}
	}
	bits := n.typ.Bits()
	if n.kind == kindUint {
		le := uint64(1)<<bits - 1
		if bits == 64 {
			le = math.MaxUint64
		}
		return "less_than_equal", "Input should be less than or equal to " + strconv.FormatUint(le, 10), map[string]any{"le": le}
	}
	if neg {
		ge := int64(-1) << (bits - 1)
		return "greater_than_equal", "Input should be greater than or equal to " + strconv.FormatInt(ge, 10), map[string]any{"ge": ge}
	}
	le := int64(1)<<(bits-1) - 1
	return "less_than_equal", "Input should be less than or equal to " + strconv.FormatInt(le, 10), map[string]any{"le": le}
}

// outOfRange reports whether an integral float is outside n's range.
func outOfRange(n *node, neg bool, x float64) bool {
	bits := n.typ.Bits()
	if n.kind == kindUint {
		return neg || x >= math.Ldexp(1, bits)
	}
	return x >= math.Ldexp(1, bits-1) || x < -math.Ldexp(1, bits-1)
}

// isPlainInt reports whether lit is an integer literal (no '.', 'e').
func isPlainInt(lit string) bool {
	return !strings.ContainsAny(lit, ".eE")
}

// pyBoolString reports whether pydantic's lax mode reads s as a boolean.
func pyBoolString(s string) bool {
	switch strings.ToLower(s) {
	case "0", "off", "f", "false", "n", "no", "1", "on", "t", "true", "y", "yes":
		return true
	}
	return false
}

// isValidNumber reports whether s is a JSON number literal.
func isValidNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
		if s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = s[1:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && '0' <= s[1] && s[1] <= '9' {
		s = s[2:]
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			s = s[1:]
			if s == "" {
				return false
			}
		}
		for len(s) > 0 && '0' <= s[0] && s[0] <= '9' {
			s = s[1:]
		}
	}
	return s == ""
}

// decodeAny decodes a JSON value for an item's input, keeping numbers as
// sent (json.Number), as a json.Decoder with UseNumber would. The values
// given are parts of a body encoding/json has already read, so they are
// well-formed: they are read directly, at the cost of the value alone (a
// json.Decoder per input costs about a kilobyte, which a body of many
// small wrong values would multiply). Anything unexpected goes to
// encoding/json.
func decodeAny(data []byte, start, end int, sp *spans) any {
	d := anyDecoder{sp: sp}
	raw := data[:end]
	if v, e, ok := d.value(raw, skipSpace(raw, start), 0); ok && skipSpace(raw, e) == end {
		return v
	}
	dec := json.NewDecoder(bytes.NewReader(raw[start:]))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return string(raw)
	}
	return v
}

// anyDecoder reads well-formed JSON into interface{} values.
type anyDecoder struct {
	sp      *spans // the body's containers (nil: found by scanning)
	members []int  // scratch: the key offsets of the objects being read
}

// value reads the well-formed JSON value at data[i] as encoding/json
// decodes it into an interface{} (numbers as json.Number, invalid UTF-8
// as U+FFFD, the last of duplicate keys); it returns the value, the index
// past it, and false where data is not as expected.
func (d *anyDecoder) value(data []byte, i, depth int) (any, int, bool) {
	if depth > maxAnyDepth {
		return nil, i, false
	}
	switch c := at(data, i); {
	case c == '"':
		end := skipString(data, i)
		if end > len(data) || end-i < 2 || data[end-1] != '"' {
			return nil, i, false
		}
		return anyString(data[i+1 : end-1]), end, true
	case c == '{':
		return d.object(data, i, depth)
	case c == '[':
		a := []any{}
		i = skipSpace(data, i+1)
		if at(data, i) == ']' {
			return a, i + 1, true
		}
		for {
			v, end, ok := d.value(data, i, depth+1)
			if !ok {
				return nil, end, false
			}
			a = append(a, v)
			i = skipSpace(data, end)
			switch at(data, i) {
			case ',':
				i = skipSpace(data, i+1)
			case ']':
				return a, i + 1, true
			default:
				return nil, i, false
			}
		}
	default:
		end := skipValue(data, i)
		lit := data[i:end]
		switch string(lit) {
		case "true":
			return true, end, true
		case "false":
			return false, end, true
		case "null":
			return nil, end, true
		}
		if !isValidNumber(string(lit)) {
			return nil, i, false
		}
		return json.Number(lit), end, true
	}
}

// object reads the object at data[i]. Its members are read last first, so
// that a value a later duplicate key replaces is skipped, not decoded.
func (d *anyDecoder) object(data []byte, i, depth int) (any, int, bool) {
	base := len(d.members)
	defer func() { d.members = d.members[:base] }()
	i = skipSpace(data, i+1)
	if at(data, i) != '}' {
		for {
			if at(data, i) != '"' {
				return nil, i, false
			}
			d.members = append(d.members, i)
			kend := skipString(data, i)
			i = skipSpace(data, kend)
			if kend-d.members[len(d.members)-1] < 2 || at(data, i) != ':' {
				return nil, i, false
			}
			i = skipSpace(data, d.sp.skip(data, skipSpace(data, i+1)))
			if at(data, i) == '}' {
				break
			}
			if at(data, i) != ',' {
				return nil, i, false
			}
			i = skipSpace(data, i+1)
		}
	}
	end := i + 1
	m := map[string]any{}
	for k := len(d.members) - 1; k >= base; k-- {
		ks := d.members[k]
		kend := skipString(data, ks)
		key := data[ks+1 : kend-1]
		if plainKey(key) {
			if _, ok := m[string(key)]; ok {
				continue
			}
		}
		name := anyString(key)
		if _, ok := m[name]; ok {
			continue
		}
		v, _, ok := d.value(data, skipSpace(data, skipSpace(data, kend)+1), depth+1)
		if !ok {
			return nil, end, false
		}
		m[name] = v
	}
	return m, end, true
}

// maxAnyDepth is encoding/json's nesting limit: deeper input is left to it.
const maxAnyDepth = 10000

// anyString is the text of a JSON string's contents s (quotes excluded).
func anyString(s []byte) string {
	for _, c := range s {
		if c == '\\' || c >= utf8.RuneSelf {
			return string(unquote(make([]byte, 0, len(s)), s))
		}
	}
	return string(s)
}

const msgTimedelta = "Input should be a valid timedelta"

// durationOf reads a JSON value as pydantic reads a timedelta: a number is
// seconds, a string one of the formats wire.ParseDuration knows.
func durationOf(raw []byte) (time.Duration, *wire.Error) {
	switch c := raw[0]; {
	case c == '"':
		return wire.ParseDuration(string(unquote(nil, raw[1:max(1, len(raw)-1)])))
	case c == '-' || '0' <= c && c <= '9':
		return wire.ParseDuration(string(raw))
	}
	return 0, &wire.Error{Type: "time_delta_type", Msg: msgTimedelta, Index: -1}
}
