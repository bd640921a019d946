// The public face of the scheduler: Runner, its configuration, Run and
// Shutdown, and reserving a list before its response is flushed (the App's
// two-step Run, reached through internal/taskrun). How workers take lists
// from the queue is in workers.go.

package background

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/briskgo/brisk/internal/taskrun"
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

	// TaskTimeout bounds each task: its context ends after TaskTimeout,
	// and a task still running a moment later is abandoned (logged at
	// Error level, left running, as Go cannot stop it) and its list goes
	// on. A task then runs on a goroutine of its own. 0 means no timeout:
	// a task that never returns holds its list, and one of the
	// MaxConcurrent workers, for good, while the other lists go on. A
	// negative value panics in NewRunner.
	TaskTimeout time.Duration
}

// Runner runs the task lists of finished requests in the background.
//
// Tasks of one list run one after another, in the order they were added;
// lists run concurrently, at most MaxConcurrent at once, and the rest wait in
// a FIFO queue, which costs memory, not goroutines. Idle workers exit after a
// second, so an idle Runner holds no goroutine.
//
// A Runner is safe for concurrent use. Create one with NewRunner.
type Runner struct {
	// The fields every list touches, from the request's goroutine and from
	// its worker's, come first and together, so that handing a list over
	// moves as few cache lines between the two as it can.

	mu sync.Mutex
	// counts holds two counts, read and changed without mu, so that
	// reserve takes no lock of the Runner's: a request pays one lock round
	// trip (in start) for its list. One word, so that each change is one
	// atomic operation.
	//
	// Its high 32 bits count the lists reserved whose tasks and after func
	// have not all returned (pending): reserve adds to them; a worker takes
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

	// waiters counts the Shutdown calls waiting, changed under mu; reserve
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

	tasks sync.Pool // of *list that have run: see newTasks

	log         *slog.Logger // nil: slog.Default() when a record is written
	max         int
	taskTimeout time.Duration // 0: none

	// warnQueue is the queue length whose reaching is logged next: it
	// doubles each time, and goes back to the package's warnQueue once the
	// queue is empty. Under mu.
	warnQueue int32

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

// NewRunner returns a Runner configured by cfg.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.MaxConcurrent < 0 {
		panic(fmt.Sprintf("background: NewRunner: MaxConcurrent is %d; want 0 (the default, %d) or more",
			cfg.MaxConcurrent, DefaultMaxConcurrent))
	}
	if cfg.TaskTimeout < 0 {
		panic(fmt.Sprintf("background: NewRunner: TaskTimeout is %s; want 0 (none) or more", cfg.TaskTimeout))
	}
	r := &Runner{log: cfg.Logger, max: cfg.MaxConcurrent, taskTimeout: cfg.TaskTimeout,
		idleTimeout: idleTimeout, base: time.Now(), warnQueue: warnQueue}
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
// waiting for it until its deadline.
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
	r.start(t, r.reserve(t, after, method, path), after, wait, method, path)
}

func init() {
	taskrun.Set(taskrun.Hooks[Runner, Tasks]{
		NewTasks: (*Runner).newTasks,
		Reserve:  (*Runner).reserve,
		Start:    (*Runner).start,
		Pending:  (*Runner).pendingLists,
	})
}

// reserve is Run's first half: it does everything Run does, under the same
// rules (it closes t, counts the list so that Shutdown waits for it from now
// on, drops and logs tasks after a Shutdown deadline), except start the
// list, which waits for start, called with the n reserve returns and the
// same t, after, method and path, as for a wait channel closed then. n is
// the number of t's tasks to run, or -1 when nothing was reserved (no task,
// no after).
//
// It lets the App start a request's tasks right after the response has been
// flushed without allocating a channel to wait for: the App reserves before
// the flush, so that a Shutdown called by a client that has the response
// waits for the tasks, and starts the list after the flush, so that no task
// starts before it. Call start exactly once, soon: a list never started
// stays pending, and Shutdown waits for it until its deadline.
//
// reserve takes no lock of the Runner's (only t's own, to close it): the
// count is atomic.
func (r *Runner) reserve(t *Tasks, after func(), method, path string) int {
	var l *list
	n := 0
	if t != nil {
		l, n = t.seal(r, method, path)
	}
	if n == 0 && after == nil {
		r.recycle(l)
		return -1
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
	return n
}

// reserveLate applies reserve's rules for a Runner that has been shut down:
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

// start starts the list reserve reserved, n its result: it queues the list
// and, unless a worker is already on its way to the queue, wakes a parked
// worker or starts one if there is room. Like Run, it never blocks on task
// execution.
//
// The storage of a list from newTasks may be handed out again as soon as
// start returns, to another request, behind another *Tasks: t itself stays
// closed (see newTasks).
func (r *Runner) start(t *Tasks, n int, after func(), wait <-chan struct{}, method, path string) {
	if n < 0 {
		return
	}
	var l *list
	if t != nil {
		l = t.load()
	}
	j := job{t: l, n: n, after: after, wait: wait, method: method, path: path}
	switch {
	case n == 0 && l != nil:
		r.recycle(l)
		j.t = nil
	case n == 1 && l.pooled && len(l.first.call) <= len(j.vals):
		// The common list, one task, is copied out of l, and l goes back
		// for reuse now, on this goroutine: the next request here gets the
		// same l from sync.Pool's per-P cache, still in this CPU's cache,
		// and the worker reads the task from the queue entry alone. A list
		// that a worker reads instead is memory that crosses between CPUs
		// twice (read there, reused here), which costs more than the copy.
		// (l is closed, so nothing writes its tasks any more.)
		j.one = task{fn: l.first.fn, shape: l.first.shape}
		j.nvals = copy(j.vals[:], l.first.call)
		j.t = nil
		r.recycle(l)
	}
	r.mu.Lock()
	r.queue.push(j)
	w, st := r.wakeOne()
	queued := r.queue.n
	if queued >= r.warnQueue {
		r.warnQueue *= 2
	} else {
		queued = 0
	}
	r.mu.Unlock()
	r.launch(w, st)
	if queued > 0 {
		r.logger().LogAttrs(context.Background(), slog.LevelWarn,
			"background: task lists are queueing up; every worker is busy",
			slog.Int("queued", int(queued)), slog.Int("workers", r.max))
	}
}

// warnQueue is the first queue length that start logs: far more than a
// burst of requests queues for a moment, so that a record means the workers
// do not keep up (tasks blocked, or too slow for the request rate). Each
// further record is at twice the length of the last.
const warnQueue = 1024

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

// pendingLists reports how many task lists are reserved, queued, waiting for
// their response to complete, or running (tasks or after func).
func (r *Runner) pendingLists() int {
	return int(pending(r.counts.Load()))
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
