package httpstatus_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/briskgo/brisk/middleware"
)

// GZip's rule for which responses could be compressed follows the shared
// body rule: a 205 Reset Content has no content (RFC 9110 §15.3.6), so for a
// client that does not accept gzip it adds no Vary: Accept-Encoding, while a
// 200 with the same body gets one.
func TestGZipVaryFollowsBodyAllowed(t *testing.T) {
	body := strings.Repeat("reset ", 1000)
	for _, c := range []struct {
		status int
		vary   string
	}{{http.StatusOK, "Accept-Encoding"}, {http.StatusResetContent, ""}} {
		h := middleware.GZip()(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(c.status)
			_, _ = w.Write([]byte(body))
		}))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != c.status {
			t.Fatalf("status %d, want %d", rec.Code, c.status)
		}
		if got := rec.Header().Get("Vary"); got != c.vary {
			t.Errorf("%d: Vary %q, want %q", c.status, got, c.vary)
		}
		if rec.Body.String() != body {
			t.Errorf("%d: body changed", c.status)
		}
	}
}
