package tests

import (
	"bufio"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"iter"
	"net"
	"net/http"
	"runtime"
	"runtime/pprof"
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

// abortStream opens path on a fresh connection, reads until want has
// arrived, and closes the connection: a client going away mid-stream.
func abortStream(t *testing.T, addr, path, want string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: test\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	var seen strings.Builder
	for !strings.Contains(seen.String(), want) {
		line, err := br.ReadString('\n')
		require.NoError(t, err, "read so far: %q", seen.String())
		seen.WriteString(line)
	}
}

// The client going away cancels the request context and stops the
// iteration: an iterator blocked on the context wakes, one yielding as fast
// as it can sees yield return false.
func TestStreamClientGoneStopsIteration(t *testing.T) {
	ctxDone := make(chan struct{})
	yieldFalse := make(chan int, 1)
	app := brisk.New()
	app.Get("/wait", func(ctx context.Context) iter.Seq[int] {
		return func(yield func(int) bool) {
			if !yield(1) {
				return
			}
			<-ctx.Done()
			close(ctxDone)
		}
	})
	app.Get("/spin", func() iter.Seq[int] {
		return func(yield func(int) bool) {
			for i := 0; ; i++ {
				if !yield(i) {
					yieldFalse <- i
					return
				}
			}
		}
	}, brisk.EventStream())
	srv := serve(t, app)
	addr := srv.Listener.Addr().String()
	abortStream(t, addr, "/wait", "1\n")
	bgRecv(t, ctxDone, "the request context's end")
	abortStream(t, addr, "/spin", "data: 3\n")
	n := bgRecv(t, yieldFalse, "yield returning false")
	assert.Greater(t, n, 3)
}

// 1,000 streams aborted by their clients leave no goroutine behind: the
// count returns to what it was before them (the server's idle state).
func TestStreamAbortedLeaveNoGoroutines(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 connections")
	}
	var ended atomic.Int64
	app := brisk.New()
	app.Get("/events", func(ctx context.Context) iter.Seq[brisk.ServerSentEvent] {
		return func(yield func(brisk.ServerSentEvent) bool) {
			defer ended.Add(1)
			for i := 0; ; i++ {
				if !yield(brisk.ServerSentEvent{ID: itoa(i), Data: i}) {
					return
				}
				if i > 2 {
					<-ctx.Done()
				}
			}
		}
	}, brisk.EventStream(), brisk.KeepAlive(time.Millisecond))
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
	srv := serve(t, app)
	addr := srv.Listener.Addr().String()
	// Warm up: the server's pools and the runtime's lazily started
	// goroutines (finalizers, cleanups) exist before the count is taken.
	const warm = 50
	for range warm {
		abortStream(t, addr, "/events", "id: 3\n")
	}
	require.Eventually(t, func() bool { return ended.Load() == warm }, 10*time.Second, time.Millisecond)
	runtime.GC()
	before := runtime.NumGoroutine()

	const streams, parallel = 1000, 8
	var wg sync.WaitGroup
	jobs := make(chan struct{})
	for range parallel {
		wg.Go(func() {
			for range jobs {
				abortStream(t, addr, "/events", "id: 3\n")
			}
		})
	}
	for range streams {
		jobs <- struct{}{}
	}
	close(jobs)
	wg.Wait()
	require.Eventually(t, func() bool { return ended.Load() == streams+warm }, 30*time.Second, time.Millisecond,
		"every iterator returns once its client is gone")
	// Polled here, not with assert.Eventually: its condition runs on a
	// goroutine of its own, which would be counted.
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(10 * time.Second); after > before && time.Now().Before(deadline); {
		runtime.Gosched()
		runtime.GC()
		after = runtime.NumGoroutine()
	}
	if after > before {
		var sb strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&sb, 1)
		t.Fatalf("goroutines before %d, after %d:\n%s", before, after, sb.String())
	}
	t.Logf("goroutines before %d, after %d aborted streams: %d", before, streams, after)
}

// Tasks and provider cleanups run after the stream ends; the stream may use
// what a provider opened until its last item.
func TestStreamTasksAndCleanupsAfterLastItem(t *testing.T) {
	type session struct{ open atomic.Bool }
	var ev bgEvents
	cleaned := make(chan struct{})
	app := brisk.New()
	app.Provide(func() (*session, func(), error) {
		s := &session{}
		s.open.Store(true)
		return s, func() { s.open.Store(false); ev.add("cleanup"); close(cleaned) }, nil
	})
	app.Get("/s", func(s *session, bg *brisk.BackgroundTasks) iter.Seq2[string, error] {
		bg.Add(func(context.Context) error { ev.add("task"); return nil })
		return func(yield func(string, error) bool) {
			for _, item := range []string{"foo", "bar", "baz"} {
				if !s.open.Load() {
					yield("", errors.New("session closed"))
					return
				}
				ev.add(item)
				if !yield(item, nil) {
					return
				}
			}
		}
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/s", JSON: ""})
	assert.Equal(t, "\"foo\"\n\"bar\"\n\"baz\"\n", res.Body)
	bgRecv(t, cleaned, "the cleanup")
	assert.Equal(t, []string{"foo", "bar", "baz", "task", "cleanup"}, ev.get())
}

// streamStacks are the middleware stacks a stream must pass through, each
// item flushed at once.
var streamStacks = map[string]func(*brisk.App){
	"plain": func(app *brisk.App) {
		app.Use(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Plain", "1")
				next.ServeHTTP(w, r)
			})
		})
	},
	"call-next": func(app *brisk.App) {
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			resp := next(r)
			resp.Header().Set("X-After", "too late for a stream")
			return resp
		})
	},
	"two call-next around plain": func(app *brisk.App) {
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
		app.Use(func(next http.Handler) http.Handler { return next })
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
	},
	"gzip": func(app *brisk.App) {
		app.Use(middleware.GZip(middleware.GZipConfig{MinimumSize: 1}))
	},
	"trusted-host": func(app *brisk.App) {
		app.Use(middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"127.0.0.1"}}))
	},
	"cors": func(app *brisk.App) {
		app.Use(middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.com"}}))
	},
}

// Through every stack, each item reaches the client before the next is
// produced, and event streams are never compressed.
func TestStreamThroughMiddlewareStacks(t *testing.T) {
	for name, stack := range streamStacks {
		t.Run(name, func(t *testing.T) {
			next := make(chan struct{})
			app := brisk.New()
			items := func() iter.Seq[int] {
				return func(yield func(int) bool) {
					for i := range 3 {
						if !yield(i) {
							return
						}
						<-next
					}
				}
			}
			app.Get("/jsonl", items)
			app.Get("/sse", items, brisk.EventStream())
			stack(app)
			srv := serve(t, app)

			resp, body := openStream(t, srv, "GET", "/sse", "Accept-Encoding", "gzip", "Origin", "https://example.com")
			assert.Equal(t, 200, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Content-Encoding"))
			assert.Empty(t, resp.Header.Get("X-After"))
			for i := range 3 {
				line, err := body.ReadString('\n')
				require.NoError(t, err)
				assert.Equal(t, "data: "+itoa(i)+"\n", line)
				_, _ = body.ReadString('\n')
				next <- struct{}{}
			}

			resp, body = openStream(t, srv, "GET", "/jsonl", "Accept-Encoding", "gzip", "Origin", "https://example.com")
			assert.Equal(t, 200, resp.StatusCode)
			var lines *bufio.Reader = body
			if resp.Header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(body)
				require.NoError(t, err)
				zr.Multistream(false)
				lines = bufio.NewReader(zr)
			}
			for i := range 3 {
				line, err := lines.ReadString('\n')
				require.NoError(t, err)
				assert.Equal(t, itoa(i)+"\n", line)
				next <- struct{}{}
			}
		})
	}
}
