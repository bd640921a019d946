package tests

// Call-next layers (Starlette's tests/middleware/test_base.py): headers
// after next, own and replaced responses, context, request state and body,
// panics, 404/405 and background tasks under them.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// FastAPI's add_process_time_header and Starlette's test_custom_middleware.
func TestCallNextSetsHeadersAfterNext(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		start := time.Now()
		resp := next(r)
		resp.Header().Set("X-Process-Time", strconv.FormatFloat(time.Since(start).Seconds(), 'f', -1, 64))
		return resp
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("Custom-Header", "Example")
		return resp
	})
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "Homepage") })
	app.Get("/json", func() Message { return Message{Message: "hi"} })
	app.Get("/raw", func(w http.ResponseWriter) { _, _ = io.WriteString(w, "raw") })
	srv := serve(t, app)

	for _, path := range []string{"/", "/json", "/raw", "/missing"} {
		res := send(t, srv, request{Path: path})
		assert.Equal(t, "Example", res.Header.Get("Custom-Header"), path)
		pt, err := strconv.ParseFloat(res.Header.Get("X-Process-Time"), 64)
		require.NoError(t, err, path)
		assert.GreaterOrEqual(t, pt, 0.0, path)
	}
	assert.Equal(t, "Homepage", send(t, srv, request{Path: "/"}).Body)
	assert.JSONEq(t, `{"message":"hi"}`, send(t, srv, request{Path: "/json"}).Body)
	assert.Equal(t, "raw", send(t, srv, request{Path: "/raw"}).Body)
}

func TestCallNextReturnsItsOwnResponse(t *testing.T) {
	var handled atomic.Int32
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		if r.Header.Get("X-Token") != "secret" {
			resp := brisk.JSON(http.StatusForbidden, map[string]string{"detail": "denied"})
			resp.Header().Set("X-Denied-By", "guard")
			return resp
		}
		return next(r)
	})
	app.Get("/", func() string { handled.Add(1); return "ok" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 403, res.Status)
	assert.Equal(t, "guard", res.Header.Get("X-Denied-By"))
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"detail":"denied"}`, res.Body)
	assert.Zero(t, handled.Load(), "the handler must not run")

	res = send(t, srv, request{Path: "/", Headers: []string{"X-Token", "secret"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, `"ok"`, res.Body)
	assert.EqualValues(t, 1, handled.Load())
}

// Starlette's test_fully_evaluated_response: the layer calls next, drops
// what it got (a 404 here) and answers for itself.
func TestCallNextReplacesTheResponse(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		_ = next(r)
		return brisk.Text(200, "Custom")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/does_not_exist"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Custom", res.Body)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
}

func TestCallNextChangesTheStatus(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		if resp.StatusCode() == http.StatusOK {
			resp.SetStatusCode(http.StatusAccepted)
		}
		if r.URL.Query().Get("nobody") != "" {
			resp.SetStatusCode(http.StatusNoContent)
		}
		return resp
	})
	app.Get("/typed", func() Message { return Message{Message: "m"} })
	app.Get("/raw", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "raw")
	})
	app.Get("/created", func() Message { return Message{Message: "c"} }, brisk.Status(201))
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/typed"})
	assert.Equal(t, 202, res.Status)
	assert.JSONEq(t, `{"message":"m"}`, res.Body)
	res = send(t, srv, request{Path: "/raw"})
	assert.Equal(t, 202, res.Status)
	assert.Equal(t, "raw", res.Body)
	assert.Equal(t, 201, send(t, srv, request{Path: "/created"}).Status)
	res = send(t, srv, request{Path: "/typed?nobody=1"})
	assert.Equal(t, 204, res.Status)
	assert.Empty(t, res.Body)
}

type stackKey string

// Starlette's test_contextvars, which BaseHTTPMiddleware fails: what a layer
// puts on the request reaches providers and the handler, and what the
// handler leaves in a holder the layer shared is there after next.
func TestCallNextContextReachesProvidersAndHandler(t *testing.T) {
	type holder struct{ value string }
	type Who string
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		h := &holder{value: "set by middleware"}
		ctx := context.WithValue(r.Context(), stackKey("holder"), h)
		ctx = context.WithValue(ctx, stackKey("user"), "alice")
		resp := next(r.WithContext(ctx))
		resp.Header().Set("X-Holder", h.value)
		return resp
	})
	app.Provide(func(ctx context.Context) Who { return Who(ctx.Value(stackKey("user")).(string)) })
	app.Get("/", func(ctx context.Context, r *http.Request, who Who) string {
		h := ctx.Value(stackKey("holder")).(*holder)
		seen := h.value
		h.value = "set by endpoint"
		return string(who) + "|" + seen + "|" + r.Context().Value(stackKey("user")).(string)
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	require.Equal(t, 200, res.Status, res.Body)
	assert.Equal(t, `"alice|set by middleware|alice"`, res.Body)
	assert.Equal(t, "set by endpoint", res.Header.Get("X-Holder"))
}

// Starlette's test_state_data_across_multiple_middlewares: a, b, c added in
// that order as Starlette's middleware= list (a outermost), so added c, b, a.
func TestRequestStatePassesThroughLayers(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // c
		resp := next(r)
		resp.Header().Set("X-State-Bar", r.Context().Value(stackKey("bar")).(string))
		return resp
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // b
		r = r.WithContext(context.WithValue(r.Context(), stackKey("bar"), "bar"))
		resp := next(r)
		resp.Header().Set("X-State-Foo", r.Context().Value(stackKey("foo")).(string))
		return resp
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // a
		return next(r.WithContext(context.WithValue(r.Context(), stackKey("foo"), "foo")))
	})
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "OK") })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "foo", res.Header.Get("X-State-Foo"))
	assert.Equal(t, "bar", res.Header.Get("X-State-Bar"))
}

// Starlette's body tests: a layer may read the body and put it back, and a
// plain layer may replace it (test_downstream_middleware_modifies_receive).
func TestLayersReadAndReplaceTheRequestBody(t *testing.T) {
	app, _ := quietApp()
	var seen atomic.Value
	app.Use(func(next http.Handler) http.Handler { // inner: doubles the name
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var it Item
			_ = json.NewDecoder(r.Body).Decode(&it)
			it.Name += it.Name
			b, _ := json.Marshal(it)
			r.Body = io.NopCloser(bytes.NewReader(b))
			r.ContentLength = int64(len(b))
			next.ServeHTTP(w, r)
		})
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // outer: reads, restores
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return brisk.Text(400, err.Error())
		}
		seen.Store(string(b))
		r.Body = io.NopCloser(bytes.NewReader(b))
		return next(r)
	})
	app.Post("/items", func(it Item) Item { return it })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name":"foo ","price":1}`})
	require.Equal(t, 200, res.Status, res.Body)
	assert.JSONEq(t, `{"name":"foo foo ","price":1,"tags":[],"note":null}`, res.Body)
	assert.JSONEq(t, `{"name":"foo ","price":1}`, seen.Load().(string))
}

// Starlette raises the handler's exception through call_next; Brisk answers
// 500 and the layer's code after next does not run.
func TestHandlerPanicUnderCallNext(t *testing.T) {
	ev := &recorder{}
	app, logs := quietApp()
	app.Middleware(callNextLayer(ev, "outer"))
	app.Middleware(callNextLayer(ev, "inner"))
	app.Get("/exc", func() string { panic("Exc") })
	app.Get("/err", func() (string, error) { return "", errors.New("boom") })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/exc"})
	assert.Equal(t, 500, res.Status)
	assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body)
	assert.Empty(t, res.Header.Values("X-Order"), "no layer got past next")
	assert.Equal(t, []string{"in:inner", "in:outer"}, ev.take())
	assert.Equal(t, 1, strings.Count(logs.String(), "panic serving request"))

	// An error is a response: the layers see the 500 and finish.
	res = send(t, srv, request{Path: "/err"})
	assert.Equal(t, 500, res.Status)
	assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body)
	assert.Equal(t, []string{"outer", "inner"}, res.Header.Values("X-Order"))
}

// Starlette's test_exception_can_be_caught: a layer may recover a panic of
// the rest of the stack and answer for itself.
func TestCallNextRecoversAPanic(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) (resp *brisk.Response) {
		defer func() {
			if p := recover(); p != nil {
				resp = brisk.Text(http.StatusBadRequest, fmt.Sprint(p))
			}
		}()
		return next(r)
	})
	app.Middleware(passThrough)
	app.Get("/", func() string { panic("TEST") })
	srv := serve(t, app)

	for range 3 { // pooled writers left behind by the panic do not matter
		res := send(t, srv, request{Path: "/"})
		assert.Equal(t, 400, res.Status)
		assert.Equal(t, "TEST", res.Body)
	}
	assert.NotContains(t, logs.String(), "panic serving request")
}

func TestCallNextRunsFor404And405(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-Seen-Status", strconv.Itoa(resp.StatusCode()))
		return resp
	})
	app.Use(plainLayer(ev, "plain"))
	app.Post("/items", func() string { return "made" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/nowhere"})
	assert.Equal(t, 404, res.Status)
	assert.JSONEq(t, `{"detail":"Not Found"}`, res.Body)
	assert.Equal(t, "404", res.Header.Get("X-Seen-Status"))
	assert.Equal(t, []string{"in:plain", "out:plain"}, ev.take())

	res = send(t, srv, request{Path: "/items"})
	assert.Equal(t, 405, res.Status)
	assert.JSONEq(t, `{"detail":"Method Not Allowed"}`, res.Body)
	assert.Equal(t, "POST", res.Header.Get("Allow"))
	assert.Equal(t, "405", res.Header.Get("X-Seen-Status"))
	assert.Equal(t, []string{"in:plain", "out:plain"}, ev.take())

	res = send(t, srv, request{Method: "POST", Path: "/items/"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "/items", res.Header.Get("Location"))
	assert.Equal(t, "307", res.Header.Get("X-Seen-Status"))
}

// Background tasks start once the client has the whole response, after the
// layers' code after next; the response never waits for them.
func TestBackgroundTasksUnderCallNext(t *testing.T) {
	ev := &recorder{}
	release := make(chan struct{})
	done := make(chan struct{})
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		ev.add("after next")
		return resp
	})
	app.Get("/", func(bg *brisk.BackgroundTasks) Message {
		bg.Add(func(context.Context) error {
			ev.add("task")
			<-release // holds the task until the client has read everything
			close(done)
			return nil
		})
		return Message{Message: "sent"}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.JSONEq(t, `{"message":"sent"}`, res.Body)
	assert.Equal(t, strconv.Itoa(len(res.Body)), res.Header.Get("Content-Length"))
	close(release)
	within(t, done, "the task")
	assert.Equal(t, []string{"after next", "task"}, ev.take())
}
