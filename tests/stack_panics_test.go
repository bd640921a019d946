package tests

// A panic anywhere in the stack: a logged 500, or a broken-off response
// once part of it is out.

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

func TestPanicsAnywhereInTheStack(t *testing.T) {
	app, logs := quietApp()
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/plain" {
				panic("in plain layer")
			}
			next.ServeHTTP(w, r)
		})
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		if r.URL.Path == "/before" {
			panic("before next")
		}
		resp := next(r)
		if r.URL.Path == "/after" {
			panic("after next")
		}
		return resp
	})
	for _, p := range []string{"/plain", "/before", "/after"} {
		app.Get(p, func() string { return "unreachable" })
	}
	app.Get("/handler", func() Message { panic(errors.New("in handler")) })
	g := app.Group("/g")
	g.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		_ = next(r)
		panic("in group layer")
	})
	g.Get("/x", func() string { return "x" })
	app.Get("/ok", func() string { return "ok" })
	srv := serve(t, app)

	for i, path := range []string{"/plain", "/before", "/after", "/handler", "/g/x"} {
		res := send(t, srv, request{Path: path})
		assert.Equal(t, 500, res.Status, path)
		assert.Equal(t, "application/json", res.Header.Get("Content-Type"), path)
		assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body, path)
		assert.Equal(t, i+1, strings.Count(logs.String(), "panic serving request"), path+": logged once")
		res = send(t, srv, request{Path: "/ok"})
		assert.Equal(t, 200, res.Status, "still serving after "+path)
	}
	for _, msg := range []string{"in plain layer", "before next", "after next", "in handler", "in group layer"} {
		assert.Contains(t, logs.String(), msg)
	}
}
