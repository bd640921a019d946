package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

func TestHello(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()

	get := func(method, path, body string) (int, string) {
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(b)
	}

	code, body := get("GET", "/", "")
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"message":"Hello from Brisk! Try /items/1 or the interactive docs.","docs":"/docs"}`, body)

	code, body = get("GET", "/items/1?q=shiny", "")
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"id":1,"item":{"name":"Hammer","price":9.5},"q":"shiny"}`, body)

	code, body = get("GET", "/items/9", "")
	assert.Equal(t, 404, code)
	assert.JSONEq(t, `{"detail":"Item not found"}`, body)

	code, body = get("POST", "/items", `{"name":"Saw","price":12}`)
	assert.Equal(t, 201, code)
	assert.JSONEq(t, `{"id":2,"item":{"name":"Saw","price":12}}`, body)

	code, body = get("POST", "/items", `{"name":"Saw","price":0}`)
	assert.Equal(t, 422, code)
	assert.Contains(t, body, `"loc":["body","price"]`)

	exampletest.SaveOpenAPI(t, app, "hello")
}
