package tests

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// Panics everywhere user code runs: handlers, providers, route
// dependencies, provider cleanups, call-next and plain middleware,
// background tasks. Each is logged exactly once, with its stack; the
// server keeps serving; and when it is all over no goroutine is left
// behind (a hand-written goleak: goroutines are compared by id and stack
// before and after).

type pnResource struct{ name string }
type pnBroken struct{}
type pnCleanupPanics struct{}

// pnApp registers one route per place a panic can happen; released counts
// the cleanups that ran, taskRuns the tasks that ran.
func pnApp(t *testing.T, released, taskRuns *atomic.Int64) (*brisk.App, *logBuffer) {
	t.Helper()
	app, logs := quietApp()
	app.Provide(func() (pnResource, func(), error) {
		return pnResource{"db"}, func() { released.Add(1) }, nil
	})
	app.Provide(func(pnResource) pnBroken { panic("in provider") })
	app.Provide(func() (pnCleanupPanics, func(), error) {
		return pnCleanupPanics{}, func() { panic("in cleanup") }, nil
	})
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/plain" {
				panic("in plain middleware")
			}
			next.ServeHTTP(w, r)
		})
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		if r.URL.Path == "/before-next" {
			panic("in call-next middleware, before next")
		}
		resp := next(r)
		if r.URL.Path == "/after-next" {
			panic("in call-next middleware, after next")
		}
		return resp
	})
	app.Get("/ok", func() string { return "ok" })
	app.Get("/plain", func() string { return "unreachable" })
	app.Get("/before-next", func() string { return "unreachable" })
	app.Get("/after-next", func(pnResource) string { return "replaced by the panic" })
	app.Get("/handler", func(pnResource) string { panic("in handler") })
	app.Get("/handler-error-value", func() string { panic(fmt.Errorf("an error value: %w", io.ErrClosedPipe)) })
	app.Get("/handler-nil", func() string { panic(nil) })
	app.Get("/provider", func(pnBroken) string { return "unreachable" })
	app.Get("/dependency", func() string { return "unreachable" },
		brisk.Dependencies(func(pnResource) { panic("in dependency") }))
	app.Get("/cleanup", func(_ pnCleanupPanics, _ pnResource) string { return "cleanup panics later" })
	app.Get("/task", func(bg *brisk.BackgroundTasks, _ pnResource) string {
		bg.Add(func(context.Context) error { panic("in task") })
		bg.Add(func(context.Context) error { taskRuns.Add(1); return nil })
		return "task panics later"
	})
	app.Get("/stream", func(w http.ResponseWriter, _ pnResource) {
		_, _ = io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		panic("mid-stream")
	})
	app.Get("/abort", func(pnResource) string { panic(http.ErrAbortHandler) })
	return app, logs
}

// pnCase is one panic: what the client sees and what is logged.
type pnCase struct {
	path   string
	status int    // 0: the connection is broken off
	msg    string // the log record's msg
	panic  string // in the record's panic attribute
	frame  string // a function the record's stack must name
}

var pnCases = []pnCase{
	{"/handler", 500, "brisk: panic serving request", "in handler", "tests.pnApp.func"},
	{"/handler-error-value", 500, "brisk: panic serving request", "an error value", "tests.pnApp.func"},
	{"/handler-nil", 500, "brisk: panic serving request", "panic called with nil argument", "tests.pnApp.func"},
	{"/provider", 500, "brisk: panic serving request", "in provider", "tests.pnApp.func"},
	{"/dependency", 500, "brisk: panic serving request", "in dependency", "tests.pnApp.func"},
	{"/plain", 500, "brisk: panic serving request", "in plain middleware", "tests.pnApp.func"},
	{"/before-next", 500, "brisk: panic serving request", "before next", "tests.pnApp.func"},
	{"/after-next", 500, "brisk: panic serving request", "after next", "tests.pnApp.func"},
	{"/cleanup", 200, "brisk: panic in provider cleanup", "in cleanup", "tests.pnApp.func"},
	{"/task", 200, "background: task panicked", "in task", "tests.pnApp.func"},
	{"/stream", 0, "brisk: panic serving request", "mid-stream", "tests.pnApp.func"},
	{"/abort", 0, "", "", ""}, // http.ErrAbortHandler: net/http's way to drop a response, not logged
}

func TestPanicsAreLoggedOnceAndTheServerKeepsServing(t *testing.T) {
	before := pnGoroutines()
	var released, taskRuns atomic.Int64
	app, logs := pnApp(t, &released, &taskRuns)
	var httpLog logBuffer // net/http's own log: a panic it saw would be logged there
	srv := httptest.NewUnstartedServer(app)
	srv.Config.ErrorLog = log.New(&httpLog, "", 0)
	srv.Start()
	// No keep-alive: Go's client would retry a GET whose reused connection
	// broke (the abort cases), and every request must run exactly once.
	client := &http.Client{Timeout: hGuard, Transport: &http.Transport{DisableKeepAlives: true}}

	const rounds = 5
	for round := range rounds {
		for _, c := range pnCases {
			t.Run(fmt.Sprintf("%s#%d", c.path, round), func(t *testing.T) {
				resp, err := client.Get(srv.URL + c.path)
				var body []byte
				if err == nil {
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				switch c.status {
				case 0:
					require.Error(t, err, "the response must be broken off")
				case 500:
					require.NoError(t, err)
					assert.Equal(t, 500, resp.StatusCode)
					assert.JSONEq(t, `{"detail":"Internal Server Error"}`, string(body))
				default:
					require.NoError(t, err)
					assert.Equal(t, c.status, resp.StatusCode, string(body))
				}
				// And the server goes on.
				ok, err := client.Get(srv.URL + "/ok")
				require.NoError(t, err)
				b, _ := io.ReadAll(ok.Body)
				ok.Body.Close()
				assert.Equal(t, `"ok"`, string(b))
			})
		}
	}
	// Tasks and cleanups run after their responses: wait for them all.
	srv.Close()
	bgShutdown(t, app)
	client.CloseIdleConnections()

	// Each panic logged exactly once per request, with its stack.
	for _, c := range pnCases {
		if c.msg == "" {
			continue
		}
		n := 0
		for _, rec := range bgLogRecords(t, logs, c.msg) {
			if !strings.Contains(fmt.Sprint(rec["panic"]), c.panic) {
				continue
			}
			n++
			stack, _ := rec["stack"].(string)
			assert.Contains(t, stack, "goroutine ", "%s: the record carries a stack", c.path)
			assert.Contains(t, stack, c.frame, "%s: the stack names the panicking function", c.path)
			if c.msg == "brisk: panic serving request" {
				assert.Equal(t, c.path, rec["path"], "the record names the request")
			}
		}
		assert.Equal(t, rounds, n, "%s: want one record per request", c.path)
	}
	assert.NotContains(t, logs.String(), "ErrAbortHandler", "an abort is not logged")
	assert.NotContains(t, logs.String(), "abort Handler", "an abort is not logged")
	assert.Empty(t, httpLog.String(), "net/http logs nothing: Brisk handled every panic")

	// Resources were released despite every panic: /handler, /dependency,
	// /after-next, /cleanup, /task, /stream, /abort and /provider (whose
	// provider depends on pnResource) each took one.
	assert.Equal(t, int64(8*rounds), released.Load(), "every cleanup ran")
	assert.Equal(t, int64(rounds), taskRuns.Load(), "a panicking task does not stop the next")

	pnNoLeaks(t, before)
}

// pnGoroutines maps the id of every live goroutine to its stack.
func pnGoroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if m := pnGoroutineID.FindStringSubmatch(g); m != nil {
			out[m[1]] = g
		}
	}
	return out
}

var pnGoroutineID = regexp.MustCompile(`^goroutine (\d+) `)

// pnNoLeaks waits (bounded) until every goroutine started since before has
// ended, and fails naming the ones that did not.
func pnNoLeaks(t *testing.T, before map[string]string) {
	t.Helper()
	var leaked []string
	ok := assert.Eventually(t, func() bool {
		leaked = leaked[:0]
		for id, stack := range pnGoroutines() {
			if _, old := before[id]; !old && !pnIsTestRunner(stack) {
				leaked = append(leaked, stack)
			}
		}
		return len(leaked) == 0
	}, hGuard, 10*time.Millisecond)
	if !ok {
		t.Errorf("%d goroutines leaked:\n%s", len(leaked), strings.Join(leaked, "\n\n"))
	}
}

// pnIsTestRunner reports the goroutines of the testing package and of the
// check itself.
func pnIsTestRunner(stack string) bool {
	return strings.Contains(stack, "testing.(*T).Run") || strings.Contains(stack, "testing.tRunner") ||
		strings.Contains(stack, "created by testing.") || strings.Contains(stack, "tests.pnGoroutines") ||
		strings.Contains(stack, "created by github.com/stretchr/testify/assert.Eventually")
}

// A panic on a raw connection with keep-alive: the connection that saw a
// 500 stays usable, the one broken off mid-stream is closed, and the next
// one is served.
func TestPanicKeepsKeepAliveConnectionsUsable(t *testing.T) {
	var released, taskRuns atomic.Int64
	app, _ := pnApp(t, &released, &taskRuns)
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	conn, err := net.DialTimeout("tcp", addr, hGuard)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(hGuard)))
	br := bufio.NewReader(conn)
	for _, path := range []string{"/handler", "/provider", "/after-next", "/plain", "/ok"} {
		_, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\n\r\n")
		require.NoError(t, err)
		res := hRead(t, br)
		assert.False(t, res.Close, "%s: a 500 keeps the connection", path)
		if path == "/ok" {
			assert.Equal(t, 200, res.Status)
		} else {
			assert.Equal(t, 500, res.Status, path)
		}
	}
	_, err = io.WriteString(conn, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err, "the headers went out before the panic")
	_, err = io.ReadAll(resp.Body)
	assert.True(t, errors.Is(err, io.ErrUnexpectedEOF), "the body is cut off: %v", err)
	_, err = br.ReadByte()
	assert.Error(t, err, "the connection is closed")
	hNextIsFine(t, addr)
}
