// Package validation runs go-playground/validator/v10 rules and reports the
// failures in pydantic v2's shape, with paths made of the names on the wire.
//
// A Validator is built once and shared; Has is asked once per type at
// registration so rule-free types skip validation entirely; Check runs per
// request and returns Failures; Failure.Item turns each into a 422 detail item.
//
// Paths: struct fields appear under their wire names (see New); embedded
// structs without a wire name are flattened into their parent, as
// encoding/json does; slice and array elements appear as int indexes and map
// entries as their keys (formatted with fmt's %v, so always strings). A map
// key containing "]" followed by ".", "[" or the end cannot be told apart from
// the path that follows it; such keys are reported as validator spells them,
// cut at the first such "]".
//
// Brisk adds the rule pattern=<re> (alias regexp=<re>): the string must
// contain a match of the Go regular expression, as pydantic's pattern. A nil
// pointer is None: rules other than the required family are not reported on
// it. Verify finds unknown rules and bad patterns at registration.
//
// validator/v10's semantics are kept otherwise: rules on a slice's elements need
// `validate:"dive,…"`, and nested structs in slices are only validated under
// a dive. A struct, slice or map given to Check itself is always walked.
package validation

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"
)

// patternTags are the rules Brisk adds to validator's: `pattern=<re>` (and
// its alias `regexp=<re>`), FastAPI's Query(pattern=…)/Field(pattern=…). The
// string must contain a match of the Go regular expression <re> (anchor it
// with ^…$ for a whole match, as in pydantic, which searches too). Write a
// comma in <re> as 0x2C and a pipe as 0x7C, as validator wants for every
// parameter. Non-string values never match.
var patternTags = [...]string{"pattern", "regexp"}

// patterns caches compiled patterns by their source.
var patterns sync.Map // string -> *regexp.Regexp (nil: invalid)

// compilePattern returns the compiled re, or an error when it is invalid.
func compilePattern(re string) (*regexp.Regexp, error) {
	if c, ok := patterns.Load(re); ok {
		return c.(*regexp.Regexp), nil
	}
	c, err := regexp.Compile(re)
	if err != nil {
		return nil, err
	}
	patterns.Store(re, c)
	return c, nil
}

func matchPattern(fl validator.FieldLevel) bool {
	f := fl.Field()
	if f.Kind() != reflect.String {
		return false
	}
	re, err := compilePattern(fl.Param())
	if err != nil {
		return false
	}
	return re.MatchString(f.String())
}

// wireTags are the tags that name a field on the wire, in order of precedence.
var wireTags = [...]string{"json", "query", "path", "header", "cookie", "form"}

// Validator wraps one validator/v10 instance (struct info cached by validator
// itself). Safe for concurrent use. The zero value is not usable: call New.
type Validator struct {
	v *validator.Validate
}

// New returns a Validator whose field names are the names on the wire: the
// name from the first of the tags json, query, path, header, cookie, form
// (the part before the comma; "-" means skip) and the Go name otherwise.
//
// "-" and empty names (`json:",omitempty"`) pass to the next tag in the list.
// `required` on a non-pointer struct field is enforced (validator's
// WithRequiredStructEnabled, the default of its next major version).
func New() *Validator {
	v := validator.New(validator.WithRequiredStructEnabled())
	for _, tag := range patternTags {
		// Both names are free in validator's built-ins; registering cannot fail.
		_ = v.RegisterValidation(tag, matchPattern)
	}
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if name := wireName(f); name != "" {
			return name
		}
		return f.Name
	})
	return &Validator{v: v}
}

// wireName is the name given to f by its first wire tag, or "".
func wireName(f reflect.StructField) string {
	for _, key := range wireTags {
		tag, ok := f.Tag.Lookup(key)
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if name != "" && name != "-" {
			return name
		}
	}
	return ""
}

// fieldName is the name of f in a path: its wire name or its Go name.
func fieldName(f reflect.StructField) string {
	if name := wireName(f); name != "" {
		return name
	}
	return f.Name
}

// promoted reports whether f is an embedded struct whose fields encoding/json
// shows at the parent's level.
func promoted(f reflect.StructField) bool {
	if !f.Anonymous || wireName(f) != "" {
		return false
	}
	t := f.Type
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct
}

// Has reports whether values of t (struct, pointer to struct, slice/array/map
// of those, nested) carry any `validate` rule anywhere, so the caller can skip
// validation entirely for rule-free types. Called at registration, not per
// request.
func (v *Validator) Has(t reflect.Type) bool {
	return has(t, map[reflect.Type]bool{})
}

func has(t reflect.Type, seen map[reflect.Type]bool) bool {
	return anyField(t, seen, func(f reflect.StructField) bool {
		if !f.IsExported() && !f.Anonymous {
			return false // validator skips unexported fields
		}
		tag := f.Tag.Get("validate")
		if tag == "-" {
			return false
		}
		return tag != "" || has(f.Type, seen)
	})
}

// anyField reports whether match holds for a field of a struct type that t
// is or holds (through pointers, slices, arrays and maps), each struct type
// visited once: the walk behind the registration-time questions about a
// type's rules.
func anyField(t reflect.Type, seen map[reflect.Type]bool, match func(reflect.StructField) bool) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return anyField(t.Elem(), seen, match)
	case reflect.Map:
		return anyField(t.Key(), seen, match) || anyField(t.Elem(), seen, match)
	case reflect.Struct:
	default:
		return false
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	for i := range t.NumField() {
		if match(t.Field(i)) {
			return true
		}
	}
	return false
}

// Failure is one failing rule.
type Failure struct {
	// Path is the field's path below the checked value: wire names (string)
	// and list indexes (int) / map keys (string), e.g. ["items", 0, "name"].
	Path []any
	// TopField is the Go name of the top-level struct field the path starts in
	// ("" for slice/map roots) — lets the caller map request-model fields to
	// path/query/header/cookie/body. For a field promoted from an embedded
	// struct it is the promoted field's name (reflect's FieldByName finds it);
	// for a rule on the embedded struct itself, the embedded type's name.
	TopField string
	// Tag is the failing rule ("required", "min", "hexcolor|rgb", …) and Param
	// its parameter ("3", "a b c", or "").
	Tag, Param string
	// Value is the offending value.
	Value any
}

// Check validates value (a struct or pointer to struct, or a slice, array or
// map of those, nested) and returns one Failure per failing rule, in
// validator's order; nil when all hold. Slices and maps given to Check are
// walked element by element (map keys in sorted order), each struct checked.
func (v *Validator) Check(value any) []Failure {
	fs, _ := v.CheckLimit(value, -1)
	return fs
}

// CheckLimit is Check returning at most limit Failures (no limit if
// negative), the first in Check's order, and how many more there were.
// Those are counted without being built: a value with many failing
// elements costs the rule checks, not a Failure each.
func (v *Validator) CheckLimit(value any, limit int) ([]Failure, int) {
	c := collector{limit: limit}
	rv := reflect.ValueOf(value)
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil, 0
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Struct:
		v.checkStruct(structArg(rv), rv.Type(), nil, true, &c)
	case reflect.Slice, reflect.Array, reflect.Map:
		v.walk(rv, nil, &c)
	}
	return c.out, c.more
}

// collector gathers Failures up to its limit and counts the rest.
type collector struct {
	out   []Failure
	limit int
	more  int
}

// full reports whether the collector takes no more Failures.
func (c *collector) full() bool { return c.limit >= 0 && len(c.out) >= c.limit }

// walk checks every struct inside the container rv, prefixing their paths.
func (v *Validator) walk(rv reflect.Value, prefix []any, out *collector) {
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return
		}
		v.walk(rv.Elem(), prefix, out)
	case reflect.Struct:
		v.checkStruct(structArg(rv), rv.Type(), prefix, false, out)
	case reflect.Slice, reflect.Array:
		if !mayHold(rv.Type().Elem()) {
			return
		}
		for i := range rv.Len() {
			v.walk(rv.Index(i), append(prefix[:len(prefix):len(prefix)], i), out)
		}
	case reflect.Map:
		if !mayHold(rv.Type().Elem()) {
			return
		}
		type entry struct {
			key string
			val reflect.Value
		}
		entries := make([]entry, 0, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			entries = append(entries, entry{keyString(it.Key()), it.Value()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
		for _, e := range entries {
			v.walk(e.val, append(prefix[:len(prefix):len(prefix)], e.key), out)
		}
	}
}

// structArg is what validator is given for the struct rv. validator reads
// every field through Value.Interface, which copies an addressable field of
// a non-pointer type into a new allocation each time; the fields of a struct
// given by value are not addressable and are read in place. So a struct
// whose fields would be copied is given as one copy of its own (one
// allocation, not one per field), unless it needs to be addressable (see
// byValue); a non-addressable rv is given as it is.
func structArg(rv reflect.Value) any {
	if !rv.CanAddr() || byValue(rv.Type()) {
		return rv.Interface()
	}
	return rv.Addr().Interface()
}

// byValues caches byValue's answers by type.
var byValues sync.Map // reflect.Type -> bool

// byValue reports whether a struct of type t is best validated as a copy:
// at least one of its fields is not pointer-shaped (so validator would copy
// it out of an addressable struct), and nothing in it needs addressable
// fields: no validateFn rule (whose method may have a pointer receiver) and
// no unexported embedded struct (whose fields validator reads through their
// address).
func byValue(t reflect.Type) bool {
	if b, ok := byValues.Load(t); ok {
		return b.(bool)
	}
	copies := false
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		switch f.Type.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Chan, reflect.Func, reflect.UnsafePointer:
		default:
			copies = true
		}
	}
	b := copies && !needsAddr(t, map[reflect.Type]bool{})
	byValues.Store(t, b)
	return b
}

// needsAddr reports whether validating values of t may need addressable
// fields (see byValue).
func needsAddr(t reflect.Type, seen map[reflect.Type]bool) bool {
	return anyField(t, seen, func(f reflect.StructField) bool {
		if !f.IsExported() {
			return f.Anonymous
		}
		return strings.Contains(f.Tag.Get("validate"), "validateFn") || needsAddr(f.Type, seen)
	})
}

// mayHold reports whether values of t may be or contain structs.
func mayHold(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Struct, reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Array, reflect.Map:
		return true
	}
	return false
}

func keyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return fmt.Sprint(k.Interface())
}

// checkStruct runs validator on s (a struct or pointer to one, of type t).
// top says whether t is the root, whose fields are the top fields.
func (v *Validator) checkStruct(s any, t reflect.Type, prefix []any, top bool, out *collector) {
	err := v.v.Struct(s)
	if err == nil {
		return
	}
	var errs validator.ValidationErrors
	if !errors.As(err, &errs) {
		// validator refuses only values that are not structs, ruled out above.
		panic(fmt.Sprintf("validation: %v", err))
	}
	root := ""
	if t.Name() != "" {
		root = t.Name() + "."
	}
	for _, fe := range errs {
		if nilOptional(fe) || presentNumber(fe) {
			continue
		}
		if out.full() {
			out.more++
			continue
		}
		ns := strings.TrimPrefix(fe.StructNamespace(), root)
		path, topField := pathOf(t, ns, prefix)
		f := Failure{Path: path, Tag: fe.Tag(), Param: fe.Param(), Value: fe.Value()}
		if top {
			f.TopField = topField
		}
		out.out = append(out.out, f)
	}
}

// pathOf turns a validator struct namespace below a value of type t (Go field
// names, "[i]" indexes and "[key]" keys) into a wire path.
func pathOf(t reflect.Type, ns string, prefix []any) (path []any, topField string) {
	path = append(make([]any, 0, len(prefix)+4), prefix...)
	embedded := ""
	for ns != "" {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch ns[0] {
		case '.':
			ns = ns[1:]
		case '[':
			end := closing(ns)
			key := ns[1:end]
			ns = ns[end+1:]
			if t == nil {
				path = append(path, key)
				continue
			}
			switch t.Kind() {
			case reflect.Slice, reflect.Array:
				if i, err := strconv.Atoi(key); err == nil {
					path = append(path, i)
				} else {
					path = append(path, key)
				}
				t = t.Elem()
			case reflect.Map:
				path = append(path, key)
				t = t.Elem()
			default:
				path = append(path, key)
				t = nil
			}
		default:
			end := strings.IndexAny(ns, ".[")
			if end < 0 {
				end = len(ns)
			}
			name := ns[:end]
			ns = ns[end:]
			if t == nil || t.Kind() != reflect.Struct {
				path = append(path, name)
				t = nil
				continue
			}
			f, ok := t.FieldByName(name)
			if !ok {
				path = append(path, name)
				t = nil
				continue
			}
			t = f.Type
			if promoted(f) {
				if embedded == "" && topField == "" {
					embedded = f.Name
				}
				continue
			}
			if topField == "" {
				topField = f.Name
			}
			path = append(path, fieldName(f))
		}
	}
	if topField == "" {
		topField = embedded
	}
	return path, topField
}

// closing finds the "]" that ends the bracket at ns[0]: the first one
// followed by the end, "." or "[".
func closing(ns string) int {
	for i := 1; i < len(ns); i++ {
		if ns[i] == ']' && (i+1 == len(ns) || ns[i+1] == '.' || ns[i+1] == '[') {
			return i
		}
	}
	return len(ns) - 1
}

// nilOptional reports whether fe is a rule other than the required family
// failing on a nil pointer: None for an Optional field in pydantic, which
// its constraints do not check (validator checks them unless omitempty).
// presentNumber reports a "required" failure on a number or bool: that
// validator/v10 calls its zero value absent, where pydantic's required, the
// OpenAPI document and Brisk's binding mean "present". Absence is reported
// by the binding (a missing body key, a missing parameter); a 0 or false
// that was sent is a value. To ask for non-zero, use ne=0 (or gt=0, min=1),
// for true, eq=true.
func presentNumber(fe validator.FieldError) bool {
	if fe.Tag() != "required" {
		return false
	}
	switch fe.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return true
	}
	return false
}

// HasRequired reports whether a validate tag has "required" among the
// rules of the value itself (before any "dive").
func HasRequired(tag string) bool {
	for tag != "" {
		var rule string
		rule, tag, _ = strings.Cut(tag, ",")
		switch rule {
		case "required":
			return true
		case "dive":
			return false
		}
	}
	return false
}

func nilOptional(fe validator.FieldError) bool {
	if strings.HasPrefix(fe.Tag(), "required") {
		return false
	}
	v := reflect.ValueOf(fe.Value())
	return !v.IsValid() || ((v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil())
}

// Verify checks, at registration, that the rules of t (a struct or pointer
// to one; anything else passes) are ones validator knows and that their
// parameters parse: validator itself would panic on the first request. It
// checks t's own fields and those of the structs reachable from a zero value.
func (v *Validator) Verify(t reflect.Type) (err error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	_ = v.v.Struct(reflect.New(t).Interface())
	return checkPatterns(t, map[reflect.Type]bool{})
}

// checkPatterns compiles every pattern rule's regular expression in t.
func checkPatterns(t reflect.Type, seen map[reflect.Type]bool) error {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return nil
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		for _, rule := range strings.Split(f.Tag.Get("validate"), ",") {
			for _, alt := range strings.Split(rule, "|") {
				name, param, ok := strings.Cut(alt, "=")
				if !ok || (name != "pattern" && name != "regexp") {
					continue
				}
				param = strings.ReplaceAll(strings.ReplaceAll(param, "0x2C", ","), "0x7C", "|")
				if _, err := compilePattern(param); err != nil {
					return fmt.Errorf("field %s: rule %s: %v", f.Name, name, err)
				}
			}
		}
		if err := checkPatterns(f.Type, seen); err != nil {
			return err
		}
	}
	return nil
}
