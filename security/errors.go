// The answer to missing or malformed credentials, and the header parsing
// FastAPI's schemes share.

package security

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/briskgo/brisk"
)

// notAuthenticated is FastAPI's answer to missing or malformed credentials:
// 401 {"detail":"Not authenticated"} with the scheme's challenge. A new
// error each time: its header map is the request's own.
func notAuthenticated(challenge string) error {
	return brisk.Error(http.StatusUnauthorized, "Not authenticated").WithHeader("WWW-Authenticate", challenge)
}

// authorization splits the Authorization header as FastAPI's
// get_authorization_scheme_param does: the scheme before the first space,
// the rest with surrounding white space trimmed.
func authorization(r *http.Request) (header, scheme, param string) {
	header = r.Header.Get("Authorization")
	scheme, param, _ = strings.Cut(header, " ")
	return header, scheme, strings.TrimSpace(param)
}

// isScheme reports whether scheme is want (lower-case ASCII) in any case.
// Only ASCII letters fold: "ſ" is not "s", as in Python's str.lower.
func isScheme(scheme, want string) bool {
	if len(scheme) != len(want) {
		return false
	}
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != want[i] {
			return false
		}
	}
	return true
}

// checkName panics, naming the scheme, when a name that goes into a header
// or the document is empty or holds what a header cannot carry.
func checkName(scheme, field, v string, required bool) {
	if v == "" && required {
		panic("security: " + scheme + ": " + field + " is required")
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' || c == 0x7f || c == '"' || c == '\\' {
			panic("security: " + scheme + ": " + field + " " + strconv.Quote(v) + " holds a quote, backslash or control character")
		}
	}
}
