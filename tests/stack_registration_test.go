package tests

// Registering layers (late additions panic), Describe listing them in
// request order, and chi's own middleware plugged in.

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

func TestAddingMiddlewareAfterServingPanics(t *testing.T) {
	app, _ := quietApp()
	g := app.Group("/g")
	app.Get("/", func() string { return "ok" })
	srv := serve(t, app)
	require.Equal(t, 200, send(t, srv, request{Path: "/"}).Status)

	const tail = " called after the app started serving; register middleware and routes before the first request"
	noop := func(h http.Handler) http.Handler { return h }
	assert.PanicsWithValue(t, "brisk: Use"+tail, func() { app.Use(noop) })
	assert.PanicsWithValue(t, "brisk: Middleware"+tail, func() { app.Middleware(passThrough) })
	assert.PanicsWithValue(t, "brisk: Use"+tail, func() { g.Use(noop) })
	assert.PanicsWithValue(t, "brisk: Middleware"+tail, func() { g.Middleware(passThrough) })
	assert.Equal(t, 200, send(t, srv, request{Path: "/"}).Status, "the stack is unchanged")
}

func describeFirst(next http.Handler) http.Handler                { return next }
func describeLast(next http.Handler) http.Handler                 { return next }
func describeGroup(next http.Handler) http.Handler                { return next }
func describeInner(next http.Handler) http.Handler                { return next }
func describeTimer(r *http.Request, n brisk.Next) *brisk.Response { return n(r) }
func describeAuth(r *http.Request, n brisk.Next) *brisk.Response  { return n(r) }
func describeHandler() string                                     { return "x" }

func TestDescribeListsLayersInRequestOrder(t *testing.T) {
	app, _ := quietApp()
	app.Use(describeFirst)
	app.Middleware(describeTimer)
	app.Use(describeLast)
	api := app.Group("/api")
	api.Use(describeGroup)
	v1 := api.Group("/v1")
	v1.Middleware(describeAuth)
	v1.Use(describeInner)
	v1.Get("/x", describeHandler)
	app.Get("/plain", describeHandler)

	var buf bytes.Buffer
	app.Describe(&buf)
	out := buf.String()
	t.Log("\n" + out)
	inOrder(t, out,
		"Use github.com/briskgo/brisk/tests.describeLast",
		"Middleware github.com/briskgo/brisk/tests.describeTimer",
		"Use github.com/briskgo/brisk/tests.describeFirst",
		"router",
	)
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, "GET /api/v1/x") {
			line = l
		}
	}
	require.NotEmpty(t, line, "the route is listed")
	inOrder(t, line, "GET /api/v1/x",
		"Use github.com/briskgo/brisk/tests.describeGroup",
		"Use github.com/briskgo/brisk/tests.describeInner",
		"Middleware github.com/briskgo/brisk/tests.describeAuth",
		"tests.describeHandler",
	)
	assert.Contains(t, out, "GET /plain -> github.com/briskgo/brisk/tests.describeHandler")
}

// inOrder asserts that each of parts occurs in s after the previous one.
func inOrder(t *testing.T, s string, parts ...string) {
	t.Helper()
	at := 0
	for _, p := range parts {
		i := strings.Index(s[at:], p)
		if !assert.GreaterOrEqual(t, i, 0, "%q after offset %d in:\n%s", p, at, s) {
			return
		}
		at += i + len(p)
	}
}

func TestChiMiddlewarePlugsIn(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // inside chi's
		resp := next(r)
		resp.Header().Set("X-Request-Id", chimw.GetReqID(r.Context()))
		return resp
	})
	//lint:ignore SA1019 RealIP is deprecated by chi (it trusts any client's headers), but users still have it in their stacks.
	app.Use(chimw.RequestID, chimw.RealIP, chimw.Recoverer, chimw.StripSlashes, chimw.CleanPath)
	app.Use(chimw.ClientIPFromHeader("X-Real-IP", "127.0.0.0/8")) // RealIP's replacement
	app.Get("/items/{id}", func(r *http.Request, id int) map[string]any {
		return map[string]any{
			"id": id, "req": chimw.GetReqID(r.Context()), "ip": r.RemoteAddr,
			"client": chimw.GetClientIP(r.Context()), "param": chi.URLParam(r, "id"),
		}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/7", Headers: []string{"X-Request-Id", "req-1", "X-Real-IP", "203.0.113.9"}})
	require.Equal(t, 200, res.Status, res.Body)
	assert.JSONEq(t, `{"id":7,"req":"req-1","ip":"203.0.113.9","client":"203.0.113.9","param":"7"}`, res.Body)
	assert.Equal(t, "req-1", res.Header.Get("X-Request-Id"))

	// StripSlashes and CleanPath route through chi's routing context.
	res = send(t, srv, request{Path: "/items/8/", Headers: []string{"X-Request-Id", "req-2"}})
	require.Equal(t, 200, res.Status, res.Body)
	assert.Contains(t, res.Body, `"id":8`)
	res = send(t, srv, request{Path: "//items///9"})
	require.Equal(t, 200, res.Status, res.Body)
	assert.Contains(t, res.Body, `"id":9`)
	// Without an incoming id, RequestID makes one.
	res = send(t, srv, request{Path: "/items/1"})
	assert.NotEmpty(t, res.Header.Get("X-Request-Id"))
	assert.Contains(t, res.Body, res.Header.Get("X-Request-Id"))
}
