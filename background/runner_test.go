package background_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/background"
)

func failingTask(string) error { return errors.New("smtp: connection refused") }

func panickingTask(context.Context) error { panic("boom") }

func TestNewRunnerRejectsNegativeMaxConcurrent(t *testing.T) {
	assert.PanicsWithValue(t,
		"background: NewRunner: MaxConcurrent is -1; want 0 (the default, 256) or more",
		func() { background.NewRunner(background.RunnerConfig{MaxConcurrent: -1}) })
}

func TestTasksRunInOrderThenAfter(t *testing.T) {
	var tr trace
	var tasks background.Tasks
	tasks.AddTask(tr.add, "dependency task") // as a provider would, first
	tasks.Add(func(context.Context) error { tr.add("handler task 1"); return nil })
	tasks.AddTask(tr.add, "handler task 2")

	r := background.NewRunner(background.RunnerConfig{})
	r.Run(&tasks, func() { tr.add("cleanup") }, nil, "POST", "/send-notification/a")
	require.NoError(t, r.Shutdown(deadline(t)))

	assert.Equal(t, []string{"dependency task", "handler task 1", "handler task 2", "cleanup"}, tr.get())
	assert.Equal(t, 0, r.Pending())
}

func TestNilOrEmptyTasksRunOnlyAfter(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	var calls atomic.Int32
	r.Run(nil, func() { calls.Add(1) }, nil, "GET", "/")
	r.Run(&background.Tasks{}, func() { calls.Add(1) }, nil, "GET", "/")
	r.Run(nil, nil, nil, "GET", "/") // nothing to do at all
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, int32(2), calls.Load())
}

// Two lists whose tasks each wait for the other finish only if they run at
// the same time.
func TestListsRunConcurrently(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{MaxConcurrent: 2})
	a, b := make(chan struct{}), make(chan struct{})
	var ta, tb background.Tasks
	ta.Add(func(context.Context) error { close(a); <-b; return nil })
	tb.Add(func(context.Context) error { close(b); <-a; return nil })
	r.Run(&ta, nil, nil, "GET", "/a")
	r.Run(&tb, nil, nil, "GET", "/b")
	require.NoError(t, r.Shutdown(deadline(t)))
}

// Above MaxConcurrent, lists wait and then run in the order Run was called.
func TestQueuedListsRunFIFO(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{MaxConcurrent: 1})
	var tr trace
	started, release := make(chan struct{}), make(chan struct{})

	var first background.Tasks
	first.Add(func(context.Context) error { close(started); <-release; tr.add("0"); return nil })
	r.Run(&first, nil, nil, "GET", "/0")
	<-started

	var want []string
	want = append(want, "0")
	for i := 1; i <= 20; i++ {
		var tasks background.Tasks
		tasks.AddTask(tr.add, fmt.Sprint(i))
		r.Run(&tasks, nil, nil, "GET", fmt.Sprint("/", i))
		want = append(want, fmt.Sprint(i))
	}
	assert.Equal(t, 21, r.Pending(), "queued lists are pending, not dropped")
	assert.Empty(t, tr.get(), "nothing runs while the only worker is busy")

	close(release)
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, want, tr.get())
}

func TestFailingAndPanickingTasksDoNotStopTheList(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	var tr trace
	var tasks background.Tasks
	tasks.AddTask(tr.add, "first")
	tasks.AddTask(failingTask, "a@example.com")
	tasks.Add(panickingTask)
	tasks.Add(func(context.Context) error { panic(fmt.Errorf("wrapped: %w", errors.New("inner"))) })
	tasks.AddTask(tr.add, "last")
	r.Run(&tasks, func() { tr.add("after") }, nil, "POST", "/send-notification/a@example.com")
	require.NoError(t, r.Shutdown(deadline(t)))

	assert.Equal(t, []string{"first", "last", "after"}, tr.get())

	failed := rec.withMsg("background: task failed")
	require.Len(t, failed, 1)
	assert.Equal(t, slog.LevelError, failed[0].Level)
	assert.Equal(t, "github.com/briskgo/brisk/background_test.failingTask", failed[0].Attrs["task"])
	assert.Equal(t, "POST", failed[0].Attrs["method"])
	assert.Equal(t, "/send-notification/a@example.com", failed[0].Attrs["path"])
	assert.EqualError(t, failed[0].Attrs["error"].(error), "smtp: connection refused")

	panicked := rec.withMsg("background: task panicked")
	require.Len(t, panicked, 2)
	assert.Equal(t, slog.LevelError, panicked[0].Level)
	assert.Equal(t, "github.com/briskgo/brisk/background_test.panickingTask", panicked[0].Attrs["task"])
	assert.Equal(t, "boom", panicked[0].Attrs["panic"])
	assert.Contains(t, panicked[0].Attrs["stack"], "background_test.panickingTask",
		"the stack shows where the task panicked")
	assert.Equal(t, "POST", panicked[0].Attrs["method"])
	assert.Contains(t, panicked[1].Attrs["task"], "TestFailingAndPanickingTasksDoNotStopTheList.func")
	assert.EqualError(t, panicked[1].Attrs["panic"].(error), "wrapped: inner")
}

func TestPanickingAfterIsLoggedAndTheRunnerGoesOn(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log, MaxConcurrent: 1})
	var tr trace
	r.Run(nil, func() { panic("cleanup failed") }, nil, "GET", "/a")
	var tasks background.Tasks
	tasks.AddTask(tr.add, "next list")
	r.Run(&tasks, func() { tr.add("next after") }, nil, "GET", "/b")
	require.NoError(t, r.Shutdown(deadline(t)))

	assert.Equal(t, []string{"next list", "next after"}, tr.get())
	logged := rec.withMsg("background: after func panicked")
	require.Len(t, logged, 1)
	assert.Equal(t, "cleanup failed", logged[0].Attrs["panic"])
	assert.Equal(t, "/a", logged[0].Attrs["path"])
	assert.NotEmpty(t, logged[0].Attrs["stack"])
}

// runtime.Goexit (t.FailNow from a task, say) ends the worker's goroutine;
// the list, its after func and the queue still run.
func TestGoexitInATaskDoesNotLoseWork(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log, MaxConcurrent: 1})
	var tr trace
	var first, second background.Tasks
	first.Add(func(context.Context) error { runtime.Goexit(); return nil })
	first.AddTask(tr.add, "after goexit")
	second.AddTask(tr.add, "second list")
	r.Run(&first, func() { tr.add("first after"); runtime.Goexit() }, nil, "GET", "/a")
	r.Run(&second, nil, nil, "GET", "/b")
	require.NoError(t, r.Shutdown(deadline(t)))

	assert.Equal(t, []string{"after goexit", "first after", "second list"}, tr.get())
	assert.Len(t, rec.withMsg("background: task called runtime.Goexit"), 1)
	assert.Len(t, rec.withMsg("background: after func called runtime.Goexit"), 1)
}

// Nothing starts, not even the after func, before wait is closed.
func TestWaitGatesTheList(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	wait := make(chan struct{})
	startedAfterWait := make(chan bool, 2)
	closed := func() bool {
		select {
		case <-wait:
			return true
		default:
			return false
		}
	}
	var tasks background.Tasks
	tasks.Add(func(context.Context) error { startedAfterWait <- closed(); return nil })
	r.Run(&tasks, func() { startedAfterWait <- closed() }, wait, "GET", "/")

	select {
	case <-startedAfterWait:
		t.Fatal("a task started before wait was closed")
	default:
	}
	assert.Equal(t, 1, r.Pending())

	close(wait)
	assert.True(t, <-startedAfterWait, "task")
	assert.True(t, <-startedAfterWait, "after")
	require.NoError(t, r.Shutdown(deadline(t)))
}

// The client going away (the request's context cancelled) does not cancel
// the tasks' context; it is not tied to the request at all.
func TestTaskContextOutlivesTheRequest(t *testing.T) {
	reqCtx, clientGone := context.WithCancel(context.Background())
	type key struct{}
	reqCtx = context.WithValue(reqCtx, key{}, "request value")

	r := background.NewRunner(background.RunnerConfig{})
	got := make(chan context.Context, 1)
	var tasks background.Tasks
	tasks.Add(func(ctx context.Context) error { got <- ctx; return nil })
	wait := make(chan struct{})
	r.Run(&tasks, nil, wait, "GET", "/")
	clientGone()
	close(wait)

	ctx := <-got
	require.NoError(t, r.Shutdown(deadline(t)))
	require.Error(t, reqCtx.Err())
	assert.NoError(t, ctx.Err())
	_, hasDeadline := ctx.Deadline()
	assert.False(t, hasDeadline)
	assert.Nil(t, ctx.Value(key{}))
}

func TestShutdownWaitsForABlockedTask(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	started, release := make(chan struct{}), make(chan struct{})
	var finished, afterRan atomic.Bool
	var tasks background.Tasks
	tasks.Add(func(context.Context) error {
		close(started)
		<-release
		finished.Store(true)
		return nil
	})
	r.Run(&tasks, func() { afterRan.Store(true) }, nil, "GET", "/")
	<-started

	done := make(chan error, 1)
	go func() { done <- r.Shutdown(deadline(t)) }()
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned %v while a task was still running", err)
	default:
	}
	assert.Equal(t, 1, r.Pending())

	close(release)
	require.NoError(t, <-done)
	assert.True(t, finished.Load(), "Shutdown returned before the task finished")
	assert.True(t, afterRan.Load(), "Shutdown returned before the after func ran")
	assert.Equal(t, 0, r.Pending())
}

func TestShutdownDeadlineAbandonsTasks(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log, MaxConcurrent: 1})
	started, cancelled, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var ran atomic.Int32
	var afters trace

	var stuck background.Tasks
	stuck.Add(func(ctx context.Context) error {
		close(started)
		<-ctx.Done() // a task that honours its context sees the deadline...
		close(cancelled)
		<-release // ...but this one does not return
		return ctx.Err()
	})
	stuck.Add(func(context.Context) error { ran.Add(1); return nil })
	r.Run(&stuck, func() { afters.add("stuck list") }, nil, "POST", "/a")

	var queued background.Tasks
	queued.Add(func(context.Context) error { ran.Add(1); return nil })
	r.Run(&queued, func() { afters.add("queued list") }, nil, "POST", "/b")
	<-started

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := r.Shutdown(ctx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	<-cancelled

	logged := rec.withMsg("background: shutdown deadline passed; abandoning tasks")
	require.Len(t, logged, 1)
	assert.Equal(t, slog.LevelError, logged[0].Level)
	assert.Equal(t, int64(2), logged[0].Attrs["lists"])
	assert.Equal(t, int64(3), logged[0].Attrs["tasks"], "the stuck task and the two that never started")
	assert.Equal(t, 2, r.Pending())

	// Once the stuck task returns, the abandoned tasks are skipped, but the
	// after funcs still release their resources.
	close(release)
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, int32(0), ran.Load(), "abandoned tasks never start")
	assert.Equal(t, []string{"stuck list", "queued list"}, afters.get())
}

func TestRunAfterADeadlineDropsTasksButRunsAfter(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	release := make(chan struct{})
	var stuck background.Tasks
	stuck.Add(func(context.Context) error { <-release; return nil })
	r.Run(&stuck, nil, nil, "GET", "/stuck")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, r.Shutdown(ctx), context.Canceled)

	var ran, afterRan atomic.Bool
	var late background.Tasks
	late.Add(func(context.Context) error { ran.Store(true); return nil })
	r.Run(&late, func() { afterRan.Store(true) }, nil, "GET", "/late")
	close(release)
	require.NoError(t, r.Shutdown(deadline(t)))

	assert.False(t, ran.Load())
	assert.True(t, afterRan.Load())
	logged := rec.withMsg("background: tasks scheduled after a Shutdown deadline passed; dropped")
	require.Len(t, logged, 1)
	assert.Equal(t, int64(1), logged[0].Attrs["tasks"])
	assert.Equal(t, "/late", logged[0].Attrs["path"])
}

// Work promised to a successful request is never dropped quietly: a list
// scheduled after Shutdown returned still runs, with a warning, and a second
// Shutdown waits for it.
func TestRunAfterShutdownStillRuns(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	require.NoError(t, r.Shutdown(deadline(t)))

	var ran atomic.Bool
	var tasks background.Tasks
	tasks.Add(func(ctx context.Context) error { ran.Store(ctx.Err() == nil); return nil })
	r.Run(&tasks, nil, nil, "GET", "/late")
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.True(t, ran.Load())

	logged := rec.withMsg("background: tasks scheduled after Shutdown; nothing waits for them")
	require.Len(t, logged, 1)
	assert.Equal(t, slog.LevelWarn, logged[0].Level)
}

// A list scheduled while Shutdown waits (a request finishing during
// shutdown) is waited for too.
func TestShutdownWaitsForListsScheduledWhileWaiting(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	var tr trace
	var first background.Tasks
	first.Add(func(context.Context) error {
		var second background.Tasks
		second.AddTask(tr.add, "scheduled during the drain")
		r.Run(&second, nil, nil, "GET", "/second")
		return nil
	})
	r.Run(&first, nil, nil, "GET", "/first")
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, []string{"scheduled during the drain"}, tr.get())
}

func TestShutdownIsIdempotentAndConcurrent(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	release := make(chan struct{})
	var tasks background.Tasks
	tasks.Add(func(context.Context) error { <-release; return nil })
	r.Run(&tasks, nil, nil, "GET", "/")

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() { errs <- r.Shutdown(deadline(t)) })
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.NoError(t, r.Shutdown(deadline(t)))
	assert.NoError(t, r.Shutdown(deadline(t)))
}

func TestShutdownOfAnIdleRunner(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.NoError(t, r.Shutdown(ctx), "nothing pending: nothing abandoned")
}

// 2,000 lists from 32 goroutines through a small pool: every task runs
// exactly once, and Shutdown sees them all.
func TestManyConcurrentRuns(t *testing.T) {
	const lists, producers = 2000, 32
	r := background.NewRunner(background.RunnerConfig{MaxConcurrent: 8})
	var runs [lists]atomic.Int32
	var total, afters atomic.Int32

	var wg sync.WaitGroup
	for p := range producers {
		wg.Go(func() {
			for i := p; i < lists; i += producers {
				var tasks background.Tasks
				tasks.Add(func(context.Context) error {
					runs[i].Add(1)
					total.Add(1)
					return nil
				})
				r.Run(&tasks, func() { afters.Add(1) }, nil, "GET", "/")
			}
		})
	}
	wg.Wait()
	require.NoError(t, r.Shutdown(deadline(t)))

	assert.Equal(t, int32(lists), total.Load())
	assert.Equal(t, int32(lists), afters.Load())
	for i := range runs {
		require.Equal(t, int32(1), runs[i].Load(), "list %d", i)
	}
	assert.Equal(t, 0, r.Pending())
}

// Reserve counts the list at once, but nothing of it starts before Start:
// the App reserves before the response is flushed and starts after.
func TestReserveCountsNowAndStartsLater(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	var tr trace
	var tasks background.Tasks
	tasks.AddTask(tr.add, "task")
	res := r.Reserve(&tasks, func() { tr.add("after") }, nil, "POST", "/reserved")
	assert.Equal(t, 1, r.Pending(), "counted before it starts")
	assert.Empty(t, tr.get(), "nothing starts before Start")

	tasks.AddTask(tr.add, "too late") // Reserve closed the list, as Run does
	assert.Equal(t, 1, tasks.Len())
	assert.Len(t, rec.withMsg("background: task added after its request's tasks were scheduled; it will not run"), 1)

	res.Start()
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, []string{"task", "after"}, tr.get())
	assert.Equal(t, 0, r.Pending())
}

// A Shutdown called between Reserve and Start waits for the reserved list;
// one whose deadline passes meanwhile counts it as abandoned.
func TestShutdownWaitsForReservedLists(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	ran := make(chan struct{})
	var tasks background.Tasks
	tasks.Add(func(context.Context) error { close(ran); return nil })
	res := r.Reserve(&tasks, nil, nil, "GET", "/")
	shutdown := make(chan error, 1)
	go func() { shutdown <- r.Shutdown(deadline(t)) }()
	res.Start()
	require.NoError(t, <-shutdown)
	select {
	case <-ran:
	default:
		t.Fatal("Shutdown returned before the reserved list ran")
	}

	log, rec := newLogger()
	r = background.NewRunner(background.RunnerConfig{Logger: log})
	var skipped atomic.Bool
	var afterRan atomic.Bool
	var late background.Tasks
	late.Add(func(context.Context) error { skipped.Store(true); return nil })
	res = r.Reserve(&late, func() { afterRan.Store(true) }, nil, "GET", "/slow")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, r.Shutdown(ctx), context.Canceled)
	abandoned := rec.withMsg("background: shutdown deadline passed; abandoning tasks")
	require.Len(t, abandoned, 1)
	assert.Equal(t, int64(1), abandoned[0].Attrs["lists"])
	assert.Equal(t, int64(1), abandoned[0].Attrs["tasks"])

	res.Start() // abandoned: its task is skipped, its after still runs
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.False(t, skipped.Load())
	assert.True(t, afterRan.Load())
}

// A reservation with nothing to run is the zero Reservation; starting it
// does nothing.
func TestReserveNothing(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	res := r.Reserve(nil, nil, nil, "GET", "/")
	assert.Equal(t, background.Reservation{}, res)
	assert.Equal(t, 0, r.Pending())
	res.Start()
	background.Reservation{}.Start()
	assert.Equal(t, 0, r.Pending())
}
