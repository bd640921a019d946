package tests

// Tasks of failed requests: discarded on a 422, an HTTPError, an error or
// a panic; kept when the handler returns its own *Response.

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

type bgAuditDep struct{}

// TestBackgroundTasksDiscardedOnErrorResponses: tasks added before a 422, an
// HTTPError, an unexpected error or a panic never run, wherever they were
// added; a request that succeeds keeps its tasks.
func TestBackgroundTasksDiscardedOnErrorResponses(t *testing.T) {
	app, logs := quietApp()
	var discarded, kept atomic.Int32
	// A provider every route uses: it adds a task before anything fails.
	app.Provide(func(bg *brisk.BackgroundTasks) bgAuditDep {
		bg.AddTask(func() { discarded.Add(1) })
		return bgAuditDep{}
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })

	// 422: the handler's own query parameter is invalid.
	app.Get("/invalid-query", func(_ bgAuditDep, in struct {
		N int `query:"n"`
	}) string {
		return "unreachable"
	})
	// 422: a later provider's input is missing.
	type needsToken struct{}
	app.Provide(func(_ bgAuditDep, in struct {
		Token string `header:"X-Token" validate:"required"`
	}) needsToken {
		return needsToken{}
	})
	app.Get("/missing-header", func(_ bgAuditDep, _ needsToken) string { return "unreachable" })
	// 422: malformed JSON body.
	app.Post("/bad-body", func(_ bgAuditDep, it Item) string { return "unreachable" })
	// HTTPError from the handler, after it added a task itself.
	app.Get("/forbidden", func(_ bgAuditDep, bg *brisk.BackgroundTasks) (string, error) {
		bg.AddTask(func() { discarded.Add(1) })
		return "", brisk.Error(403, "Not allowed")
	})
	// HTTPError from a route dependency that runs after the provider.
	app.Get("/unauthorized", func(_ bgAuditDep) string { return "unreachable" },
		brisk.Dependencies(func(_ bgAuditDep) error { return brisk.Error(401, "Not authenticated") }))
	// An unexpected error: 500.
	app.Get("/broken", func(_ bgAuditDep, bg *brisk.BackgroundTasks) error {
		bg.Add(func(context.Context) error { discarded.Add(1); return nil })
		return errors.New("database is down")
	})
	// A panic: 500.
	app.Get("/panic", func(_ bgAuditDep, bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { discarded.Add(1); return nil })
		panic("handler bug")
	})
	// A request that succeeds keeps its tasks.
	app.Get("/ok", func(bg *brisk.BackgroundTasks) string {
		bg.AddTask(func() { kept.Add(1) })
		return "ok"
	})
	srv := serve(t, app)

	for _, c := range []struct {
		path, body string
		status     int
		detail     string
	}{
		{"/invalid-query?n=abc", "", 422, `"loc":["query","n"]`},
		{"/missing-header", "", 422, `"loc":["header","X-Token"]`},
		{"/bad-body", `{"name":`, 422, `"json_invalid"`},
		{"/forbidden", "", 403, `{"detail":"Not allowed"}`},
		{"/unauthorized", "", 401, `{"detail":"Not authenticated"}`},
		{"/broken", "", 500, `{"detail":"Internal Server Error"}`},
		{"/panic", "", 500, `{"detail":"Internal Server Error"}`},
		{"/ok", "", 200, `"ok"`},
	} {
		method := "GET"
		if c.body != "" {
			method = "POST"
		}
		res := send(t, srv, request{Method: method, Path: c.path, JSON: c.body})
		assert.Equal(t, c.status, res.Status, c.path)
		assert.Contains(t, res.Body, c.detail, c.path)
	}
	bgShutdown(t, app)
	assert.Equal(t, int32(0), discarded.Load(), "no task of an error response ran")
	assert.Equal(t, int32(1), kept.Load(), "the successful request's task ran")
	assert.Len(t, bgLogRecords(t, logs, "brisk: panic serving request"), 1)
}

// TestBackgroundOwnResponseKeepsTasks: a handler that returns its own
// *Response keeps the tasks its dependencies added, whatever the status
// (FastAPI drops them).
func TestBackgroundOwnResponseKeepsTasks(t *testing.T) {
	app, _ := quietApp()
	var ran bgEvents
	type auditDep struct{}
	app.Provide(func(r *http.Request, bg *brisk.BackgroundTasks) auditDep {
		bg.AddTask(ran.add, "audit "+r.URL.Path)
		return auditDep{}
	})
	app.Post("/text", func(_ auditDep) *brisk.Response { return brisk.Text(400, "bad, but my answer") })
	app.Post("/json", func(_ auditDep, bg *brisk.BackgroundTasks) *brisk.Response {
		bg.AddTask(ran.add, "handler /json")
		return brisk.JSON(201, Message{Message: "created"})
	})
	app.Post("/redirect", func(_ auditDep) *brisk.Response { return brisk.Redirect(0, "/elsewhere") })
	mw := app.Group("/mw")
	mw.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-Layer", "yes")
		return resp
	})
	mw.Post("/text", func(_ auditDep) *brisk.Response { return brisk.Text(409, "conflict, my way") })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/text"})
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "bad, but my answer", res.Body)
	assert.Equal(t, strconv.Itoa(len(res.Body)), res.Header.Get("Content-Length"))

	res = send(t, srv, request{Method: "POST", Path: "/json"})
	assert.Equal(t, 201, res.Status)
	assert.Equal(t, `{"message":"created"}`, res.Body)
	assert.Equal(t, strconv.Itoa(len(res.Body)), res.Header.Get("Content-Length"))

	res = send(t, srv, request{Method: "POST", Path: "/redirect"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "/elsewhere", res.Header.Get("Location"))

	res = send(t, srv, request{Method: "POST", Path: "/mw/text"})
	assert.Equal(t, 409, res.Status)
	assert.Equal(t, "yes", res.Header.Get("X-Layer"))
	assert.Equal(t, "conflict, my way", res.Body)

	bgShutdown(t, app)
	got := ran.get() // lists of different requests may run at the same time
	assert.ElementsMatch(t, []string{"audit /text", "audit /json", "handler /json", "audit /redirect", "audit /mw/text"}, got)
	assert.Less(t, slices.Index(got, "audit /json"), slices.Index(got, "handler /json"), "in a request, in the order added")
}
