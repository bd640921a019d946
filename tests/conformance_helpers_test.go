package tests

// Helpers for the conformance_*_test.go files: end-to-end ports of
// FastAPI's and Starlette's own test suites.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// serveTLS starts app on a TLS listener, closed (and drained) with the test.
func serveTLS(t *testing.T, app *brisk.App) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(app)
	srv.StartTLS()
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return srv
}

// gunzipString decodes a gzip body.
func gunzipString(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	require.NoError(t, err)
	b, err := io.ReadAll(zr)
	require.NoError(t, err)
	return string(b)
}

// varySet is the set of tokens of every Vary header, as Starlette's
// assert_vary reads them; nil when there is no Vary header.
func varySet(h http.Header) map[string]bool {
	vals := h.Values("Vary")
	if len(vals) == 0 {
		return nil
	}
	return tokenSet(strings.Join(vals, ","))
}

// assertVary is Starlette's assert_vary: the Vary tokens are exactly want
// (no Vary header at all when want is nil).
func assertVary(t *testing.T, res result, want ...string) {
	t.Helper()
	got := varySet(res.Header)
	if want == nil {
		assert.Nil(t, got, "Vary: %q", res.Header.Values("Vary"))
		return
	}
	exp := map[string]bool{}
	for _, w := range want {
		exp[w] = true
	}
	assert.Equal(t, exp, got, "Vary: %q", res.Header.Values("Vary"))
}

// tokenSet splits a comma-separated header value into its trimmed tokens.
func tokenSet(v string) map[string]bool {
	set := map[string]bool{}
	for _, tok := range strings.Split(v, ",") {
		if tok = strings.TrimSpace(tok); tok != "" {
			set[tok] = true
		}
	}
	return set
}

// assertJSON compares a body with the expected JSON document, as Python's
// response.json() == expected does (numbers compare by value).
func assertJSON(t *testing.T, want string, res result) {
	t.Helper()
	var w, g any
	require.NoError(t, json.Unmarshal([]byte(want), &w), "expected JSON: %s", want)
	dec := json.NewDecoder(bytes.NewReader([]byte(res.Body)))
	require.NoError(t, dec.Decode(&g), "body: %s", res.Body)
	assert.Equal(t, w, g, "body: %s", res.Body)
}
