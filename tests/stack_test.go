package tests

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// guard bounds every wait in these tests: it is never how they synchronise,
// only how a broken build fails instead of hanging.
const guard = 10 * time.Second

// recorder collects the events of one request, in order, from every layer.
type recorder struct {
	mu   sync.Mutex
	list []string
}

func (e *recorder) add(s string) {
	e.mu.Lock()
	e.list = append(e.list, s)
	e.mu.Unlock()
}

// take returns the events so far and forgets them.
func (e *recorder) take() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := e.list
	e.list = nil
	return out
}

// plainLayer is net/http middleware recording in:name and out:name.
func plainLayer(ev *recorder, name string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ev.add("in:" + name)
			next.ServeHTTP(w, r)
			ev.add("out:" + name)
		})
	}
}

// callNextLayer is a call-next layer recording in:name and out:name, and
// adding name to the X-Order response header on the way out.
func callNextLayer(ev *recorder, name string) brisk.MiddlewareFunc {
	return func(r *http.Request, next brisk.Next) *brisk.Response {
		ev.add("in:" + name)
		resp := next(r)
		ev.add("out:" + name)
		resp.Header().Add("X-Order", name)
		return resp
	}
}

// passThrough is a call-next layer that does nothing.
func passThrough(r *http.Request, next brisk.Next) *brisk.Response { return next(r) }

// within waits for ch, failing the test after the guard.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(guard):
		require.FailNow(t, "timed out waiting for "+what)
	}
	var zero T
	return zero
}

// get starts a GET request and returns the response with its body unread.
func get(t *testing.T, url string, headers ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// ---------------------------------------------------------------------------
// Order

func TestStackIsLIFOAcrossUseAndMiddleware(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Use(plainLayer(ev, "A"))           // first added: innermost
	app.Middleware(callNextLayer(ev, "B")) //
	app.Use(plainLayer(ev, "C"), plainLayer(ev, "D"))
	app.Middleware(callNextLayer(ev, "E")) // last added: outermost
	app.Get("/", func() string { ev.add("handler"); return "ok" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	require.Equal(t, 200, res.Status)
	assert.Equal(t, `"ok"`, res.Body)
	// Use(C, D) is Use(C); Use(D): D was added last, so it is outside C.
	assert.Equal(t, []string{
		"in:E", "in:D", "in:C", "in:B", "in:A",
		"handler",
		"out:A", "out:B", "out:C", "out:D", "out:E",
	}, ev.take())
	// The response phase runs in reverse: B sees the response before E.
	assert.Equal(t, []string{"B", "E"}, res.Header.Values("X-Order"))
}

// Starlette's test_multiple_middlewares_stacked_client_disconnected, order part.
func TestTenCallNextLayersStartAndCompleteInOrder(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	for i := 10; i >= 1; i-- { // added 10..1, so 1 is outermost
		v := strconv.Itoa(i)
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			ev.add(v + ":STARTED")
			resp := next(r)
			ev.add(v + ":COMPLETED")
			return resp
		})
	}
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "") })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "0", res.Header.Get("Content-Length"))
	var want []string
	for i := 1; i <= 10; i++ {
		want = append(want, strconv.Itoa(i)+":STARTED")
	}
	for i := 10; i >= 1; i-- {
		want = append(want, strconv.Itoa(i)+":COMPLETED")
	}
	assert.Equal(t, want, ev.take())
}

// ---------------------------------------------------------------------------
// Call-next semantics (Starlette's tests/middleware/test_base.py)

// The seed's add_process_time_header and Starlette's test_custom_middleware.
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

// ---------------------------------------------------------------------------
// Groups

func TestGroupStacks(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Use(plainLayer(ev, "app"))
	g1 := app.Group("/g1")
	g1.Use(plainLayer(ev, "g1.use"))
	g1.Middleware(callNextLayer(ev, "g1.mw"))
	g2 := app.Group("/g2")
	inner := g1.Group("/inner")
	inner.Use(plainLayer(ev, "inner.use"))
	inner.Middleware(callNextLayer(ev, "inner.mw"))
	peer := g1.Group("/peer")
	peer.Middleware(callNextLayer(ev, "peer.mw"))
	app.Middleware(callNextLayer(ev, "app.mw"))

	h := func(name string) func() string { return func() string { ev.add("handler"); return name } }
	app.Get("/root", h("root"))
	g1.Get("/a", h("a"))
	g2.Get("/b", h("b"))
	inner.Get("/c", h("c"))
	peer.Get("/d", h("d"))
	g2.Middleware(callNextLayer(ev, "g2.mw")) // after its route: still applies
	srv := serve(t, app)

	cases := []struct {
		path  string
		want  []string
		order []string
	}{
		{"/root", []string{"in:app.mw", "in:app", "handler", "out:app", "out:app.mw"}, []string{"app.mw"}},
		{"/g1/a", []string{
			"in:app.mw", "in:app", "in:g1.mw", "in:g1.use", "handler",
			"out:g1.use", "out:g1.mw", "out:app", "out:app.mw",
		}, []string{"g1.mw", "app.mw"}},
		{"/g2/b", []string{
			"in:app.mw", "in:app", "in:g2.mw", "handler", "out:g2.mw", "out:app", "out:app.mw",
		}, []string{"g2.mw", "app.mw"}},
		{"/g1/inner/c", []string{
			"in:app.mw", "in:app", "in:g1.mw", "in:g1.use", "in:inner.mw", "in:inner.use", "handler",
			"out:inner.use", "out:inner.mw", "out:g1.use", "out:g1.mw", "out:app", "out:app.mw",
		}, []string{"inner.mw", "g1.mw", "app.mw"}},
		{"/g1/peer/d", []string{
			"in:app.mw", "in:app", "in:g1.mw", "in:g1.use", "in:peer.mw", "handler",
			"out:peer.mw", "out:g1.use", "out:g1.mw", "out:app", "out:app.mw",
		}, []string{"peer.mw", "g1.mw", "app.mw"}},
		// Unmatched: only the app's stack runs, group layers are after routing.
		{"/g1/nothing", []string{"in:app.mw", "in:app", "out:app", "out:app.mw"}, []string{"app.mw"}},
	}
	for _, c := range cases {
		res := send(t, srv, request{Path: c.path})
		assert.Equal(t, c.want, ev.take(), c.path)
		assert.Equal(t, c.order, res.Header.Values("X-Order"), c.path)
	}
}

// ---------------------------------------------------------------------------
// Streaming

func TestFlushedStreamPassesThroughCallNextLayers(t *testing.T) {
	app, _ := quietApp()
	streamed := make(chan bool, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		streamed <- resp.Streamed()
		resp.Header().Set("X-After", "too late")
		resp.SetStatusCode(http.StatusTeapot)
		return resp
	})
	app.Middleware(passThrough)
	app.Use(func(next http.Handler) http.Handler { return next })
	app.Middleware(passThrough)

	chunks := []string{"chunk one;", "chunk two;", "chunk three;"}
	ack := make(chan struct{})
	app.Get("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Before", "set by handler")
		for i, c := range chunks {
			if i > 0 {
				select { // the client has chunk i-1 before chunk i is written
				case <-ack:
				case <-r.Context().Done():
					return
				case <-time.After(guard):
					return
				}
			}
			_, _ = io.WriteString(w, c)
			w.(http.Flusher).Flush()
		}
	})
	srv := serve(t, app)

	resp := get(t, srv.URL+"/stream")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "set by handler", resp.Header.Get("X-Before"))
	for i, c := range chunks {
		buf := make([]byte, len(c))
		_, err := io.ReadFull(resp.Body, buf)
		require.NoError(t, err, "chunk %d", i)
		assert.Equal(t, c, string(buf))
		if i < len(chunks)-1 {
			select {
			case ack <- struct{}{}:
			case <-time.After(guard):
				require.FailNow(t, "handler gone")
			}
		}
	}
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Empty(t, rest)
	assert.Empty(t, resp.Header.Get("X-After"), "a streamed response's headers are sent")
	assert.True(t, within(t, streamed, "the layer"), "Streamed() after a Flush")
}

func TestLargeBodyPassesThroughWithoutFlush(t *testing.T) {
	const size = 4*brisk.StreamBuffer + 123
	body := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
	app, _ := quietApp()
	streamed := make(chan bool, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		streamed <- resp.Streamed()
		resp.Header().Set("X-After", "too late")
		return resp
	})
	app.Middleware(passThrough)
	ack := make(chan struct{})
	app.Get("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)+3))
		for p := body; len(p) > 0; {
			n := min(4096, len(p))
			if _, err := w.Write(p[:n]); err != nil {
				return
			}
			p = p[n:]
		}
		select { // the client has most of it while the handler still runs
		case <-ack:
		case <-r.Context().Done():
			return
		case <-time.After(guard):
			return
		}
		_, _ = io.WriteString(w, "END")
	})
	srv := serve(t, app)

	resp := get(t, srv.URL+"/big")
	require.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, len(body)+3, resp.ContentLength, "the handler's Content-Length is kept")
	head := make([]byte, 3*brisk.StreamBuffer)
	_, err := io.ReadFull(resp.Body, head)
	require.NoError(t, err)
	select {
	case ack <- struct{}{}:
	case <-time.After(guard):
		require.FailNow(t, "handler gone")
	}
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(append(body, "END"...), append(head, rest...)), "body intact")
	assert.Empty(t, resp.Header.Get("X-After"))
	assert.True(t, within(t, streamed, "the layer"))
}

func TestSmallResponsesAreHeldAndOneByteOverStreams(t *testing.T) {
	app, _ := quietApp()
	streamed := make(chan bool, 2)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		streamed <- resp.Streamed()
		resp.Header().Set("X-After", "applied")
		return resp
	})
	app.Get("/fits", func(w http.ResponseWriter) {
		_, _ = w.Write(make([]byte, brisk.StreamBuffer/2))
		_, _ = w.Write(make([]byte, brisk.StreamBuffer/2))
	})
	app.Get("/over", func(w http.ResponseWriter) { _, _ = w.Write(make([]byte, brisk.StreamBuffer+1)) })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/fits"})
	assert.Len(t, res.Body, brisk.StreamBuffer)
	assert.Equal(t, "applied", res.Header.Get("X-After"))
	assert.False(t, within(t, streamed, "fits"))

	res = send(t, srv, request{Path: "/over"})
	assert.Len(t, res.Body, brisk.StreamBuffer+1)
	assert.Empty(t, res.Header.Get("X-After"))
	assert.True(t, within(t, streamed, "over"))
}

// Starlette's exc-stream: a panic after part of the body went out cannot
// become a 500; the client sees the response broken, and it is logged once.
func TestPanicAfterStreamStartedAbortsTheResponse(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(passThrough)
	app.Get("/exc-stream", func(w http.ResponseWriter) {
		_, _ = io.WriteString(w, "Ok")
		w.(http.Flusher).Flush()
		panic("Faulty Stream")
	})
	app.Get("/ok", func() string { return "ok" })
	srv := serve(t, app)

	resp := get(t, srv.URL+"/exc-stream")
	assert.Equal(t, 200, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	assert.Error(t, err, "the client must not take a broken body for a whole one")
	assert.Equal(t, "Ok", string(b))
	assert.Equal(t, 1, strings.Count(logs.String(), "panic serving request"))
	assert.Equal(t, `"ok"`, send(t, srv, request{Path: "/ok"}).Body)
}

// ---------------------------------------------------------------------------
// Hijack, Flush, ResponseController

// unwrapOnly hides every optional interface but Unwrap, as many third-party
// writer wrappers do.
type unwrapOnly struct{ w http.ResponseWriter }

func (u unwrapOnly) Header() http.Header         { return u.w.Header() }
func (u unwrapOnly) Write(p []byte) (int, error) { return u.w.Write(p) }
func (u unwrapOnly) WriteHeader(code int)        { u.w.WriteHeader(code) }
func (u unwrapOnly) Unwrap() http.ResponseWriter { return u.w }

// echoUpgrade is a minimal WebSocket-like upgrade: hijack, answer 101 on the
// raw connection, echo lines until the client closes.
func echoUpgrade(hijack func(http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error)) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "echo" {
			http.Error(w, "upgrade required", http.StatusUpgradeRequired)
			return
		}
		conn, rw, err := hijack(w)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		_ = rw.Flush()
		for {
			line, err := rw.ReadString('\n')
			if err != nil {
				return
			}
			_, _ = rw.WriteString("echo: " + line)
			_ = rw.Flush()
		}
	}
}

func dialUpgrade(t *testing.T, addr, path string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(guard)))
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: example.com\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n", path)
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 101 Switching Protocols\r\n", status)
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
	}
	for _, msg := range []string{"hello\n", "world\n"} {
		_, err = io.WriteString(conn, msg)
		require.NoError(t, err)
		got, err := br.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, "echo: "+msg, got)
	}
}

func TestHijackThroughLayers(t *testing.T) {
	ev := &recorder{}
	app, logs := quietApp()
	app.Middleware(callNextLayer(ev, "outer"))
	app.Use(plainLayer(ev, "plain"))
	app.Middleware(callNextLayer(ev, "inner"))
	app.Get("/ws", echoUpgrade(func(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
		return w.(http.Hijacker).Hijack()
	}))
	g := app.Group("/rc")
	g.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(unwrapOnly{w}, r) })
	})
	g.Middleware(passThrough)
	g.Get("/ws", echoUpgrade(func(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
		return http.NewResponseController(w).Hijack()
	}))
	srv := serve(t, app)
	addr := srv.Listener.Addr().String()

	dialUpgrade(t, addr, "/ws")
	dialUpgrade(t, addr, "/rc/ws")
	// The layers returned without writing to the hijacked connection.
	assert.NotContains(t, logs.String(), "panic")
	// A plain request still works after the upgrades.
	res := send(t, srv, request{Path: "/ws"})
	assert.Equal(t, http.StatusUpgradeRequired, res.Status)
}

func TestResponseControllerThroughLayers(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(passThrough)
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(unwrapOnly{w}, r) })
	})
	app.Middleware(passThrough)
	errs := make(chan []error, 1)
	ack := make(chan struct{})
	app.Get("/rc", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		var got []error
		got = append(got, rc.SetWriteDeadline(time.Now().Add(guard)))
		got = append(got, rc.SetReadDeadline(time.Now().Add(guard)))
		_, _ = io.WriteString(w, "first")
		got = append(got, rc.Flush())
		errs <- got
		select {
		case <-ack:
		case <-r.Context().Done():
			return
		case <-time.After(guard):
			return
		}
		_, _ = io.WriteString(w, "second")
	})
	srv := serve(t, app)

	resp := get(t, srv.URL+"/rc")
	buf := make([]byte, len("first"))
	_, err := io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	assert.Equal(t, "first", string(buf))
	for i, err := range within(t, errs, "the handler") {
		assert.NoError(t, err, "call %d", i)
	}
	close(ack)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "second", string(rest))
}

// ---------------------------------------------------------------------------
// Panics

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

// ---------------------------------------------------------------------------
// Registration and Describe

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

// ---------------------------------------------------------------------------
// chi's middleware

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

// ---------------------------------------------------------------------------
// Typed results through call-next layers

// counted is a JSON body that counts how often it is serialised.
type counted struct {
	N     int
	calls *atomic.Int32
}

func (c counted) MarshalJSON() ([]byte, error) {
	c.calls.Add(1)
	return json.Marshal(map[string]int{"n": c.N})
}

func TestTypedResultSerialisedOnceThroughLayers(t *testing.T) {
	calls := &atomic.Int32{}
	app, _ := quietApp()
	app.Middleware(callNextLayer(&recorder{}, "a"))
	app.Use(func(next http.Handler) http.Handler { return next })
	app.Middleware(passThrough)
	g := app.Group("/g")
	g.Middleware(callNextLayer(&recorder{}, "g"))
	g.Middleware(passThrough)
	g.Get("/typed", func() counted { return counted{N: 7, calls: calls} })
	g.Get("/response", func() *brisk.Response {
		resp := brisk.JSON(http.StatusCreated, counted{N: 8, calls: calls})
		resp.Header().Set("X-Handler", "yes")
		return resp
	})
	g.Get("/tasks", func(bg *brisk.BackgroundTasks) counted {
		bg.Add(func(context.Context) error { return nil })
		return counted{N: 9, calls: calls}
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		if r.URL.Query().Get("inspect") != "" { // reading the body serialises it, once
			resp.Header().Set("X-Body", string(resp.Body()))
		}
		return resp
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/g/typed"})
	assert.Equal(t, 200, res.Status)
	assert.JSONEq(t, `{"n":7}`, res.Body)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.Equal(t, []string{"g", "a"}, res.Header.Values("X-Order"))
	assert.EqualValues(t, 1, calls.Swap(0))

	res = send(t, srv, request{Path: "/g/response"})
	assert.Equal(t, 201, res.Status)
	assert.JSONEq(t, `{"n":8}`, res.Body)
	assert.Equal(t, "yes", res.Header.Get("X-Handler"))
	assert.Equal(t, []string{"g", "a"}, res.Header.Values("X-Order"))
	assert.EqualValues(t, 1, calls.Swap(0))

	res = send(t, srv, request{Path: "/g/typed?inspect=1"})
	assert.JSONEq(t, `{"n":7}`, res.Body)
	assert.JSONEq(t, `{"n":7}`, res.Header.Get("X-Body"))
	assert.EqualValues(t, 1, calls.Swap(0))

	res = send(t, srv, request{Path: "/g/tasks"})
	assert.JSONEq(t, `{"n":9}`, res.Body)
	assert.Equal(t, strconv.Itoa(len(res.Body)), res.Header.Get("Content-Length"))
	assert.EqualValues(t, 1, calls.Swap(0))

	res = send(t, srv, request{Method: "HEAD", Path: "/g/typed"})
	assert.Equal(t, 200, res.Status)
	assert.Empty(t, res.Body)
}

// Starlette's test_app_receives_http_disconnect_*_if_discarded: there the
// layer may throw the streamed body away and answer "Custom". Brisk sent the
// stream as it went, so a replacement can no longer apply: it is dropped
// (and logged), never appended to what the client already has.
func TestReplacingAStreamedResponseIsDropped(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		_ = next(r)
		return brisk.Text(200, "Custom")
	})
	app.Get("/stream", func(w http.ResponseWriter) {
		_, _ = io.WriteString(w, "first chunk, ")
		w.(http.Flusher).Flush()
		_, _ = io.WriteString(w, "second chunk")
	})
	app.Get("/small", func(w http.ResponseWriter) { _, _ = io.WriteString(w, "small") })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/stream"})
	assert.Equal(t, "first chunk, second chunk", res.Body)
	assert.Contains(t, logs.String(), "streamed")
	assert.Equal(t, "Custom", send(t, srv, request{Path: "/small"}).Body)
}

// 103 Early Hints go out at once, ahead of the held final response.
func TestEarlyHintsPassThroughCallNext(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-After", "applied")
		return resp
	})
	app.Get("/", func(w http.ResponseWriter) {
		w.Header().Add("Link", "</style.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		_, _ = io.WriteString(w, "final")
	})
	srv := serve(t, app)

	var hints []int
	var hintLink string
	ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
		Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
			hints = append(hints, code)
			hintLink = h.Get("Link")
			return nil
		},
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, []int{103}, hints)
	assert.Equal(t, "</style.css>; rel=preload; as=style", hintLink)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "final", string(b))
	assert.Equal(t, "applied", resp.Header.Get("X-After"))
}

// signalWriter collects logs and closes serving once Run logs it serves.
type signalWriter struct {
	logBuffer
	once    sync.Once
	serving chan struct{}
}

func (s *signalWriter) Write(p []byte) (int, error) {
	n, err := s.logBuffer.Write(p)
	if bytes.Contains(p, []byte("brisk: serving")) {
		s.once.Do(func() { close(s.serving) })
	}
	return n, err
}

// Run logs the resolved stack at debug level, before it serves.
func TestRunLogsTheStackAtDebugLevel(t *testing.T) {
	logs := &signalWriter{serving: make(chan struct{})}
	app := brisk.New(brisk.Config{Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	app.Use(describeFirst)
	app.Middleware(describeTimer)
	app.Get("/x", describeHandler)
	done := make(chan error, 1)
	go func() { done <- app.Run(freeAddr(t)) }()
	within(t, logs.serving, "Run to serve")
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
	require.NoError(t, within(t, done, "Run to return"))
	out := logs.String()
	inOrder(t, out, "brisk: middleware stack, in request order", "tests.describeTimer", "tests.describeFirst",
		"router", "GET /x", "brisk: serving")
}

// Call-next layers run on the request's goroutine: no goroutine per layer,
// as BaseHTTPMiddleware's task group has. The handler's own stack shows
// every layer above it.
func TestCallNextRunsOnTheRequestGoroutine(t *testing.T) {
	app, _ := quietApp()
	for range 5 {
		app.Middleware(passThrough)
	}
	var stack string
	app.Get("/", func() string {
		buf := make([]byte, 64<<10)
		stack = string(buf[:runtime.Stack(buf, false)])
		return "ok"
	})
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, 200, rec.Code)
	assert.Equal(t, 5, strings.Count(stack, "tests.passThrough("), stack)
	assert.Contains(t, stack, "brisk.(*App).ServeHTTP(")
}

// The seed's whole stack, in the seed's order: process time innermost, then
// GZip, TrustedHost, and HTTPSRedirect outermost.
func TestSeedStack(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		start := time.Now()
		resp := next(r)
		resp.Header().Set("X-Process-Time", strconv.FormatFloat(time.Since(start).Seconds(), 'f', -1, 64))
		return resp
	})
	app.Use(middleware.GZip(middleware.GZipConfig{MinimumSize: 1000, CompressLevel: 5}))
	app.Use(middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"example.com", "*.example.com"}}))
	app.Use(middleware.HTTPSRedirect())
	app.Get("/", func() string { return "somebigcontent" })
	app.Get("/big", func() []Message {
		out := make([]Message, 200)
		for i := range out {
			out[i] = Message{Message: "message " + strconv.Itoa(i)}
		}
		return out
	})

	var described bytes.Buffer
	app.Describe(&described)
	// (A constructor the compiler inlined names its closure after the caller:
	// "tests.TestSeedStack.HTTPSRedirect.func6"; the file:line is exact.)
	inOrder(t, described.String(), "HTTPSRedirect", "middleware/httpsredirect.go", "TrustedHost", "GZip",
		"Middleware github.com/briskgo/brisk/tests.TestSeedStack", "router")

	plain := serve(t, app)
	secure := httptest.NewTLSServer(app)
	t.Cleanup(secure.Close)
	tr := secure.Client().Transport.(*http.Transport).Clone()
	tr.DisableCompression = true
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(base, path, host string) (*http.Response, []byte) {
		req, err := http.NewRequest(http.MethodGet, base+path, nil)
		require.NoError(t, err)
		req.Host = host
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp, b
	}

	// Plain HTTP: redirected before anything else runs.
	resp, _ := send(plain.URL, "/big?x=1", "example.com")
	assert.Equal(t, 307, resp.StatusCode)
	assert.Equal(t, "https://example.com/big?x=1", resp.Header.Get("Location"))
	assert.Empty(t, resp.Header.Get("X-Process-Time"))

	// HTTPS, bad host: refused by TrustedHost, inner layers never run.
	resp, body := send(secure.URL, "/", "evil.com")
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Invalid host header", string(body))
	assert.Empty(t, resp.Header.Get("X-Process-Time"))

	// HTTPS, good host, small body: timed, not compressed.
	resp, body = send(secure.URL, "/", "api.example.com")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, `"somebigcontent"`, string(body))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.NotEmpty(t, resp.Header.Get("X-Process-Time"))

	// HTTPS, good host, big body: timed and compressed.
	resp, body = send(secure.URL, "/big", "example.com")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.NotEmpty(t, resp.Header.Get("X-Process-Time"))
	zr, err := gzip.NewReader(bytes.NewReader(body))
	require.NoError(t, err)
	raw, err := io.ReadAll(zr)
	require.NoError(t, err)
	var msgs []Message
	require.NoError(t, json.Unmarshal(raw, &msgs))
	assert.Len(t, msgs, 200)
	assert.Equal(t, "message 199", msgs[199].Message)
}

// A layer that returns a nil handler is found when the stack is built, and
// every request after that fails with the same message, not a nil
// dereference.
func TestLayerReturningNilHandlerPanicsClearly(t *testing.T) {
	app, _ := quietApp()
	app.Use(func(http.Handler) http.Handler { return nil })
	app.Get("/", func() string { return "ok" })
	for range 2 {
		p := func() (p any) {
			defer func() { p = recover() }()
			app.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
			return nil
		}()
		require.NotNil(t, p)
		assert.Contains(t, fmt.Sprint(p), "returned a nil handler")
	}
}

// A layer may read and replace the body; nil after next means next's
// response; next twice, or nil without next, is a programming error: 500,
// logged with the reason.
func TestCallNextBodyAndMisuse(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		switch r.URL.Path {
		case "/twice":
			_ = next(r)
			return next(r)
		case "/nil-without-next":
			return nil
		case "/nil-after-next":
			_ = next(r)
			return nil
		}
		resp := next(r)
		if r.URL.Path == "/rewrite" {
			resp.SetBody(bytes.ToUpper(resp.Body()))
		}
		return resp
	})
	for _, p := range []string{"/twice", "/nil-without-next", "/nil-after-next", "/rewrite"} {
		app.Get(p, func(bg *brisk.BackgroundTasks) Message {
			bg.Add(func(context.Context) error { return nil }) // asks for Content-Length
			return Message{Message: "hello"}
		})
	}
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/rewrite"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, `{"MESSAGE":"HELLO"}`, res.Body)
	assert.Equal(t, strconv.Itoa(len(res.Body)), res.Header.Get("Content-Length"))

	res = send(t, srv, request{Path: "/nil-after-next"})
	assert.Equal(t, 200, res.Status)
	assert.JSONEq(t, `{"message":"hello"}`, res.Body)

	for path, reason := range map[string]string{
		"/twice":            "called next twice",
		"/nil-without-next": "returned a nil *Response without calling next",
	} {
		res = send(t, srv, request{Path: path})
		assert.Equal(t, 500, res.Status, path)
		assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body, path)
		assert.Contains(t, logs.String(), reason, path)
	}
}

// ---------------------------------------------------------------------------
// Runs of adjacent call-next layers share one capture: the semantics of
// separate layers hold inside a run.

// forbidden is a response a layer shares between requests.
var forbidden = brisk.Text(http.StatusForbidden, "forbidden")

// A layer in the middle of a run may replace the response, or answer
// without calling next; the layers outside see its response, and a shared
// response is never changed by them.
func TestRunLayerInTheMiddleAnswersForItself(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Middleware(callNextLayer(ev, "inner"))
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		switch r.URL.Path {
		case "/replace":
			resp := next(r)
			out := brisk.JSON(http.StatusAccepted, map[string]string{"was": string(resp.Body())})
			out.Header().Set("X-Replaced", "yes")
			return out
		case "/shared":
			return forbidden
		case "/copy": // a copy of next's response shares its header map
			c := *next(r)
			c.Header().Set("X-Copy", "yes")
			return &c
		}
		return next(r)
	})
	app.Middleware(callNextLayer(ev, "outer"))
	app.Get("/{p}", func(w http.ResponseWriter) {
		w.Header().Set("X-Handler", "yes")
		_, _ = io.WriteString(w, "handled")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/replace"})
	assert.Equal(t, http.StatusAccepted, res.Status)
	assert.JSONEq(t, `{"was":"handled"}`, res.Body)
	assert.Equal(t, "yes", res.Header.Get("X-Replaced"))
	assert.Empty(t, res.Header.Get("X-Handler"), "the replacement's headers only")
	assert.Equal(t, []string{"outer"}, res.Header.Values("X-Order"), "inner's header went with the replaced response")
	assert.Equal(t, []string{"in:outer", "in:inner", "out:inner", "out:outer"}, ev.take())

	for range 2 {
		res = send(t, srv, request{Path: "/shared"})
		assert.Equal(t, http.StatusForbidden, res.Status)
		assert.Equal(t, "forbidden", res.Body)
		assert.Equal(t, []string{"outer"}, res.Header.Values("X-Order"))
		assert.Equal(t, []string{"in:outer", "out:outer"}, ev.take(), "the inner layer never ran")
	}
	assert.Empty(t, forbidden.Header().Values("X-Order"), "the shared response is unchanged")

	res = send(t, srv, request{Path: "/copy"})
	assert.Equal(t, "handled", res.Body)
	assert.Equal(t, "yes", res.Header.Get("X-Copy"))
	assert.Equal(t, "yes", res.Header.Get("X-Handler"))
	assert.Equal(t, []string{"inner", "outer"}, res.Header.Values("X-Order"))
}

// Misuse in the middle of a run is reported as it is for a single layer.
func TestRunMisuseInTheMiddle(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(passThrough)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		switch r.URL.Path {
		case "/twice":
			_ = next(r)
			return next(r)
		case "/nil-without-next":
			return nil
		}
		_ = next(r)
		return nil // next's response
	})
	app.Middleware(callNextLayer(&recorder{}, "outer"))
	app.Get("/{p}", func() string { return "ok" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/nil-after-next"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, `"ok"`, res.Body)
	assert.Equal(t, []string{"outer"}, res.Header.Values("X-Order"))

	for path, reason := range map[string]string{
		"/twice":            "called next twice",
		"/nil-without-next": "returned a nil *Response without calling next",
	} {
		res = send(t, srv, request{Path: path})
		assert.Equal(t, 500, res.Status, path)
		assert.Contains(t, logs.String(), reason, path)
	}
}

// Each layer of a run may pass on a request of its own; the next layer and
// the handler get it.
func TestRunPassesEachLayersRequestOn(t *testing.T) {
	app, _ := quietApp()
	for _, name := range []string{"a", "b", "c"} {
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			seen, _ := r.Context().Value(stackKey("path")).(string)
			resp := next(r.WithContext(context.WithValue(r.Context(), stackKey("path"), seen+name)))
			resp.Header().Add("X-Seen", name+"<"+seen)
			return resp
		})
	}
	app.Get("/", func(ctx context.Context) string { return ctx.Value(stackKey("path")).(string) })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, `"cba"`, res.Body)
	assert.Equal(t, []string{"a<cb", "b<c", "c<"}, res.Header.Values("X-Seen"))
}

// A run under a group and the group's parent's run fuse across the groups
// and keep their order; the app's own run stays outside routing.
func TestRunsAcrossNestedGroups(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Middleware(callNextLayer(ev, "app"))
	g := app.Group("/g")
	g.Middleware(callNextLayer(ev, "g1"))
	g.Middleware(callNextLayer(ev, "g2"))
	h := g.Group("/h")
	h.Middleware(callNextLayer(ev, "h"))
	h.Get("/x", func() string { ev.add("handler"); return "x" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/g/h/x"})
	assert.Equal(t, `"x"`, res.Body)
	assert.Equal(t, []string{"in:app", "in:g2", "in:g1", "in:h", "handler", "out:h", "out:g1", "out:g2", "out:app"}, ev.take())
	assert.Equal(t, []string{"h", "g1", "g2", "app"}, res.Header.Values("X-Order"))
}

// Headers a plain layer outside a run sets before calling next are not part
// of the response the run's layers see, and still go out.
func TestRunLayersSeeOnlyTheirResponseHeaders(t *testing.T) {
	app, _ := quietApp()
	seen := make(chan []string, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		var keys []string
		for k := range resp.Header() {
			keys = append(keys, k)
		}
		seen <- keys
		return resp
	})
	app.Middleware(passThrough)
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Outside", "yes")
			next.ServeHTTP(w, r)
		})
	})
	app.Get("/", func(w http.ResponseWriter) {
		w.Header().Set("X-Handler", "yes")
		_, _ = io.WriteString(w, "ok")
	})

	for _, outside := range []bool{false, true} {
		rec := httptest.NewRecorder()
		if outside {
			rec.Header().Set("X-Server", "set before") // the writer's map is not empty
		}
		app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.Equal(t, "ok", rec.Body.String())
		assert.Equal(t, []string{"X-Handler"}, within(t, seen, "the layer"))
		assert.Equal(t, "yes", rec.Result().Header.Get("X-Outside"))
		assert.Equal(t, "yes", rec.Result().Header.Get("X-Handler"))
		// The writer's own map keeps the headers after the request.
		assert.Equal(t, "yes", rec.Header().Get("X-Handler"))
	}
}

// A run that ends in a panic leaves none of the failed response's headers
// for the 500, whether a layer or the handler set them.
func TestRunPanicLeavesNoHeaders(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-Layer", "yes")
		if r.URL.Path == "/layer" {
			panic("layer")
		}
		return resp
	})
	app.Middleware(passThrough)
	app.Get("/{p}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Handler", "yes")
		w.Header().Set("Content-Type", "text/csv")
		if r.URL.Path == "/handler" {
			panic("handler")
		}
		_, _ = io.WriteString(w, "a,b")
	})
	srv := serve(t, app)

	for _, path := range []string{"/handler", "/layer"} {
		res := send(t, srv, request{Path: path})
		assert.Equal(t, 500, res.Status, path)
		assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body, path)
		assert.Equal(t, "application/json", res.Header.Get("Content-Type"), path)
		assert.Empty(t, res.Header.Get("X-Handler"), path)
		assert.Empty(t, res.Header.Get("X-Layer"), path)
	}
	res := send(t, srv, request{Path: "/ok"})
	assert.Equal(t, "a,b", res.Body)
	assert.Equal(t, "yes", res.Header.Get("X-Layer"))
}

// Headers a layer sets after a streamed response do not reach the client,
// not even as trailers the handler declared.
func TestRunHeadersAfterAStreamAreNotTrailers(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-Sum", "from the layer")
		resp.Header().Set("X-Seen", strconv.Quote(resp.Header().Get("X-Before")))
		return resp
	})
	app.Middleware(passThrough)
	app.Get("/", func(w http.ResponseWriter) {
		w.Header().Set("Trailer", "X-Sum, X-Seen")
		w.Header().Set("X-Before", "yes")
		_, _ = io.WriteString(w, "chunk")
		w.(http.Flusher).Flush()
	})
	srv := serve(t, app)

	resp := get(t, srv.URL+"/")
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "chunk", string(b))
	assert.Equal(t, "yes", resp.Header.Get("X-Before"))
	assert.Empty(t, resp.Trailer.Get("X-Sum"))
	assert.Empty(t, resp.Trailer.Get("X-Seen"))
}
