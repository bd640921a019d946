// The scheduler: how worker goroutines take lists from the queue.
//
// Lists wait in a FIFO queue for a worker goroutine: a queued list costs its
// entry in the queue, not a goroutine. A worker that finishes a list takes
// the next queued one without stopping, and waits (parks) only when the
// queue is empty; a list arriving then wakes the most recently parked
// worker, or starts one if there is no worker at all. Only one worker is
// woken at a time: lists arriving while a woken worker has not yet taken one
// queue for it, and when it takes one and more are waiting it wakes the next
// parked worker. When every worker is busy, a new list waits for one of them
// to finish its list; if none does within a millisecond (they all wait on
// something: a mail server, a webhook), a new worker is started, and another
// each millisecond while lists stay queued, up to MaxConcurrent. So a steady
// stream of short lists is served by one or two workers, not a goroutine
// each, and a list still does not wait long behind workers that are stuck. A
// parked worker that gets no list for a second exits, so an idle Runner soon
// holds no goroutine. Shutdown releases the parked workers as it returns, and
// from then on workers exit as soon as the queue is empty.

package background

import (
	"context"
	"log/slog"
	"reflect"
	"runtime/debug"
	"time"
)

// idleTimeout is how long a worker that finds the queue empty waits for
// another list before it exits. Waking a waiting worker is much cheaper than
// starting a goroutine, so under steady load the same few workers serve every
// request; a second is long enough to bridge the gaps between requests and
// short enough that an idle Runner soon holds nothing.
const idleTimeout = time.Second

// Units of Runner.counts.
const (
	listUnit = 1 << 32
	taskUnit = 1
)

// pending returns the number of lists counted in c, a Runner.counts.
func pending(c uint64) int64 { return int64(c >> 32) }

// unfinished returns the number of tasks counted in c, a Runner.counts.
func unfinished(c uint64) int64 { return int64(c & (listUnit - 1)) }

// sub is the addend that takes k from an atomic.Uint64.
func sub(k uint64) uint64 { return -k }

const (
	flagStopped   = 1 << iota // a Shutdown has returned
	flagAbandoned             // a Shutdown deadline passed: ctx is cancelled
)

// job is one call to Run: the list, its cleanups and what to wait for.
type job struct {
	t            *list // nil when n is 0, or when its one task was copied to one
	n            int   // tasks of t to run
	after        func()
	wait         <-chan struct{}
	method, path string

	// one is the list's only task, and vals its call values, when start
	// copied them out of a list from newTasks (see start): t is nil then.
	one   task
	vals  [3]reflect.Value
	nvals int
}

// task returns the i-th task of j.
func (j *job) task(i int) *task {
	if j.t == nil {
		if j.nvals > 0 {
			j.one.call = j.vals[:j.nvals:j.nvals]
		}
		return &j.one
	}
	return j.t.at(i)
}

// worker is one worker goroutine's state, reused for every list it runs and
// every time it parks, so that neither allocates.
type worker struct {
	j    job  // the list being run
	busy bool // j is being run, from step on
	step int  // next step of j: its tasks 0..j.n-1, then its after func

	// wake receives one value each time the worker is unparked: to look at
	// the queue (spinning), or to exit (quit). Its buffer of one means the
	// sender never blocks: a parked worker has no value pending.
	wake chan struct{}

	since    time.Duration // when it parked, since Runner.base; under Runner.mu
	parked   bool          // in Runner.parked; under Runner.mu
	spinning bool          // counted in Runner.spinning; under Runner.mu
	quit     bool          // released by Shutdown or the janitor: exit when woken
}

// wakeOne makes sure that a worker will look at the queue, which is not
// empty: if none is on its way already (spinning), it takes the most
// recently parked worker (the others keep waiting, and time out first when
// there is less work than workers), or else, if no worker runs at all, a
// new one, which the caller starts (start). Pass its results to launch once
// r.mu is released. Called under r.mu.
//
// When every worker is busy, wakeOne starts none: the queued list waits for
// one of them to finish its list, unless none does within stallTimeout (see
// stalled). A worker is cheap, but a stream of short lists would otherwise
// start one whenever the workers were all busy for a moment (say, the one
// woken last not yet scheduled), and grow the Runner towards MaxConcurrent
// goroutines for work that one or two keep up with. Waking one worker at a
// time is the same rule for parked workers: lists arriving while a woken
// worker has not yet taken one queue for it.
func (r *Runner) wakeOne() (w *worker, start bool) {
	if r.spinning > 0 {
		return nil, false
	}
	if k := len(r.parked) - 1; k >= 0 {
		w = r.parked[k]
		r.parked[k] = nil
		r.parked = r.parked[:k]
		w.parked, w.spinning = false, true
		r.spinning++
		return w, false
	}
	if r.workers == 0 {
		return r.newWorker(), true
	}
	if r.workers < r.max && !r.stallSet {
		r.stallSet, r.stallPops = true, r.pops
		if r.stall == nil {
			r.stall = time.AfterFunc(stallTimeout, r.stalled)
		} else {
			r.stall.Reset(stallTimeout)
		}
	}
	return nil, false
}

// newWorker counts a new worker, spinning, for the caller to start. Called
// under r.mu, when r.workers < r.max.
func (r *Runner) newWorker() *worker {
	r.workers++
	r.spinning++
	return &worker{wake: make(chan struct{}, 1), spinning: true}
}

// stallTimeout is how long queued lists wait for a busy worker to finish
// before stalled starts a new one: long enough for a worker that has just
// been woken, or a short list, to come round to the queue, short enough
// that a list queued behind workers that wait on something (a mail server,
// a webhook) starts soon, as it would on a worker of its own.
const stallTimeout = time.Millisecond

// stalled runs stallTimeout after wakeOne found every worker busy. If no
// worker has taken a list since, they are all busy with lists that take
// long, and it starts a worker for the queue; while lists stay queued it
// looks again after another stallTimeout, so a queue behind many such
// workers gets a worker per stallTimeout, up to MaxConcurrent.
func (r *Runner) stalled() {
	r.mu.Lock()
	r.stallSet = false
	var w *worker
	start := false
	if r.queue.n > 0 && r.spinning == 0 {
		if r.pops == r.stallPops && len(r.parked) == 0 && r.workers < r.max {
			w, start = r.newWorker(), true
		} else {
			// A list was taken meanwhile, or a worker parked: wake it,
			// or look again after another stallTimeout.
			w, start = r.wakeOne()
		}
	}
	r.mu.Unlock()
	r.launch(w, start)
}

// launch starts or wakes the worker wakeOne returned, if any.
func (r *Runner) launch(w *worker, start bool) {
	if start {
		go r.work(w)
	} else if w != nil {
		w.wake <- struct{}{} // never blocks: see worker.wake
	}
}

// stop records that a Shutdown has returned (or is about to) and releases
// the parked workers: from now on workers exit as soon as the queue is empty,
// so that an app that has shut down holds no goroutine. Called under r.mu.
func (r *Runner) stop() {
	r.flags.Or(flagStopped)
	r.release(len(r.parked))
	if r.janitorSet && r.janitor.Stop() {
		r.janitorSet = false
	}
}

// release wakes the k workers parked longest to exit. Called under r.mu.
func (r *Runner) release(k int) {
	for _, w := range r.parked[:k] {
		w.parked, w.quit = false, true
		r.workers--
		w.wake <- struct{}{} // never blocks: see worker.wake
	}
	n := copy(r.parked, r.parked[k:])
	clear(r.parked[n:])
	r.parked = r.parked[:n]
}

// expire is the janitor: it releases the workers parked for idleTimeout or
// longer and sets itself for the next one to reach it. It trims the queue
// too: with workers parked, the queue is empty or nearly, so a buffer left
// by a burst of lists goes within about idleTimeout of the burst.
func (r *Runner) expire() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.janitorSet = false
	r.queue.trim()
	now := time.Since(r.base)
	k := 0
	for k < len(r.parked) && now-r.parked[k].since >= r.idleTimeout {
		k++
	}
	r.release(k)
	if len(r.parked) > 0 {
		r.setJanitor(r.parked[0].since + r.idleTimeout - now)
	}
}

// setJanitor arms the janitor to run in d. Called under r.mu, when it is not
// armed.
func (r *Runner) setJanitor(d time.Duration) {
	r.janitorSet = true
	if r.janitor == nil {
		r.janitor = time.AfterFunc(d, r.expire)
	} else {
		r.janitor.Reset(d)
	}
}

// work runs lists until take tells it to exit: w.j from w.step on, if w is
// busy (a goroutine taking over after runtime.Goexit), then each list take
// gives it.
func (r *Runner) work(w *worker) {
	exited := false
	defer func() {
		if !exited {
			// A step called runtime.Goexit (panics are recovered step by
			// step, so nothing else ends a worker early). The goroutine is
			// lost, but its list's remaining steps and the queue are not:
			// a new goroutine takes over, as the same worker.
			go r.work(w)
		}
	}()
	for {
		if !r.take(w) {
			exited = true
			return
		}
		j := &w.j
		if w.step == 0 && j.wait != nil {
			<-j.wait
		}
		for w.step <= j.n {
			s := w.step
			w.step++ // before running: a step that calls Goexit is not run again
			if s < j.n {
				r.runTask(j, j.task(s))
			} else if j.after != nil {
				r.runAfter(j)
			}
		}
	}
}

// take finishes the list w has run, if any, and gives w the next one: the
// oldest queued, waiting for one while the queue is empty. It reports false
// when w must exit instead: the Runner is stopped and the queue empty, or no
// list came within idleTimeout, or Shutdown released w. A worker that is
// still busy (taking over after Goexit) keeps its list.
func (r *Runner) take(w *worker) bool {
	if w.busy && w.step > w.j.n {
		r.recycle(w.j.t)
		w.j, w.busy, w.step = job{}, false, 0
		r.mu.Lock()
		// Under mu, with the decision to park or exit below, so that a
		// Shutdown woken by the last list ending finds this worker parked,
		// releases it and leaves no worker behind.
		if pending(r.counts.Add(sub(listUnit))) == 0 && r.idle != nil {
			close(r.idle)
			r.idle = nil
		}
	} else if w.busy {
		return true
	} else {
		r.mu.Lock()
	}
	for {
		if w.spinning {
			w.spinning = false
			r.spinning--
		}
		if j, ok := r.queue.pop(); ok {
			r.pops++
			if r.queue.n == 0 {
				r.warnQueue = warnQueue // drained: the next build-up is news again
			}
			w.j, w.busy = j, true
			var next *worker
			start := false
			if r.queue.n > 0 {
				// Lists are still waiting: another worker must look at
				// them, in case this list takes long.
				next, start = r.wakeOne()
			}
			r.mu.Unlock()
			r.launch(next, start)
			return true
		}
		if r.flags.Load()&flagStopped != 0 || r.idleTimeout <= 0 {
			r.workers--
			r.mu.Unlock()
			return false
		}
		w.parked = true
		w.since = time.Since(r.base)
		r.parked = append(r.parked, w)
		if !r.janitorSet {
			r.setJanitor(r.idleTimeout)
		}
		r.mu.Unlock()

		<-w.wake
		if w.quit { // set before the value was sent
			return false
		}
		r.mu.Lock()
	}
}

// runTask runs one task, unless a Shutdown deadline has passed, and logs its
// error, panic or Goexit. It returns normally after a panic, so that the
// list goes on.
func (r *Runner) runTask(j *job, tk *task) {
	defer r.counts.Add(sub(taskUnit))
	if r.ctx.Err() != nil {
		return // abandoned by Shutdown: counted in its log record
	}
	if r.taskTimeout > 0 {
		r.runTimed(tk, j.method, j.path)
		return
	}
	r.runLogged(r.ctx, tk, j.method, j.path)
}

// runLogged runs tk with ctx and logs its error, panic or Goexit.
func (r *Runner) runLogged(ctx context.Context, tk *task, method, path string) {
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			r.logger().LogAttrs(context.Background(), slog.LevelError, "background: task panicked",
				slog.String("task", tk.name()), slog.String("method", method), slog.String("path", path),
				slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			return
		}
		r.logger().LogAttrs(context.Background(), slog.LevelError, "background: task called runtime.Goexit",
			slog.String("task", tk.name()), slog.String("method", method), slog.String("path", path))
	}()
	err := tk.run(ctx)
	returned = true
	if err != nil {
		r.logger().LogAttrs(context.Background(), slog.LevelError, "background: task failed",
			slog.String("task", tk.name()), slog.String("method", method), slog.String("path", path),
			slog.Any("error", err))
	}
}

// runTimed runs tk under RunnerConfig.TaskTimeout: on a goroutine of its
// own, with a context that ends at the timeout, so that the worker can stop
// waiting for a task that ignores its context and go on with the list.
// Such a task is abandoned, logged, and left running: Go cannot stop it. It
// gets copies of its call values, as the list's storage is reused once the
// list is done.
func (r *Runner) runTimed(tk *task, method, path string) {
	own := task{fn: tk.fn, shape: tk.shape}
	if tk.call != nil {
		own.call = append([]reflect.Value(nil), tk.call...)
	}
	ctx, cancel := context.WithTimeout(r.ctx, r.taskTimeout)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.runLogged(ctx, &own, method, path)
	}()
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	select {
	case <-done: // returned as its context ended, as it should
	case <-time.After(timeoutGrace):
		r.logger().LogAttrs(context.Background(), slog.LevelError,
			"background: task still running after its timeout; abandoned, the list goes on",
			slog.String("task", own.name()), slog.String("method", method), slog.String("path", path),
			slog.Duration("timeout", r.taskTimeout))
	}
}

// timeoutGrace is how long a task whose context has ended (TaskTimeout, or
// a Shutdown deadline) has to return before its worker gives up on it: a
// task that honours its context returns well within it.
const timeoutGrace = 100 * time.Millisecond

// runAfter calls j's after func, logging a panic or Goexit instead of
// letting it end the process.
func (r *Runner) runAfter(j *job) {
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			r.logger().LogAttrs(context.Background(), slog.LevelError, "background: after func panicked",
				slog.String("method", j.method), slog.String("path", j.path),
				slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			return
		}
		r.logger().LogAttrs(context.Background(), slog.LevelError, "background: after func called runtime.Goexit",
			slog.String("method", j.method), slog.String("path", j.path))
	}()
	j.after()
	returned = true
}
