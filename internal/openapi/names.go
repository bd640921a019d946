// Component names: a Go type's name, qualified by its package path when
// two types share one, sanitised for OpenAPI.

package openapi

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// assignNames gives every collected struct type its component name. The
// name is the Go type's name; when two types share a name (types from
// different packages, or a type named like a built-in component), every one
// of them is qualified by the last elements of its package path, as many as
// it takes: models.Item and other.Item become "models_Item" and
// "other_Item". The names depend only on the set of types, not on the
// order they were found in.
func (g *generator) assignNames() {
	groups := map[string][]reflect.Type{}
	for _, t := range g.order {
		b := baseName(t)
		groups[b] = append(groups[b], t)
	}
	for b, ts := range groups {
		if len(ts) == 1 && !reserved(b) {
			g.names[ts[0]] = b
			continue
		}
		slices.SortStableFunc(ts, func(a, b reflect.Type) int {
			return strings.Compare(a.PkgPath()+"."+a.Name(), b.PkgPath()+"."+b.Name())
		})
		names := qualify(b, ts)
		for i, t := range ts {
			g.names[t] = names[i]
		}
	}
}

func reserved(name string) bool {
	switch name {
	case httpValidationErrorName, validationErrorName, httpErrorName:
		return true
	}
	return false
}

// qualify names types that share a base name. It tries, with 1, 2, …
// trailing package path elements, in turn: the type's package as a prefix
// ("other_Item"); the generic arguments' packages ("Page_other_Item_");
// both. The first that tells all of ts apart wins; types still alike get
// "_2", "_3", … in the order they were found.
func qualify(base string, ts []reflect.Type) []string {
	maxDepth := 1
	for _, t := range ts {
		maxDepth = max(maxDepth, len(strings.Split(t.PkgPath(), "/")))
		for _, arg := range typeArgs(t) {
			maxDepth = max(maxDepth, len(strings.Split(arg, "/")))
		}
	}
	var names []string
	for depth := 1; depth <= maxDepth; depth++ {
		for _, strategy := range []func(t reflect.Type) string{
			func(t reflect.Type) string { return pkgPrefix(t.PkgPath(), depth) + "_" + base },
			func(t reflect.Type) string { return qualifiedName(t, depth) },
			func(t reflect.Type) string { return pkgPrefix(t.PkgPath(), depth) + "_" + qualifiedName(t, depth) },
		} {
			names = names[:0]
			seen := map[string]bool{}
			for _, t := range ts {
				n := strategy(t)
				seen[n] = true
				names = append(names, n)
			}
			if len(seen) == len(ts) {
				return names
			}
		}
	}
	// Alike in every way we can name (types local to different functions of
	// one package): number them, in the order they were found.
	stem := base
	if reserved(base) {
		stem = pkgPrefix(ts[0].PkgPath(), 1) + "_" + base
	}
	for i := range names {
		names[i] = stem
		if i > 0 {
			names[i] = fmt.Sprintf("%s_%d", stem, i+1)
		}
	}
	return names
}

// pkgPrefix joins the last depth elements of a package path with "_".
func pkgPrefix(pkgPath string, depth int) string {
	if pkgPath == "" {
		return "builtin"
	}
	parts := strings.Split(pkgPath, "/")
	if depth < len(parts) {
		parts = parts[len(parts)-depth:]
	}
	return sanitizeName(strings.Join(parts, "_"))
}

// baseName is a type's name usable as a component name: generic arguments
// lose their package paths ("Page[example.com/m.Item]" → "Page_Item_").
func baseName(t reflect.Type) string { return qualifiedName(t, 0) }

// qualifiedName is like baseName, but generic arguments keep the last
// depth elements of their package paths ("Page_m_Item_" for depth 1).
func qualifiedName(t reflect.Type, depth int) string {
	name := t.Name()
	i := strings.IndexByte(name, '[')
	if i < 0 {
		return sanitizeName(name)
	}
	var b strings.Builder
	b.WriteString(name[:i+1])
	word := ""
	flush := func() {
		if dot := strings.LastIndexByte(word, '.'); dot > strings.LastIndexByte(word, '/') {
			pkg, id := word[:dot], word[dot+1:]
			word = id
			if depth > 0 {
				word = pkgPrefix(pkg, depth) + "_" + id
			}
		}
		b.WriteString(word)
		word = ""
	}
	for _, c := range name[i+1:] {
		switch c {
		case '[', ']', ',', '*', ' ':
			flush()
			b.WriteRune(c)
		default:
			word += string(c)
		}
	}
	flush()
	return sanitizeName(b.String())
}

// typeArgs returns the package paths named in t's generic arguments.
func typeArgs(t reflect.Type) []string {
	name := t.Name()
	i := strings.IndexByte(name, '[')
	if i < 0 {
		return nil
	}
	var out []string
	for _, w := range strings.FieldsFunc(name[i+1:], func(c rune) bool { return strings.ContainsRune("[],* ", c) }) {
		if dot := strings.LastIndexByte(w, '.'); dot > strings.LastIndexByte(w, '/') {
			out = append(out, w[:dot])
		}
	}
	return out
}

// sanitizeName keeps the characters OpenAPI allows in component names
// (^[a-zA-Z0-9._-]+$) and turns the others into "_".
func sanitizeName(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
