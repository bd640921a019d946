package tests

// Ports of FastAPI's tests/test_security_api_key_{header,cookie,query}*.py
// over real HTTP: present, absent, empty, optional, described.

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

type apiKeyUser struct {
	Username string `json:"username"`
}

// apiKeyApp is FastAPI's test app: get_current_user takes the key as the
// user name; read_current_user returns it, or asks for an account when the
// optional key is absent.
func apiKeyApp[K ~string](scheme brisk.SecurityProvider) *brisk.App {
	app := brisk.New()
	app.Provide(scheme)
	app.Provide(func(key K) *apiKeyUser {
		if key == "" {
			return nil
		}
		return &apiKeyUser{Username: string(key)}
	})
	app.Get("/users/me", func(u *apiKeyUser) any {
		if u == nil {
			return map[string]string{"msg": "Create an account first"}
		}
		return u
	})
	return app
}

func TestSecurityAPIKey(t *testing.T) {
	type Key string
	for _, tc := range []struct {
		name    string
		scheme  brisk.SecurityProvider
		send    []string // the credential "secret", as sent
		empty   []string // an empty credential
		in      string
		docName string
	}{
		{"header", security.APIKeyHeader[Key]{Name: "key"}, []string{"key", "secret"}, []string{"key", ""}, "header", "APIKeyHeader"},
		{"cookie", security.APIKeyCookie[Key]{Name: "key"}, []string{"Cookie", "key=secret"}, []string{"Cookie", "key="}, "cookie", "APIKeyCookie"},
		{"query", security.APIKeyQuery[Key]{Name: "key"}, nil, nil, "query", "APIKeyQuery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, apiKeyApp[Key](tc.scheme))
			path, emptyPath := "/users/me", "/users/me"
			if tc.in == "query" {
				path, emptyPath = "/users/me?key=secret", "/users/me?key="
			}
			// test_security_api_key
			res := secGet(t, srv, path, tc.send...)
			assert.Equal(t, 200, res.Status, res.Body)
			assertJSON(t, `{"username":"secret"}`, res)
			// test_security_api_key_no_key
			assertNotAuthenticated(t, secGet(t, srv, "/users/me"), "APIKey")
			// an empty key is no key (check_api_key's "if not api_key")
			assertNotAuthenticated(t, secGet(t, srv, emptyPath, tc.empty...), "APIKey")
			// test_openapi_schema
			doc := secDoc(t, srv)
			assertOperationSecurity(t, doc, "/users/me", "get", `[{"`+tc.docName+`":[]}]`)
			assertDocJSON(t, `{"`+tc.docName+`":{"type":"apiKey","name":"key","in":"`+tc.in+`"}}`, docAt(t, doc, "components", "securitySchemes"))
		})
	}
}

// test_security_api_key_*_optional.py
func TestSecurityAPIKeyOptional(t *testing.T) {
	type Key string
	for _, tc := range []struct {
		name   string
		scheme brisk.SecurityProvider
		path   string
		send   []string
	}{
		{"header", security.APIKeyHeader[Key]{Name: "key", Optional: true}, "/users/me", []string{"key", "secret"}},
		{"cookie", security.APIKeyCookie[Key]{Name: "key", Optional: true}, "/users/me", []string{"Cookie", "key=secret"}},
		{"query", security.APIKeyQuery[Key]{Name: "key", Optional: true}, "/users/me?key=secret", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := serve(t, apiKeyApp[Key](tc.scheme))
			assertJSON(t, `{"username":"secret"}`, secGet(t, srv, tc.path, tc.send...))
			res := secGet(t, srv, "/users/me")
			assert.Equal(t, 200, res.Status)
			assertJSON(t, `{"msg":"Create an account first"}`, res)
		})
	}
}

// test_security_api_key_*_description.py
func TestSecurityAPIKeyDescription(t *testing.T) {
	type Key string
	app := apiKeyApp[Key](security.APIKeyHeader[Key]{Name: "key", Description: "An API Key Header"})
	srv := serve(t, app)
	assertDocJSON(t, `{"APIKeyHeader":{"type":"apiKey","name":"key","in":"header","description":"An API Key Header"}}`,
		docAt(t, secDoc(t, srv), "components", "securitySchemes"))
}

// Starlette reads the first header value, the last query value and the last
// cookie of a name; query keys are unescaped.
func TestSecurityAPIKeyWhichValue(t *testing.T) {
	type H string
	type Q string
	type C string
	app := brisk.New()
	app.Provide(security.APIKeyHeader[H]{Name: "X-Key"}, security.APIKeyQuery[Q]{Name: "api key"}, security.APIKeyCookie[C]{Name: "k"})
	app.Get("/h", func(k H) string { return string(k) })
	app.Get("/q", func(k Q) string { return string(k) })
	app.Get("/c", func(k C) string { return string(k) })
	srv := serve(t, app)
	assertJSON(t, `"one"`, secGet(t, srv, "/h", "x-key", "one", "X-Key", "two"))
	assertJSON(t, `"two"`, secGet(t, srv, "/q?api+key=one&api%20key=two&other=3"))
	assertJSON(t, `"two"`, secGet(t, srv, "/c", "Cookie", "k=one; k=two"))
}
