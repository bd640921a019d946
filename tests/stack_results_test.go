package tests

// Typed results and responses through call-next layers: serialised once,
// streams not replaced, 103 Early Hints, the request goroutine, the
// examples' full stack, misuse of next.

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

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

// The examples' whole stack, in their order: process time innermost, then
// GZip, TrustedHost, and HTTPSRedirect outermost.
func TestFullMiddlewareStack(t *testing.T) {
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
	// "tests.TestFullMiddlewareStack.HTTPSRedirect.func6"; the file:line is exact.)
	inOrder(t, described.String(), "HTTPSRedirect", "middleware/httpsredirect.go", "TrustedHost", "GZip",
		"Middleware github.com/briskgo/brisk/tests.TestFullMiddlewareStack", "router")

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
