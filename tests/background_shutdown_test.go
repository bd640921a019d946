package tests

// Shutdown and background tasks: it waits for running and queued tasks,
// up to its deadline, then cancels them and logs what it abandons.

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

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
