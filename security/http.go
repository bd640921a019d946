// HTTP authentication schemes: HTTPBearer and HTTPBasic.

package security

import (
	"cmp"
	"net/http"
	"strings"

	"github.com/briskgo/brisk"
)

// HTTPBearer reads a token from "Authorization: Bearer <token>" (the scheme
// in any case) and provides it as T, FastAPI's HTTPBearer. Declare a type
// for the token and provide the scheme:
//
//	type Token string
//	app.Provide(security.HTTPBearer[Token]{})
//
// Without the header, with another scheme or with no token: 401
// {"detail":"Not authenticated"}, WWW-Authenticate: Bearer — or, with
// Optional, the empty token.
type HTTPBearer[T ~string] struct {
	// BearerFormat documents the token's format ("JWT").
	BearerFormat string
	// SchemeName is the scheme's name in the document (default
	// "HTTPBearer"); Description describes it there.
	SchemeName  string
	Description string
	// Optional gives the empty token instead of the 401 when there is no
	// bearer token (FastAPI's auto_error=False).
	Optional bool
}

// Provider returns the func that reads the token: func(*http.Request) (T, error).
func (s HTTPBearer[T]) Provider() any { return s.credential }

func (s HTTPBearer[T]) credential(r *http.Request) (T, error) {
	header, scheme, token := authorization(r)
	if header == "" || scheme == "" || token == "" || !isScheme(scheme, "bearer") {
		if s.Optional {
			return "", nil
		}
		return "", notAuthenticated("Bearer")
	}
	return T(token), nil
}

// SecurityScheme describes the scheme: {"type":"http","scheme":"bearer"}.
func (s HTTPBearer[T]) SecurityScheme() brisk.SecurityScheme {
	checkName("HTTPBearer", "BearerFormat", s.BearerFormat, false)
	return brisk.SecurityScheme{
		Name: cmp.Or(s.SchemeName, "HTTPBearer"), Type: "http", Scheme: "bearer",
		BearerFormat: s.BearerFormat, Description: s.Description,
	}
}

// HTTPBasicCredentials are HTTP Basic's user name and password. A type of
// one's own with these two fields (type AdminLogin
// security.HTTPBasicCredentials) tells two Basic schemes apart.
type HTTPBasicCredentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// HTTPBasic reads "Authorization: Basic <base64 of user:password>" and
// provides the credentials as T, FastAPI's HTTPBasic:
//
//	app.Provide(security.HTTPBasic[security.HTTPBasicCredentials]{Realm: "simple"})
//
// Without the header or with another scheme: 401 {"detail":"Not
// authenticated"}, WWW-Authenticate: Basic (Basic realm="…" with a Realm)
// — or, with Optional, the zero credentials. Credentials that do not decode
// (bad base64, not ASCII, no ":") are refused with the same 401 even when
// Optional, as in FastAPI.
//
// Checking the password is the application's: compare in constant time
// (crypto/subtle.ConstantTimeCompare), so that the time taken does not tell
// how much of a guess was right.
type HTTPBasic[T ~struct {
	Username string `json:"username"`
	Password string `json:"password"`
}] struct {
	// Realm goes into the WWW-Authenticate challenge.
	Realm string
	// SchemeName is the scheme's name in the document (default
	// "HTTPBasic"); Description describes it there.
	SchemeName  string
	Description string
	// Optional gives the zero credentials instead of the 401 when there are
	// none (FastAPI's auto_error=False).
	Optional bool
}

// Provider returns the func that reads the credentials: func(*http.Request) (T, error).
func (s HTTPBasic[T]) Provider() any { return s.credential }

func (s HTTPBasic[T]) credential(r *http.Request) (T, error) {
	header, scheme, param := authorization(r)
	if header == "" || !isScheme(scheme, "basic") {
		if s.Optional {
			return T{}, nil
		}
		return T{}, notAuthenticated(s.challenge())
	}
	user, pass, ok := decodeBasic(param)
	if !ok {
		return T{}, notAuthenticated(s.challenge())
	}
	return T(HTTPBasicCredentials{Username: user, Password: pass}), nil
}

func (s HTTPBasic[T]) challenge() string {
	if s.Realm == "" {
		return "Basic"
	}
	return `Basic realm="` + s.Realm + `"`
}

// SecurityScheme describes the scheme: {"type":"http","scheme":"basic"}.
func (s HTTPBasic[T]) SecurityScheme() brisk.SecurityScheme {
	checkName("HTTPBasic", "Realm", s.Realm, false)
	return brisk.SecurityScheme{Name: cmp.Or(s.SchemeName, "HTTPBasic"), Type: "http", Scheme: "basic", Description: s.Description}
}

// decodeBasic decodes Basic credentials as FastAPI does: Python's lenient
// base64 (characters outside the alphabet skipped, the input ending at a
// complete padding), ASCII only, split at the first ":".
func decodeBasic(param string) (user, pass string, ok bool) {
	data, ok := pythonBase64(param)
	if !ok {
		return "", "", false
	}
	for _, c := range data {
		if c >= 0x80 {
			return "", "", false
		}
	}
	user, pass, ok = strings.Cut(string(data), ":")
	return user, pass, ok
}

// pythonBase64 is Python's base64.b64decode(s) (binascii.a2b_base64 in its
// non-strict mode): s must be ASCII; characters outside the standard
// alphabet are skipped; a padding sequence that completes a quantum ends
// the input; an incomplete last quantum is an error.
func pythonBase64(s string) ([]byte, bool) {
	out := make([]byte, 0, len(s)*3/4)
	quad, pads := 0, 0
	var left byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return nil, false
		}
		if c == '=' {
			pads++
			if quad >= 2 && quad+pads >= 4 {
				return out, true
			}
			continue
		}
		v, valid := base64Value(c)
		if !valid {
			continue
		}
		pads = 0
		switch quad {
		case 0:
			left = v
		case 1:
			out = append(out, left<<2|v>>4)
			left = v & 0x0f
		case 2:
			out = append(out, left<<4|v>>2)
			left = v & 0x03
		case 3:
			out = append(out, left<<6|v)
			left = 0
		}
		quad = (quad + 1) % 4
	}
	return out, quad == 0
}

func base64Value(c byte) (byte, bool) {
	switch {
	case 'A' <= c && c <= 'Z':
		return c - 'A', true
	case 'a' <= c && c <= 'z':
		return c - 'a' + 26, true
	case '0' <= c && c <= '9':
		return c - '0' + 52, true
	case c == '+':
		return 62, true
	case c == '/':
		return 63, true
	}
	return 0, false
}
