package tests

// Helpers for the security_*_test.go files: ports of FastAPI's
// tests/test_security_*.py over real HTTP.

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// secGet sends GET path with the given header name, value pairs (added as
// they are: "Cookie" pairs become the request's cookies).
func secGet(t *testing.T, srv *httptest.Server, path string, headers ...string) result {
	t.Helper()
	return send(t, srv, request{Path: path, Headers: headers})
}

// assertNotAuthenticated checks FastAPI's answer to missing or malformed
// credentials: 401 {"detail":"Not authenticated"} with the challenge.
func assertNotAuthenticated(t *testing.T, res result, challenge string) {
	t.Helper()
	assert.Equal(t, 401, res.Status, res.Body)
	assertJSON(t, `{"detail":"Not authenticated"}`, res)
	assert.Equal(t, []string{challenge}, res.Header.Values("WWW-Authenticate"))
}

// secDoc fetches and decodes the app's document from its server.
func secDoc(t *testing.T, srv *httptest.Server) map[string]any {
	t.Helper()
	res := secGet(t, srv, "/openapi.json")
	require.Equal(t, 200, res.Status, res.Body)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	return doc
}

// assertDocJSON compares a part of the document with the expected JSON.
func assertDocJSON(t *testing.T, want string, got any) {
	t.Helper()
	var w any
	require.NoError(t, json.Unmarshal([]byte(want), &w), "expected JSON: %s", want)
	assert.Equal(t, w, got)
}

// assertOperationSecurity checks an operation's security requirements and
// that it documents no parameter named like a credential.
func assertOperationSecurity(t *testing.T, doc map[string]any, path, method, want string) {
	t.Helper()
	op := docAt(t, doc, "paths", path, method).(map[string]any)
	if want == "" {
		assert.NotContains(t, op, "security")
		return
	}
	assertDocJSON(t, want, op["security"])
}
