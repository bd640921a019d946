package tests

// End-to-end ports of Starlette's call-next middleware tests
// (tests/middleware/test_base.py, BaseHTTPMiddleware), its middleware
// ordering tests (tests/test_applications.py) and FastAPI's middleware
// tutorials (tests/test_tutorial/test_middleware/), through a Brisk app:
// app.Middleware is Brisk's BaseHTTPMiddleware, app.Use its plain ASGI
// middleware.
//
// Where Brisk's design differs from Starlette on purpose (docs/middleware.md,
// "Better than Starlette"), the test says so and asserts Brisk's behaviour.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// confCustomMiddleware is test_base.py's CustomMiddleware: it adds
// Custom-Header: Example to the response next returns.
func confCustomMiddleware(r *http.Request, next brisk.Next) *brisk.Response {
	resp := next(r)
	resp.Header().Set("Custom-Header", "Example")
	return resp
}

// confBaseApp is test_base.py's module-level app: /, /exc, /exc-stream and
// /no-response under CustomMiddleware.
func confBaseApp(t *testing.T) (*brisk.App, *logBuffer) {
	t.Helper()
	app, logs := quietApp()
	app.Middleware(confCustomMiddleware)
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "Homepage") })
	app.Get("/exc", func() string { panic(errors.New("Exc")) })
	app.Get("/exc-stream", func(w http.ResponseWriter) {
		_, _ = io.WriteString(w, "Ok")
		w.(http.Flusher).Flush()
		panic(errors.New("Faulty Stream"))
	})
	// Starlette's NoResponse endpoint never sends a response, and
	// BaseHTTPMiddleware raises "No response returned". In Brisk the
	// nearest mistake is a call-next layer that returns nil without
	// calling next: a programming error, answered 500.
	noResponse := app.Group("/no-response")
	noResponse.Middleware(func(*http.Request, brisk.Next) *brisk.Response { return nil })
	noResponse.Get("", func() string { return "unreachable" })
	return app, logs
}

// Starlette tests/middleware/test_base.py::test_custom_middleware.
//
// Starlette's TestClient re-raises the server's exceptions; over real HTTP
// they are a 500 (or, once a stream has started, an aborted response) and
// the server keeps serving. The WebSocket part is TestHijackThroughLayers.
func TestStarletteBaseCustomMiddleware(t *testing.T) {
	app, logs := confBaseApp(t)
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Equal(t, "Example", res.Header.Get("Custom-Header"))

	res = send(t, srv, request{Path: "/exc"})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	assert.Empty(t, res.Header.Get("Custom-Header"), "a panic unwinds through the layer, as Starlette's exception does")
	assert.Contains(t, logs.String(), "Exc")

	resp := open(t, srv, request{Path: "/exc-stream"})
	assert.Equal(t, 200, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	assert.Error(t, err, "a stream that fails midway is aborted, never passed off as complete")
	assert.Equal(t, "Ok", string(b))
	assert.Contains(t, logs.String(), "Faulty Stream")

	res = send(t, srv, request{Path: "/no-response"})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	assert.Contains(t, logs.String(), "returned a nil *Response without calling next")

	res = send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status, "the server keeps serving")
	assert.Equal(t, "Example", res.Header.Get("Custom-Header"))
}

type confStateKey string

// Starlette tests/middleware/test_base.py::test_state_data_across_multiple_middlewares.
//
// request.state is the request's context here: each layer passes a
// request carrying its value on with r.WithContext.
func TestStarletteBaseStateDataAcrossMultipleMiddlewares(t *testing.T) {
	app, _ := quietApp()
	// Starlette's middleware=[a, b, c] makes a the outermost: in Brisk's
	// LIFO stack, c is added first and a last.
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // cMiddleware
		resp := next(r)
		bar, _ := r.Context().Value(confStateKey("bar")).(string)
		resp.Header().Set("X-State-Bar", bar)
		return resp
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // bMiddleware
		r = r.WithContext(context.WithValue(r.Context(), confStateKey("bar"), "bar"))
		resp := next(r)
		foo, _ := r.Context().Value(confStateKey("foo")).(string)
		resp.Header().Set("X-State-Foo", foo)
		return resp
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // aMiddleware
		return next(r.WithContext(context.WithValue(r.Context(), confStateKey("foo"), "foo")))
	})
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "OK") })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "foo", res.Header.Get("X-State-Foo"))
	assert.Equal(t, "bar", res.Header.Get("X-State-Bar"))
}

// Starlette tests/middleware/test_base.py::test_app_middleware_argument.
func TestStarletteBaseAppMiddlewareArgument(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(confCustomMiddleware)
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "Homepage") })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, "Homepage", res.Body)
	assert.Equal(t, "Example", res.Header.Get("Custom-Header"))
}

// Starlette tests/middleware/test_base.py::test_fully_evaluated_response
// (encode/starlette#1022): a layer that calls next and returns a response
// of its own, on an app with no routes: the app's stack runs for 404s too.
func TestStarletteBaseFullyEvaluatedResponse(t *testing.T) {
	app, _ := quietApp()
	var sawStatus atomic.Int32
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		sawStatus.Store(int32(next(r).StatusCode()))
		return brisk.Text(200, "Custom")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/does_not_exist"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Custom", res.Body)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "6", res.Header.Get("Content-Length"))
	assert.Equal(t, int32(404), sawStatus.Load(), "next gave the layer the router's 404")
}

// Starlette tests/middleware/test_base.py::test_exception_on_mounted_apps:
// a panic in a mounted app (a group here) is a 500, not a hang or a
// dropped connection.
func TestStarletteBaseExceptionOnMountedApps(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(confCustomMiddleware)
	sub := app.Group("/sub")
	sub.Middleware(passThrough)
	sub.Get("/", func() string { panic(errors.New("Exc")) })
	app.Get("/ok", func() string { return "ok" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/sub/"})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	assert.Contains(t, logs.String(), "Exc")
	assert.Equal(t, 200, send(t, srv, request{Path: "/ok"}).Status)
}

type confCtxVar struct{}

// Starlette tests/middleware/test_base.py::test_contextvars, both
// parametrisations. Starlette marks the BaseHTTPMiddleware one xfail: its
// task group loses the endpoint's changes. Brisk does better (DESIGN.md,
// "Context propagates through call-next middleware"): a value the layer
// puts on the request reaches the handler, and a change the handler makes
// through a pointer in the context is there after next returns.
func TestStarletteBaseContextvars(t *testing.T) {
	type ctxvar struct{ v string }
	for _, kind := range []string{"CustomMiddlewareWithoutBaseHTTPMiddleware", "CustomMiddlewareUsingBaseHTTPMiddleware"} {
		t.Run(kind, func(t *testing.T) {
			app, _ := quietApp()
			afterNext := make(chan string, 1)
			if kind == "CustomMiddlewareWithoutBaseHTTPMiddleware" {
				app.Use(func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						cv := &ctxvar{v: "set by middleware"}
						next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), confCtxVar{}, cv)))
						afterNext <- cv.v
					})
				})
			} else {
				app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
					cv := &ctxvar{v: "set by middleware"}
					resp := next(r.WithContext(context.WithValue(r.Context(), confCtxVar{}, cv)))
					afterNext <- cv.v
					return resp
				})
			}
			app.Get("/", func(ctx context.Context) (*brisk.Response, error) {
				cv, _ := ctx.Value(confCtxVar{}).(*ctxvar)
				if cv == nil || cv.v != "set by middleware" {
					return nil, brisk.Error(500, "the middleware's value did not reach the handler")
				}
				cv.v = "set by endpoint"
				return brisk.Text(200, "Homepage"), nil
			})
			srv := serve(t, app)

			res := send(t, srv, request{Path: "/"})
			assert.Equal(t, 200, res.Status, res.Body)
			assert.Equal(t, "set by endpoint", within(t, afterNext, "the middleware"))
		})
	}
}

// Starlette tests/middleware/test_base.py::test_run_background_tasks_even_if_client_disconnects
// (encode/starlette#1438): the client takes the response and goes away;
// the task still runs.
func TestStarletteBaseRunBackgroundTasksEvenIfClientDisconnects(t *testing.T) {
	app, _ := quietApp()
	ran := make(chan struct{})
	app.Middleware(passThrough)
	app.Get("/", func(bg *brisk.BackgroundTasks) *brisk.Response {
		bg.Add(func(ctx context.Context) error {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			close(ran)
			return nil
		})
		return brisk.Text(200, "")
	})
	srv := serve(t, app)

	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true // the connection closes with the response
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	tr.CloseIdleConnections()
	assert.Equal(t, 200, resp.StatusCode)

	within(t, ran, "the background task")
}

// Starlette tests/middleware/test_base.py::test_run_background_tasks_raise_exceptions
// (encode/starlette#2625). Starlette's TestClient re-raises the task's
// error; Brisk has already sent the response, so it logs the error, with
// the task's name, and keeps serving.
func TestStarletteBaseRunBackgroundTasksRaiseExceptions(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(passThrough)
	app.Get("/", func(bg *brisk.BackgroundTasks) *brisk.Response {
		bg.AddTask(func() error { return errors.New("TEST") })
		return brisk.Text(200, "")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	confDrain(t, app)
	assert.Contains(t, logs.String(), "TEST", "the task's error is logged")
}

// Starlette tests/middleware/test_base.py::test_exception_can_be_caught:
// a call-next layer recovers the handler's panic and answers.
func TestStarletteBaseExceptionCanBeCaught(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) (resp *brisk.Response) {
		defer func() {
			if p := recover(); p != nil {
				err, _ := p.(error)
				resp = brisk.Text(400, err.Error())
			}
		}()
		return next(r)
	})
	app.Get("/", func() string { panic(errors.New("TEST")) })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "TEST", res.Body)
	assert.NotContains(t, logs.String(), "panic serving request", "a recovered panic is the layer's business")
	res = send(t, srv, request{Path: "/"})
	assert.Equal(t, 400, res.Status, "and the pooled state is clean for the next request")
	assert.Equal(t, "TEST", res.Body)
}

// Starlette tests/middleware/test_base.py::test_do_not_block_on_background_tasks:
// two requests through a call-next layer, each with a task; both responses
// are complete while both tasks are still held (so no response waits for
// a task), and both tasks then run.
func TestStarletteBaseDoNotBlockOnBackgroundTasks(t *testing.T) {
	app, _ := quietApp()
	ev := &recorder{}
	release := make(chan struct{})
	var finished sync.WaitGroup
	finished.Add(2)
	app.Middleware(passThrough)
	app.Get("/", func(bg *brisk.BackgroundTasks) *brisk.Response {
		bg.Add(func(context.Context) error {
			defer finished.Done()
			ev.add("Background task started")
			<-release
			ev.add("Background task finished")
			return nil
		})
		return brisk.Text(200, "Hello")
	})
	srv := serve(t, app)

	bodies := make(chan string, 2)
	for range 2 {
		go func() {
			resp, err := srv.Client().Get(srv.URL + "/")
			if err != nil {
				bodies <- "error: " + err.Error()
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				bodies <- "error: " + err.Error()
				return
			}
			bodies <- string(b)
		}()
	}
	assert.Equal(t, "Hello", within(t, bodies, "response 1"))
	assert.Equal(t, "Hello", within(t, bodies, "response 2"))
	for _, e := range ev.take() {
		assert.Equal(t, "Background task started", e, "no task finished before both responses were complete")
	}
	close(release)
	done := make(chan struct{})
	go func() { finished.Wait(); close(done) }()
	within(t, done, "both tasks")
}

// Starlette tests/middleware/test_base.py::test_run_context_manager_exit_even_if_client_disconnects:
// a plain layer outside a call-next layer runs its deferred cleanup, and
// the handler's task runs, although the client has gone.
func TestStarletteBaseRunContextManagerExitEvenIfClientDisconnects(t *testing.T) {
	app, _ := quietApp()
	exited := make(chan struct{})
	taskRan := make(chan struct{})
	app.Middleware(passThrough)
	app.Use(func(next http.Handler) http.Handler { // ContextManagerMiddleware, outermost
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer close(exited)
			next.ServeHTTP(w, r)
		})
	})
	app.Get("/", func(bg *brisk.BackgroundTasks) *brisk.Response {
		bg.Add(func(context.Context) error { close(taskRan); return nil })
		return brisk.Text(200, "")
	})
	srv := serve(t, app)

	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/")
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	tr.CloseIdleConnections()

	within(t, exited, "the layer's cleanup")
	within(t, taskRan, "the background task")
}

// Starlette tests/middleware/test_base.py::test_app_receives_http_disconnect_after_sending_if_discarded:
// the downstream response is written (not flushed, so held), then
// discarded by the layer for its own.
func TestStarletteBaseAppReceivesHTTPDisconnectAfterSendingIfDiscarded(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		next(r)
		return brisk.Text(200, "Custom")
	})
	app.Get("/does_not_exist", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "first chunk, ")
		_, _ = io.WriteString(w, "second chunk")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/does_not_exist"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Custom", res.Body)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
}

// Starlette tests/middleware/test_base.py::test_app_receives_http_disconnect_while_sending_if_discarded.
//
// Deliberate difference: Starlette holds a streaming response's headers
// until the layer returns, so the layer can still swap it for "Custom".
// Brisk passes a flushed stream through as it is written (bounded memory,
// docs/middleware.md "Streams"): by the time next returns the stream is
// out, so the replacement is dropped, with a warning, rather than appended
// to what the client already has.
func TestStarletteBaseAppReceivesHTTPDisconnectWhileSendingIfDiscarded(t *testing.T) {
	app, logs := quietApp()
	streamed := make(chan bool, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		streamed <- resp.Streamed()
		return brisk.Text(200, "Custom")
	})
	app.Get("/does_not_exist", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/plain")
		for range 3 {
			_, _ = io.WriteString(w, "chunk ")
			w.(http.Flusher).Flush()
		}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/does_not_exist"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "chunk chunk chunk ", res.Body, "the stream reached the client whole, and nothing after it")
	assert.True(t, within(t, streamed, "the layer"))
	assert.Contains(t, logs.String(), "the replacement is dropped")
}

// Starlette tests/middleware/test_base.py::test_read_request_body_in_app_after_middleware_calls_body.
//
// Starlette caches the body a layer read; in Go a layer that reads r.Body
// passes the bytes on itself, as any net/http middleware does.
func TestStarletteBaseReadRequestBodyInAppAfterMiddlewareCallsBody(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		b, err := io.ReadAll(r.Body)
		if err != nil || string(b) != "a" {
			return brisk.Text(500, "layer read "+strconv.Quote(string(b)))
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		return next(r)
	})
	app.Post("/", func(r *http.Request) *brisk.Response {
		b, _ := io.ReadAll(r.Body)
		if string(b) != "a" {
			return brisk.Text(500, "handler read "+strconv.Quote(string(b)))
		}
		return brisk.Text(200, "Homepage")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/", Body: "a"})
	assert.Equal(t, 200, res.Status, res.Body)
}

// Starlette tests/middleware/test_base.py::test_read_request_stream_in_app_after_middleware_calls_stream
// and ::test_read_request_body_in_app_after_middleware_calls_stream: a
// layer that consumes the body and passes nothing on leaves the handler
// an empty body, not an error or a hang.
func TestStarletteBaseReadRequestStreamInAppAfterMiddlewareCallsStream(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		b, err := io.ReadAll(r.Body)
		if err != nil || string(b) != "a" {
			return brisk.Text(500, "layer read "+strconv.Quote(string(b)))
		}
		return next(r)
	})
	app.Post("/", func(r *http.Request) *brisk.Response {
		b, err := io.ReadAll(r.Body)
		if err != nil || len(b) != 0 {
			return brisk.Text(500, "handler read "+strconv.Quote(string(b)))
		}
		return brisk.Text(200, "Homepage")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/", Body: "a"})
	assert.Equal(t, 200, res.Status, res.Body)
}

// Starlette tests/middleware/test_base.py::test_read_request_stream_in_dispatch_after_app_calls_body
// (and _after_app_calls_stream): once the handler consumed the body, the
// layer reads nothing more of it after next (Starlette raises "Stream
// consumed"; Go's body is at EOF or closed).
func TestStarletteBaseReadRequestStreamInDispatchAfterAppCallsBody(t *testing.T) {
	app, _ := quietApp()
	leftover := make(chan int, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		b, _ := io.ReadAll(r.Body)
		leftover <- len(b)
		return resp
	})
	app.Post("/", func(r *http.Request) *brisk.Response {
		b, _ := io.ReadAll(r.Body)
		if string(b) != "a" {
			return brisk.Text(500, "handler read "+strconv.Quote(string(b)))
		}
		return brisk.Text(200, "Homepage")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/", Body: "a"})
	assert.Equal(t, 200, res.Status, res.Body)
	assert.Equal(t, 0, within(t, leftover, "the layer"))
}

// Starlette tests/middleware/test_base.py::test_read_request_body_in_dispatch_after_app_calls_body_with_middleware_calling_body_before_call_next:
// a layer that keeps the body it read can read it again after next.
func TestStarletteBaseReadRequestBodyInDispatchAfterAppCallsBodyWithMiddlewareCallingBodyBeforeCallNext(t *testing.T) {
	app, _ := quietApp()
	again := make(chan string, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		b, _ := io.ReadAll(r.Body) // the layer's own copy
		r.Body = io.NopCloser(bytes.NewReader(b))
		resp := next(r)
		again <- string(b)
		return resp
	})
	app.Post("/", func(r *http.Request) *brisk.Response {
		b, _ := io.ReadAll(r.Body)
		if string(b) != "a" {
			return brisk.Text(500, "handler read "+strconv.Quote(string(b)))
		}
		return brisk.Text(200, "Homepage")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/", Body: "a"})
	assert.Equal(t, 200, res.Status, res.Body)
	assert.Equal(t, "a", within(t, again, "the layer"))
}

// Starlette tests/middleware/test_base.py::test_downstream_middleware_modifies_receive
// and ::test_pr_1519_comment_1236166180_example: a plain layer below a
// call-next layer changes the body the handler reads; the call-next layer
// above it reads (and passes on) the original.
func TestStarletteBasePR1519Comment1236166180Example(t *testing.T) {
	app, _ := quietApp()
	bodies := make(chan string, 1)
	sizes := make(chan int, 1)
	app.Use(func(next http.Handler) http.Handler { // replace_body_middleware, inner
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(append(b, "-foo"...)))
			next.ServeHTTP(w, r)
		})
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // LogRequestBodySize, outer
		b, _ := io.ReadAll(r.Body)
		sizes <- len(b)
		r.Body = io.NopCloser(bytes.NewReader(b))
		return next(r)
	})
	app.Post("/", func(r *http.Request) *brisk.Response {
		b, _ := io.ReadAll(r.Body)
		bodies <- string(b)
		return brisk.Text(200, "")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/", Body: "Hello, World!"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, len("Hello, World!"), within(t, sizes, "the logging layer"))
	assert.Equal(t, "Hello, World!-foo", within(t, bodies, "the handler"))
}

// Starlette tests/middleware/test_base.py::test_multiple_middlewares_stacked_client_disconnected
// (encode/starlette#2516): ten call-next layers start outermost first and
// complete innermost first; the response is an empty 200 with
// Content-Length 0. (Starlette's layers also attach a background task to
// the response; Brisk's tasks belong to the request, added by handlers and
// providers, and have their own tests.)
func TestStarletteBaseMultipleMiddlewaresStackedClientDisconnected(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	// middleware=[MyMiddleware(version=1), …, (version=10)]: 1 outermost,
	// so added last.
	for v := 10; v >= 1; v-- {
		name := strconv.Itoa(v)
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			ev.add(name + ":STARTED")
			res := next(r)
			ev.add(name + ":COMPLETED")
			return res
		})
	}
	app.Get("/", func(r *http.Request) *brisk.Response {
		_, _ = io.ReadAll(r.Body)
		return brisk.Blob(200, "", nil)
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "0", res.Header.Get("Content-Length"))
	assert.Empty(t, res.Body)
	want := []string{}
	for v := 1; v <= 10; v++ {
		want = append(want, strconv.Itoa(v)+":STARTED")
	}
	for v := 10; v >= 1; v-- {
		want = append(want, strconv.Itoa(v)+":COMPLETED")
	}
	assert.Equal(t, want, ev.take())
}

// Starlette's add_middleware (tests/test_applications.py and
// starlette/applications.py's build_middleware_stack): each call inserts
// at the front, so the last added is the outermost. Brisk's Use and
// Middleware share that one LIFO stack.
func TestStarletteApplicationsAddMiddlewareIsLIFO(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Use(plainLayer(ev, "first")) // innermost
	app.Middleware(callNextLayer(ev, "second"))
	app.Use(plainLayer(ev, "third"))
	app.Middleware(callNextLayer(ev, "fourth")) // outermost
	app.Get("/", func() string {
		ev.add("handler")
		return "ok"
	})
	srv := serve(t, app)

	for _, path := range []string{"/", "/missing"} {
		res := send(t, srv, request{Path: path})
		events := ev.take()
		if path == "/" {
			assert.Equal(t, 200, res.Status)
			assert.Contains(t, events, "handler")
		} else {
			assert.Equal(t, 404, res.Status, "the app's stack runs for unmatched routes too")
		}
		var layers []string
		for _, e := range events {
			if e != "handler" {
				layers = append(layers, e)
			}
		}
		assert.Equal(t, []string{"in:fourth", "in:third", "in:second", "in:first",
			"out:first", "out:second", "out:third", "out:fourth"}, layers, path)
		assert.Equal(t, []string{"second", "fourth"}, res.Header.Values("X-Order"),
			"the inner call-next layer sees the response first")
	}
}

// Starlette tests/test_applications.py::test_middleware_stack_init: the
// stack is built once, when the app starts serving, not per request; a new
// app builds its own.
func TestStarletteApplicationsMiddlewareStackInit(t *testing.T) {
	var built atomic.Int32
	simpleInitializable := func(next http.Handler) http.Handler {
		built.Add(1)
		return next
	}
	newApp := func() *brisk.App {
		app, _ := quietApp()
		app.Use(simpleInitializable)
		app.Use(func(next http.Handler) http.Handler { return next }) // NoOpMiddleware
		return app
	}

	app := newApp()
	srv := serve(t, app)
	for range 3 {
		assert.Equal(t, 404, send(t, srv, request{Path: "/foo"}).Status)
	}
	assert.Equal(t, int32(1), built.Load())

	srv = serve(t, newApp())
	assert.Equal(t, 404, send(t, srv, request{Path: "/foo"}).Status)
	assert.Equal(t, int32(2), built.Load())
}

// Starlette's add_middleware raises "Cannot add middleware after an
// application has started" (starlette/applications.py); Brisk panics with
// a message naming the method, whether the app is served over HTTP or
// driven by ServeHTTP alone.
func TestStarletteApplicationsCannotAddMiddlewareAfterStart(t *testing.T) {
	const tail = " called after the app started serving; register middleware and routes before the first request"
	noop := func(next http.Handler) http.Handler { return next }

	app, _ := quietApp()
	app.Get("/", func() string { return "ok" })
	srv := serve(t, app)
	require.Equal(t, 200, send(t, srv, request{Path: "/"}).Status)
	assert.PanicsWithValue(t, "brisk: Use"+tail, func() { app.Use(noop) })
	assert.PanicsWithValue(t, "brisk: Middleware"+tail, func() { app.Middleware(passThrough) })

	direct, _ := quietApp()
	direct.Get("/", func() string { return "ok" })
	rec := newRecorder()
	direct.ServeHTTP(rec, mustRequest(t, "GET", "/"))
	require.Equal(t, 200, rec.code)
	assert.PanicsWithValue(t, "brisk: Middleware"+tail, func() { direct.Middleware(confCustomMiddleware) })
	assert.PanicsWithValue(t, "brisk: Use"+tail, func() { direct.Use(noop) })
}

// confProcessTime is FastAPI's docs_src/middleware/tutorial001
// add_process_time_header, as DESIGN.md writes it.
func confProcessTime(r *http.Request, next brisk.Next) *brisk.Response {
	start := time.Now()
	resp := next(r)
	resp.Header().Set("X-Process-Time", strconv.FormatFloat(time.Since(start).Seconds(), 'f', -1, 64))
	return resp
}

// FastAPI tests/test_tutorial/test_middleware/test_tutorial001.py::test_response_headers
// and ::test_openapi_schema: an app with only the middleware; the
// middleware also times the OpenAPI document, which has no paths and no
// components.
func TestFastAPIMiddlewareTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(confProcessTime)
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/openapi.json"})
	require.Equal(t, 200, res.Status, res.Body)
	assert.NotEmpty(t, res.Header.Get("X-Process-Time"))
	_, err := strconv.ParseFloat(res.Header.Get("X-Process-Time"), 64)
	assert.NoError(t, err)
	assertJSON(t, `{"openapi":"3.1.0","info":{"title":"Brisk","version":"0.1.0"},"paths":{}}`, res)

	res = send(t, srv, request{Path: "/docs"})
	assert.Equal(t, 200, res.Status)
	assert.NotEmpty(t, res.Header.Get("X-Process-Time"), "the docs pages go through the stack too")
}

// FastAPI tests/test_tutorial/test_middleware/test_tutorial002.py::test_add_process_time_header_middleware.
func TestFastAPIMiddlewareTutorial002(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(confProcessTime)
	app.Get("/", func() map[string]string { return map[string]string{"hello": "world"} })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"hello":"world"}`, res)
	pt := res.Header.Get("X-Process-Time")
	require.NotEmpty(t, pt)
	v, err := strconv.ParseFloat(pt, 64)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, v, 0.0)
	assert.Equal(t, strconv.Itoa(len(res.Body)), res.Header.Get("Content-Length"))
}

// Streaming through call-next middleware (test_base.py's StreamingResponse
// endpoints): a handler's flushed chunks reach the client while the
// handler is still writing, through a layer that reads the response.
func TestStarletteBaseStreamingResponseThroughMiddleware(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(confProcessTime)
	app.Middleware(confCustomMiddleware)
	next := make(chan struct{})
	app.Get("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			if i > 0 {
				select {
				case <-next:
				case <-r.Context().Done():
					return
				}
			}
			_, _ = io.WriteString(w, "data: "+strconv.Itoa(i)+"\n\n")
			w.(http.Flusher).Flush()
		}
	})
	srv := serve(t, app)

	resp := open(t, srv, request{Path: "/stream"})
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/event-stream", resp.Header.Get("Content-Type"))
	for i := range 3 {
		want := "data: " + strconv.Itoa(i) + "\n\n"
		buf := make([]byte, len(want))
		_, err := io.ReadFull(resp.Body, buf)
		require.NoError(t, err)
		assert.Equal(t, want, string(buf))
		if i < 2 {
			select { // the handler is held until the client has this chunk
			case next <- struct{}{}:
			case <-time.After(guard):
				require.FailNow(t, "handler gone")
			}
		}
	}
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Empty(t, rest)
}

// A layer answering without calling next (an auth check): the handler
// never runs, and a typed JSON answer goes out as the layer wrote it.
func TestStarletteBaseMiddlewareWithoutCallNext(t *testing.T) {
	app, _ := quietApp()
	var handled atomic.Int32
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // inner
		if r.Header.Get("X-Token") != "secret" {
			return brisk.JSON(http.StatusForbidden, map[string]string{"detail": "denied"})
		}
		return next(r)
	})
	app.Middleware(confCustomMiddleware) // outer: added last
	app.Get("/", func(bg *brisk.BackgroundTasks) string {
		handled.Add(1)
		return "ok"
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 403, res.Status)
	assertJSON(t, `{"detail":"denied"}`, res)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.Equal(t, "Example", res.Header.Get("Custom-Header"), "the outer layer sees the inner layer's own answer")
	assert.Equal(t, int32(0), handled.Load())

	res = send(t, srv, request{Path: "/", Headers: []string{"X-Token", "secret"}})
	assert.Equal(t, 200, res.Status)
	var s string
	require.NoError(t, json.Unmarshal([]byte(res.Body), &s))
	assert.Equal(t, "ok", s)
	assert.Equal(t, int32(1), handled.Load())
}

// App-level call-next middleware for unmatched routes and wrong methods
// (Starlette's stack wraps the router): the layer sees the 404 and 405,
// may add headers to them, or change them.
func TestStarletteBaseMiddlewareRunsFor404And405(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-Seen-Status", strconv.Itoa(resp.StatusCode()))
		if r.URL.Path == "/gone" && resp.StatusCode() == 404 {
			resp.SetStatusCode(http.StatusGone)
		}
		return resp
	})
	app.Get("/items", func() []string { return []string{} })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/nope"})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"Not Found"}`, res)
	assert.Equal(t, "404", res.Header.Get("X-Seen-Status"))

	res = send(t, srv, request{Method: "POST", Path: "/items"})
	assert.Equal(t, 405, res.Status)
	assertJSON(t, `{"detail":"Method Not Allowed"}`, res)
	assert.Equal(t, "405", res.Header.Get("X-Seen-Status"))
	assert.Contains(t, res.Header.Get("Allow"), "GET")

	res = send(t, srv, request{Path: "/gone"})
	assert.Equal(t, 410, res.Status)
	assertJSON(t, `{"detail":"Not Found"}`, res)
}

// Background tasks under call-next middleware run after the layer's code
// that follows next, and after the client has the whole response
// (DESIGN.md, "Better than Starlette").
func TestStarletteBaseBackgroundTasksAfterCallNextMiddleware(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	taskDone := make(chan struct{})
	release := make(chan struct{})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // inner: added first
		resp := next(r)
		ev.add("inner after")
		resp.Header().Set("X-Inner", "yes")
		return resp
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { // outer
		ev.add("outer before")
		resp := next(r)
		ev.add("outer after")
		return resp
	})
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks) confMessage {
		bg.AddTask(func(to string) {
			<-release
			ev.add("task " + to)
			close(taskDone)
		}, email)
		ev.add("handler")
		return confMessage{Message: "Notification sent in the background"}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/send-notification/foo@example.com"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"message":"Notification sent in the background"}`, res)
	assert.Equal(t, "yes", res.Header.Get("X-Inner"))
	close(release) // the client has the complete response; only now may the task finish
	within(t, taskDone, "the task")
	assert.Equal(t, []string{"outer before", "handler", "inner after", "outer after", "task foo@example.com"}, ev.take())
}

// confRecorder is a minimal http.ResponseWriter for driving an App with
// ServeHTTP alone.
type confRecorder struct {
	header http.Header
	code   int
	body   strings.Builder
}

func newRecorder() *confRecorder { return &confRecorder{header: http.Header{}} }

func (r *confRecorder) Header() http.Header { return r.header }
func (r *confRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}
func (r *confRecorder) Write(p []byte) (int, error) {
	if r.code == 0 {
		r.code = 200
	}
	return r.body.Write(p)
}

func mustRequest(t *testing.T, method, target string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, "http://example.com"+target, nil)
	require.NoError(t, err)
	return req
}

// A typed handler's 204 or 205 under a call-next layer goes out as it does
// without one (FastAPI tests/test_response_code_no_body.py through
// Starlette's BaseHTTPMiddleware): no body, no Content-Type, no
// Content-Length; the layer sees an empty Body().
func TestCallNextNoBodyStatusesAsWithoutMiddleware(t *testing.T) {
	for _, status := range []int{http.StatusNoContent, http.StatusResetContent} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			seen := make(chan int, 1)
			withLayer, _ := quietApp()
			withLayer.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
				resp := next(r)
				seen <- len(resp.Body())
				return resp
			})
			plain, _ := quietApp()
			for _, app := range []*brisk.App{withLayer, plain} {
				app.Delete("/items/{id}", func(id int) map[string]int { return map[string]int{"id": id} }, brisk.Status(status))
			}
			a := send(t, serve(t, withLayer), request{Method: "DELETE", Path: "/items/1"})
			b := send(t, serve(t, plain), request{Method: "DELETE", Path: "/items/1"})
			assert.Equal(t, 0, within(t, seen, "the layer"))
			for _, res := range []result{a, b} {
				assert.Equal(t, status, res.Status)
				assert.Empty(t, res.Body)
				assert.Empty(t, res.Header.Get("Content-Type"))
				if status == http.StatusNoContent {
					assert.Empty(t, res.Header.Values("Content-Length"))
				}
			}
			a.Header.Del("Date")
			b.Header.Del("Date")
			assert.Equal(t, b.Header, a.Header)
		})
	}
}

// confRequestState is the request_state of FastAPI's
// tests/test_dependency_contextvars.py.
type confRequestState map[string]string

// FastAPI tests/test_dependency_contextvars.py::test_dependency_contextvars:
// a call-next layer does not disturb a provider with a cleanup (FastAPI's
// yield dependency), whose value reaches the handler; the layer's header
// is on the response, and the cleanup runs once the response is out.
func TestFastAPIDependencyContextvars(t *testing.T) {
	app, _ := quietApp()
	cleaned := make(chan struct{})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("custom", "foo")
		return resp
	})
	app.Provide(func() (confRequestState, func(), error) {
		return confRequestState{"user": "deadpond"}, func() { close(cleaned) }, nil
	})
	app.Get("/user", func(state confRequestState) string { return state["user"] })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/user"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `"deadpond"`, res)
	assert.Equal(t, "foo", res.Header.Get("custom"))
	within(t, cleaned, "the provider's cleanup")
}

// Starlette's router fills the shared scope (path_params, route) that a
// BaseHTTPMiddleware's request reads after call_next, which metrics and
// logging layers rely on. In Brisk the matched route is chi's routing
// context, which a request carries when the app has plain (Use) middleware:
// after next, a call-next layer finds the route pattern and the path
// parameters there. (An app with call-next layers only skips that request
// copy for speed; docs/middleware.md says how to opt in.)
func TestStarletteBaseRouteInfoAfterCallNext(t *testing.T) {
	app, _ := quietApp()
	seen := make(chan [2]string, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		var got [2]string
		if rc := chiRouteContext(r); rc != nil {
			got = [2]string{rc.RoutePattern(), rc.URLParam("id")}
		}
		seen <- got
		return resp
	})
	app.Use(func(next http.Handler) http.Handler { return next })
	app.Get("/items/{id}", func(id int) int { return id })
	srv := serve(t, app)

	assert.Equal(t, 200, send(t, srv, request{Path: "/items/5"}).Status)
	assert.Equal(t, [2]string{"/items/{id}", "5"}, within(t, seen, "the layer"))
}

// chiRouteContext is chi's routing context of r, or nil.
func chiRouteContext(r *http.Request) *chi.Context { return chi.RouteContext(r.Context()) }
