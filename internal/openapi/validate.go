// Validation tags in the document: validator/v10 rules as JSON Schema
// keywords (bounds, lengths, patterns, formats, enums).

package openapi

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/briskgo/brisk/internal/jsonwrite"
)

// parseRules splits a validate tag into its rules ("min=1", "dive", …).
func parseRules(tag string) []string {
	if tag == "" {
		return nil
	}
	return strings.Split(tag, ",")
}

// splitDive returns the rules before the first "dive" and those after it.
func splitDive(rules []string) (here, dive []string) {
	for i, r := range rules {
		if r == "dive" {
			return rules[:i], rules[i+1:]
		}
	}
	return rules, nil
}

// skipKeys drops a leading "keys … endkeys" section (rules for map keys,
// which have no JSON Schema counterpart that Brisk emits).
func skipKeys(rules []string) []string {
	if len(rules) == 0 || rules[0] != "keys" {
		return rules
	}
	for i, r := range rules {
		if r == "endkeys" {
			return rules[i+1:]
		}
	}
	return nil
}

func hasRule(rules []string, name string) bool {
	for _, r := range rules {
		if r == name {
			return true
		}
	}
	return false
}

// category is how validator/v10 reads a rule's parameter for a Go kind.
type category int

const (
	catOther    category = iota
	catString            // lengths in runes, values compared as strings
	catInt               // values compared as integers
	catDuration          // time.Duration: values are durations ("1s") or nanoseconds; the schema is in seconds
	catBool              // eq compares the value
	catUint              // values compared as unsigned integers
	catFloat             // values compared as floats
	catArray             // lengths in items
	catMap               // lengths in entries
)

func categoryOf(t reflect.Type, s *Schema) category {
	typ, _ := s.Type.(string)
	switch t.Kind() {
	case reflect.String:
		if typ == "string" {
			return catString
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if t == reflect.TypeFor[time.Duration]() && typ == "number" {
			return catDuration
		}
		if typ == "integer" {
			return catInt
		}
	case reflect.Bool:
		if typ == "boolean" {
			return catBool
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if typ == "integer" {
			return catUint
		}
	case reflect.Float32, reflect.Float64:
		if typ == "number" {
			return catFloat
		}
	case reflect.Slice, reflect.Array:
		if typ == "array" {
			return catArray
		}
	case reflect.Map:
		if typ == "object" {
			return catMap
		}
	}
	return catOther
}

// format maps a validate rule to its JSON Schema / OpenAPI format.
func format(rule string) string {
	switch rule {
	case "email":
		return "email"
	case "url", "uri", "http_url", "https_url":
		return "uri"
	case "uuid", "uuid3", "uuid4", "uuid5", "uuid7", "uuid_rfc4122", "uuid3_rfc4122", "uuid4_rfc4122", "uuid5_rfc4122":
		return "uuid"
	case "ipv4", "ip4_addr":
		return "ipv4"
	case "ipv6", "ip6_addr":
		return "ipv6"
	case "hostname", "hostname_rfc1123", "fqdn":
		return "hostname"
	}
	return ""
}

// pattern maps a validate rule to the regular expression validator/v10
// checks it with.
func pattern(rule string) string {
	switch rule {
	case "alpha":
		return `^[a-zA-Z]+$`
	case "alphanum":
		return `^[a-zA-Z0-9]+$`
	case "numeric":
		return `^[-+]?[0-9]+(?:\.[0-9]+)?$`
	case "number":
		return `^[0-9]+$`
	case "hexadecimal":
		return `^(0[xX])?[0-9a-fA-F]+$`
	case "e164":
		return `^\+?[1-9]\d{7,14}$`
	}
	return ""
}

// applyRules maps the rules that apply to this level of a value (before any
// "dive") onto s. t is the Go type (not a pointer): validator/v10 reads
// min/max/len as lengths for strings, slices and maps and as values for
// numbers. Rules without a JSON Schema counterpart are ignored.
func applyRules(s *Schema, t reflect.Type, rules []string) error {
	cat := categoryOf(t, s)
	for _, rule := range rules {
		if strings.Contains(rule, "|") {
			continue // alternatives ("email|url"): no single counterpart
		}
		name, param, _ := strings.Cut(rule, "=")
		param = strings.NewReplacer("0x2C", ",", "0x7C", "|").Replace(param)
		if err := applyRule(s, cat, name, param); err != nil {
			return fmt.Errorf("openapi: validate rule %q on %s: %w", rule, t, err)
		}
	}
	return nil
}

func applyRule(s *Schema, cat category, name, param string) error {
	if f := format(name); f != "" && param == "" {
		if cat == catString {
			s.Format = f
		}
		return nil
	}
	if p := pattern(name); p != "" && param == "" {
		if cat == catString {
			addPattern(s, p)
		}
		return nil
	}
	switch name {
	case "min", "max", "len", "eq", "gt", "gte", "lt", "lte":
		if param == "" {
			return nil // gt/lt on time.Time without a parameter: "after/before now"
		}
		return applyBound(s, cat, name, param)
	case "oneof":
		return applyOneOf(s, cat, param)
	case "port":
		if cat == catInt || cat == catUint {
			s.Minimum = "1"
			if s.Maximum == "" || below("65535", s.Maximum) {
				s.Maximum = "65535"
			}
		}
	case "unique":
		if cat == catArray && param == "" {
			s.UniqueItems = true
		}
	case "base64", "base64url", "base64rawurl":
		if cat == catString {
			s.ContentEncoding = "base64"
			if name != "base64" {
				s.ContentEncoding = "base64url"
			}
		}
	case "datetime":
		if cat == catString {
			switch param {
			case time.RFC3339, time.RFC3339Nano:
				s.Format = "date-time"
			case time.DateOnly:
				s.Format = "date"
			case time.TimeOnly:
				s.Format = "time"
			}
		}
	case "startswith":
		if cat == catString {
			addPattern(s, "^"+regexp.QuoteMeta(param))
		}
	case "endswith":
		if cat == catString {
			addPattern(s, regexp.QuoteMeta(param)+"$")
		}
	case "contains":
		if cat == catString {
			addPattern(s, regexp.QuoteMeta(param))
		}
	case "pattern", "regexp":
		if cat == catString {
			addPattern(s, param)
		}
	}
	return nil
}

// addPattern sets s's pattern, or adds another one under allOf: a string
// must match every one.
func addPattern(s *Schema, p string) {
	if s.Pattern == "" {
		s.Pattern = p
		return
	}
	if s.Pattern == p {
		return
	}
	s.AllOf = append(s.AllOf, &Schema{Pattern: p})
}

func applyBound(s *Schema, cat category, name, param string) error {
	switch cat {
	case catString, catArray, catMap:
		if cat == catString && name == "eq" {
			s.Const = param // eq on a string compares the value, not its length
			return nil
		}
		n64, err := strconv.ParseInt(param, 0, 64)
		if err != nil {
			return fmt.Errorf("length %q is not an integer", param)
		}
		n := int(n64)
		lo, hi := lengthBounds(cat, s)
		switch name {
		case "min", "gte":
			*lo = ptr(n)
		case "max", "lte":
			*hi = ptr(n)
		case "len", "eq":
			*lo, *hi = ptr(n), ptr(n)
		case "gt":
			*lo = ptr(n + 1)
		case "lt":
			*hi = ptr(max(n-1, 0))
		}
	case catBool:
		if name == "eq" {
			b, err := strconv.ParseBool(param)
			if err != nil {
				return fmt.Errorf("%q is not a bool", param)
			}
			s.Const = b
		}
	case catInt, catDuration, catUint, catFloat:
		v, err := number(cat, param)
		if err != nil {
			return err
		}
		switch name {
		case "min", "gte":
			s.Minimum = v
		case "max", "lte":
			s.Maximum = v
		case "gt":
			s.ExclusiveMinimum = v
			if below(s.Minimum, v) {
				s.Minimum = "" // the type's bound: the exclusive one says more
			}
		case "lt":
			s.ExclusiveMaximum = v
			if below(v, s.Maximum) {
				s.Maximum = ""
			}
		case "len", "eq":
			s.Const = v
		}
	}
	return nil
}

// lengthBounds returns the min/max keywords that bound a length.
func lengthBounds(cat category, s *Schema) (lo, hi **int) {
	switch cat {
	case catString:
		return &s.MinLength, &s.MaxLength
	case catArray:
		return &s.MinItems, &s.MaxItems
	default:
		return &s.MinProperties, &s.MaxProperties
	}
}

func ptr(n int) *int { return &n }

// number parses a numeric rule parameter as validator/v10 does for the
// category, and returns it as a JSON number.
func number(cat category, param string) (json.Number, error) {
	switch cat {
	case catDuration:
		// validator/v10 reads "1s" or nanoseconds; the document is in seconds.
		d, err := time.ParseDuration(param)
		if err != nil {
			n, ierr := strconv.ParseInt(param, 0, 64)
			if ierr != nil {
				return "", fmt.Errorf("%q is not a duration", param)
			}
			d = time.Duration(n)
		}
		return json.Number(jsonwrite.AppendSeconds(nil, d)), nil
	case catInt:
		n, err := strconv.ParseInt(param, 0, 64)
		if err != nil {
			return "", fmt.Errorf("%q is not an integer", param)
		}
		return json.Number(strconv.FormatInt(n, 10)), nil
	case catUint:
		n, err := strconv.ParseUint(param, 0, 64)
		if err != nil {
			return "", fmt.Errorf("%q is not an unsigned integer", param)
		}
		return json.Number(strconv.FormatUint(n, 10)), nil
	default:
		f, err := strconv.ParseFloat(param, 64)
		if err != nil {
			return "", fmt.Errorf("%q is not a number", param)
		}
		return floatNumber(f)
	}
}

// below reports whether a < b, both set.
func below(a, b json.Number) bool {
	x, errA := a.Float64()
	y, errB := b.Float64()
	return a != "" && b != "" && errA == nil && errB == nil && x < y
}

func floatNumber(f float64) (json.Number, error) {
	b, err := json.Marshal(f) // rejects NaN and ±Inf
	if err != nil {
		return "", err
	}
	return json.Number(b), nil
}

// oneOfValues splits oneof's parameter as validator/v10 does (with the
// expression '[^']*'|\S+): words separated by white space, or 'quoted
// strings' that may contain spaces; the quotes are dropped.
func oneOfValues(param string) []string {
	var out []string
	for i := 0; i < len(param); {
		switch {
		case unicode.IsSpace(rune(param[i])):
			i++
		case param[i] == '\'' && strings.IndexByte(param[i+1:], '\'') >= 0:
			end := i + 1 + strings.IndexByte(param[i+1:], '\'')
			out = append(out, param[i+1:end])
			i = end + 1
		default:
			end := i
			for end < len(param) && !unicode.IsSpace(rune(param[end])) {
				end++
			}
			out = append(out, strings.ReplaceAll(param[i:end], "'", ""))
			i = end
		}
	}
	return out
}

func applyOneOf(s *Schema, cat category, param string) error {
	var enum []any
	for _, w := range oneOfValues(param) {
		switch cat {
		case catString:
			enum = append(enum, w)
		case catDuration:
			n, err := number(catDuration, w)
			if err != nil {
				return err
			}
			enum = append(enum, n)
		case catInt, catUint:
			// validator/v10 compares the value's decimal form with the words.
			n, err := strconv.ParseInt(w, 10, 64)
			if err != nil {
				if _, uerr := strconv.ParseUint(w, 10, 64); uerr != nil || cat != catUint {
					return fmt.Errorf("%q is not a decimal integer", w)
				}
				enum = append(enum, json.Number(w))
				continue
			}
			enum = append(enum, json.Number(strconv.FormatInt(n, 10)))
		default:
			return nil // oneof is for strings and integers only
		}
	}
	s.Enum = enum
	return nil
}
