package brisk_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/briskgo/brisk"
)

type benchError struct{ code int }

func (e *benchError) Error() string { return "bench" }

// BenchmarkErrorAnswer compares a request without an error, with and
// without error handlers registered, and errors answered by default or by
// a handler (the direct form and the reflective one).
func BenchmarkErrorAnswer(b *testing.B) {
	errOf := func(name string) error {
		switch name {
		case "http":
			return brisk.Error(404, "nope")
		case "custom":
			return &benchError{code: 409}
		}
		return nil
	}
	build := func(handlers bool, kind string) *brisk.App {
		app := brisk.New()
		if handlers {
			app.HandleError(func(r *http.Request, err *brisk.HTTPError) *brisk.Response {
				return brisk.JSON(err.Status, map[string]any{"error": err.Detail})
			})
			app.HandleError(func(r *http.Request, err *benchError) *brisk.Response {
				return brisk.JSON(err.code, map[string]string{"error": "custom"})
			})
		}
		app.Get("/x", func() (string, error) {
			if err := errOf(kind); err != nil {
				return "", err
			}
			return "ok", nil
		})
		return app
	}
	for _, c := range []struct {
		name     string
		handlers bool
		kind     string
	}{
		{"no-error", false, ""},
		{"no-error-with-handlers", true, ""},
		{"http-default", false, "http"},
		{"http-handled", true, "http"},
		{"custom-handled-reflect", true, "custom"},
	} {
		b.Run(c.name, func(b *testing.B) {
			app := build(c.handlers, c.kind)
			req := httptest.NewRequest("GET", "/x", nil)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				app.ServeHTTP(rec, req)
				if rec.Code == 0 {
					b.Fatal(errors.New("no answer"))
				}
			}
		})
	}
}
