// A failed validator/v10 rule as pydantic's 422 item: its type, message
// and ctx for bounds, lengths, formats and the rest.

package validation

import (
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/briskgo/brisk/internal/problem"
)

// Item turns the failure into a 422 detail item with the given loc (the
// caller builds loc from Path), in pydantic v2's words.
//
// The mapping (N is the rule's parameter; numbers in ctx are int when N is an
// integer, float64 otherwise; Input is Value, nil for "missing"):
//
//	required, required_if/_unless/_with/_with_all/_without/_without_all
//	                      missing "Field required"
//	numbers: gt, gte|min, lt, lte|max
//	                      greater_than "Input should be greater than N" {"gt":N},
//	                      greater_than_equal {"ge"}, less_than {"lt"},
//	                      less_than_equal {"le"} ("…or equal to N")
//	numbers: eq|len       literal_error "Input should be N" {"expected":"N"}
//	strings: min|gte, gt, max|lte, lt, len
//	                      string_too_short "String should have at least N
//	                      characters" {"min_length":N} / string_too_long "…at
//	                      most N characters" {"max_length":N}; gt=N means at
//	                      least N+1, lt=N at most N-1; len picks the side the
//	                      value is on; "character" when N is 1
//	strings: eq           literal_error "Input should be 'x'" {"expected":"'x'"}
//	slices/arrays/maps: min|gte, gt, max|lte, lt, len
//	                      too_short "List should have at least N items after
//	                      validation, not M" {"field_type":"List","min_length":N,
//	                      "actual_length":M} / too_long "…at most N items…"
//	                      {"max_length":N}; "Dictionary" for maps; "item" when N is 1
//	slices/arrays: unique value_error "Value error, list items must be unique"
//	                      {"error":"list items must be unique"}; maps: "dict
//	                      values must be unique"
//	oneof                 enum "Input should be 'a', 'b' or 'c'"
//	                      {"expected":"'a', 'b' or 'c'"} (Python's repr quoting
//	                      for strings, numbers bare)
//	time.Time: gt|gte, lt|lte without N
//	                      datetime_future "Input should be in the future" /
//	                      datetime_past "Input should be in the past"
//	time.Duration bounds  as numbers, with N as written ("1m30s") in ctx
//	email                 value_error "value is not a valid email address:
//	                      <reason>" {"reason":…}, reasons from email-validator
//	url, uri, http_url, https_url
//	                      url_parsing "Input should be a valid URL, <error>"
//	                      {"error":…} (rust-url's texts); a well-formed URL
//	                      with another scheme: url_scheme "URL scheme should be
//	                      'http' or 'https'" {"expected_schemes":…}
//	uuid, uuid_rfc4122    uuid_parsing "Input should be a valid UUID, <error>"
//	                      {"error":…} (the uuid crate's texts)
//	uuid3/4/5[_rfc4122]   the same, or for a well-formed UUID of another
//	                      version: uuid_version "UUID version 4 expected"
//	                      {"expected_version":4}
//	ip|ip_addr, ipv4|ip4_addr, ipv6|ip6_addr
//	                      ip_any_address "value is not a valid IPv4 or IPv6
//	                      address", ip_v4_address "Input is not a valid IPv4
//	                      address", ip_v6_address "Input is not a valid IPv6
//	                      address"
//	cidr, cidrv4, cidrv6  ip_any_network "value is not a valid IPv4 or IPv6
//	                      network", ip_v4_network "Input is not a valid IPv4
//	                      network", ip_v6_network "Input is not a valid IPv6
//	                      network"
//	alpha, alphanum, numeric, number, hexadecimal, startswith, endswith, contains,
//	                      string_pattern_mismatch "String should match pattern
//	                      '<re>'" {"pattern":re}, re being validator's own
//	                      pattern, or ^prefix, suffix$, infix (regexp-quoted);
//	pattern|regexp=<re>   the same, with <re> itself
//	boolean               bool_parsing "Input should be a valid boolean,
//	                      unable to interpret input"
//	anything else         Type = the tag, "Value error, failed on the '<tag>'
//	                      rule" ('<tag>=<N>' when it has a parameter), no ctx
func (f Failure) Item(loc []any) problem.Item {
	item := f.describe()
	item.Loc = loc
	if item.Type != "missing" {
		item.Input = f.Value
	}
	return item
}

const msgMissing = "Field required"

// describe gives Type, Msg and Ctx.
func (f Failure) describe() problem.Item {
	switch f.Tag {
	case "required", "required_if", "required_unless", "required_with", "required_with_all",
		"required_without", "required_without_all":
		return problem.Item{Type: "missing", Msg: msgMissing}
	}
	rv := reflect.ValueOf(f.Value)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	kind := rv.Kind()
	switch {
	case rv.IsValid() && rv.Type() == durationType:
		if it, ok := f.durationItem(); ok {
			return it
		}
	case rv.IsValid() && rv.Type() == timeType:
		if it, ok := f.timeItem(); ok {
			return it
		}
	case isNumber(kind):
		if it, ok := f.numberItem(kind); ok {
			return it
		}
	case kind == reflect.String:
		if it, ok := f.stringItem(rv.String()); ok {
			return it
		}
	case kind == reflect.Slice || kind == reflect.Array || kind == reflect.Map:
		if it, ok := f.collectionItem(kind, rv.Len()); ok {
			return it
		}
	}
	if f.Tag == "oneof" {
		return enumItem(f.Param, kind == reflect.String)
	}
	return f.fallback()
}

var (
	durationType = reflect.TypeFor[time.Duration]()
	timeType     = reflect.TypeFor[time.Time]()
)

func isNumber(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

func (f Failure) fallback() problem.Item {
	rule := f.Tag
	if f.Param != "" {
		rule += "=" + f.Param
	}
	return problem.Item{Type: f.Tag, Msg: "Value error, failed on the '" + rule + "' rule"}
}

// number parses a rule parameter: an int when it is an integer (uint64 beyond
// int64), a float64 otherwise, and the text pydantic would print.
func number(param string) (any, string, bool) {
	if i, err := strconv.ParseInt(param, 10, 64); err == nil {
		if int64(int(i)) == i {
			return int(i), strconv.FormatInt(i, 10), true
		}
		return i, strconv.FormatInt(i, 10), true
	}
	if u, err := strconv.ParseUint(param, 10, 64); err == nil {
		return u, strconv.FormatUint(u, 10), true
	}
	if fl, err := strconv.ParseFloat(param, 64); err == nil {
		return fl, formatFloat(fl), true
	}
	return nil, "", false
}

// formatFloat prints like encoding/json, so msg and ctx agree.
func formatFloat(f float64) string {
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		return strconv.FormatFloat(f, 'e', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func bound(typ, words, key string, n any, text string) problem.Item {
	return problem.Item{Type: typ, Msg: "Input should be " + words + " " + text, Ctx: map[string]any{key: n}}
}

func boundItem(tag string, n any, text string) (problem.Item, bool) {
	switch tag {
	case "gt":
		return bound("greater_than", "greater than", "gt", n, text), true
	case "gte", "min":
		return bound("greater_than_equal", "greater than or equal to", "ge", n, text), true
	case "lt":
		return bound("less_than", "less than", "lt", n, text), true
	case "lte", "max":
		return bound("less_than_equal", "less than or equal to", "le", n, text), true
	case "eq", "len":
		return problem.Item{Type: "literal_error", Msg: "Input should be " + text, Ctx: map[string]any{"expected": text}}, true
	}
	return problem.Item{}, false
}

func (f Failure) numberItem(kind reflect.Kind) (problem.Item, bool) {
	if f.Tag == "oneof" {
		return enumItem(f.Param, false), true
	}
	n, text, ok := number(f.Param)
	if !ok {
		return problem.Item{}, false
	}
	return boundItem(f.Tag, n, text)
}

func (f Failure) durationItem() (problem.Item, bool) {
	if f.Param == "" {
		return problem.Item{}, false
	}
	return boundItem(f.Tag, f.Param, f.Param)
}

func (f Failure) timeItem() (problem.Item, bool) {
	if f.Param != "" {
		return problem.Item{}, false
	}
	switch f.Tag {
	case "gt", "gte":
		return problem.Item{Type: "datetime_future", Msg: "Input should be in the future"}, true
	case "lt", "lte":
		return problem.Item{Type: "datetime_past", Msg: "Input should be in the past"}, true
	}
	return problem.Item{}, false
}

// length parses a length parameter.
func length(param string) (int, bool) {
	n, err := strconv.Atoi(param)
	return n, err == nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// lengthBounds turns a length rule into (min, max) with -1 for "none"; len
// picks the side that actual violates.
func lengthBounds(tag string, n, actual int) (min, max int, ok bool) {
	switch tag {
	case "min", "gte":
		return n, -1, true
	case "gt":
		return n + 1, -1, true
	case "max", "lte":
		return -1, n, true
	case "lt":
		return -1, n - 1, true
	case "len":
		if actual < n {
			return n, -1, true
		}
		return -1, n, true
	}
	return 0, 0, false
}

func (f Failure) stringItem(s string) (problem.Item, bool) {
	if n, ok := length(f.Param); ok {
		if min, max, ok := lengthBounds(f.Tag, n, utf8.RuneCountInString(s)); ok {
			if min >= 0 {
				return problem.Item{
					Type: "string_too_short",
					Msg:  "String should have at least " + strconv.Itoa(min) + " character" + plural(min),
					Ctx:  map[string]any{"min_length": min},
				}, true
			}
			return problem.Item{
				Type: "string_too_long",
				Msg:  "String should have at most " + strconv.Itoa(max) + " character" + plural(max),
				Ctx:  map[string]any{"max_length": max},
			}, true
		}
	}
	switch f.Tag {
	case "eq":
		text := pyRepr(f.Param)
		return problem.Item{Type: "literal_error", Msg: "Input should be " + text, Ctx: map[string]any{"expected": text}}, true
	case "oneof":
		return enumItem(f.Param, true), true
	case "email":
		reason := emailReason(s)
		return problem.Item{
			Type: "value_error",
			Msg:  "value is not a valid email address: " + reason,
			Ctx:  map[string]any{"reason": reason},
		}, true
	case "url", "uri", "http_url", "https_url":
		return urlItem(f.Tag, s), true
	case "uuid", "uuid_rfc4122":
		return uuidItem(s, 0), true
	case "uuid3", "uuid3_rfc4122":
		return uuidItem(s, 3), true
	case "uuid4", "uuid4_rfc4122":
		return uuidItem(s, 4), true
	case "uuid5", "uuid5_rfc4122":
		return uuidItem(s, 5), true
	case "ip", "ip_addr":
		return problem.Item{Type: "ip_any_address", Msg: "value is not a valid IPv4 or IPv6 address"}, true
	case "ipv4", "ip4_addr":
		return problem.Item{Type: "ip_v4_address", Msg: "Input is not a valid IPv4 address"}, true
	case "ipv6", "ip6_addr":
		return problem.Item{Type: "ip_v6_address", Msg: "Input is not a valid IPv6 address"}, true
	case "cidr":
		return problem.Item{Type: "ip_any_network", Msg: "value is not a valid IPv4 or IPv6 network"}, true
	case "cidrv4":
		return problem.Item{Type: "ip_v4_network", Msg: "Input is not a valid IPv4 network"}, true
	case "cidrv6":
		return problem.Item{Type: "ip_v6_network", Msg: "Input is not a valid IPv6 network"}, true
	case "boolean":
		return problem.Item{Type: "bool_parsing", Msg: "Input should be a valid boolean, unable to interpret input"}, true
	}
	if pattern, ok := patternOf(f.Tag, f.Param); ok {
		return problem.Item{
			Type: "string_pattern_mismatch",
			Msg:  "String should match pattern '" + pattern + "'",
			Ctx:  map[string]any{"pattern": pattern},
		}, true
	}
	return problem.Item{}, false
}

// patternOf is the regular expression a pattern-like rule stands for.
func patternOf(tag, param string) (string, bool) {
	switch tag {
	case "alpha":
		return "^[a-zA-Z]+$", true
	case "alphanum":
		return "^[a-zA-Z0-9]+$", true
	case "numeric":
		return `^[-+]?[0-9]+(?:\.[0-9]+)?$`, true
	case "number":
		return "^[0-9]+$", true
	case "hexadecimal":
		return "^(0[xX])?[0-9a-fA-F]+$", true
	case "startswith":
		return "^" + regexp.QuoteMeta(param), true
	case "endswith":
		return regexp.QuoteMeta(param) + "$", true
	case "contains":
		return regexp.QuoteMeta(param), true
	case "pattern", "regexp":
		return param, true
	}
	return "", false
}

func (f Failure) collectionItem(kind reflect.Kind, actual int) (problem.Item, bool) {
	fieldType := "List"
	if kind == reflect.Map {
		fieldType = "Dictionary"
	}
	if f.Tag == "unique" {
		msg := "list items must be unique"
		if kind == reflect.Map {
			msg = "dict values must be unique"
		}
		return problem.Item{Type: "value_error", Msg: "Value error, " + msg, Ctx: map[string]any{"error": msg}}, true
	}
	n, ok := length(f.Param)
	if !ok {
		return problem.Item{}, false
	}
	min, max, ok := lengthBounds(f.Tag, n, actual)
	if !ok {
		return problem.Item{}, false
	}
	typ, bound, limit, key := "too_short", "at least", min, "min_length"
	if min < 0 {
		typ, bound, limit, key = "too_long", "at most", max, "max_length"
	}
	return problem.Item{
		Type: typ,
		Msg: fieldType + " should have " + bound + " " + strconv.Itoa(limit) + " item" + plural(limit) +
			" after validation, not " + strconv.Itoa(actual),
		Ctx: map[string]any{"field_type": fieldType, key: limit, "actual_length": actual},
	}, true
}

// oneofValues splits a oneof parameter as validator does: space-separated,
// single quotes grouping a value with spaces.
var oneofValues = regexp.MustCompile(`'[^']*'|\S+`)

// enumItem is pydantic's enum error for the oneof values in param.
func enumItem(param string, quote bool) problem.Item {
	vals := oneofValues.FindAllString(param, -1)
	for i, v := range vals {
		v = strings.ReplaceAll(v, "'", "")
		if quote {
			v = pyRepr(v)
		}
		vals[i] = v
	}
	expected := orList(vals)
	return problem.Item{Type: "enum", Msg: "Input should be " + expected, Ctx: map[string]any{"expected": expected}}
}

// orList joins as pydantic does: "a", "a or b", "a, b or c".
func orList(vals []string) string {
	switch len(vals) {
	case 0:
		return ""
	case 1:
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}

// pyRepr quotes s as Python's repr does.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == rune(q):
			b.WriteByte('\\')
			b.WriteByte(q)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatInt(int64(r)+0x100, 16)[1:])
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
