package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// End-to-end tests of background tasks (issue 3), over real TCP unless a
// test says otherwise. No test sleeps to synchronise: tasks report through
// channels, and bgGuard only bounds how long a broken build can hang.

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

func (w *bgBufferingWriter) Header() http.Header         { return w.header }
func (w *bgBufferingWriter) WriteHeader(code int)        { w.status = code }
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

// streamTwoParts writes "first," then flushes, then writes "second".
func streamTwoParts(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = io.WriteString(w, "first,")
	_ = http.NewResponseController(w).Flush()
	_, _ = io.WriteString(w, "second")
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

type bgFirstDep struct{ tasks *brisk.BackgroundTasks }
type bgSecondDep struct{ tasks *brisk.BackgroundTasks }

// TestBackgroundTasksSharedByProvidersAndHandler: one *BackgroundTasks per
// request, the same for every provider, route dependency and the handler;
// another request gets a *BackgroundTasks of its own, empty when it starts
// (its storage may be the first request's, reused once that list was
// scheduled: see background.Runner.NewTasks).
func TestBackgroundTasksSharedByProvidersAndHandler(t *testing.T) {
	app, _ := quietApp()
	seen := make(chan *brisk.BackgroundTasks, 16)
	lens := make(chan int, 2)
	var ran atomic.Int32
	app.Provide(func(bg *brisk.BackgroundTasks) bgFirstDep {
		seen <- bg
		return bgFirstDep{bg}
	})
	app.Provide(func(f bgFirstDep, bg *brisk.BackgroundTasks) bgSecondDep {
		seen <- bg
		return bgSecondDep{bg}
	})
	app.Post("/share", func(f bgFirstDep, s bgSecondDep, bg *brisk.BackgroundTasks) string {
		seen <- bg
		lens <- bg.Len()
		bg.AddTask(func() { ran.Add(1) })
		return "ok"
	}, brisk.Dependencies(func(bg *brisk.BackgroundTasks) { seen <- bg }))
	srv := serve(t, app)

	var requests [2][]*brisk.BackgroundTasks
	for i := range requests {
		require.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/share"}).Status)
		for range 4 { // route dependency, two providers, handler
			requests[i] = append(requests[i], bgRecv(t, seen, "a function to report its tasks"))
		}
	}
	for i, ptrs := range requests {
		require.NotNil(t, ptrs[0])
		for _, p := range ptrs {
			assert.Same(t, ptrs[0], p, "request %d: every function gets the same *BackgroundTasks", i)
		}
	}
	assert.NotSame(t, requests[0][0], requests[1][0], "each request gets its own *BackgroundTasks")
	for i := range requests {
		assert.Zero(t, bgRecv(t, lens, "the handler's list length"), "request %d: its list starts empty", i)
	}
	bgShutdown(t, app)
	assert.Equal(t, int32(2), ran.Load(), "each request's task ran once")
}

// TestBackgroundTasksRunInOrderAdded: the tasks of a request run in the
// order they were added (route dependencies and providers first, as they
// ran, then the handler), AddTask and Add mixed, one after another.
func TestBackgroundTasksRunInOrderAdded(t *testing.T) {
	app, _ := quietApp()
	var added, ran bgEvents
	var running atomic.Int32
	overlaps := make(chan string, 16)
	record := func(label string) {
		if running.Add(1) != 1 {
			overlaps <- label
		}
		ran.add(label)
		running.Add(-1)
	}
	addTask := func(bg *brisk.BackgroundTasks, label string) {
		added.add(label)
		bg.AddTask(record, label)
	}
	add := func(bg *brisk.BackgroundTasks, label string) {
		added.add(label)
		bg.Add(func(context.Context) error { record(label); return nil })
	}
	app.Provide(func(bg *brisk.BackgroundTasks) bgFirstDep {
		addTask(bg, "first provider, AddTask")
		add(bg, "first provider, Add")
		return bgFirstDep{bg}
	})
	app.Provide(func(_ bgFirstDep, bg *brisk.BackgroundTasks) bgSecondDep {
		add(bg, "second provider, Add")
		return bgSecondDep{bg}
	})
	done := make(chan struct{})
	app.Post("/order", func(_ bgSecondDep, bg *brisk.BackgroundTasks) Message {
		addTask(bg, "handler, AddTask 1")
		add(bg, "handler, Add")
		for i := range 6 { // past the tasks a list holds inline
			addTask(bg, fmt.Sprintf("handler, AddTask %d", i+2))
		}
		bg.Add(func(context.Context) error { close(done); return nil })
		return Message{Message: "ok"}
	}, brisk.Dependencies(func(bg *brisk.BackgroundTasks) { addTask(bg, "route dependency") }))
	srv := serve(t, app)

	require.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/order"}).Status)
	bgRecv(t, done, "the last task")
	want := []string{"route dependency", "first provider, AddTask", "first provider, Add", "second provider, Add",
		"handler, AddTask 1", "handler, Add"}
	for i := range 6 {
		want = append(want, fmt.Sprintf("handler, AddTask %d", i+2))
	}
	assert.Equal(t, want, added.get(), "the functions ran in this order")
	assert.Equal(t, want, ran.get(), "the tasks ran in the order added")
	assert.Empty(t, overlaps, "no two tasks of a request ran at once")
	bgShutdown(t, app)
}

func bgPanickyTask(id string) { panic("mail server on fire for " + id) }

func bgFailingTask(id string) error { return errors.New("smtp: connection refused for " + id) }

// TestBackgroundFailingTasksAreIsolated: a panicking task and a failing one
// are logged with the task's name and the request; the tasks after them
// still run, and the server keeps serving.
func TestBackgroundFailingTasksAreIsolated(t *testing.T) {
	app, logs := quietApp()
	var ran bgEvents
	app.Post("/jobs/{id}", func(id string, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(ran.add, "before "+id)
		bg.AddTask(bgPanickyTask, id)
		bg.AddTask(bgFailingTask, id)
		bg.Add(func(ctx context.Context) error { panic(fmt.Errorf("typed %s", id)) })
		bg.AddTask(ran.add, "after "+id)
		return Message{Message: "queued " + id}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/jobs/7"})
	assert.Equal(t, 200, res.Status)
	assert.JSONEq(t, `{"message":"queued 7"}`, res.Body)
	bgShutdown(t, app)
	assert.Equal(t, []string{"before 7", "after 7"}, ran.get(), "the tasks after the failures ran")

	panicked := bgLogRecords(t, logs, "background: task panicked")
	require.Len(t, panicked, 2)
	assert.Equal(t, "ERROR", panicked[0]["level"])
	assert.Equal(t, "github.com/briskgo/brisk/tests.bgPanickyTask", panicked[0]["task"])
	assert.Equal(t, "POST", panicked[0]["method"])
	assert.Equal(t, "/jobs/7", panicked[0]["path"])
	assert.Equal(t, "mail server on fire for 7", panicked[0]["panic"])
	assert.Contains(t, panicked[0]["stack"], "bgPanickyTask")
	assert.Contains(t, panicked[1]["task"], "tests.TestBackgroundFailingTasksAreIsolated.func1", "a closure is named as the runtime names it")
	assert.Equal(t, "typed 7", panicked[1]["panic"])

	failed := bgLogRecords(t, logs, "background: task failed")
	require.Len(t, failed, 1)
	assert.Equal(t, "ERROR", failed[0]["level"])
	assert.Equal(t, "github.com/briskgo/brisk/tests.bgFailingTask", failed[0]["task"])
	assert.Equal(t, "POST", failed[0]["method"])
	assert.Equal(t, "/jobs/7", failed[0]["path"])
	assert.Equal(t, "smtp: connection refused for 7", failed[0]["error"])

	// The server, and the tasks of later requests, go on.
	res = send(t, srv, request{Method: "POST", Path: "/jobs/8"})
	assert.Equal(t, 200, res.Status)
	bgShutdown(t, app)
	assert.Equal(t, []string{"before 7", "after 7", "before 8", "after 8"}, ran.get())
}

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

type bgSession struct {
	name   string
	closed atomic.Bool
}
type bgUserDep struct{ session *bgSession }

// TestBackgroundCleanupsRunAfterTasks: provider cleanups run after every
// task of the request, in reverse order of creation, so tasks can use what
// the providers opened; and they run when the request fails or is broken
// off too.
func TestBackgroundCleanupsRunAfterTasks(t *testing.T) {
	app, _ := quietApp()
	events := make(chan string, 64)
	app.Provide(func(bg *brisk.BackgroundTasks) (*bgSession, func(), error) {
		s := &bgSession{name: "db"}
		bg.AddTask(func() { events <- fmt.Sprintf("task of db provider (closed: %v)", s.closed.Load()) })
		return s, func() { s.closed.Store(true); events <- "close db" }, nil
	})
	app.Provide(func(s *bgSession, bg *brisk.BackgroundTasks) (bgUserDep, func(), error) {
		bg.Add(func(context.Context) error { events <- "task of user provider"; return nil })
		return bgUserDep{s}, func() { events <- "close user" }, nil
	})
	app.Post("/work", func(u bgUserDep, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func() { events <- fmt.Sprintf("task of handler (closed: %v)", u.session.closed.Load()) })
		return Message{Message: "ok"}
	})
	app.Post("/fail", func(u bgUserDep, bg *brisk.BackgroundTasks) (Message, error) {
		bg.AddTask(func() { events <- "task of failing handler" })
		return Message{}, brisk.Error(409, "conflict")
	})
	app.Post("/stream-panic", func(w http.ResponseWriter, u bgUserDep) {
		_, _ = io.WriteString(w, "partial")
		_ = http.NewResponseController(w).Flush()
		panic("broken mid-stream")
	})
	app.Post("/abort", func(u bgUserDep) Message { panic(http.ErrAbortHandler) })
	srv := serve(t, app)

	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/work"}).Status)
	assert.Equal(t, []string{
		"task of db provider (closed: false)",
		"task of user provider",
		"task of handler (closed: false)",
		"close user",
		"close db",
	}, take(t, events, 5))

	assert.Equal(t, 409, send(t, srv, request{Method: "POST", Path: "/fail"}).Status)
	assert.Equal(t, []string{"close user", "close db"}, take(t, events, 2), "tasks discarded, cleanups still run")

	// A response broken off (a panic after it started, or net/http's abort
	// sentinel): the client sees an error, and the cleanups still run.
	for _, path := range []string{"/stream-panic", "/abort"} {
		resp, err := srv.Client().Post(srv.URL+path, "", nil)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		assert.Error(t, err, path)
		assert.Equal(t, []string{"close user", "close db"}, take(t, events, 2), path)
	}
	bgShutdown(t, app)
	assert.Empty(t, events)
}

// TestBackgroundShutdownWaitsForBlockedTask: Shutdown returns only after the
// blocked task has finished, and the task's context stays live meanwhile.
func TestBackgroundShutdownWaitsForBlockedTask(t *testing.T) {
	app, _ := quietApp()
	started, release := make(chan struct{}), make(chan struct{})
	events := make(chan string, 4)
	shutdownReturned := make(chan error, 1)
	app.Post("/slow", func(bg *brisk.BackgroundTasks) Message {
		bg.Add(func(ctx context.Context) error {
			close(started)
			<-release
			select {
			case <-shutdownReturned:
				events <- "Shutdown returned while the task was running"
			default:
			}
			events <- "task finished, ctx live: " + strconv.FormatBool(ctx.Err() == nil)
			return nil
		})
		return Message{Message: "queued"}
	})
	srv := serve(t, app)
	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/slow"}).Status)
	bgRecv(t, started, "the task to start")

	ctx, cancel := context.WithTimeout(context.Background(), bgGuard)
	defer cancel()
	hook := newBGDoneHook(ctx)
	go func() {
		err := app.Shutdown(hook)
		events <- "Shutdown returned"
		shutdownReturned <- err
	}()
	bgRecv(t, hook.waiting, "Shutdown to wait") // Shutdown saw the pending task
	select {
	case err := <-shutdownReturned:
		t.Fatalf("Shutdown returned (%v) while the task was blocked", err)
	default:
	}
	close(release)
	assert.NoError(t, bgRecv(t, shutdownReturned, "Shutdown to return"))
	assert.Equal(t, []string{"task finished, ctx live: true", "Shutdown returned"}, take(t, events, 2))
}

func bgNeverRuns(counter *atomic.Int32) { counter.Add(1) }

// TestBackgroundShutdownDeadline: a task that does not return holds
// Shutdown until its deadline only: Shutdown then returns the context's
// error, cancels the tasks' context, logs what it abandons, and tasks not
// started never run.
func TestBackgroundShutdownDeadline(t *testing.T) {
	app, logs := quietApp()
	stuck := make(chan struct{})
	releaseStuck := sync.OnceFunc(func() { close(stuck) })
	stuckStarted, watcherStarted := make(chan struct{}), make(chan struct{})
	cancelled := make(chan error, 1)
	var neverRan atomic.Int32
	app.Post("/stuck", func(bg *brisk.BackgroundTasks) string {
		// Ignores its context: only the end of the test releases it.
		bg.AddTask(func(stop <-chan struct{}) { close(stuckStarted); <-stop }, (<-chan struct{})(stuck))
		bg.AddTask(bgNeverRuns, &neverRan)
		return "queued"
	})
	app.Post("/watcher", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(ctx context.Context) error {
			close(watcherStarted)
			<-ctx.Done()
			cancelled <- ctx.Err()
			<-stuck
			return nil
		})
		return "queued"
	})
	app.Post("/late", func(bg *brisk.BackgroundTasks) string {
		bg.AddTask(bgNeverRuns, &neverRan)
		return "answered"
	})
	srv := serve(t, app)
	t.Cleanup(releaseStuck) // before serve's cleanup drains the app
	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/stuck"}).Status)
	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/watcher"}).Status)
	bgRecv(t, stuckStarted, "the stuck task to start")
	bgRecv(t, watcherStarted, "the watching task to start")

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond) // the deadline under test
	defer cancel()
	err := app.Shutdown(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	assert.ErrorIs(t, bgRecv(t, cancelled, "the task's context to be cancelled"), context.Canceled)
	abandoned := bgLogRecords(t, logs, "background: shutdown deadline passed; abandoning tasks")
	require.Len(t, abandoned, 1)
	assert.Equal(t, "ERROR", abandoned[0]["level"])
	assert.Equal(t, float64(2), abandoned[0]["lists"], "two requests' lists were pending")
	assert.Equal(t, float64(3), abandoned[0]["tasks"], "two running tasks and one not started")

	// Past the deadline, a request is still answered; its tasks are
	// dropped, and said so.
	assert.Equal(t, `"answered"`, send(t, srv, request{Method: "POST", Path: "/late"}).Body)
	dropped := bgLogRecords(t, logs, "background: tasks scheduled after a Shutdown deadline passed; dropped")
	require.Len(t, dropped, 1)
	assert.Equal(t, "/late", dropped[0]["path"])
	assert.Equal(t, float64(1), dropped[0]["tasks"])

	// Once the stuck tasks return, the lists drain: the task that had not
	// started is skipped.
	releaseStuck()
	bgShutdown(t, app)
	assert.Equal(t, int32(0), neverRan.Load())
}

// TestBackgroundManyRequests: 2,000 requests from 32 concurrent clients,
// one task each, buffered and streamed responses mixed: after Shutdown every
// task ran exactly once, with the default bound and with a tight one that
// keeps most lists queued.
func TestBackgroundManyRequests(t *testing.T) {
	for _, limit := range []int{0, 3} {
		t.Run(fmt.Sprintf("MaxConcurrentTasks=%d", limit), func(t *testing.T) {
			const requests, clients = 2000, 32
			app, logs := quietApp(brisk.Config{MaxConcurrentTasks: limit})
			var runs [requests]atomic.Int32
			var running, peak atomic.Int32
			task := func(id int) {
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				runs[id].Add(1)
				running.Add(-1)
			}
			app.Post("/jobs/{id}", func(id int, bg *brisk.BackgroundTasks) Message {
				bg.AddTask(task, id)
				return Message{Message: "queued " + strconv.Itoa(id)}
			})
			app.Post("/streamed/{id}", func(w http.ResponseWriter, r *http.Request, bg *brisk.BackgroundTasks) {
				id, err := strconv.Atoi(r.PathValue("id"))
				if err != nil {
					http.Error(w, err.Error(), 400)
					return
				}
				bg.Add(func(context.Context) error { task(id); return nil })
				_, _ = io.WriteString(w, "queued "+strconv.Itoa(id))
				_ = http.NewResponseController(w).Flush()
			})
			srv := serve(t, app)
			tr := srv.Client().Transport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = clients
			client := &http.Client{Transport: tr, Timeout: bgGuard}

			ids := make(chan int)
			errs := make(chan error, clients)
			var wg sync.WaitGroup
			for range clients {
				wg.Go(func() {
					for id := range ids {
						route := "/jobs/"
						if id%2 == 1 {
							route = "/streamed/"
						}
						resp, err := client.Post(srv.URL+route+strconv.Itoa(id), "", nil)
						if err != nil {
							errs <- err
							return
						}
						body, err := io.ReadAll(resp.Body)
						resp.Body.Close()
						if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), "queued "+strconv.Itoa(id)) {
							errs <- fmt.Errorf("request %d: %d %q %v", id, resp.StatusCode, body, err)
							return
						}
					}
				})
			}
			for id := range requests {
				ids <- id
			}
			close(ids)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			bgShutdown(t, app)

			for id := range runs {
				if n := runs[id].Load(); n != 1 {
					t.Errorf("task %d ran %d times", id, n)
				}
			}
			if limit > 0 {
				assert.LessOrEqual(t, peak.Load(), int32(limit), "never more lists at once than the bound")
			}
			assert.NotContains(t, logs.String(), `"level":"ERROR"`)
		})
	}
}

func bgWriteNotification(email, message string) error { return nil }

// TestBackgroundAddTaskMismatchPanics: an AddTask whose arguments do not fit
// the function panics at the call: the request answers 500, the panic is
// logged naming the function, the tasks added before are discarded, and the
// server keeps serving.
func TestBackgroundAddTaskMismatchPanics(t *testing.T) {
	app, logs := quietApp()
	var ran atomic.Int32
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func() { ran.Add(1) })
		bg.AddTask(bgWriteNotification, email) // one argument short
		return Message{Message: "unreachable"}
	})
	app.Post("/typed/{n}", func(n int, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func(d int64) {}, n) // int does not fit int64
		return Message{Message: "unreachable"}
	})
	app.Post("/fine/{email}", func(email string, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func(string) { ran.Add(1) }, email)
		return Message{Message: "fine"}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/send-notification/a@example.com"})
	assert.Equal(t, 500, res.Status)
	assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body)
	res = send(t, srv, request{Method: "POST", Path: "/typed/5"})
	assert.Equal(t, 500, res.Status)

	panics := bgLogRecords(t, logs, "brisk: panic serving request")
	require.Len(t, panics, 2)
	assert.Equal(t, "background: AddTask(github.com/briskgo/brisk/tests.bgWriteNotification): got 1 argument, want 2 for func(string, string) error",
		panics[0]["panic"])
	assert.Equal(t, "/send-notification/a@example.com", panics[0]["path"])
	assert.Contains(t, panics[0]["stack"], "TestBackgroundAddTaskMismatchPanics", "the stack points at the call")
	assert.Contains(t, panics[1]["panic"], "args[0] has type int, want int64 (AddTask does no conversion: pass int64(x))")

	res = send(t, srv, request{Method: "POST", Path: "/fine/b@example.com"})
	assert.Equal(t, 200, res.Status)
	bgShutdown(t, app)
	assert.Equal(t, int32(1), ran.Load(), "only the fine request's task ran")
}

// TestBackgroundTaskAddedTooLate: a task added after the request's tasks
// were handed over (from a goroutine the handler did not wait for) does not
// run, and is logged.
func TestBackgroundTaskAddedTooLate(t *testing.T) {
	app, logs := quietApp()
	kept := make(chan *brisk.BackgroundTasks, 1)
	started := make(chan struct{})
	var ran atomic.Int32
	app.Post("/leak", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { close(started); return nil })
		kept <- bg
		return "ok"
	})
	srv := serve(t, app)
	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/leak"}).Status)
	bg := bgRecv(t, kept, "the handler's tasks")
	bgRecv(t, started, "the first task") // the list was handed over before its first task started
	bg.AddTask(bgNeverRuns, &ran)
	bgShutdown(t, app)
	assert.Equal(t, int32(0), ran.Load())
	late := bgLogRecords(t, logs, "background: task added after its request's tasks were scheduled; it will not run")
	require.Len(t, late, 1)
	assert.Equal(t, "github.com/briskgo/brisk/tests.bgNeverRuns", late[0]["task"])
	assert.Equal(t, "/leak", late[0]["path"])
}

// TestBackgroundKeptTasksDoNotReachLaterRequests: a *BackgroundTasks kept
// past its request and used while later requests are being handled (whose
// lists reuse its storage, when they run where it was given back) adds
// nothing to their lists and discards nothing of them: their tasks run
// exactly as added, and each late task is logged (with the kept request's
// method and path until its storage is reused, never a later request's) and
// never runs.
func TestBackgroundKeptTasksDoNotReachLaterRequests(t *testing.T) {
	app, logs := quietApp()
	kept := make(chan *brisk.BackgroundTasks, 1)
	var ran bgEvents
	var never atomic.Int32
	app.Post("/leak", func(bg *brisk.BackgroundTasks) string {
		bg.AddTask(ran.add, "leak")
		kept <- bg
		return "ok"
	})
	// A later request adds one task (its list is then given back for reuse
	// as soon as it is scheduled, as the kept one was), before or after the
	// kept list is used while its own is open.
	var later atomic.Int32
	opened, used := make(chan int, 1), make(chan struct{}, 1)
	app.Get("/later", func(bg *brisk.BackgroundTasks) string {
		i := int(later.Add(1))
		if i%2 == 1 {
			bg.AddTask(ran.add, fmt.Sprint("later ", i))
		}
		opened <- bg.Len()
		<-used
		if i%2 == 0 {
			bg.AddTask(ran.add, fmt.Sprint("later ", i))
		}
		return "ok"
	})
	srv := serve(t, app)
	client := bgClient(srv)
	send(t, srv, request{Client: client, Method: "POST", Path: "/leak"})
	bg := bgRecv(t, kept, "the handler's tasks")

	const requests = 50
	var want []string
	for i := 1; i <= requests; i++ {
		done := make(chan error, 1)
		go func() { // the handler waits for used: the request is answered below
			resp, err := client.Get(srv.URL + "/later")
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if err == nil && resp.StatusCode != 200 {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			done <- err
		}()
		require.Equal(t, i%2, bgRecv(t, opened, "the later request's list"))
		bg.AddTask(bgNeverRuns, &never)
		bg.Add(func(context.Context) error { never.Add(1); return nil })
		bg.Discard()
		assert.LessOrEqual(t, bg.Len(), 1, "the kept list's length: 1 when scheduled, 0 once reused")
		used <- struct{}{}
		require.NoError(t, bgRecv(t, done, "the later response"))
		want = append(want, fmt.Sprint("later ", i))
	}
	bgShutdown(t, app)
	assert.Equal(t, int32(0), never.Load())
	got := ran.get()
	require.NotEmpty(t, got)
	assert.Equal(t, "leak", got[0])
	assert.ElementsMatch(t, want, got[1:], "the later requests' tasks run exactly as added")
	late := bgLogRecords(t, logs, "background: task added after its request's tasks were scheduled; it will not run")
	require.Len(t, late, 2*requests)
	for _, rec := range late {
		if path, ok := rec["path"]; ok {
			assert.Equal(t, "POST", rec["method"])
			assert.Equal(t, "/leak", path, "the kept list's request, not a later one's")
		} else {
			assert.NotContains(t, rec, "method")
		}
	}
}

// TestBackgroundShutdownAfterResponseWaitsForItsTasks: once a client has a
// response, Shutdown waits for that request's tasks, even on an app served
// by a server Brisk did not start (as in tests), whatever the response.
func TestBackgroundShutdownAfterResponseWaitsForItsTasks(t *testing.T) {
	app, _ := quietApp()
	var ran atomic.Int32
	app.Post("/json", func(bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func() { ran.Add(1) })
		return Message{Message: "ok"}
	})
	app.Post("/empty", func(bg *brisk.BackgroundTasks) {
		bg.AddTask(func() { ran.Add(1) })
	}, brisk.Status(204))
	app.Post("/streamed", func(w http.ResponseWriter, bg *brisk.BackgroundTasks) {
		bg.AddTask(func() { ran.Add(1) })
		streamTwoParts(w)
	})
	srv := serve(t, app)
	client := bgClient(srv)
	for i := range 300 {
		path := []string{"/json", "/empty", "/streamed"}[i%3]
		send(t, srv, request{Client: client, Method: "POST", Path: path})
		bgShutdown(t, app)
		require.Equal(t, int32(i+1), ran.Load(), "request %d (%s): its task ran before Shutdown returned", i, path)
	}
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

// TestBackgroundConcurrentFirstRequests: the first requests of an app,
// arriving together (as a burst of clients with a task each does), all see
// the app fully built. Under the race detector this caught the stack being
// built after the app was marked as serving.
func TestBackgroundConcurrentFirstRequests(t *testing.T) {
	for range 20 {
		app, _ := quietApp()
		var ran atomic.Int32
		app.Use(func(next http.Handler) http.Handler { return next })
		app.Post("/jobs", func(bg *brisk.BackgroundTasks) string {
			bg.AddTask(func() { ran.Add(1) })
			return "queued"
		})
		start := make(chan struct{})
		var wg sync.WaitGroup
		codes := make(chan int, 16)
		for range 16 {
			wg.Go(func() {
				<-start
				rec := httptest.NewRecorder()
				app.ServeHTTP(rec, httptest.NewRequest("POST", "/jobs", nil))
				codes <- rec.Code
			})
		}
		close(start)
		wg.Wait()
		close(codes)
		for code := range codes {
			require.Equal(t, 200, code)
		}
		bgShutdown(t, app)
		require.Equal(t, int32(16), ran.Load())
	}
}
