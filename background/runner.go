package background

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
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
// another list before it exits. Waking a waiting worker is much cheaper than
// starting a goroutine, so under steady load the same few workers serve every
// request; a second is long enough to bridge the gaps between requests and
// short enough that an idle Runner soon holds nothing.
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
// lists run concurrently, at most MaxConcurrent at once. Lists wait in a FIFO
// queue for a worker goroutine: a queued list costs its entry in the queue,
// not a goroutine. A worker that finishes a list takes the next queued one
// without stopping, and waits (parks) only when the queue is empty; a list
// arriving then wakes the most recently parked worker, or starts one if
// there is no worker at all. Only one worker is woken at a time: lists
// arriving while a woken worker has not yet taken one queue for it, and when
// it takes one and more are waiting it wakes the next parked worker. When
// every worker is busy, a new list waits for one of them to finish its list;
// if none does within a millisecond (they all wait on something: a mail
// server, a webhook), a new worker is started, and another each millisecond
// while lists stay queued, up to MaxConcurrent. So a steady stream of short
// lists is served by one or two workers, not a goroutine each, and a list
// still does not wait long behind workers that are stuck. A parked worker
// that gets no list for a second exits, so an idle Runner soon holds no
// goroutine. Shutdown releases the parked workers as it returns, and from
// then on workers exit as soon as the queue is empty.
//
// A Runner is safe for concurrent use. Create one with NewRunner.
type Runner struct {
	// The fields every list touches, from the request's goroutine and from
	// its worker's, come first and together, so that handing a list over
	// moves as few cache lines between the two as it can.

	mu sync.Mutex
	// counts holds two counts, read and changed without mu, so that
	// Reserve takes no lock of the Runner's: a request pays one lock round
	// trip (in Start) for its list. One word, so that each change is one
	// atomic operation.
	//
	// Its high 32 bits count the lists reserved whose tasks and after func
	// have not all returned (pending): Reserve adds to them; a worker takes
	// from them under mu, so that Shutdown, which reads them under mu,
	// cannot miss the last list ending. Its low 32 bits count the tasks
	// scheduled and not yet returned (or skipped), for the abandoned count a
	// late Shutdown logs. Neither can come near 2³² (each list and task
	// holds memory), so neither carries into the other.
	counts atomic.Uint64
	// flags holds flagStopped and flagAbandoned, set under mu.
	flags    atomic.Uint32
	spinning int32 // workers woken or started that have not yet looked at the queue; under mu
	queue    queue // lists started and not yet taken by a worker; under mu

	// waiters counts the Shutdown calls waiting, changed under mu; Reserve
	// reads it to tell a list that a Shutdown will wait for from one that
	// nothing waits for.
	waiters atomic.Int32

	workers int           // worker goroutines, parked ones included; never above max; under mu
	parked  []*worker     // workers waiting for a list, in the order they parked; under mu
	idle    chan struct{} // closed when pending drops to 0 while a Shutdown waits; under mu
	// janitor ends the parks that lasted idleTimeout. It is one timer for
	// the Runner, armed while workers are parked, rather than one per park:
	// parking then costs no timer operation.
	janitor    *time.Timer
	janitorSet bool // janitor armed, its expire not yet run; under mu
	// stall starts a worker when queued lists have waited stallTimeout
	// for busy workers in vain: see wakeOne and stalled.
	stall     *time.Timer
	stallSet  bool   // stall armed, its stalled not yet run; under mu
	pops      uint64 // lists taken from the queue so far; under mu
	stallPops uint64 // pops when stall was armed; under mu

	tasks sync.Pool // of *list that have run: see NewTasks

	log *slog.Logger // nil: slog.Default() when a record is written
	max int

	// ctx is the context given to tasks: not tied to any request, cancelled
	// when a Shutdown deadline passes.
	ctx    context.Context
	cancel context.CancelFunc

	// idleTimeout is how long a parked worker waits for a list before it
	// exits: the package's idleTimeout, which only tests change.
	idleTimeout time.Duration
	// base is the origin of the workers' park times: time.Since(base) reads
	// only the monotonic clock, the cheapest clock there is.
	base time.Time
}

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

	// one is the list's only task, and vals its call values, when Reserve
	// copied them out of a list from NewTasks (see Reserve): t is nil then.
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

// NewRunner returns a Runner configured by cfg.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.MaxConcurrent < 0 {
		panic(fmt.Sprintf("background: NewRunner: MaxConcurrent is %d; want 0 (the default, %d) or more",
			cfg.MaxConcurrent, DefaultMaxConcurrent))
	}
	r := &Runner{log: cfg.Logger, max: cfg.MaxConcurrent, idleTimeout: idleTimeout, base: time.Now()}
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
	j job
}

// Reserve is [Runner.Run] in two steps: it does everything Run does, under
// the same rules (it closes t, counts the list so that Shutdown waits for it
// from now on, drops and logs tasks after a Shutdown deadline), except start
// the list, which waits for the returned Reservation's Start, as for a wait
// channel closed then.
//
// It lets the App start a request's tasks right after the response has been
// flushed without allocating a channel to wait for: the App reserves before
// the flush, so that a Shutdown called by a client that has the response
// waits for the tasks, and starts the reservation after the flush, so that no
// task starts before it. Call Start exactly once, soon: a list never started
// stays pending, and Shutdown waits for it until its deadline.
//
// Reserve takes no lock of the Runner's (only t's own, to close it): the
// count is atomic.
//
// The storage of a list from [Runner.NewTasks] may be handed out again as
// soon as Reserve (or Run) returns, to another request, behind another
// *Tasks: t itself stays closed (see NewTasks).
func (r *Runner) Reserve(t *Tasks, after func(), wait <-chan struct{}, method, path string) Reservation {
	var l *list
	n := 0
	if t != nil {
		l, n = t.seal(r, method, path)
	}
	if n == 0 && after == nil {
		r.recycle(l)
		return Reservation{}
	}
	// Count first, then look at the flags: a Shutdown whose deadline
	// passes at this very moment either counts this list among the
	// abandoned ones (its tasks are then skipped, as logged) or is seen
	// here (the tasks are dropped, and logged so). Go's atomics are
	// sequentially consistent, so one of the two always happens.
	r.counts.Add(listUnit + uint64(n)*taskUnit)
	if f := r.flags.Load(); f != 0 {
		n = r.reserveLate(f, n, method, path)
	}
	res := Reservation{r: r, j: job{t: l, n: n, after: after, wait: wait, method: method, path: path}}
	switch {
	case n == 0 && l != nil:
		r.recycle(l)
		res.j.t = nil
	case n == 1 && l.pooled && len(l.first.call) <= len(res.j.vals):
		// The common list, one task, is copied out of l, and l goes back
		// for reuse now, on this goroutine: the next request here gets the
		// same l from sync.Pool's per-P cache, still in this CPU's cache,
		// and the worker reads the task from the queue entry alone. A list
		// that a worker reads instead is memory that crosses between CPUs
		// twice (read there, reused here), which costs more than the copy.
		// (l is closed, so nothing writes its tasks any more.)
		res.j.one = task{fn: l.first.fn, shape: l.first.shape}
		res.j.nvals = copy(res.j.vals[:], l.first.call)
		res.j.t = nil
		r.recycle(l)
	}
	return res
}

// reserveLate applies Reserve's rules for a Runner that has been shut down:
// after a Shutdown deadline the n tasks are dropped (it returns 0); after a
// Shutdown that returned, with none waiting now, they are logged as
// unawaited.
func (r *Runner) reserveLate(f uint32, n int, method, path string) int {
	if f&flagAbandoned != 0 {
		if n > 0 {
			r.counts.Add(sub(uint64(n) * taskUnit))
			r.logDropped(n, method, path)
		}
		return 0
	}
	if n > 0 && f&flagStopped != 0 && r.waiters.Load() == 0 {
		r.logger().LogAttrs(context.Background(), slog.LevelWarn,
			"background: tasks scheduled after Shutdown; nothing waits for them",
			slog.Int("tasks", n), slog.String("method", method), slog.String("path", path))
	}
	return n
}

// Start starts the reserved list: it queues it and, unless a worker is
// already on its way to the queue, wakes a parked worker or starts one if
// there is room. Like Run, it never blocks on task execution.
func (res Reservation) Start() {
	r := res.r
	if r == nil {
		return
	}
	r.mu.Lock()
	r.queue.push(res.j)
	w, start := r.wakeOne()
	r.mu.Unlock()
	r.launch(w, start)
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
	if pending(r.counts.Load()) == 0 {
		r.stop()
		r.mu.Unlock()
		return nil
	}
	if r.idle == nil {
		r.idle = make(chan struct{})
	}
	idle := r.idle
	r.waiters.Add(1)
	r.mu.Unlock()

	select {
	case <-idle:
		r.mu.Lock()
		r.waiters.Add(-1)
		r.stop()
		r.mu.Unlock()
		return nil
	case <-ctx.Done():
	}

	r.mu.Lock()
	r.waiters.Add(-1)
	r.stop()
	c := r.counts.Load()
	lists := pending(c)
	if lists == 0 { // drained at the very moment ctx ended
		r.mu.Unlock()
		return nil
	}
	// Cancel under the lock, with the flag, so that no list started from
	// now on sees a live context.
	r.flags.Or(flagAbandoned)
	r.cancel()
	r.mu.Unlock()
	r.logger().LogAttrs(context.Background(), slog.LevelError,
		"background: shutdown deadline passed; abandoning tasks",
		slog.Int64("lists", lists), slog.Int64("tasks", unfinished(c)),
		slog.Any("error", ctx.Err()))
	return ctx.Err()
}

// Pending reports how many task lists are reserved, queued, waiting for
// their response to complete, or running (tasks or after func), for tests
// and metrics.
func (r *Runner) Pending() int {
	return int(pending(r.counts.Load()))
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
