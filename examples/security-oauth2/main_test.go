package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

type answer struct {
	status int
	header http.Header
	body   string
}

func send(t *testing.T, req *http.Request) answer {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func login(t *testing.T, base string, form url.Values) answer {
	t.Helper()
	req, err := http.NewRequest("POST", base+"/token", strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(t, req)
}

// token logs in and returns the access token.
func token(t *testing.T, base, user, scopes string) string {
	t.Helper()
	res := login(t, base, url.Values{"username": {user}, "password": {"secret"}, "scope": {scopes}})
	require.Equal(t, 200, res.status, res.body)
	var tr TokenResponse
	require.NoError(t, json.Unmarshal([]byte(res.body), &tr))
	assert.Equal(t, "bearer", tr.TokenType)
	return tr.AccessToken
}

func get(t *testing.T, base, path, token string) answer {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return send(t, req)
}

func newTestServer(t *testing.T) (*server, *httptest.Server) {
	s := newServer([]byte("test key, 32 bytes long, really."), 1000)
	srv := httptest.NewServer(newApp(s))
	t.Cleanup(srv.Close)
	return s, srv
}

// The tutorial end to end: log in with the form, then use the token.
func TestLoginThenProtectedRoutes(t *testing.T) {
	_, srv := newTestServer(t)
	tok := token(t, srv.URL, "johndoe", "me items")

	res := get(t, srv.URL, "/users/me", tok)
	assert.Equal(t, 200, res.status)
	assert.JSONEq(t, `{"username":"johndoe","email":"johndoe@example.com","full_name":"John Doe","disabled":false}`, res.body)
	res = get(t, srv.URL, "/users/me/items", tok)
	assert.Equal(t, 200, res.status)
	assert.JSONEq(t, `[{"item_id":"Foo","owner":"johndoe"}]`, res.body)
	res = get(t, srv.URL, "/status", tok)
	assert.JSONEq(t, `{"status":"ok"}`, res.body)
}

// A token carries the scopes it was granted; a route refuses one without
// the scopes it requires, naming them in the challenge.
func TestScopes(t *testing.T) {
	_, srv := newTestServer(t)
	meOnly := token(t, srv.URL, "johndoe", "me")
	assert.Equal(t, 200, get(t, srv.URL, "/users/me", meOnly).status)
	res := get(t, srv.URL, "/users/me/items", meOnly)
	assert.Equal(t, 401, res.status)
	assert.JSONEq(t, `{"detail":"Not enough permissions"}`, res.body)
	assert.Equal(t, `Bearer scope="items me"`, res.header.Get("WWW-Authenticate"))

	none := token(t, srv.URL, "johndoe", "")
	res = get(t, srv.URL, "/users/me", none)
	assert.Equal(t, 401, res.status)
	assert.Equal(t, `Bearer scope="me"`, res.header.Get("WWW-Authenticate"))
	assert.Equal(t, 200, get(t, srv.URL, "/status", none).status, "/status requires no scope")
}

// A scope the user may not have is not granted; a repeated one once.
func TestGrantedScopes(t *testing.T) {
	s, srv := newTestServer(t)
	c, ok := s.tokens.verify(token(t, srv.URL, "johndoe", "admin me me"), time.Now())
	require.True(t, ok)
	assert.Equal(t, []string{"me"}, c.Scopes)
}

func TestLoginRefused(t *testing.T) {
	_, srv := newTestServer(t)
	for _, form := range []url.Values{
		{"username": {"johndoe"}, "password": {"wrong"}},
		{"username": {"nobody"}, "password": {"secret"}},
	} {
		res := login(t, srv.URL, form)
		assert.Equal(t, 401, res.status)
		assert.JSONEq(t, `{"detail":"Incorrect username or password"}`, res.body)
		assert.Equal(t, "Bearer", res.header.Get("WWW-Authenticate"))
	}
	res := login(t, srv.URL, url.Values{"username": {"johndoe"}})
	assert.Equal(t, 422, res.status)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}`, res.body)
}

func TestTokensRefused(t *testing.T) {
	s, srv := newTestServer(t)
	res := get(t, srv.URL, "/users/me", "")
	assert.Equal(t, 401, res.status)
	assert.JSONEq(t, `{"detail":"Not authenticated"}`, res.body)
	assert.Equal(t, "Bearer", res.header.Get("WWW-Authenticate"))

	tok := token(t, srv.URL, "johndoe", "me")
	for name, bad := range map[string]string{
		"garbage":  "not-a-token",
		"tampered": tok[:len(tok)-2] + "AA",
		"forged":   tokenSigner{key: []byte("another key")}.sign(claims{Subject: "johndoe", Scopes: []string{"me"}, Expires: time.Now().Add(time.Hour).Unix()}),
		"no user":  s.tokens.sign(claims{Subject: "ghost", Scopes: []string{"me"}, Expires: time.Now().Add(time.Hour).Unix()}),
	} {
		res := get(t, srv.URL, "/users/me", bad)
		assert.Equal(t, 401, res.status, name)
		assert.JSONEq(t, `{"detail":"Could not validate credentials"}`, res.body, name)
		assert.Equal(t, `Bearer scope="me"`, res.header.Get("WWW-Authenticate"), name)
	}
	s.now = func() time.Time { return time.Now().Add(accessTokenLifetime + time.Second) }
	assert.Equal(t, 401, get(t, srv.URL, "/users/me", tok).status, "expired")
}

func TestInactiveUser(t *testing.T) {
	_, srv := newTestServer(t)
	res := get(t, srv.URL, "/users/me", token(t, srv.URL, "alice", "me"))
	assert.Equal(t, 400, res.status)
	assert.JSONEq(t, `{"detail":"Inactive user"}`, res.body)
}

// The document: the password flow with its scopes, and each route's
// requirement with the scopes it needs.
func TestOpenAPI(t *testing.T) {
	_, srv := newTestServer(t)
	res := get(t, srv.URL, "/openapi.json", "")
	var doc struct {
		Paths      map[string]map[string]map[string]any
		Components struct {
			SecuritySchemes map[string]any `json:"securitySchemes"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(res.body), &doc))
	b, _ := json.Marshal(doc.Components.SecuritySchemes)
	assert.JSONEq(t, `{"OAuth2PasswordBearer":{"type":"oauth2","flows":{"password":{"tokenUrl":"token",
		"scopes":{"me":"Read information about the current user.","items":"Read items."}}}}}`, string(b))
	for path, want := range map[string]string{
		"/users/me":       `[{"OAuth2PasswordBearer":["me"]}]`,
		"/users/me/items": `[{"OAuth2PasswordBearer":["items","me"]}]`,
		"/status":         `[{"OAuth2PasswordBearer":[]}]`,
	} {
		b, _ := json.Marshal(doc.Paths[path]["get"]["security"])
		assert.JSONEq(t, want, string(b), path)
	}
	b, _ = json.Marshal(doc.Paths["/token"]["post"]["security"])
	assert.JSONEq(t, `[]`, string(b), "/token is public on purpose")
	exampletest.SaveOpenAPI(t, newApp(newServer([]byte("k"), 1)), "security-oauth2")
}
