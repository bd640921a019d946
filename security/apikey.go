// API key schemes: APIKeyHeader, APIKeyCookie and APIKeyQuery.

package security

import (
	"cmp"
	"net/http"
	"net/url"
	"strings"

	"github.com/briskgo/brisk"
)

// APIKeyHeader reads an API key from the header Name and provides it as T,
// FastAPI's APIKeyHeader:
//
//	type ClientKey string
//	app.Provide(security.APIKeyHeader[ClientKey]{Name: "X-API-Key"})
//
// A missing or empty header: 401 {"detail":"Not authenticated"},
// WWW-Authenticate: APIKey — or, with Optional, the empty key. The header
// is documented by the scheme, never as a parameter.
type APIKeyHeader[T ~string] struct {
	// Name is the header's name (required).
	Name string
	// SchemeName is the scheme's name in the document (default
	// "APIKeyHeader"); Description describes it there.
	SchemeName  string
	Description string
	// Optional gives the empty key instead of the 401 (FastAPI's
	// auto_error=False).
	Optional bool
}

// Provider returns the func that reads the key: func(*http.Request) (T, error).
func (s APIKeyHeader[T]) Provider() any {
	key := http.CanonicalHeaderKey(s.Name)
	return func(r *http.Request) (T, error) {
		var v string
		if vs := r.Header[key]; len(vs) > 0 {
			v = vs[0]
		}
		return checkKey[T](v, s.Optional)
	}
}

// SecurityScheme describes the scheme: {"type":"apiKey","in":"header","name":Name}.
func (s APIKeyHeader[T]) SecurityScheme() brisk.SecurityScheme {
	checkName("APIKeyHeader", "Name", s.Name, true)
	return apiKeyScheme(cmp.Or(s.SchemeName, "APIKeyHeader"), "header", s.Name, s.Description)
}

// APIKeyCookie reads an API key from the cookie Name (its last value, as
// Starlette reads cookies) and provides it as T, FastAPI's APIKeyCookie.
// Answers as APIKeyHeader.
type APIKeyCookie[T ~string] struct {
	// Name is the cookie's name (required).
	Name string
	// SchemeName is the scheme's name in the document (default
	// "APIKeyCookie"); Description describes it there.
	SchemeName  string
	Description string
	// Optional gives the empty key instead of the 401 (FastAPI's
	// auto_error=False).
	Optional bool
}

// Provider returns the func that reads the key: func(*http.Request) (T, error).
func (s APIKeyCookie[T]) Provider() any {
	return func(r *http.Request) (T, error) {
		var v string
		if cs := r.CookiesNamed(s.Name); len(cs) > 0 {
			v = cs[len(cs)-1].Value
		}
		return checkKey[T](v, s.Optional)
	}
}

// SecurityScheme describes the scheme: {"type":"apiKey","in":"cookie","name":Name}.
func (s APIKeyCookie[T]) SecurityScheme() brisk.SecurityScheme {
	checkName("APIKeyCookie", "Name", s.Name, true)
	return apiKeyScheme(cmp.Or(s.SchemeName, "APIKeyCookie"), "cookie", s.Name, s.Description)
}

// APIKeyQuery reads an API key from the query parameter Name (its last
// value, as Starlette reads a query parameter) and provides it as T,
// FastAPI's APIKeyQuery. Answers as APIKeyHeader.
type APIKeyQuery[T ~string] struct {
	// Name is the query parameter's name (required).
	Name string
	// SchemeName is the scheme's name in the document (default
	// "APIKeyQuery"); Description describes it there.
	SchemeName  string
	Description string
	// Optional gives the empty key instead of the 401 (FastAPI's
	// auto_error=False).
	Optional bool
}

// Provider returns the func that reads the key: func(*http.Request) (T, error).
func (s APIKeyQuery[T]) Provider() any {
	return func(r *http.Request) (T, error) {
		return checkKey[T](lastQueryValue(r.URL.RawQuery, s.Name), s.Optional)
	}
}

// SecurityScheme describes the scheme: {"type":"apiKey","in":"query","name":Name}.
func (s APIKeyQuery[T]) SecurityScheme() brisk.SecurityScheme {
	checkName("APIKeyQuery", "Name", s.Name, true)
	return apiKeyScheme(cmp.Or(s.SchemeName, "APIKeyQuery"), "query", s.Name, s.Description)
}

func apiKeyScheme(name, in, param, description string) brisk.SecurityScheme {
	return brisk.SecurityScheme{Name: name, Type: "apiKey", In: in, ParamName: param, Description: description}
}

// checkKey is FastAPI's check_api_key: an empty key is a missing one.
func checkKey[T ~string](v string, optional bool) (T, error) {
	if v == "" && !optional {
		return "", notAuthenticated("APIKey")
	}
	return T(v), nil
}

// lastQueryValue is the last value of the query parameter name, as
// Starlette's request.query_params.get gives it; pairs that do not decode
// are skipped, as url.ParseQuery skips them.
func lastQueryValue(rawQuery, name string) string {
	var v string
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		k, val, _ := strings.Cut(pair, "=")
		if k != name && !strings.ContainsAny(k, "%+") {
			continue
		}
		k, err := url.QueryUnescape(k)
		if err != nil || k != name {
			continue
		}
		if val, err = url.QueryUnescape(val); err == nil {
			v = val
		}
	}
	return v
}
