// Vary header helpers: whether a token is already covered, and adding one
// once.

package middleware

import (
	"net/http"
	"strings"
)

// varyLists reports whether Vary already covers token, either by naming it
// (case-insensitively) or by being "*", which covers everything.
func varyLists(h http.Header, token string) bool {
	for _, value := range h.Values("Vary") {
		for field := range strings.SplitSeq(value, ",") {
			field = strings.TrimSpace(field)
			if field == "*" || strings.EqualFold(field, token) {
				return true
			}
		}
	}
	return false
}

// addVary appends token to Vary unless it is already covered, merging the
// existing field lines into one so that a client reading only the first line
// (as Header.Get does) still sees the whole list.
func addVary(h http.Header, token string) {
	if varyLists(h, token) {
		return
	}
	values := h.Values("Vary")
	if len(values) == 0 {
		h.Set("Vary", token)
		return
	}
	h.Set("Vary", strings.Join(values, ", ")+", "+token)
}
