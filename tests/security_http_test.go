package tests

// Ports of FastAPI's tests/test_security_http_basic_*.py and
// test_security_http_bearer*.py over real HTTP.

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

func basicHeader(userPass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(userPass))
}

// test_security_http_basic_realm.py
func TestSecurityHTTPBasicRealm(t *testing.T) {
	app := brisk.New()
	app.Provide(security.HTTPBasic[security.HTTPBasicCredentials]{Realm: "simple"})
	app.Get("/users/me", func(c security.HTTPBasicCredentials) map[string]string {
		return map[string]string{"username": c.Username, "password": c.Password}
	})
	srv := serve(t, app)

	t.Run("credentials", func(t *testing.T) {
		res := secGet(t, srv, "/users/me", "Authorization", basicHeader("john:secret"))
		assert.Equal(t, 200, res.Status)
		assertJSON(t, `{"username":"john","password":"secret"}`, res)
	})
	t.Run("no credentials", func(t *testing.T) {
		assertNotAuthenticated(t, secGet(t, srv, "/users/me"), `Basic realm="simple"`)
	})
	t.Run("invalid credentials", func(t *testing.T) {
		assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", "Basic notabase64token"), `Basic realm="simple"`)
	})
	t.Run("non basic credentials", func(t *testing.T) {
		assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", basicHeader("johnsecret")), `Basic realm="simple"`)
	})
	t.Run("openapi", func(t *testing.T) {
		doc := secDoc(t, srv)
		assertOperationSecurity(t, doc, "/users/me", "get", `[{"HTTPBasic":[]}]`)
		assertDocJSON(t, `{"HTTPBasic":{"type":"http","scheme":"basic"}}`, docAt(t, doc, "components", "securitySchemes"))
	})
}

// test_security_http_basic_realm_description.py: the description is
// documented; the challenge is unchanged.
func TestSecurityHTTPBasicRealmDescription(t *testing.T) {
	app := brisk.New()
	app.Provide(security.HTTPBasic[security.HTTPBasicCredentials]{Realm: "simple", Description: "HTTPBasic scheme"})
	app.Get("/users/me", func(c security.HTTPBasicCredentials) map[string]string {
		return map[string]string{"username": c.Username, "password": c.Password}
	})
	srv := serve(t, app)
	res := secGet(t, srv, "/users/me", "Authorization", basicHeader("john:secret"))
	assertJSON(t, `{"username":"john","password":"secret"}`, res)
	assertNotAuthenticated(t, secGet(t, srv, "/users/me"), `Basic realm="simple"`)
	assertDocJSON(t, `{"HTTPBasic":{"type":"http","scheme":"basic","description":"HTTPBasic scheme"}}`,
		docAt(t, secDoc(t, srv), "components", "securitySchemes"))
}

// test_security_http_basic_optional.py: absent or other-scheme credentials
// give the zero value; malformed Basic credentials are still refused.
func TestSecurityHTTPBasicOptional(t *testing.T) {
	app := brisk.New()
	app.Provide(security.HTTPBasic[security.HTTPBasicCredentials]{Optional: true})
	app.Get("/users/me", func(c security.HTTPBasicCredentials) any {
		if c == (security.HTTPBasicCredentials{}) {
			return map[string]string{"msg": "Create an account first"}
		}
		return map[string]string{"username": c.Username, "password": c.Password}
	})
	srv := serve(t, app)

	res := secGet(t, srv, "/users/me", "Authorization", basicHeader("john:secret"))
	assertJSON(t, `{"username":"john","password":"secret"}`, res)
	res = secGet(t, srv, "/users/me")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"msg":"Create an account first"}`, res)
	res = secGet(t, srv, "/users/me", "Authorization", "Bearer abc")
	assertJSON(t, `{"msg":"Create an account first"}`, res)
	assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", "Basic notabase64token"), "Basic")
	assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", basicHeader("johnsecret")), "Basic")
	assertOperationSecurity(t, secDoc(t, srv), "/users/me", "get", `[{"HTTPBasic":[]}]`)
}

// Basic credentials decode as Python's base64.b64decode does: characters
// outside the alphabet are skipped, data after a complete padding is
// ignored, a cut quantum or non-ASCII text is refused.
func TestSecurityHTTPBasicDecoding(t *testing.T) {
	app := brisk.New()
	app.Provide(security.HTTPBasic[security.HTTPBasicCredentials]{})
	app.Get("/me", func(c security.HTTPBasicCredentials) security.HTTPBasicCredentials { return c })
	srv := serve(t, app)
	for _, tc := range []struct{ header, want string }{
		{"Basic " + base64.StdEncoding.EncodeToString([]byte("a:b")), `{"username":"a","password":"b"}`},
		{"bAsIc " + base64.StdEncoding.EncodeToString([]byte("a:b:c")), `{"username":"a","password":"b:c"}`},
		{"Basic YTpi!", `{"username":"a","password":"b"}`},      // "!" skipped
		{"Basic Og==trailing", `{"username":"","password":""}`}, // ":" then ignored
		{"Basic   " + base64.StdEncoding.EncodeToString([]byte("u:p")) + "  ", `{"username":"u","password":"p"}`},
	} {
		res := secGet(t, srv, "/me", "Authorization", tc.header)
		assert.Equal(t, 200, res.Status, tc.header)
		assertJSON(t, tc.want, res)
	}
	for _, h := range []string{
		"Basic", "Basic ", "Basic YTpiYw", "Basic " + base64.StdEncoding.EncodeToString([]byte("é:b")),
		"Basic YTpi\u00e9", "Baſic YTpi", "Basicx YTpi",
	} {
		assertNotAuthenticated(t, secGet(t, srv, "/me", "Authorization", h), "Basic")
	}
}

// test_security_http_bearer.py
func TestSecurityHTTPBearer(t *testing.T) {
	type Token string
	app := brisk.New()
	app.Provide(security.HTTPBearer[Token]{})
	app.Get("/users/me", func(tok Token) map[string]string {
		return map[string]string{"scheme": "Bearer", "credentials": string(tok)}
	})
	srv := serve(t, app)

	res := secGet(t, srv, "/users/me", "Authorization", "Bearer foobar")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"scheme":"Bearer","credentials":"foobar"}`, res)
	res = secGet(t, srv, "/users/me", "Authorization", "bearer   foobar ")
	assertJSON(t, `{"scheme":"Bearer","credentials":"foobar"}`, res)
	assertNotAuthenticated(t, secGet(t, srv, "/users/me"), "Bearer")
	assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", "Basic notreally"), "Bearer")
	assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", "Bearer"), "Bearer")
	assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", "Bearer    "), "Bearer")
	doc := secDoc(t, srv)
	assertOperationSecurity(t, doc, "/users/me", "get", `[{"HTTPBearer":[]}]`)
	assertDocJSON(t, `{"HTTPBearer":{"type":"http","scheme":"bearer"}}`, docAt(t, doc, "components", "securitySchemes"))
}

// test_security_http_bearer_optional.py
func TestSecurityHTTPBearerOptional(t *testing.T) {
	type Token string
	app := brisk.New()
	app.Provide(security.HTTPBearer[Token]{Optional: true})
	app.Get("/users/me", func(tok Token) any {
		if tok == "" {
			return map[string]string{"msg": "Create an account first"}
		}
		return map[string]string{"scheme": "Bearer", "credentials": string(tok)}
	})
	srv := serve(t, app)
	assertJSON(t, `{"scheme":"Bearer","credentials":"foobar"}`, secGet(t, srv, "/users/me", "Authorization", "Bearer foobar"))
	for _, h := range [][]string{nil, {"Authorization", "Basic notreally"}} {
		res := secGet(t, srv, "/users/me", h...)
		assert.Equal(t, 200, res.Status)
		assertJSON(t, `{"msg":"Create an account first"}`, res)
	}
	assertOperationSecurity(t, secDoc(t, srv), "/users/me", "get", `[{"HTTPBearer":[]}]`)
}

// test_security_http_bearer_description.py, with a bearer format.
func TestSecurityHTTPBearerDescription(t *testing.T) {
	type Token string
	app := brisk.New()
	app.Provide(security.HTTPBearer[Token]{Description: "HTTP Bearer token scheme", BearerFormat: "JWT"})
	app.Get("/users/me", func(tok Token) string { return string(tok) })
	srv := serve(t, app)
	assertNotAuthenticated(t, secGet(t, srv, "/users/me"), "Bearer")
	assertDocJSON(t, `{"HTTPBearer":{"type":"http","scheme":"bearer","bearerFormat":"JWT","description":"HTTP Bearer token scheme"}}`,
		docAt(t, secDoc(t, srv), "components", "securitySchemes"))
}
