package background

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultMaxConcurrent is the number of task lists a Runner runs at once when
// RunnerConfig.MaxConcurrent is 0.
//
// It is a fixed number rather than a multiple of GOMAXPROCS because
// background tasks are mostly waiting (sending mail, calling a webhook,
// writing a log), so the bound protects memory and the services the tasks
// call, not the CPUs; a fixed number also behaves the same on a laptop, in CI
// and in a container whose CPU quota (and so GOMAXPROCS) changes at run time.
// 256 waiting goroutines cost a megabyte or two of stack.
const DefaultMaxConcurrent = 256

// idleTimeout is how long a worker that finds the queue empty waits for
// another list before it exits. Handing a list to a waiting worker is much
// cheaper than starting a goroutine, so under steady load the same few
// workers serve every request; a second is long enough to bridge the gaps
// between requests and short enough that an idle Runner soon holds nothing.
const idleTimeout = time.Second

// RunnerConfig configures a Runner. Its zero value means the defaults.
type RunnerConfig struct {
	// Logger receives the records of failed tasks and of an abandoning
	// shutdown. nil means slog.Default(), looked up when a record is written,
	// so that a default set after the App was created is still honoured.
	Logger *slog.Logger

	// MaxConcurrent is the most task lists running at once; more wait in a
	// FIFO queue. 0 means DefaultMaxConcurrent. A negative value panics in
	// NewRunner, as any misconfiguration is best found at startup.
	MaxConcurrent int
}

// Runner runs the task lists of finished requests in the background.
//
// Tasks of one list run one after another, in the order they were added;
// lists run concurrently, at most MaxConcurrent at once. Above that, lists
// wait in a FIFO queue: a queued list costs its entry in the queue, not a
// goroutine. Worker goroutines are started when a list arrives, no worker is
// waiting for one and there is room. A worker that finds the queue empty
// waits up to a second for the next list, then exits, so an idle Runner
// holds no goroutine a second after its last list. Shutdown releases the
// waiting workers as it returns, and from then on workers exit as soon as
// the queue is empty.
//
// A Runner is safe for concurrent use. Create one with NewRunner.
type Runner struct {
	log *slog.Logger // nil: slog.Default() when a record is written
	max int

	// ctx is the context given to tasks: not tied to any request, cancelled
	// when a Shutdown deadline passes.
	ctx    context.Context
	cancel context.CancelFunc

	// unfinished counts tasks scheduled and not yet returned (or skipped):
	// only for the abandoned count a late Shutdown logs. It is atomic, not
	// under mu, so that finishing a task does not contend with Run.
	unfinished atomic.Int64

	// idleTimeout is how long a parked worker waits for a list before it
	// exits: the package's idleTimeout, which only tests change.
	idleTimeout time.Duration

	mu        sync.Mutex
	pending   int           // lists reserved, queued, waiting for their response, or running
	workers   int           // worker goroutines, parked ones included; never above max
	parked    []*worker     // workers waiting for a list, most recently parked last
	queue     queue         // lists waiting for a worker; empty while a worker is parked
	idle      chan struct{} // closed when pending drops to 0 while a Shutdown waits
	shutdowns int           // Shutdown calls waiting right now
	stopped   bool          // a Shutdown has returned
	abandoned bool          // a Shutdown deadline passed: ctx is cancelled
}

// job is one call to Run: the list, its cleanups and what to wait for.
type job struct {
	t            *Tasks // nil when n is 0
	n            int    // tasks of t to run
	after        func()
	wait         <-chan struct{}
	method, path string
}

// worker is one worker goroutine's state, reused for every list it runs and
// every time it parks, so that neither allocates.
type worker struct {
	j job // the list being run, or given by Reserve or Start while parked

	// wake receives one value each time the worker is unparked or, bound to
	// a reserved list, that list is started: Start has set j or lets it run,
	// or Shutdown has set quit. Its buffer of one means the sender never
	// blocks: a worker waiting for its value has none pending.
	wake chan struct{}
	// timer ends a park after the Runner's idleTimeout; created on the
	// first park and reset on the next ones.
	timer *time.Timer

	parked bool // in Runner.parked; under Runner.mu
	quit   bool // released by Shutdown: exit when woken; under Runner.mu
	gated  bool // started by Reserve: wait for Start's value before running j
}

// NewRunner returns a Runner configured by cfg.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.MaxConcurrent < 0 {
		panic(fmt.Sprintf("background: NewRunner: MaxConcurrent is %d; want 0 (the default, %d) or more",
			cfg.MaxConcurrent, DefaultMaxConcurrent))
	}
	r := &Runner{log: cfg.Logger, max: cfg.MaxConcurrent, idleTimeout: idleTimeout}
	if r.max == 0 {
		r.max = DefaultMaxConcurrent
	}
	r.ctx, r.cancel = context.WithCancel(context.Background())
	return r
}

// Run schedules t's tasks to run in the background, in the order they were
// added, one after another, then calls after, even if tasks failed or
// panicked. The App passes the request's provider cleanups as after, so that
// they run once the tasks that may use those resources are done.
//
// If wait is not nil, nothing (not even after) starts before wait is closed:
// the App passes the request context's Done channel when net/http writes the
// end of the response after the handler returns, so that the client never
// waits for a task. A list waiting for its wait holds a worker (and so counts
// towards MaxConcurrent), which is brief when the wait ends as the handler
// returns; a wait that is never closed keeps its list pending, and Shutdown
// waiting for it until its deadline. To count a list at once but start it
// later without a channel, use [Runner.Reserve].
//
// t may be nil or empty: then only after runs (and if after is nil too, Run
// does nothing). Run closes t: tasks added to it later are logged and not
// run, and running the same t twice panics. method and path are added to
// the log records of the list's tasks.
//
// Run never blocks on task execution: when MaxConcurrent lists are already
// running the list is queued, never dropped. Run keeps working after
// Shutdown: a list scheduled while Shutdown waits is waited for too, and one
// scheduled after Shutdown returned still runs (logged at Warn level, since
// nothing waits for it, unless Shutdown is called again). Only after a
// Shutdown deadline has passed, when the tasks' context is already cancelled,
// are new tasks dropped, logged at Error level with their count; after still
// runs, so that resources are released.
func (r *Runner) Run(t *Tasks, after func(), wait <-chan struct{}, method, path string) {
	if t == nil && after == nil {
		return
	}
	r.Reserve(t, after, wait, method, path).Start()
}

// Reservation is a task list that [Runner.Reserve] has scheduled and that
// starts when Start is called. Its zero value holds nothing to start.
type Reservation struct {
	r *Runner // nil: nothing to start
	// w is the worker Reserve bound to the list, waiting for Start; nil when
	// none was free, and Start finds one or queues j.
	w *worker
	j job
}

// Reserve is [Runner.Run] in two steps: it does everything Run does, under
// the same rules (it closes t, counts the list so that Shutdown waits for it
// from now on, drops and logs tasks after a Shutdown deadline, gives the list
// a worker when there is room), except start the list, which waits for the
// returned Reservation's Start, as for a wait channel closed then.
//
// It lets the App start a request's tasks right after the response has been
// flushed without allocating a channel to wait for: the App reserves before
// the flush, so that a Shutdown called by a client that has the response
// waits for the tasks, and starts the reservation after the flush, so that no
// task starts before it. Call Start exactly once, soon: like a list waiting
// for its wait channel, a reserved list may hold a worker until then, and one
// never started keeps its list pending, and Shutdown waiting for it until its
// deadline.
func (r *Runner) Reserve(t *Tasks, after func(), wait <-chan struct{}, method, path string) Reservation {
	n := 0
	if t != nil {
		n = t.seal(r, method, path)
	}
	if n == 0 && after == nil {
		return Reservation{}
	}
	r.mu.Lock()
	dropped := 0
	if r.abandoned {
		dropped, n = n, 0
	}
	late := n > 0 && r.stopped && r.shutdowns == 0 && !r.abandoned
	var res Reservation
	start := false
	if n > 0 || after != nil {
		if n == 0 {
			t = nil
		}
		res = Reservation{r: r, j: job{t: t, n: n, after: after, wait: wait, method: method, path: path}}
		r.pending++
		r.unfinished.Add(int64(n))
		// Bind a worker now, while the lock is held anyway, so that Start
		// only has to wake it.
		res.w, start = r.take(res.j)
		if start {
			res.w.gated = true
		}
	}
	r.mu.Unlock()

	if start {
		go r.work(res.w, 0)
	}

	r.logDropped(dropped, method, path)
	if late {
		r.logger().LogAttrs(context.Background(), slog.LevelWarn,
			"background: tasks scheduled after Shutdown; nothing waits for them",
			slog.Int("tasks", n), slog.String("method", method), slog.String("path", path))
	}
	return res
}

// Start starts the reserved list: it wakes the worker Reserve bound to it,
// or else hands it to a worker that has become free since, or starts one if
// there is room now, or queues it. Like Run, it never blocks on task
// execution.
func (res Reservation) Start() {
	if res.w != nil {
		res.w.wake <- struct{}{} // never blocks: see worker.wake
		return
	}
	r := res.r
	if r == nil {
		return
	}
	r.mu.Lock()
	w, start := r.take(res.j)
	if w == nil {
		r.queue.push(res.j)
	}
	r.mu.Unlock()

	if start {
		go r.work(w, 0)
	} else if w != nil {
		w.wake <- struct{}{} // never blocks: see worker.wake
	}
}

// take gives j to the most recently parked worker (the others keep waiting,
// and time out first when there is less work than workers), or else to a new
// worker, which the caller starts (start), if there is room; it returns nil
// when j must be queued. A parked worker taken must be woken by a value on its
// wake channel. Called under r.mu.
func (r *Runner) take(j job) (w *worker, start bool) {
	if k := len(r.parked) - 1; k >= 0 {
		w = r.parked[k]
		r.parked[k] = nil
		r.parked = r.parked[:k]
		w.parked = false
		w.j = j
		return w, false
	}
	if r.workers < r.max {
		r.workers++
		return &worker{j: j, wake: make(chan struct{}, 1)}, true
	}
	return nil, false
}

// Shutdown waits for every queued and running task list, tasks and after
// funcs alike, including lists scheduled while it waits. It returns nil once
// none is left.
//
// When ctx ends first, Shutdown cancels the context given to tasks, so that
// those that honour it return, logs at Error level how many lists and tasks
// are abandoned, and returns ctx.Err(). Tasks that have not started by then
// never will: their lists only call their after funcs, once the task running
// in their worker, if any, returns.
//
// Shutdown may be called more than once and from several goroutines: each
// call waits as described. It does not stop Run (see there), because the
// tasks of a request that was answered successfully are work that has been
// promised; the App stops serving before it calls Shutdown, so that no new
// lists arrive.
func (r *Runner) Shutdown(ctx context.Context) error {
	r.mu.Lock()
	if r.pending == 0 {
		r.stop()
		r.mu.Unlock()
		return nil
	}
	if r.idle == nil {
		r.idle = make(chan struct{})
	}
	idle := r.idle
	r.shutdowns++
	r.mu.Unlock()

	select {
	case <-idle:
		r.mu.Lock()
		r.shutdowns--
		r.stop()
		r.mu.Unlock()
		return nil
	case <-ctx.Done():
	}

	r.mu.Lock()
	r.shutdowns--
	r.stop()
	lists := r.pending
	if lists == 0 { // drained at the very moment ctx ended
		r.mu.Unlock()
		return nil
	}
	// Cancel under the lock, with abandoned, so that no list scheduled from
	// now on sees a live context.
	r.abandoned = true
	r.cancel()
	r.mu.Unlock()
	r.logger().LogAttrs(context.Background(), slog.LevelError,
		"background: shutdown deadline passed; abandoning tasks",
		slog.Int("lists", lists), slog.Int64("tasks", r.unfinished.Load()),
		slog.Any("error", ctx.Err()))
	return ctx.Err()
}

// Pending reports how many task lists are queued, waiting for their response
// to complete, or running (tasks or after func), for tests and metrics.
func (r *Runner) Pending() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pending
}

// stop records that a Shutdown has returned (or is about to) and releases
// the parked workers: from now on workers exit as soon as the queue is empty,
// so that an app that has shut down holds no goroutine. Called under r.mu.
func (r *Runner) stop() {
	r.stopped = true
	for i, w := range r.parked {
		r.parked[i] = nil
		w.parked, w.quit = false, true
		r.workers--
		w.wake <- struct{}{} // never blocks: see worker.wake
	}
	r.parked = r.parked[:0]
}

// finished counts the end of a list, waking the Shutdowns waiting for the
// last one. Called under r.mu.
func (r *Runner) finished() {
	r.pending--
	if r.pending == 0 && r.idle != nil {
		close(r.idle)
		r.idle = nil
	}
}

// work runs w.j from step on (steps 0..j.n-1 are its tasks, step j.n its
// after func), then each list it takes from the queue or is handed while
// parked, and exits when it has waited idleTimeout for one in vain or
// Shutdown released it.
func (r *Runner) work(w *worker, step int) {
	finished := false
	defer func() {
		if !finished {
			// A step called runtime.Goexit (panics are recovered step by
			// step, so nothing else ends a worker early). The goroutine is
			// lost, but its list's remaining steps and the queue are not:
			// a new goroutine takes over, as the same worker.
			go r.work(w, step)
		}
	}()
	if w.gated {
		w.gated = false
		<-w.wake
	}
	for {
		j := &w.j
		if step == 0 && j.wait != nil {
			<-j.wait
		}
		for step <= j.n {
			s := step
			step++ // before running: a step that calls Goexit is not run again
			if s < j.n {
				r.runTask(j, j.t.at(s))
			} else if j.after != nil {
				r.runAfter(j)
			}
		}
		step = 0
		if !r.next(w) {
			finished = true
			return
		}
	}
}

// next finishes the current list and sets w.j to the next one: the oldest
// queued, or the one Reserve or Start gives it while w is parked. It reports false when
// w must exit instead: the Runner is stopped, or no list came within
// idleTimeout, or Shutdown released w.
func (r *Runner) next(w *worker) bool {
	r.mu.Lock()
	r.finished()
	if j, ok := r.queue.pop(); ok {
		w.j = j
		r.mu.Unlock()
		return true
	}
	w.j = job{} // let the list and its closures be collected while parked
	if r.stopped || r.idleTimeout <= 0 {
		r.workers--
		r.mu.Unlock()
		return false
	}
	w.parked = true
	r.parked = append(r.parked, w)
	r.mu.Unlock()

	if w.timer == nil {
		w.timer = time.NewTimer(r.idleTimeout)
	} else {
		// Since Go 1.23 Reset leaves no stale tick in the channel, even
		// when the timer fired while the worker was busy. (Under
		// GODEBUG=asynctimerchan=1 a stale tick only makes the worker exit
		// early.)
		w.timer.Reset(r.idleTimeout)
	}
	select {
	case <-w.wake:
	case <-w.timer.C:
		r.mu.Lock()
		if w.parked { // nobody took w: exit
			r.unpark(w)
			r.workers--
			r.mu.Unlock()
			return false
		}
		r.mu.Unlock()
		<-w.wake // w was taken as the timer fired: its value is on its way (after Start, for Reserve)
	}
	// w.j and w.quit were set under r.mu before the value was sent.
	return !w.quit
}

// unpark removes w from r.parked, keeping the order of the others. Called
// under r.mu, for a worker whose park timed out: rare, and r.parked is short.
func (r *Runner) unpark(w *worker) {
	for i, p := range r.parked {
		if p == w {
			k := len(r.parked) - 1
			copy(r.parked[i:], r.parked[i+1:])
			r.parked[k] = nil
			r.parked = r.parked[:k]
			break
		}
	}
	w.parked = false
}

// runTask runs one task, unless a Shutdown deadline has passed, and logs its
// error, panic or Goexit. It returns normally after a panic, so that the
// list goes on.
func (r *Runner) runTask(j *job, tk *task) {
	defer r.unfinished.Add(-1)
	if r.ctx.Err() != nil {
		return // abandoned by Shutdown: counted in its log record
	}
	returned := false
	defer func() {
		if returned {
			return
		}
		if v := recover(); v != nil {
			r.logger().LogAttrs(context.Background(), slog.LevelError, "background: task panicked",
				slog.String("task", tk.name()), slog.String("method", j.method), slog.String("path", j.path),
				slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			return
		}
		r.logger().LogAttrs(context.Background(), slog.LevelError, "background: task called runtime.Goexit",
			slog.String("task", tk.name()), slog.String("method", j.method), slog.String("path", j.path))
	}()
	err := tk.run(r.ctx)
	returned = true
	if err != nil {
		r.logger().LogAttrs(context.Background(), slog.LevelError, "background: task failed",
			slog.String("task", tk.name()), slog.String("method", j.method), slog.String("path", j.path),
			slog.Any("error", err))
	}
}

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

// logDropped records tasks scheduled after a Shutdown deadline passed.
func (r *Runner) logDropped(n int, method, path string) {
	if n == 0 {
		return
	}
	r.logger().LogAttrs(context.Background(), slog.LevelError,
		"background: tasks scheduled after a Shutdown deadline passed; dropped",
		slog.Int("tasks", n), slog.String("method", method), slog.String("path", path))
}

func (r *Runner) logger() *slog.Logger {
	if r.log != nil {
		return r.log
	}
	return slog.Default()
}
