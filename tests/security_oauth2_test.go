package tests

// OAuth2PasswordBearer: ports of FastAPI's
// tests/test_security_oauth2_password_bearer_optional*.py and the bearer
// parts of test_security_oauth2*.py, over real HTTP.

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// test_security_oauth2.py's get_current_user: the token taken as the user
// name. OAuth2PasswordBearer gives the token after "Bearer ".
func TestSecurityOAuth2PasswordBearer(t *testing.T) {
	type token string
	app := brisk.New()
	app.Provide(security.OAuth2PasswordBearer[token]{
		TokenURL: "token", Scopes: map[string]string{"read:users": "Read the users", "write:users": "Create users"},
	})
	app.Get("/users/me", func(t token) map[string]token { return map[string]token{"username": t} })
	srv := serve(t, app)

	res := secGet(t, srv, "/users/me", "Authorization", "Bearer footokenbar")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"username":"footokenbar"}`, res)
	// test_security_oauth2_password_bearer_no_header, and another scheme.
	assertNotAuthenticated(t, secGet(t, srv, "/users/me"), "Bearer")
	assertNotAuthenticated(t, secGet(t, srv, "/users/me", "Authorization", "Other footokenbar"), "Bearer")
	// "Bearer" alone passes the scheme check with an empty token, as in FastAPI.
	assertJSON(t, `{"username":""}`, secGet(t, srv, "/users/me", "Authorization", "Bearer"))

	doc := secDoc(t, srv)
	assertOperationSecurity(t, doc, "/users/me", "get", `[{"OAuth2PasswordBearer":[]}]`)
	assertDocJSON(t, `{"OAuth2PasswordBearer":{"type":"oauth2","flows":{"password":{"tokenUrl":"token",
		"scopes":{"read:users":"Read the users","write:users":"Create users"}}}}}`, docAt(t, doc, "components", "securitySchemes"))
}

// test_security_oauth2_password_bearer_optional.py and its _description twin.
func TestSecurityOAuth2PasswordBearerOptional(t *testing.T) {
	type token string
	app := brisk.New()
	app.Provide(security.OAuth2PasswordBearer[token]{TokenURL: "/token", Optional: true, Description: "OAuth2PasswordBearer security scheme"})
	app.Get("/items/", func(t token) any {
		if t == "" {
			return map[string]string{"msg": "Create an account first"}
		}
		return map[string]token{"token": t}
	})
	srv := serve(t, app)
	res := secGet(t, srv, "/items/")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"msg":"Create an account first"}`, res)
	assertJSON(t, `{"token":"testtoken"}`, secGet(t, srv, "/items/", "Authorization", "Bearer testtoken"))
	assertJSON(t, `{"msg":"Create an account first"}`, secGet(t, srv, "/items/", "Authorization", "Notexistent testtoken"))
	doc := secDoc(t, srv)
	assertOperationSecurity(t, doc, "/items/", "get", `[{"OAuth2PasswordBearer":[]}]`)
	assertDocJSON(t, `{"OAuth2PasswordBearer":{"type":"oauth2","description":"OAuth2PasswordBearer security scheme",
		"flows":{"password":{"tokenUrl":"/token","scopes":{}}}}}`, docAt(t, doc, "components", "securitySchemes"))
}

// test_security_oauth2_authorization_code_bearer.py
func TestSecurityOAuth2AuthorizationCodeBearer(t *testing.T) {
	type token string
	app := brisk.New()
	app.Provide(security.OAuth2AuthorizationCodeBearer[token]{AuthorizationURL: "authorize", TokenURL: "token", Optional: true})
	app.Get("/items/", func(t token) any {
		if t == "" {
			return map[string]string{"msg": "Create an account first"}
		}
		return map[string]token{"token": t}
	})
	srv := serve(t, app)
	assertJSON(t, `{"msg":"Create an account first"}`, secGet(t, srv, "/items/"))
	assertJSON(t, `{"msg":"Create an account first"}`, secGet(t, srv, "/items/", "Authorization", "Basic notreally"))
	assertJSON(t, `{"token":"testtoken"}`, secGet(t, srv, "/items/", "Authorization", "Bearer testtoken"))
	assertDocJSON(t, `{"OAuth2AuthorizationCodeBearer":{"type":"oauth2","flows":{"authorizationCode":{
		"authorizationUrl":"authorize","tokenUrl":"token","scopes":{}}}}}`, docAt(t, secDoc(t, srv), "components", "securitySchemes"))
}
