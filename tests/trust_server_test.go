package tests

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// The server Run starts against clients that stall, trickle or stop
// reading, and Run and Shutdown against each other. Every name starts with
// ts: the package is shared with other suites.

// tsGuard bounds every wait of these tests; it is never how they
// synchronise.
const tsGuard = 10 * time.Second

// tsServing is a slog.Handler that keeps the records as JSON in a
// logBuffer and sends the address of Run's "brisk: serving" record.
type tsServing struct {
	slog.Handler
	addr chan string
}

func (h tsServing) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "brisk: serving" {
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "addr" {
				h.addr <- strings.TrimPrefix(a.Value.String(), "http://")
			}
			return true
		})
	}
	return h.Handler.Handle(ctx, r)
}

func (h tsServing) WithAttrs(as []slog.Attr) slog.Handler {
	return tsServing{h.Handler.WithAttrs(as), h.addr}
}

func (h tsServing) WithGroup(name string) slog.Handler {
	return tsServing{h.Handler.WithGroup(name), h.addr}
}

// tsApp returns an App configured by cfg whose logs go to a buffer.
func tsApp(cfg brisk.Config) (*brisk.App, *logBuffer, chan string) {
	logs := &logBuffer{}
	addr := make(chan string, 1)
	cfg.Logger = slog.New(tsServing{slog.NewJSONHandler(logs, nil), addr})
	return brisk.New(cfg), logs, addr
}

// tsRun serves app with Run on a port the kernel picks, and returns the
// address and Run's result, to come.
func tsRun(t *testing.T, app *brisk.App, addr chan string) (string, chan error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- app.Run("127.0.0.1:0") }()
	select {
	case a := <-addr:
		return a, done
	case err := <-done:
		t.Fatalf("Run returned before serving: %v", err)
	case <-time.After(tsGuard):
		t.Fatal("Run did not serve")
	}
	return "", nil
}

// tsStop shuts app down and checks that Run returned nil.
func tsStop(t *testing.T, app *brisk.App, done chan error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), tsGuard)
	defer cancel()
	assert.NoError(t, app.Shutdown(ctx))
	assert.NoError(t, bgRecv(t, done, "Run to return"))
}

// tsDial connects to addr and sends head, a request's head and whatever of
// its body should go with it.
func tsDial(t *testing.T, addr, head string) net.Conn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, tsGuard)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = io.WriteString(conn, head)
	require.NoError(t, err)
	return conn
}

// tsClosed reads conn until the server ends it, and fails if it does not
// within the guard.
func tsClosed(t *testing.T, conn net.Conn) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(tsGuard)))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the server kept the connection open")
	}
}

// bodyRead is what a handler saw of its body.
type bodyRead struct {
	n       int
	err     error
	elapsed time.Duration
}

// tsUpload registers POST /upload, which reads the whole body and reports
// it on the returned channel.
func tsUpload(app *brisk.App) chan bodyRead {
	reads := make(chan bodyRead, 1)
	app.Handle("POST", "/upload", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		b, err := io.ReadAll(r.Body)
		reads <- bodyRead{len(b), err, time.Since(start)}
		if err != nil {
			http.Error(w, "body", http.StatusBadRequest)
			return
		}
		fmt.Fprint(w, len(b))
	}))
	return reads
}

// A body that stalls after one byte is cut off after ReadBodyTimeout: the
// handler's read fails, and the connection is closed.
func TestSlowBodyStalledAfterOneByteIsCut(t *testing.T) {
	const timeout = 300 * time.Millisecond
	app, _, addrc := tsApp(brisk.Config{ReadBodyTimeout: timeout})
	reads := tsUpload(app)
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)

	conn := tsDial(t, addr, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nA")
	got := bgRecv(t, reads, "the handler's read to end")
	require.Error(t, got.err, "a stalled body must not be waited for forever")
	assert.Equal(t, 1, got.n)
	assert.GreaterOrEqual(t, got.elapsed, timeout-50*time.Millisecond, "cut too early")
	assert.Less(t, got.elapsed, tsGuard/2)
	tsClosed(t, conn)
}

// Brisk's own body binder gets the same deadline: the request ends, and
// the next one is served.
func TestSlowJSONBodyIsCutAndTheServerGoesOn(t *testing.T) {
	app, logs, addrc := tsApp(brisk.Config{ReadBodyTimeout: 300 * time.Millisecond})
	type Item struct {
		Name string `json:"name"`
	}
	app.Post("/items", func(it Item) Item { return it })
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)

	conn := tsDial(t, addr, "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	tsClosed(t, conn)
	resp, err := http.Post("http://"+addr+"/items", "application/json", strings.NewReader(`{"name":"ok"}`))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"name":"ok"}`, string(b))
	assert.NotContains(t, logs.String(), `"level":"ERROR"`)
}

// An upload slower than ReadBodyTimeout in all, but whose data keeps
// coming, passes.
func TestSlowButSteadyUploadPasses(t *testing.T) {
	app, _, addrc := tsApp(brisk.Config{ReadBodyTimeout: time.Second, MinReadBodyRate: 100})
	reads := tsUpload(app)
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)

	const chunks, size = 20, 150
	conn := tsDial(t, addr, fmt.Sprintf("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", chunks*size))
	for range chunks {
		time.Sleep(100 * time.Millisecond) // the pace of a slow client, 2 s in all
		_, err := io.WriteString(conn, strings.Repeat("a", size))
		require.NoError(t, err)
	}
	got := bgRecv(t, reads, "the upload")
	require.NoError(t, got.err)
	assert.Equal(t, chunks*size, got.n)
	assert.Greater(t, got.elapsed, time.Second, "the upload outlasted ReadBodyTimeout")
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(tsGuard)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, fmt.Sprint(chunks*size), string(b))
}

// A body that trickles in, a byte each 100 ms, never idle for
// ReadBodyTimeout, is cut by MinReadBodyRate.
func TestTricklingBodyIsCutByTheMinimumRate(t *testing.T) {
	const idle = 700 * time.Millisecond
	app, _, addrc := tsApp(brisk.Config{ReadBodyTimeout: idle, MinReadBodyRate: 1000})
	reads := tsUpload(app)
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)

	conn := tsDial(t, addr, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
	stop := make(chan struct{})
	trickled := make(chan struct{})
	go func() {
		defer close(trickled)
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
				if _, err := conn.Write([]byte("a")); err != nil {
					return
				}
			}
		}
	}()
	got := bgRecv(t, reads, "the handler's read to end")
	close(stop)
	<-trickled
	require.Error(t, got.err, "a body below the minimum rate must be cut")
	assert.Greater(t, got.n, 0)
	assert.GreaterOrEqual(t, got.elapsed, idle-50*time.Millisecond, "the first ReadBodyTimeout is grace")
	assert.Less(t, got.elapsed, tsGuard/2)
}

// A client that never reads a large response is cut off after
// WriteTimeout: the handler's write fails, so its goroutine and buffers
// are released, and the connection is closed.
func TestClientThatNeverReadsIsReleased(t *testing.T) {
	const timeout = 300 * time.Millisecond
	app, _, addrc := tsApp(brisk.Config{WriteTimeout: timeout})
	wrote := make(chan error, 1)
	app.Handle("GET", "/big", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// One write far larger than any socket buffer.
		_, err := w.Write(make([]byte, 64<<20))
		wrote <- err
	}))
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)

	conn := tsDial(t, addr, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	require.Error(t, bgRecv(t, wrote, "the handler's write to end"), "a client that never reads must not hold the handler")
	tsClosed(t, conn)
}

// A client that reads a large response slowly but steadily, and a stream
// whose events are further apart than WriteTimeout, both get everything.
func TestSlowReaderAndSparseStreamPass(t *testing.T) {
	const timeout = 500 * time.Millisecond
	app, _, addrc := tsApp(brisk.Config{WriteTimeout: timeout})
	const size = 4 << 20
	app.Handle("GET", "/big", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(make([]byte, size))
	}))
	app.Handle("GET", "/events", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			if i > 0 {
				time.Sleep(2 * timeout) // events sparser than the write timeout
			}
			fmt.Fprintf(w, "data: %d\n\n", i)
			if err := http.NewResponseController(w).Flush(); err != nil {
				return
			}
		}
	}))
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)

	resp, err := http.Get("http://" + addr + "/big")
	require.NoError(t, err)
	n := 0
	buf := make([]byte, 256<<10)
	start := time.Now()
	for {
		k, err := resp.Body.Read(buf)
		n += k
		if err != nil {
			break
		}
		time.Sleep(20 * time.Millisecond) // a slow reader: about 10 MiB/s at most
	}
	resp.Body.Close()
	assert.Equal(t, size, n, "read for %s", time.Since(start))

	resp, err = http.Get("http://" + addr + "/events")
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, "data: 0\n\ndata: 1\n\ndata: 2\n\n", string(b))
}

// Shutdown racing Run, as `go app.Run(addr); app.Shutdown(ctx)` makes it:
// whichever wins, Run returns (nil or http.ErrServerClosed) and nothing is
// served once Shutdown has returned.
func TestShutdownRacingRunNeverServes(t *testing.T) {
	for i := range 25 {
		app, _ := quietApp()
		app.Get("/ping", func() string { return "pong" })
		addr := freeAddr(t)
		done := make(chan error, 1)
		go func() { done <- app.Run(addr) }()
		ctx, cancel := context.WithTimeout(context.Background(), tsGuard)
		require.NoError(t, app.Shutdown(ctx), "iteration %d", i)
		cancel()
		err := bgRecv(t, done, "Run to return after Shutdown")
		if err != nil {
			require.ErrorIs(t, err, http.ErrServerClosed, "iteration %d", i)
		}
		conn, err := net.DialTimeout("tcp", addr, tsGuard)
		if err == nil {
			conn.Close()
			t.Fatalf("iteration %d: %s still accepts connections after Shutdown and Run returned", i, addr)
		}
	}
}

// Run on an app already shut down serves nothing.
func TestRunAfterShutdownReturnsErrServerClosed(t *testing.T) {
	app, _ := quietApp()
	require.NoError(t, app.Shutdown(context.Background()))
	assert.ErrorIs(t, app.Run(freeAddr(t)), http.ErrServerClosed)

	srv := &http.Server{}
	app.ConfigureServer(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	assert.ErrorIs(t, srv.Serve(ln), http.ErrServerClosed)
}

// At the shutdown deadline, connections still held by clients (one idle
// after a request, one that never sent anything, one in the middle of its
// body) are closed, their handlers' cleanups run, every task runs, and
// Shutdown and Run return nil.
func TestShutdownWithHeldConnectionsIsClean(t *testing.T) {
	app, logs, addrc := tsApp(brisk.Config{ReadBodyTimeout: time.Minute, MinReadBodyRate: -1})
	var ran, provided, cleaned atomic.Int64
	app.Provide(func() (*tsResource, func(), error) {
		provided.Add(1)
		return &tsResource{}, func() { cleaned.Add(1) }, nil
	})
	type Order struct {
		Item string `json:"item"`
	}
	app.Post("/orders", func(o Order, _ *tsResource, bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { ran.Add(1); return nil })
		return o.Item
	})
	addr, done := tsRun(t, app, addrc)

	const orders = 5
	for range orders {
		resp, err := http.Post("http://"+addr+"/orders", "application/json", strings.NewReader(`{"item":"x"}`))
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		require.Equal(t, 200, resp.StatusCode)
	}
	// Idle after a request, on a connection of its own.
	idle := tsDial(t, addr, "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"item\":\"x\"}")
	resp, err := http.ReadResponse(bufio.NewReader(idle), nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	// Connected, nothing sent.
	_ = tsDial(t, addr, "")
	// In the middle of its body: its handler waits in the body read.
	_ = tsDial(t, addr, "POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	require.Eventually(t, func() bool { return provided.Load() == orders+2 && cleaned.Load() == orders+1 },
		tsGuard, time.Millisecond, "the last request's handler must be waiting for its body")

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	require.NoError(t, app.Shutdown(ctx), "clients holding connections must not make the shutdown fail")
	assert.Less(t, time.Since(start), 2*time.Second)
	require.NoError(t, bgRecv(t, done, "Run to return"))
	assert.Equal(t, int64(orders+1), ran.Load(), "every task ran")
	assert.Equal(t, int64(orders+2), cleaned.Load(), "the cut request's provider was cleaned up too")
	assert.Contains(t, logs.String(), "brisk: shutdown: closed the connections still open")
}

// tsResource is what TestShutdownWithHeldConnectionsIsClean's provider
// opens.
type tsResource struct{}

// A provider returning a cleanup together with an error: the error is the
// answer, and the cleanup still runs.
func TestProviderCleanupRunsWhenItAlsoReturnsAnError(t *testing.T) {
	app, _ := quietApp()
	cleaned := make(chan string, 2)
	app.Provide(func(r *http.Request) (*tsResource, func(), error) {
		return nil, func() { cleaned <- r.URL.Path }, brisk.Error(http.StatusForbidden, "no")
	})
	app.Get("/guarded", func(*tsResource) string { return "never" })
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/guarded"})
	assert.Equal(t, 403, res.Status)
	assert.JSONEq(t, `{"detail":"no"}`, res.Body)
	assert.Equal(t, "/guarded", bgRecv(t, cleaned, "the cleanup"))
}

// A task that never returns, on a runner with one worker, does not stall
// the next request's tasks once it has outlived TaskTimeout.
func TestBlockedTaskDoesNotStallLaterTasks(t *testing.T) {
	app, logs := quietApp(brisk.Config{MaxConcurrentTasks: 1, TaskTimeout: 200 * time.Millisecond})
	release := make(chan struct{})
	defer close(release)
	started, second := make(chan struct{}, 1), make(chan struct{}, 1)
	app.Post("/block", func(bg *brisk.BackgroundTasks) string {
		bg.AddTask(func() { started <- struct{}{}; <-release }) // ignores every context
		return "queued"
	})
	app.Post("/next", func(bg *brisk.BackgroundTasks) string {
		bg.AddTask(func() { second <- struct{}{} })
		return "queued"
	})
	srv := serve(t, app)
	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/block"}).Status)
	bgRecv(t, started, "the blocking task to hold the only worker")
	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/next"}).Status)
	bgRecv(t, second, "the next request's task")
	assert.Contains(t, logs.String(), "background: task still running after its timeout; abandoned, the list goes on")
}

// TestSlowClientsFigures measures what slow clients hold, for
// docs/reliability.md: 40 clients that never read an 8 MiB response, then
// 1 000 bodies stalled after one byte, against timeouts of 1 s. It needs
// hundreds of MiB, so it runs only when BRISK_FIGURES=1:
//
//	BRISK_FIGURES=1 go test -run TestSlowClientsFigures -v ./tests/
func TestSlowClientsFigures(t *testing.T) {
	if os.Getenv("BRISK_FIGURES") != "1" {
		t.Skip("set BRISK_FIGURES=1 to measure")
	}
	app, _, addrc := tsApp(brisk.Config{WriteTimeout: time.Second, ReadBodyTimeout: time.Second})
	app.Handle("GET", "/big", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(make([]byte, 8<<20))
	}))
	const stalled = 1000
	reads := make(chan error, stalled)
	app.Handle("POST", "/upload", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		reads <- err
	}))
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)
	heap := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapInuse >> 20
	}
	baseHeap, baseG := heap(), runtime.NumGoroutine()
	t.Logf("baseline: heap %d MiB, %d goroutines", baseHeap, baseG)
	for range 40 {
		_ = tsDial(t, addr, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	time.Sleep(300 * time.Millisecond) // the responses are being written
	t.Logf("40 clients not reading 8 MiB, after 0.3 s: heap %d MiB, %d goroutines", heap(), runtime.NumGoroutine())
	tsGoroutinesBackTo(t, baseG)
	after := heap()
	t.Logf("after WriteTimeout: heap %d MiB, %d goroutines", after, runtime.NumGoroutine())
	assert.Less(t, after, baseHeap+16)

	start := time.Now()
	for range stalled {
		_ = tsDial(t, addr, "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nA")
	}
	t.Logf("%d bodies stalled after one byte, open after %v: %d goroutines", stalled, time.Since(start).Round(time.Millisecond), runtime.NumGoroutine())
	for range stalled {
		require.Error(t, bgRecv(t, reads, "a stalled body's read to end"))
	}
	tsGoroutinesBackTo(t, baseG)
	t.Logf("all %d cut and released %v after the first: %d goroutines", stalled, time.Since(start).Round(time.Millisecond), runtime.NumGoroutine())
}

// tsGoroutinesBackTo waits (bounded) until at most n goroutines run.
// (require.Eventually would count its own.)
func tsGoroutinesBackTo(t *testing.T, n int) {
	t.Helper()
	for end := time.Now().Add(tsGuard); runtime.NumGoroutine() > n; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("%d goroutines, want at most %d", runtime.NumGoroutine(), n)
		}
	}
}

// A WebSocket on Run's server is not cut by its read and write deadlines:
// the hijacked connection is the handler's, without them, however long it
// stays quiet.
func TestWebSocketOutlivesRunsDeadlines(t *testing.T) {
	const timeout = 200 * time.Millisecond
	app, _, addrc := tsApp(brisk.Config{ReadBodyTimeout: timeout, WriteTimeout: timeout})
	app.WebSocket("/echo", func(ws *brisk.WebSocket) error {
		for {
			s, err := ws.ReadText()
			if err != nil {
				return nil
			}
			if err := ws.WriteText(s); err != nil {
				return err
			}
		}
	})
	addr, done := tsRun(t, app, addrc)
	defer tsStop(t, app, done)

	ctx, cancel := context.WithTimeout(context.Background(), tsGuard)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws://"+addr+"/echo", nil)
	require.NoError(t, err)
	defer c.CloseNow()
	for i := range 2 {
		time.Sleep(3 * timeout) // quiet for longer than either deadline
		msg := fmt.Sprint("ping ", i)
		require.NoError(t, c.Write(ctx, websocket.MessageText, []byte(msg)))
		typ, b, err := c.Read(ctx)
		require.NoError(t, err)
		assert.Equal(t, websocket.MessageText, typ)
		assert.Equal(t, msg, string(b))
	}
	require.NoError(t, c.Close(websocket.StatusNormalClosure, ""))
}
