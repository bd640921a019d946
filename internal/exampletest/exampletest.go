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
