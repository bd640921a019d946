// Package exampletest serves the example programs' tests: it saves an
// example app's OpenAPI document for CI's linters when asked to.
package exampletest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// SaveOpenAPI writes h's /openapi.json to $BRISK_OPENAPI_OUT_DIR/<name>.json
// when that variable is set (CI lints every example's document), and does
// nothing otherwise.
func SaveOpenAPI(t *testing.T, h http.Handler, name string) {
	t.Helper()
	dir := os.Getenv("BRISK_OPENAPI_OUT_DIR")
	if dir == "" {
		return
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /openapi.json: %d %s", rec.Code, rec.Body)
	}
	body, err := io.ReadAll(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), body, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Post sends an empty POST to url and returns the status and body.
func Post(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// ReadFile returns the named file of dir as a string.
func ReadFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
