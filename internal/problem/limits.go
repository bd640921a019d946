// The bounds of a 422: how many items it lists, how much of each input it
// echoes, how large it may grow against the request, and the markers that
// say something was cut.

package problem

import (
	"cmp"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The limits of a 422 answer. pydantic lists every error and echoes every
// input whole, so a small request can ask for a huge answer (each of 64 000
// list elements failing a rule, or one 1 MiB string failing a pattern).
// Brisk keeps FastAPI's shape and cuts the answer instead:
const (
	// MaxItems is how many items a 422 lists; past it, one more item of
	// type TooManyType says how many were left out.
	MaxItems = 1000
	// MaxInputBytes bounds an echoed input: a longer one is cut to its
	// first MaxInputBytes bytes (of the string, or of its JSON for other
	// values), sent as a string, and the item's ctx gets
	// "input_truncated": true.
	MaxInputBytes = 4096
	// SizeSlack and SizeFactor bound the whole answer: at most SizeFactor
	// times the request's size plus SizeSlack bytes. Items that would pass
	// it are left out, as past MaxItems.
	SizeSlack  = 64 << 10
	SizeFactor = 4
)

// TooManyType is the type of the item that ends a cut list.
const TooManyType = "too_many_errors"

// markerReserve is room kept for the TooManyType item and the list's
// frame ({"detail":[…]}).
const markerReserve = 256

// TooMany is the item that ends a list cut after shown items, omitted
// more left out.
func TooMany(shown, omitted int) Item {
	return Item{
		Type:  TooManyType,
		Loc:   []any{},
		Msg:   "Too many errors: " + strconv.Itoa(omitted) + " more not listed",
		Input: nil,
		Ctx:   map[string]any{"shown": shown, "omitted": omitted},
	}
}

// Budget is the largest 422 body, in bytes, for a request of reqSize bytes.
func Budget(reqSize int) int {
	return SizeSlack + SizeFactor*reqSize
}

// Cap returns items cut to what the limits allow for a request of reqSize
// bytes: the longest prefix of at most MaxItems items whose encoding (by
// size, which returns an item's encoded length, or -1 when it cannot be
// encoded) fits Budget(reqSize), followed by TooMany when items were left
// out here or, omitted of them, before: a producer that finds more than
// MaxItems errors of one kind keeps the first MaxItems, in the order they
// will be listed, and counts the rest (no more could be listed, and
// memory stays bounded). It reuses items' array.
func Cap(items []Item, omitted, reqSize int, size func(Item) int) []Item {
	budget := Budget(reqSize) - markerReserve
	used, n := 0, 0
	for n < len(items) && n < MaxItems {
		s := size(items[n])
		if s < 0 || used+s+1 > budget {
			break
		}
		used += s + 1
		n++
	}
	if n == len(items) && omitted == 0 {
		return items
	}
	omitted += len(items) - n
	clear(items[n:])
	return append(items[:n], TooMany(n, omitted))
}

// ClipInput cuts it.Input to MaxInputBytes (see MaxInputBytes), marking
// it in ctx. It costs at most about MaxInputBytes of work for an input
// decoded from JSON, whatever its size.
func ClipInput(it *Item) {
	var text string
	switch v := it.Input.(type) {
	case nil, bool, int, int64, uint64, float64, json.Number:
		return
	case string:
		if len(v) <= MaxInputBytes {
			return
		}
		text = v
	default:
		switch reflect.ValueOf(v).Kind() {
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64:
			return
		}
		b, ok := appendLimited(make([]byte, 0, 256), v, MaxInputBytes+1)
		if !ok || len(b) <= MaxInputBytes {
			return // small, or not JSON at all: left to the encoder
		}
		text = string(b)
	}
	cut := MaxInputBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	it.Input = text[:cut]
	ctx := maps.Clone(it.Ctx)
	if ctx == nil {
		ctx = map[string]any{}
	}
	ctx["input_truncated"] = true
	it.Ctx = ctx
}

// appendLimited appends v as JSON, stopping once b holds limit bytes or
// more; ok is false for a value that cannot be encoded. Maps' keys are
// sorted, as encoding/json sorts them.
func appendLimited(b []byte, v any, limit int) (_ []byte, ok bool) {
	if len(b) >= limit {
		return b, true
	}
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), true
	case bool:
		return strconv.AppendBool(b, v), true
	case json.Number:
		return append(b, v...), true
	case string:
		return appendString(b, v, limit), true
	case []any:
		b = append(b, '[')
		for i, x := range v {
			if len(b) >= limit {
				return b, true
			}
			if i > 0 {
				b = append(b, ',')
			}
			if b, ok = appendLimited(b, x, limit); !ok {
				return b, false
			}
		}
		return append(b, ']'), true
	case map[string]any:
		keys := slices.SortedFunc(maps.Keys(v), cmp.Compare)
		b = append(b, '{')
		for i, k := range keys {
			if len(b) >= limit {
				return b, true
			}
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k, limit)
			b = append(b, ':')
			if b, ok = appendLimited(b, v[k], limit); !ok {
				return b, false
			}
		}
		return append(b, '}'), true
	}
	j, err := json.Marshal(v)
	if err != nil {
		return b, false
	}
	return append(b, j...), true
}

// appendString appends s as a JSON string, stopping near limit.
func appendString(b []byte, s string, limit int) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		if len(b) >= limit {
			return b
		}
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}
