// The 422 item of a body that is not JSON: json_invalid with the position
// and the reason FastAPI gives (unexpected end, bad literal, bad string).

package jsonbody

import (
	"encoding/json"
	"strings"

	"github.com/briskgo/brisk/internal/problem"
)

// syntaxItem is FastAPI's item for a body that is not JSON:
// {"type":"json_invalid","loc":["body",pos],"msg":"JSON decode error",
// "input":{},"ctx":{"error":reason}}, with the position and reason Python's
// json module would give (pos counts bytes, where Python counts characters).
func syntaxItem(data []byte, err *json.SyntaxError) problem.Item {
	pos, reason := syntaxReason(data, err)
	return problem.Item{
		Type:  "json_invalid",
		Loc:   []any{"body", pos},
		Msg:   "JSON decode error",
		Input: map[string]any{},
		Ctx:   map[string]any{"error": reason},
	}
}

// syntaxReason translates encoding/json's syntax error into Python's.
func syntaxReason(data []byte, err *json.SyntaxError) (int, string) {
	msg := err.Error()
	if msg == "unexpected end of JSON input" {
		return eofReason(data)
	}
	// encoding/json's offset is just past the offending byte.
	pos := max(0, min(int(err.Offset)-1, len(data)))
	if !strings.HasPrefix(msg, "invalid character ") {
		return pos, msg
	}
	if strings.HasSuffix(msg, " exceeded max depth") {
		return pos, "exceeded max depth"
	}
	for _, m := range [...]struct{ suffix, reason string }{
		{" looking for beginning of value", "Expecting value"},
		{" looking for beginning of object key string", "Expecting property name enclosed in double quotes"},
		{" after object key", "Expecting ':' delimiter"},
		{" after object key:value pair", "Expecting ',' delimiter"},
		{" after array element", "Expecting ',' delimiter"},
		{" after top-level value", "Extra data"},
		{" in string literal", "Invalid control character at"},
		{" in string escape code", "Invalid \\escape"},
		{" in \\u hexadecimal character escape", "Invalid \\uXXXX escape"},
	} {
		if strings.HasSuffix(msg, m.suffix) {
			return pos, m.reason
		}
	}
	if strings.Contains(msg, " in literal ") {
		// A misspelt true, false or null: Python expects a value at its start.
		start := pos
		for start > 0 && isLetter(data[start-1]) {
			start--
		}
		return start, "Expecting value"
	}
	return pos, msg
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// eofReason finds what Python would expect where a truncated body ends.
// data is a valid prefix of a JSON text.
func eofReason(data []byte) (int, string) {
	const (
		wantValue        = iota // a value
		wantValueOrClose        // a value or ']'
		wantKeyOrClose          // a key or '}'
		wantKey                 // a key
		wantColon               // ':'
		wantComma               // ',' or the container's close
	)
	var stack []byte
	state := wantValue
	afterValue := func() {
		state = wantComma
	}
	for i := 0; i < len(data); {
		c := data[i]
		if isSpace(c) {
			i++
			continue
		}
		switch state {
		case wantValueOrClose, wantKeyOrClose:
			// Just inside '[' or '{': the closing bracket, or the first
			// element or key.
			closer, first := byte(']'), wantValue
			if state == wantKeyOrClose {
				closer, first = '}', wantKey
			}
			if c == closer {
				stack = stack[:len(stack)-1]
				afterValue()
				i++
				continue
			}
			state = first
			continue
		case wantKey:
			end, ok := stringEnd(data, i)
			if !ok {
				return i, "Unterminated string starting at"
			}
			i = end
			state = wantColon
		case wantColon:
			i++
			state = wantValue
		case wantComma:
			switch c {
			case ',':
				if len(stack) > 0 && stack[len(stack)-1] == '{' {
					state = wantKey
				} else {
					state = wantValue
				}
			default: // '}' or ']'
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
			i++
		case wantValue:
			switch c {
			case '{':
				stack = append(stack, '{')
				state = wantKeyOrClose
				i++
			case '[':
				stack = append(stack, '[')
				state = wantValueOrClose
				i++
			case '"':
				end, ok := stringEnd(data, i)
				if !ok {
					return i, "Unterminated string starting at"
				}
				i = end
				afterValue()
			default:
				end := skipValue(data, i)
				if end == len(data) && !completeLiteral(string(data[i:end])) {
					return i, "Expecting value"
				}
				i = end
				afterValue()
			}
		}
	}
	switch state {
	case wantKeyOrClose, wantKey:
		return len(data), "Expecting property name enclosed in double quotes"
	case wantColon:
		return len(data), "Expecting ':' delimiter"
	case wantComma:
		return len(data), "Expecting ',' delimiter"
	}
	return len(data), "Expecting value"
}

// stringEnd returns the index past the string at data[i] and whether it
// is terminated.
func stringEnd(data []byte, i int) (int, bool) {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return len(data), false
}

// completeLiteral reports whether s is a whole true, false, null or number.
func completeLiteral(s string) bool {
	return s == "true" || s == "false" || s == "null" || isValidNumber(s)
}
