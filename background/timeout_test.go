package background_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/background"
)

// Blocked tasks and the queue behind them: TaskTimeout, and the record of a
// queue that keeps growing.

func TestNewRunnerRejectsNegativeTaskTimeout(t *testing.T) {
	assert.PanicsWithValue(t,
		"background: NewRunner: TaskTimeout is -1s; want 0 (none) or more",
		func() { background.NewRunner(background.RunnerConfig{TaskTimeout: -time.Second}) })
}

// A task that ignores its context is abandoned at TaskTimeout: the tasks
// after it in its list, its after func, and the lists queued behind it on
// the only worker all run.
func TestTaskTimeoutAbandonsABlockedTask(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log, MaxConcurrent: 1, TaskTimeout: 100 * time.Millisecond})
	release := make(chan struct{})
	defer close(release)
	tr := &trace{}
	var first background.Tasks
	first.AddTask(func() { <-release }) // ignores every context
	first.AddTask(func() { tr.add("after the blocked task") })
	r.Run(&first, func() { tr.add("after func") }, nil, "POST", "/block")
	var second background.Tasks
	second.AddTask(func() { tr.add("next list") })
	r.Run(&second, nil, nil, "POST", "/next")

	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, []string{"after the blocked task", "after func", "next list"}, tr.get())
	got := rec.withMsg("background: task still running after its timeout; abandoned, the list goes on")
	require.Len(t, got, 1)
	assert.Equal(t, "/block", got[0].Attrs["path"])
	assert.Equal(t, 100*time.Millisecond, got[0].Attrs["timeout"])
}

// A task that honours its context returns when TaskTimeout ends it: it is
// logged as failed with the context's error, not abandoned.
func TestTaskTimeoutEndsTheTaskContext(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log, TaskTimeout: 50 * time.Millisecond})
	var tasks background.Tasks
	tasks.Add(func(ctx context.Context) error {
		<-ctx.Done()
		return ctx.Err()
	})
	r.Run(&tasks, nil, nil, "GET", "/")
	require.NoError(t, r.Shutdown(deadline(t)))
	failed := rec.withMsg("background: task failed")
	require.Len(t, failed, 1)
	assert.ErrorIs(t, failed[0].Attrs["error"].(error), context.DeadlineExceeded)
	assert.Empty(t, rec.withMsg("background: task still running after its timeout; abandoned, the list goes on"))
}

// Without TaskTimeout, lists queued behind busy workers are reported when
// the queue reaches 1024, then at each doubling, not on every list.
func TestQueueBuildUpIsLogged(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log, MaxConcurrent: 1})
	release := make(chan struct{})
	started := make(chan struct{})
	var blocking background.Tasks
	blocking.AddTask(func() { close(started); <-release })
	r.Run(&blocking, nil, nil, "POST", "/block")
	<-started
	for range 2100 {
		var tasks background.Tasks
		tasks.AddTask(func() {})
		r.Run(&tasks, nil, nil, "GET", "/")
	}
	const msg = "background: task lists are queueing up; every worker is busy"
	got := rec.withMsg(msg)
	require.Len(t, got, 2)
	assert.Equal(t, int64(1024), got[0].Attrs["queued"])
	assert.Equal(t, int64(2048), got[1].Attrs["queued"])
	assert.Equal(t, int64(1), got[0].Attrs["workers"])
	close(release)
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Len(t, rec.withMsg(msg), 2)
}
