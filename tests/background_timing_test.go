package tests

// When a request's tasks start: after its whole response is on the wire
// (buffered, streamed, through layers that buffer or wrap the writer),
// without holding the connection (keep-alive, HTTP/2), and after a
// hijacked connection's handler returns.

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// bgCountingWriter is what plain middleware typically wraps the writer in:
// it hides every optional interface (no Flush, no Unwrap).
type bgCountingWriter struct {
	http.ResponseWriter
	n int
}

func (w *bgCountingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n += n
	return n, err
}

// bgUnwrappingWriter is a wrapper that lets http.ResponseController reach
// the writer beneath, so handlers can still flush through it.
type bgUnwrappingWriter struct{ http.ResponseWriter }

func (w bgUnwrappingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// bgBufferingWriter holds the whole response until its middleware writes
// it, with a length of its own, after next returns.
type bgBufferingWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bgBufferingWriter) Header() http.Header { return w.header }

func (w *bgBufferingWriter) WriteHeader(code int) { w.status = code }

func (w *bgBufferingWriter) Write(p []byte) (int, error) { return w.body.Write(p) }

func bgBuffering(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := &bgBufferingWriter{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(bw, r)
		for k, v := range bw.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(bw.body.Len()))
		w.Header().Set("X-Buffered", "yes")
		w.WriteHeader(bw.status)
		_, _ = w.Write(bw.body.Bytes())
	})
}

// TestBackgroundResponseCompleteBeforeTaskStarts: the client receives the
// whole response while the request's task is blocked, whatever produced
// the response; and at the moment the task starts, the server has already
// written that response onto the connection.
func TestBackgroundResponseCompleteBeforeTaskStarts(t *testing.T) {
	const email = "a@example.com"
	jsonBody := `{"message":"Notification sent to a@example.com"}`
	typed := func(b *blockedTask) any {
		return func(email string, bg *brisk.BackgroundTasks) Message {
			b.add(bg)
			return Message{Message: "Notification sent to " + email}
		}
	}
	streamed := func(b *blockedTask) any {
		return func(w http.ResponseWriter, bg *brisk.BackgroundTasks) {
			b.add(bg)
			streamTwoParts(w)
		}
	}
	// A buffered response carries an explicit Content-Length, and the task
	// starts once all of it has been written.
	buffered := func(body string) func(t *testing.T, res result, sent string) {
		return func(t *testing.T, res result, sent string) {
			assert.Equal(t, body, res.Body)
			assert.Equal(t, int64(len(body)), res.ContentLength, "explicit Content-Length")
			assert.Empty(t, res.TransferEncoding)
			assert.Contains(t, sent, "Content-Length: "+strconv.Itoa(len(body))+"\r\n")
			assert.True(t, strings.HasSuffix(sent, "\r\n\r\n"+body), "the whole response was on the wire when the task started:\n%q", sent)
		}
	}
	// A streamed response is chunked; on a server set up by ConfigureServer
	// (as Run's is) the whole stream, down to the zero-length chunk that
	// ends it, is on the wire when the task starts.
	chunked := func(t *testing.T, res result, sent string) {
		assert.Equal(t, "first,second", res.Body)
		assert.Equal(t, []string{"chunked"}, res.TransferEncoding)
		assert.True(t, strings.HasSuffix(sent, "\r\n\r\n6\r\nfirst,\r\n6\r\nsecond\r\n0\r\n\r\n"),
			"the whole stream, its last chunk included, was on the wire when the task started:\n%q", sent)
	}
	// On a server not set up by ConfigureServer, every chunk the handler
	// wrote is on the wire when the task starts; net/http writes the
	// zero-length chunk that ends the stream right after ServeHTTP returns,
	// concurrently with the task (docs/background-tasks.md explains this).
	chunkedUnconfigured := func(t *testing.T, res result, sent string) {
		assert.Equal(t, "first,second", res.Body)
		assert.Equal(t, []string{"chunked"}, res.TransferEncoding)
		assert.Contains(t, sent, "\r\n\r\n6\r\nfirst,\r\n6\r\nsecond\r\n", "every chunk was on the wire when the task started")
	}

	cases := []struct {
		name    string
		setup   func(app *brisk.App, b *blockedTask)
		path    string // default /notify/{email}
		plain   bool   // a plain httptest server, not set up by ConfigureServer
		status  int
		headers map[string]string
		check   func(t *testing.T, res result, sent string)
	}{{
		name:   "JSON",
		setup:  func(app *brisk.App, b *blockedTask) { app.Post("/notify/{email}", typed(b)) },
		status: 200, headers: map[string]string{"Content-Type": "application/json"},
		check: buffered(jsonBody),
	}, {
		name: "own Response",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Post("/notify/{email}", func(email string, bg *brisk.BackgroundTasks) *brisk.Response {
				b.add(bg)
				return brisk.Text(202, "queued for "+email)
			})
		},
		status: 202, headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"},
		check: buffered("queued for " + email),
	}, {
		name:   "streamed",
		setup:  func(app *brisk.App, b *blockedTask) { app.Post("/notify/{email}", streamed(b)) },
		status: 200, headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"},
		check: chunked,
	}, {
		name:   "streamed, server not set up by ConfigureServer",
		setup:  func(app *brisk.App, b *blockedTask) { app.Post("/notify/{email}", streamed(b)) },
		plain:  true,
		status: 200, headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"},
		check: chunkedUnconfigured,
	}, {
		name:   "JSON, server not set up by ConfigureServer",
		setup:  func(app *brisk.App, b *blockedTask) { app.Post("/notify/{email}", typed(b)) },
		plain:  true,
		status: 200, headers: map[string]string{"Content-Type": "application/json"},
		check: buffered(jsonBody),
	}, {
		name: "JSON under call-next middleware",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
				resp := next(r)
				resp.Header().Set("X-Layer", "after next")
				return resp
			})
			app.Post("/notify/{email}", typed(b))
		},
		status: 200, headers: map[string]string{"Content-Type": "application/json", "X-Layer": "after next"},
		check: buffered(jsonBody),
	}, {
		name: "body replaced by call-next middleware",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
				resp := next(r)
				resp.SetBody([]byte(`{"wrapped":` + string(resp.Body()) + `}`))
				resp.SetStatusCode(201)
				return resp
			})
			app.Post("/notify/{email}", typed(b))
		},
		status: 201, headers: map[string]string{"Content-Type": "application/json"},
		check: buffered(`{"wrapped":` + jsonBody + `}`),
	}, {
		name: "streamed under call-next middleware",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
				r.Header.Set("X-Seen", "1")
				return next(r)
			})
			app.Post("/notify/{email}", streamed(b))
		},
		status: 200, headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"},
		check: chunked,
	}, {
		name: "JSON under plain middleware that wraps the writer",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Use(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					w.Header().Set("X-Wrapped", "yes")
					next.ServeHTTP(&bgCountingWriter{ResponseWriter: w}, r)
				})
			})
			app.Post("/notify/{email}", typed(b))
		},
		status: 200, headers: map[string]string{"Content-Type": "application/json", "X-Wrapped": "yes"},
		check: buffered(jsonBody),
	}, {
		name: "streamed under plain middleware that wraps the writer",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Use(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					next.ServeHTTP(bgUnwrappingWriter{w}, r)
				})
			})
			app.Post("/notify/{email}", streamed(b))
		},
		status: 200, headers: map[string]string{"Content-Type": "text/plain; charset=utf-8"},
		check: chunked,
	}, {
		name: "streamed under plain middleware that buffers the response",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Use(bgBuffering)
			app.Post("/notify/{email}", streamed(b))
		},
		status: 200, headers: map[string]string{"X-Buffered": "yes"},
		check: buffered("first,second"),
	}, {
		name: "every kind of layer",
		setup: func(app *brisk.App, b *blockedTask) {
			app.Use(func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					next.ServeHTTP(&bgCountingWriter{ResponseWriter: w}, r)
				})
			})
			app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
				resp := next(r)
				resp.Header().Set("X-Layer", "outer")
				return resp
			})
			g := app.Group("/g")
			g.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
			g.Use(func(next http.Handler) http.Handler { return next })
			g.Post("/notify/{email}", typed(b))
		},
		path:   "/g/notify/" + email,
		status: 200, headers: map[string]string{"Content-Type": "application/json", "X-Layer": "outer"},
		check: buffered(jsonBody),
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app, _ := quietApp()
			var wire *bgWire
			task := newBlockedTask(&wire)
			tc.setup(app, task)
			srv, w := bgServeWith(t, app, !tc.plain)
			wire = w
			wire.slowEnd.Store(int64(25 * time.Millisecond))
			path := tc.path
			if path == "" {
				path = "/notify/" + email
			}

			// The client reads the whole response while the task is blocked:
			// if the server waited for the task, this would time out.
			res := send(t, srv, request{Client: bgClient(srv), Method: "POST", Path: path})
			sent := bgRecv(t, task.started, "the task to start")

			assert.Equal(t, tc.status, res.Status)
			for k, v := range tc.headers {
				assert.Equal(t, v, res.Header.Get(k), k)
			}
			tc.check(t, res, sent)

			select {
			case <-task.finished:
				t.Fatal("the task finished before it was released")
			default:
			}
			close(task.release)
			assert.NoError(t, bgRecv(t, task.finished, "the task to finish"),
				"a task's context is not cancelled when its request ends")
		})
	}
}

// TestBackgroundKeepAlive: a request's blocked task does not hold its
// connection; the next request on the same connection is served.
func TestBackgroundKeepAlive(t *testing.T) {
	app, _ := quietApp()
	var wire *bgWire
	first, second := newBlockedTask(&wire), newBlockedTask(&wire)
	app.Post("/json", func(bg *brisk.BackgroundTasks) Message {
		first.add(bg)
		return Message{Message: "json"}
	})
	app.Post("/stream", func(w http.ResponseWriter, bg *brisk.BackgroundTasks) {
		second.add(bg)
		streamTwoParts(w)
	})
	app.Get("/ping", func() string { return "pong" })
	srv, w := bgServe(t, app)
	wire = w
	client := bgClient(srv)

	var reused []bool
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) { reused = append(reused, info.Reused) }}
	traced := httptrace.WithClientTrace(context.Background(), trace)
	call := func(method, path string) result {
		return send(t, srv, request{Client: client, Ctx: traced, Method: method, Path: path})
	}

	assert.Equal(t, `{"message":"json"}`, call("POST", "/json").Body)
	bgRecv(t, first.started, "the first task to start")
	assert.Equal(t, "first,second", call("POST", "/stream").Body, "served while the first task is blocked")
	bgRecv(t, second.started, "the second task to start")
	assert.Equal(t, `"pong"`, call("GET", "/ping").Body, "served while both tasks are blocked")

	assert.Equal(t, []bool{false, true, true}, reused, "one connection for the three requests")
	assert.Equal(t, int32(1), wire.accepted.Load())

	close(first.release)
	close(second.release)
	bgRecv(t, first.finished, "the first task to finish")
	bgRecv(t, second.finished, "the second task to finish")
}

// TestBackgroundHTTP2: over HTTP/2 too the client has the whole response
// (the end of the stream included) while the task is blocked.
func TestBackgroundHTTP2(t *testing.T) {
	app, _ := quietApp()
	var wire *bgWire
	jsonTask, streamTask := newBlockedTask(&wire), newBlockedTask(&wire)
	app.Post("/json", func(bg *brisk.BackgroundTasks) Message {
		jsonTask.add(bg)
		return Message{Message: "json"}
	})
	app.Post("/stream", func(w http.ResponseWriter, bg *brisk.BackgroundTasks) {
		streamTask.add(bg)
		streamTwoParts(w)
	})
	srv := httptest.NewUnstartedServer(app)
	wire = &bgWire{Listener: srv.Listener} // records TLS bytes; only the client view is checked
	srv.Listener = wire
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(func() {
		close(jsonTask.release)
		close(streamTask.release)
		srv.Close()
		bgShutdown(t, app)
	})
	client := srv.Client()
	client.Timeout = bgGuard

	res := send(t, srv, request{Client: client, Method: "POST", Path: "/json"})
	assert.Equal(t, 2, res.ProtoMajor)
	assert.Equal(t, `{"message":"json"}`, res.Body)
	assert.Equal(t, int64(len(res.Body)), res.ContentLength)
	bgRecv(t, jsonTask.started, "the JSON task to start")

	res = send(t, srv, request{Client: client, Method: "POST", Path: "/stream"})
	assert.Equal(t, 2, res.ProtoMajor)
	assert.Equal(t, "first,second", res.Body)
	bgRecv(t, streamTask.started, "the streamed task to start")
}

type bgConnDep struct{}

// TestBackgroundHijackedConnection: a handler that takes the connection over
// (a WebSocket upgrade) keeps its tasks and cleanups; they run once it
// returns, and Brisk does not write to the connection it no longer owns
// (net/http would log that).
func TestBackgroundHijackedConnection(t *testing.T) {
	app, _ := quietApp()
	events := make(chan string, 8)
	app.Provide(func() (bgConnDep, func(), error) { return bgConnDep{}, func() { events <- "cleanup" }, nil })
	upgrade := func(w http.ResponseWriter, _ bgConnDep, bg *brisk.BackgroundTasks) {
		bg.AddTask(func() { events <- "task" })
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello")
		_ = rw.Flush()
	}
	app.Get("/ws", upgrade)
	g := app.Group("/layered")
	g.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
	g.Get("/ws", upgrade)

	srv := httptest.NewUnstartedServer(app)
	var serverLog logBuffer
	srv.Config.ErrorLog = log.New(&serverLog, "", 0)
	srv.Start()
	t.Cleanup(func() { srv.Close(); bgShutdown(t, app) })

	for _, path := range []string{"/ws", "/layered/ws"} {
		conn, err := net.DialTimeout("tcp", srv.Listener.Addr().String(), bgGuard)
		require.NoError(t, err)
		require.NoError(t, conn.SetDeadline(time.Now().Add(bgGuard)))
		_, err = io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
		require.NoError(t, err)
		got, err := io.ReadAll(conn)
		require.NoError(t, err)
		conn.Close()
		assert.Equal(t, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello", string(got), path)
		assert.Equal(t, []string{"task", "cleanup"}, take(t, events, 2), path)
	}
	srv.Close()
	assert.Empty(t, serverLog.String(), "net/http logged nothing")
}
