// Struct tags that look like a source but are not one (`quary:"q"`,
// `heder:"x"`, `from:"name"`): refused at registration, since the field would
// otherwise be silently ignored or the struct become a required JSON body.

package brisk

import (
	"fmt"
	"reflect"
	"strings"
)

// sourceTags are the tag keys that bind a field to part of the request:
// the model sources, and forms'.
var sourceTags = append(sources[:len(sources):len(sources)], "form")

// foreignSources are other frameworks' source tags (and FastAPI's word),
// each with the Brisk tag that means it.
var foreignSources = map[string]string{
	"from":   "query, path, header, cookie or form",
	"param":  "path",
	"params": "path",
	"uri":    "path",
}

// checkTags panics when a field of struct t (or of a struct type it holds)
// has a tag key that is a near miss of a source tag, naming the field and
// the tag; where describes the parameter for the message.
func checkTags(t reflect.Type, where func() string) {
	seen := map[reflect.Type]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for i := range t.NumField() {
			f := t.Field(i)
			for _, key := range tagKeys(f.Tag) {
				if want, ok := nearMiss(key); ok {
					panic(fmt.Sprintf("brisk: %s: field %s.%s has the tag %s:%q, which Brisk does not read; did you mean %s?",
						where(), t, f.Name, key, f.Tag.Get(key), want))
				}
			}
			walk(f.Type)
		}
	}
	walk(t)
}

// nearMiss reports whether key looks like a source tag without being one,
// and which tag was probably meant.
func nearMiss(key string) (string, bool) {
	for _, src := range sourceTags {
		if key == src {
			return "", false
		}
	}
	lower := strings.ToLower(key)
	if want, ok := foreignSources[lower]; ok {
		return want, true
	}
	for _, src := range sourceTags {
		if lower == src || len(key) >= 4 && editDistance(lower, src) == 1 {
			return src, true
		}
	}
	return "", false
}

// tagKeys lists the keys of a struct tag, in the conventional format
// reflect.StructTag.Lookup reads.
func tagKeys(tag reflect.StructTag) []string {
	var keys []string
	s := string(tag)
	for s != "" {
		i := 0
		for i < len(s) && s[i] == ' ' {
			i++
		}
		s = s[i:]
		i = 0
		for i < len(s) && s[i] > ' ' && s[i] != ':' && s[i] != '"' && s[i] != 0x7f {
			i++
		}
		if i == 0 || i+1 >= len(s) || s[i] != ':' || s[i+1] != '"' {
			break
		}
		keys = append(keys, s[:i])
		s = s[i+1:]
		// Skip the quoted value.
		i = 1
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(s) {
			break
		}
		s = s[i+1:]
	}
	return keys
}

// editDistance is the optimal string alignment distance of a and b (ASCII):
// insertions, deletions, substitutions and swaps of neighbours count one.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
