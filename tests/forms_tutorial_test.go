package tests

// FastAPI's request-forms, request-files and forms-and-files tutorials
// (tests/test_tutorial/test_request_forms*, test_request_files*,
// test_request_forms_and_files*), ported over real HTTP.

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// loginForm is request_forms/tutorial001's form.
type loginForm struct {
	Username string `form:"username"`
	Password string `form:"password"`
}

func login(in loginForm) map[string]string { return map[string]string{"username": in.Username} }

func loginApp(t *testing.T) *httptest.Server {
	app := brisk.New()
	app.Post("/login/", login)
	return serve(t, app)
}

const missingUsernamePassword = `{"detail":[
	{"type":"missing","loc":["body","username"],"msg":"Field required","input":null},
	{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}`

func TestFormsTutorialLogin(t *testing.T) {
	srv := loginApp(t)

	res := postForm(t, srv, "/login/", url.Values{"username": {"Foo"}, "password": {"secret"}})
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `{"username":"Foo"}`, res)

	res = postForm(t, srv, "/login/", url.Values{"username": {"Foo"}})
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}`, res)

	res = postForm(t, srv, "/login/", url.Values{"password": {"secret"}})
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","username"],"msg":"Field required","input":null}]}`, res)

	// No data, and a JSON body: every field is missing, as FastAPI answers.
	res = postRaw(t, srv, "/login/", "", "")
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, missingUsernamePassword, res)
	res = postRaw(t, srv, "/login/", "application/json", `{"username":"Foo","password":"secret"}`)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, missingUsernamePassword, res)

	// The same as multipart/form-data.
	res = postMultipart(t, srv, "/login/", upload{Name: "username", Data: "Foo"}, upload{Name: "password", Data: "secret"})
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `{"username":"Foo"}`, res)
}

func TestFormsTutorialLoginOpenAPI(t *testing.T) {
	srv := loginApp(t)
	res := send(t, srv, request{Path: "/openapi.json"})
	require.Equal(t, http.StatusOK, res.Status)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	op := doc["paths"].(map[string]any)["/login/"].(map[string]any)["post"].(map[string]any)
	assert.Equal(t, "login_login__post", op["operationId"])
	assert.Equal(t, map[string]any{
		"content": map[string]any{"application/x-www-form-urlencoded": map[string]any{
			"schema": map[string]any{"$ref": "#/components/schemas/Body_login_login__post"}}},
		"required": true,
	}, op["requestBody"])
	body := doc["components"].(map[string]any)["schemas"].(map[string]any)["Body_login_login__post"]
	want := `{"title":"Body_login_login__post","type":"object","required":["username","password"],
		"properties":{"username":{"type":"string"},"password":{"type":"string"}}}`
	var w any
	require.NoError(t, json.Unmarshal([]byte(want), &w))
	assert.Equal(t, w, body)
	assert.Contains(t, op["responses"], "422")
}
