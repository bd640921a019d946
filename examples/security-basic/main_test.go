package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

func getMe(t *testing.T, url string, auth func(*http.Request)) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url+"/users/me", nil)
	require.NoError(t, err)
	if auth != nil {
		auth(req)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func basic(user, pass string) func(*http.Request) {
	return func(r *http.Request) { r.SetBasicAuth(user, pass) }
}

func TestBasicAuth(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()

	code, _, body := getMe(t, srv.URL, basic("stanleyjobson", "swordfish"))
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"username":"stanleyjobson"}`, body)

	for _, c := range [][2]string{{"stanleyjobson", "wrong"}, {"someone", "swordfish"}, {"", ""}} {
		code, h, body := getMe(t, srv.URL, basic(c[0], c[1]))
		assert.Equal(t, 401, code)
		assert.JSONEq(t, `{"detail":"Incorrect username or password"}`, body)
		assert.Equal(t, "Basic", h.Get("WWW-Authenticate"))
	}
	// No credentials: the scheme's own answer, which makes a browser ask.
	code, h, body := getMe(t, srv.URL, nil)
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"detail":"Not authenticated"}`, body)
	assert.Equal(t, "Basic", h.Get("WWW-Authenticate"))

	exampletest.SaveOpenAPI(t, app, "security-basic")
}
