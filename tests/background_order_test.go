package tests

// Which tasks a request runs and in what order: one list shared by
// providers, dependencies and the handler, run in the order added; a failing
// task does not stop the others; provider cleanups run after the tasks.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

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
