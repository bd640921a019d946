package tests

// OAuth2PasswordRequestForm(Strict): the login parts of FastAPI's
// tests/test_security_oauth2.py and test_security_oauth2_optional.py.

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

type loginEcho struct {
	GrantType    any      `json:"grant_type"`
	Username     string   `json:"username"`
	Password     string   `json:"password"`
	Scopes       []string `json:"scopes"`
	ClientID     *string  `json:"client_id"`
	ClientSecret *string  `json:"client_secret"`
}

func oauth2LoginApp() *brisk.App {
	app := brisk.New()
	app.Post("/login", func(f security.OAuth2PasswordRequestFormStrict) loginEcho {
		return loginEcho{f.GrantType, f.Username, f.Password, f.Scopes(), f.ClientID, f.ClientSecret}
	})
	app.Post("/login-optional", func(f security.OAuth2PasswordRequestForm) loginEcho {
		var gt any
		if f.GrantType != nil {
			gt = *f.GrantType
		}
		return loginEcho{gt, f.Username, f.Password, f.Scopes(), f.ClientID, f.ClientSecret}
	})
	return app
}

func postLoginForm(t *testing.T, srv *httptest.Server, path, body string) result {
	t.Helper()
	return send(t, srv, request{Method: "POST", Path: path, Body: body,
		Headers: []string{"Content-Type", "application/x-www-form-urlencoded"}})
}

// test_strict_login_no_data: every required field missing, in order.
func TestSecurityLoginStrictNoData(t *testing.T) {
	srv := serve(t, oauth2LoginApp())
	res := send(t, srv, request{Method: "POST", Path: "/login"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body","grant_type"],"msg":"Field required","input":null},
		{"type":"missing","loc":["body","username"],"msg":"Field required","input":null},
		{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}`, res)
}

// test_strict_login_no_grant_type
func TestSecurityLoginStrictNoGrantType(t *testing.T) {
	srv := serve(t, oauth2LoginApp())
	res := postLoginForm(t, srv, "/login", "username=johndoe&password=secret")
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","grant_type"],"msg":"Field required","input":null}]}`, res)
}

// test_strict_login_incorrect_grant_type, and the optional form's.
func TestSecurityLoginIncorrectGrantType(t *testing.T) {
	srv := serve(t, oauth2LoginApp())
	for _, path := range []string{"/login", "/login-optional"} {
		for _, gt := range []string{"incorrect", "passwordblah", "blahpassword"} {
			res := postLoginForm(t, srv, path, "username=johndoe&password=secret&grant_type="+gt)
			assert.Equal(t, 422, res.Status, path+" "+gt)
			assertJSON(t, `{"detail":[{"type":"string_pattern_mismatch","loc":["body","grant_type"],
				"msg":"String should match pattern '^password$'","input":"`+gt+`","ctx":{"pattern":"^password$"}}]}`, res)
		}
	}
}

// test_strict_login_correct_grant_type, and the optional form without one.
func TestSecurityLoginCorrect(t *testing.T) {
	srv := serve(t, oauth2LoginApp())
	res := postLoginForm(t, srv, "/login", "username=johndoe&password=secret&grant_type=password")
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"grant_type":"password","username":"johndoe","password":"secret","scopes":[],"client_id":null,"client_secret":null}`, res)
	res = postLoginForm(t, srv, "/login-optional", "username=johndoe&password=secret")
	assertJSON(t, `{"grant_type":null,"username":"johndoe","password":"secret","scopes":[],"client_id":null,"client_secret":null}`, res)
	res = postLoginForm(t, srv, "/login-optional", "username=johndoe&password=secret&scope=me+items++admin&client_id=c&client_secret=s")
	assertJSON(t, `{"grant_type":null,"username":"johndoe","password":"secret","scopes":["me","items","admin"],"client_id":"c","client_secret":"s"}`, res)
}

// test_openapi_schema's /login: a form request body.
func TestSecurityLoginOpenAPI(t *testing.T) {
	doc := secDoc(t, serve(t, oauth2LoginApp()))
	body := docAt(t, doc, "paths", "/login", "post", "requestBody").(map[string]any)
	assert.Equal(t, true, body["required"])
	assert.Contains(t, docAt(t, body, "content"), "application/x-www-form-urlencoded")
}
