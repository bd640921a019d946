package background

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guard bounds every wait of these tests. It is never how they synchronise:
// a passing test does not wait for it.
const guard = 10 * time.Second

// state is a snapshot of the runner's bookkeeping.
type state struct{ workers, parked, queued, pending int }

func (r *Runner) state() state {
	r.mu.Lock()
	defer r.mu.Unlock()
	return state{r.workers, len(r.parked), int(r.queue.n), int(pending(r.counts.Load()))}
}

// waitParked waits (bounded) until n workers are parked with nothing pending.
func waitParked(t testing.TB, r *Runner, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		return r.state() == state{workers: n, parked: n}
	}, guard, time.Millisecond, "want %d parked workers", n)
}

// workerGoroutines returns the ids of the goroutines running a worker, of any
// Runner. (runtime.NumGoroutine would count require.Eventually's own.)
func workerGoroutines() map[string]bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	ids := map[string]bool{}
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "background.(*Runner).work(") {
			id, _, _ := strings.Cut(strings.TrimPrefix(g, "goroutine "), " ")
			ids[id] = true
		}
	}
	return ids
}

// newWorkers returns how many worker goroutines run that were not in before.
func newWorkers(before map[string]bool) int {
	n := 0
	for id := range workerGoroutines() {
		if !before[id] {
			n++
		}
	}
	return n
}

// oneTask returns a list whose single task signals done.
func oneTask(done chan<- struct{}) *Tasks {
	tasks := new(Tasks)
	tasks.Add(func(context.Context) error { done <- struct{}{}; return nil })
	return tasks
}

func TestDefaults(t *testing.T) {
	r := NewRunner(RunnerConfig{})
	assert.Equal(t, DefaultMaxConcurrent, r.max)
	assert.Same(t, slog.Default(), r.logger(), "a nil Logger means slog.Default()")

	log := slog.New(slog.DiscardHandler)
	assert.Same(t, log, NewRunner(RunnerConfig{Logger: log}).logger())
}

// Worker goroutines never exceed MaxConcurrent, however many lists are
// waiting; queued lists hold a queue entry, not a goroutine; and no worker is
// left once Shutdown has returned.
func TestWorkersAreBoundedAndExitWhenIdle(t *testing.T) {
	const maxConcurrent, lists = 3, 10
	r := NewRunner(RunnerConfig{MaxConcurrent: maxConcurrent})
	started, release := make(chan struct{}), make(chan struct{})
	var running, peak, ran atomic.Int32
	for range lists {
		var tasks Tasks
		tasks.Add(func(context.Context) error {
			n := running.Add(1)
			for p := peak.Load(); n > p; p = peak.Load() {
				if peak.CompareAndSwap(p, n) {
					break
				}
			}
			started <- struct{}{}
			<-release
			running.Add(-1)
			ran.Add(1)
			return nil
		})
		r.Run(&tasks, nil, nil, "GET", "/")
	}
	for range maxConcurrent {
		<-started
	}
	r.mu.Lock()
	workers, queued, pending := r.workers, int(r.queue.n), int(pending(r.counts.Load()))
	r.mu.Unlock()
	assert.Equal(t, maxConcurrent, workers)
	assert.Equal(t, lists-maxConcurrent, queued)
	assert.Equal(t, lists, pending)

	close(release)
	go func() { // the remaining tasks report their start too
		for range lists - maxConcurrent {
			<-started
		}
	}()
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, int32(lists), ran.Load())
	assert.LessOrEqual(t, peak.Load(), int32(maxConcurrent))

	r.mu.Lock()
	defer r.mu.Unlock()
	assert.Equal(t, 0, r.workers, "idle workers exit")
	assert.Equal(t, int32(0), r.queue.n)
}

func TestQueueIsFIFOAcrossGrowthWrapAndTrim(t *testing.T) {
	var q queue
	next, want := 0, 0
	push := func(k int) {
		for range k {
			q.push(job{n: next})
			next++
		}
	}
	pop := func(k int) {
		for range k {
			j, ok := q.pop()
			require.True(t, ok)
			require.Equal(t, want, j.n)
			want++
		}
	}
	push(10)
	pop(7)   // head moves forward
	push(20) // wraps, then grows
	pop(3)
	push(2000) // grows several times
	assert.Equal(t, int32(2020), q.n)
	pop(1600)
	peak := len(q.buf)
	q.trim() // a quarter full or less: halves at least
	assert.Less(t, len(q.buf), peak)
	assert.GreaterOrEqual(t, len(q.buf), 2*int(q.n))
	push(100) // still FIFO across the trim
	pop(520)
	_, ok := q.pop()
	assert.False(t, ok)
	q.trim()
	assert.Zero(t, len(q.buf), "an empty queue lets a buffer past keepQueue go")

	// Filling and emptying a queue does not reallocate it: only trim
	// shrinks it, and never below keepQueue.
	push(keepQueue)
	pop(keepQueue)
	buf := len(q.buf)
	allocs := testing.AllocsPerRun(10, func() {
		for range keepQueue {
			q.push(job{})
		}
		for range keepQueue {
			q.pop()
		}
	})
	assert.Zero(t, allocs)
	q.trim()
	assert.Len(t, q.buf, buf)
}

// The janitor trims the queue a burst of lists left.
func TestIdleRunnerTrimsTheQueue(t *testing.T) {
	r := NewRunner(RunnerConfig{MaxConcurrent: 1})
	r.idleTimeout = time.Millisecond
	started, release := make(chan struct{}), make(chan struct{})
	var first Tasks
	first.Add(func(context.Context) error { close(started); <-release; return nil })
	r.Run(&first, nil, nil, "GET", "/")
	<-started
	var ran atomic.Int32
	for range 4 * keepQueue { // queued behind the first list
		var tasks Tasks
		tasks.Add(func(context.Context) error { ran.Add(1); return nil })
		r.Run(&tasks, nil, nil, "GET", "/")
	}
	r.mu.Lock()
	assert.Greater(t, len(r.queue.buf), keepQueue)
	r.mu.Unlock()
	close(release)
	require.Eventually(t, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.queue.buf) == 0 && r.workers == 0
	}, guard, time.Millisecond, "the idle worker exits and the queue lets its buffer go")
	assert.Equal(t, int32(4*keepQueue), ran.Load())
	require.NoError(t, r.Shutdown(deadline(t)))
}

// A worker that finds the queue empty parks, and the next list goes to it:
// the same worker, no new goroutine, and no allocation.
func TestParkedWorkerIsReused(t *testing.T) {
	r := NewRunner(RunnerConfig{})
	r.idleTimeout = time.Hour // only a hand-over or Shutdown ends a park here
	done := make(chan struct{})

	r.Run(oneTask(done), nil, nil, "GET", "/1")
	<-done
	waitParked(t, r, 1)
	r.mu.Lock()
	first := r.parked[0]
	r.mu.Unlock()

	r.Run(oneTask(done), nil, nil, "GET", "/2")
	<-done
	waitParked(t, r, 1)
	r.mu.Lock()
	assert.Same(t, first, r.parked[0], "the parked worker ran the second list")
	r.mu.Unlock()

	// Steady state: handing a list over, running it and parking again
	// allocate nothing (the Tasks is the caller's).
	lists := make([]Tasks, 102) // AllocsPerRun runs once more to warm up
	for i := range lists {
		lists[i].Add(func(context.Context) error { done <- struct{}{}; return nil })
	}
	i := 0
	allocs := testing.AllocsPerRun(100, func() {
		r.Run(&lists[i], nil, nil, "GET", "/")
		i++
		<-done
		for r.state().parked != 1 { // the worker parks just after the task
			runtime.Gosched()
		}
	})
	assert.Zero(t, allocs)
	assert.Equal(t, state{workers: 1, parked: 1}, r.state())

	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, state{}, r.state())
}

// A parked worker that gets no list within idleTimeout exits on its own.
func TestIdleWorkersExit(t *testing.T) {
	r := NewRunner(RunnerConfig{})
	r.idleTimeout = time.Millisecond
	const lists = 4
	started, release := make(chan struct{}), make(chan struct{})
	for range lists { // all at once: one worker each
		var tasks Tasks
		tasks.Add(func(context.Context) error { started <- struct{}{}; <-release; return nil })
		r.Run(&tasks, nil, nil, "GET", "/")
	}
	for range lists {
		<-started
	}
	assert.Equal(t, lists, r.state().workers)
	close(release)
	require.Eventually(t, func() bool { return r.state() == state{} }, guard, time.Millisecond,
		"idle workers exit without Shutdown")

	// A runner whose workers timed out starts new ones.
	done := make(chan struct{})
	r.Run(oneTask(done), nil, nil, "GET", "/")
	<-done
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, state{}, r.state())
}

// Shutdown releases parked workers at once: their goroutines end well before
// idleTimeout, and lists run after Shutdown leave no parked worker behind.
func TestShutdownReleasesParkedWorkers(t *testing.T) {
	before := workerGoroutines()
	r := NewRunner(RunnerConfig{Logger: slog.New(slog.DiscardHandler)})
	r.idleTimeout = time.Hour // only Shutdown can end these parks
	const lists = 8
	started, release := make(chan struct{}), make(chan struct{})
	for range lists {
		var tasks Tasks
		tasks.Add(func(context.Context) error { started <- struct{}{}; <-release; return nil })
		r.Run(&tasks, nil, nil, "GET", "/")
	}
	for range lists {
		<-started
	}
	close(release)
	waitParked(t, r, lists)
	assert.Equal(t, lists, newWorkers(before), "parked workers are goroutines")

	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, state{}, r.state(), "Shutdown released every parked worker")
	require.Eventually(t, func() bool { return newWorkers(before) == 0 }, guard, time.Millisecond,
		"the released workers' goroutines end")

	// After Shutdown, a list still runs, and its worker exits right after.
	done := make(chan struct{})
	r.Run(oneTask(done), nil, nil, "GET", "/late")
	<-done
	require.Eventually(t, func() bool { return r.state() == state{} }, guard, time.Millisecond)
	require.Eventually(t, func() bool { return newWorkers(before) == 0 }, guard, time.Millisecond)
}

// Shutdown's deadline passing releases parked workers too; the busy ones
// exit once their lists are done.
func TestShutdownDeadlineReleasesParkedWorkers(t *testing.T) {
	r := NewRunner(RunnerConfig{Logger: slog.New(slog.DiscardHandler)})
	r.idleTimeout = time.Hour
	done := make(chan struct{})
	r.Run(oneTask(done), nil, nil, "GET", "/")
	<-done
	waitParked(t, r, 1)

	stuck, release := make(chan struct{}), make(chan struct{})
	var tasks Tasks
	tasks.Add(func(context.Context) error { close(stuck); <-release; return nil })
	r.Run(&tasks, nil, nil, "GET", "/stuck") // goes to the parked worker
	<-stuck
	done2 := make(chan struct{})
	r.Run(oneTask(done2), nil, nil, "GET", "/") // a second worker
	<-done2
	waitParkedOne := func() bool { s := r.state(); return s.parked == 1 && s.pending == 1 }
	require.Eventually(t, waitParkedOne, guard, time.Millisecond)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, r.Shutdown(ctx), context.Canceled)
	assert.Equal(t, state{workers: 1, pending: 1}, r.state(), "the parked worker is released, the busy one is not")
	close(release)
	require.Eventually(t, func() bool { return r.state() == state{} }, guard, time.Millisecond)
}

// Many producers, a small pool and an idle timeout so short that parks time
// out while lists are being handed over: every list runs exactly once,
// Shutdown sees them all, and no worker is left. Run it with -race.
func TestNoLostWakeups(t *testing.T) {
	for _, idle := range []time.Duration{time.Nanosecond, time.Microsecond, 50 * time.Microsecond, time.Hour} {
		t.Run(idle.String(), func(t *testing.T) {
			const producers, perProducer = 32, 200
			r := NewRunner(RunnerConfig{MaxConcurrent: 4})
			r.idleTimeout = idle
			var ran [producers * perProducer]atomic.Int32
			var afters atomic.Int32
			var wg sync.WaitGroup
			for p := range producers {
				wg.Go(func() {
					for i := range perProducer {
						k := p*perProducer + i
						var tasks Tasks
						tasks.Add(func(context.Context) error { ran[k].Add(1); return nil })
						res := r.Reserve(&tasks, func() { afters.Add(1) }, nil, "GET", "/")
						if i%2 == 0 {
							runtime.Gosched() // let workers park, time out or take the queue meanwhile
						}
						res.Start()
						if i%16 == 0 {
							// Wait for this one: the pool empties and parks.
							for ran[k].Load() == 0 {
								runtime.Gosched()
							}
						}
					}
				})
			}
			wg.Wait()
			ctx, cancel := context.WithTimeout(context.Background(), guard)
			defer cancel()
			require.NoError(t, r.Shutdown(ctx), "a lost wake-up leaves a list pending")
			for k := range ran {
				require.Equal(t, int32(1), ran[k].Load(), "list %d", k)
			}
			assert.Equal(t, int32(len(ran)), afters.Load())
			// Shutdown released the parked workers; one woken to look at
			// the queue just before the last list ended may not have seen
			// it empty yet, and exits when it does.
			require.Eventually(t, func() bool { return r.state() == state{} }, guard, time.Millisecond)
		})
	}
}

// A steady stream of short lists, each scheduled without waiting for the
// last, is served by a few workers: lists arriving while a woken worker has
// not yet taken one queue for it rather than each starting a goroutine. (A
// Runner that started a worker whenever none was parked grew to
// MaxConcurrent goroutines under such a stream.)
func TestSteadyStreamUsesFewWorkers(t *testing.T) {
	r := NewRunner(RunnerConfig{})
	r.idleTimeout = time.Hour // only Shutdown ends a park: every worker started counts
	var ran atomic.Int32
	task := func(context.Context) error { ran.Add(1); return nil }
	const lists = 20000
	peak := 0
	for i := range lists {
		tasks := r.NewTasks()
		tasks.Add(task)
		r.Run(tasks, nil, nil, "POST", "/send-notification")
		if i%64 == 0 {
			peak = max(peak, r.state().workers)
		}
	}
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, int32(lists), ran.Load())
	t.Logf("peak workers: %d", peak)
	assert.LessOrEqual(t, peak, 16, "of %d allowed", DefaultMaxConcurrent)
}

// deadline bounds a test's Shutdown by guard (see the one of the external
// tests).
func deadline(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	t.Cleanup(cancel)
	return ctx
}
