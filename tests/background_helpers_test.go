package tests

// Helpers of the background_*_test.go files: end-to-end tests of background
// tasks, over real TCP unless a test says otherwise. No test sleeps to
// synchronise: tasks report through channels, and bgGuard only bounds how
// long a broken build can hang. Most names start with bg: the package is
// shared with other suites.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// bgGuard bounds every wait of the background tests. It is never how they
// synchronise (channels do that), only how a broken build fails instead of
// hanging.
const bgGuard = 10 * time.Second

// bgRecv receives from ch, failing the test after bgGuard.
func bgRecv[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(bgGuard):
		t.Fatalf("waited %s for %s", bgGuard, what)
		panic("unreachable")
	}
}

// bgShutdown drains app's background tasks, failing the test if that takes
// longer than bgGuard.
func bgShutdown(t *testing.T, app *brisk.App) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bgGuard)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
}

// bgWire is a listener that records every byte the server writes, so a task
// can check what the client has been sent at the moment it starts.
type bgWire struct {
	net.Listener
	mu       sync.Mutex
	out      bytes.Buffer
	accepted atomic.Int32
	// slowEnd delays the server's write of a chunked stream's last chunk,
	// as a slow network would: a task that starts before the response is
	// complete then starts, reliably, before that chunk is on the wire.
	slowEnd atomic.Int64 // a time.Duration
}

func (l *bgWire) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.accepted.Add(1)
	return &bgWireConn{Conn: c, l: l}, nil
}

// sent returns everything written to clients so far.
func (l *bgWire) sent() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.out.String()
}

type bgWireConn struct {
	net.Conn
	l *bgWire
}

// Write records p once it is on the socket.
func (c *bgWireConn) Write(p []byte) (int, error) {
	if d := time.Duration(c.l.slowEnd.Load()); d > 0 && bytes.HasSuffix(p, []byte("0\r\n\r\n")) {
		time.Sleep(d)
	}
	n, err := c.Conn.Write(p)
	c.l.mu.Lock()
	c.l.out.Write(p[:n])
	c.l.mu.Unlock()
	return n, err
}

// bgServe serves app over real TCP behind a recording listener, closed and
// drained with the test.
func bgServe(t *testing.T, app *brisk.App) (*httptest.Server, *bgWire) {
	t.Helper()
	return bgServeWith(t, app, true)
}

// bgServeWith is bgServe; configure says whether the server is set up by
// app.ConfigureServer, as Run's is, or is a plain httptest server.
func bgServeWith(t *testing.T, app *brisk.App, configure bool) (*httptest.Server, *bgWire) {
	t.Helper()
	var wire *bgWire
	srv := serveWith(t, app, func(ln net.Listener) net.Listener {
		wire = &bgWire{Listener: ln}
		return wire
	}, bgGuard, configure)
	return srv, wire
}

// bgClient is a client with one connection per host, bounded by bgGuard.
func bgClient(srv *httptest.Server) *http.Client {
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.MaxConnsPerHost = 1
	tr.MaxIdleConnsPerHost = 1
	return &http.Client{Transport: tr, Timeout: bgGuard}
}

// bgLogRecords returns the JSON log records whose msg is msg.
func bgLogRecords(t *testing.T, logs *logBuffer, msg string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), "log line %s", sc.Text())
		if rec["msg"] == msg {
			out = append(out, rec)
		}
	}
	require.NoError(t, sc.Err())
	return out
}

// bgEvents collects events from the request goroutine and from tasks.
type bgEvents struct {
	mu   sync.Mutex
	list []string
}

func (e *bgEvents) add(s string) {
	e.mu.Lock()
	e.list = append(e.list, s)
	e.mu.Unlock()
}

func (e *bgEvents) get() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.list...)
}

// bgDoneHook is a context whose Done reports its first call: Shutdown calls
// it when it starts waiting, which tells a test that Shutdown has seen the
// pending work and is blocked on it.
type bgDoneHook struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func newBGDoneHook(ctx context.Context) *bgDoneHook {
	return &bgDoneHook{Context: ctx, waiting: make(chan struct{})}
}

func (c *bgDoneHook) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

// blockedTask is a task that reports what the server had sent when it
// started, then blocks until released.
type blockedTask struct {
	wire     **bgWire
	started  chan string // the wire when the task started
	release  chan struct{}
	finished chan error // the task's ctx.Err() when released
}

func newBlockedTask(wire **bgWire) *blockedTask {
	return &blockedTask{wire: wire, started: make(chan string, 1), release: make(chan struct{}),
		finished: make(chan error, 1)}
}

func (b *blockedTask) add(bg *brisk.BackgroundTasks) {
	bg.Add(func(ctx context.Context) error {
		b.started <- (*b.wire).sent()
		<-b.release
		b.finished <- ctx.Err()
		return nil
	})
}

// streamTwoParts writes "first," then flushes, then writes "second".
func streamTwoParts(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "first,")
	_ = http.NewResponseController(w).Flush()
	_, _ = io.WriteString(w, "second")
}
