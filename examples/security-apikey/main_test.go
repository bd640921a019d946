package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

func call(t *testing.T, method, url string, headers ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, string(b)
}

func TestAPIKeys(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()

	code, _, body := call(t, "GET", srv.URL+"/items", "X-API-Key", "client-key-2")
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `[{"id":1,"owner":"globex"},{"id":2,"owner":"globex"}]`, body)

	code, h, body := call(t, "GET", srv.URL+"/items")
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"detail":"Not authenticated"}`, body)
	assert.Equal(t, "APIKey", h.Get("WWW-Authenticate"))

	code, _, body = call(t, "GET", srv.URL+"/items", "X-API-Key", "stolen")
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"detail":"Invalid API key"}`, body)

	// Deleting needs both keys.
	code, _, body = call(t, "DELETE", srv.URL+"/items/7", "X-API-Key", "client-key-1", "X-Admin-Key", "admin-key")
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"deleted":7,"by":"acme"}`, body)
	code, _, body = call(t, "DELETE", srv.URL+"/items/7", "X-API-Key", "client-key-1")
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"detail":"Not authenticated"}`, body)
	code, _, body = call(t, "DELETE", srv.URL+"/items/7", "X-API-Key", "client-key-1", "X-Admin-Key", "admin-key-2")
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"detail":"Invalid API key"}`, body)
}

// Two schemes of one kind: two names in the document, each route requiring
// every key its tree reads (one requirement object: both are needed),
// neither key documented as a header parameter.
func TestOpenAPI(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()
	_, _, body := call(t, "GET", srv.URL+"/openapi.json")
	var doc struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct {
			SecuritySchemes json.RawMessage `json:"securitySchemes"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(body), &doc))
	assert.JSONEq(t, `{
		"APIKeyHeader":{"type":"apiKey","in":"header","name":"X-API-Key","description":"A client's key."},
		"APIKeyHeader_AdminKey":{"type":"apiKey","in":"header","name":"X-Admin-Key","description":"The administrators' key."}}`,
		string(doc.Components.SecuritySchemes))
	var list, del struct {
		Security   []map[string][]string
		Parameters []map[string]any
	}
	require.NoError(t, json.Unmarshal(doc.Paths["/items"]["get"], &list))
	require.NoError(t, json.Unmarshal(doc.Paths["/items/{id}"]["delete"], &del))
	assert.Equal(t, []map[string][]string{{"APIKeyHeader": {}}}, list.Security)
	assert.Equal(t, []map[string][]string{{"APIKeyHeader_AdminKey": {}, "APIKeyHeader": {}}}, del.Security)
	assert.Len(t, del.Parameters, 1, "only the path's id")
	exampletest.SaveOpenAPI(t, app, "security-apikey")
}
