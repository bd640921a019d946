package background

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
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
}

// Runner runs the task lists of finished requests in the background.
//
// Tasks of one list run one after another, in the order they were added;
// lists run concurrently, at most MaxConcurrent at once. Above that, lists
// wait in a FIFO queue: a queued list costs its entry in the queue, not a
// goroutine. Worker goroutines are started when a list arrives and there is
// room, and exit as soon as the queue is empty, so an idle Runner holds no
// goroutine.
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

	mu        sync.Mutex
	pending   int           // lists queued, waiting for their response, or running
	workers   int           // worker goroutines; never above max
	queue     queue         // lists waiting for a worker
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

// NewRunner returns a Runner configured by cfg.
func NewRunner(cfg RunnerConfig) *Runner {
	if cfg.MaxConcurrent < 0 {
		panic(fmt.Sprintf("background: NewRunner: MaxConcurrent is %d; want 0 (the default, %d) or more",
			cfg.MaxConcurrent, DefaultMaxConcurrent))
	}
	r := &Runner{log: cfg.Logger, max: cfg.MaxConcurrent}
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
// the App closes it when the response is complete, so that the client never
// waits for a task, even under middleware that holds the response. A list
// waiting for its wait holds a worker (and so counts towards MaxConcurrent),
// which is brief when the App calls Run as the handler returns; a wait that is
// never closed keeps its list pending, and Shutdown waiting for it until its
// deadline.
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
	n := 0
	if t != nil {
		n = t.seal(r, method, path)
	}
	if n == 0 && after == nil {
		return
	}
	r.mu.Lock()
	dropped := 0
	if r.abandoned {
		dropped, n = n, 0
	}
	late := n > 0 && r.stopped && r.shutdowns == 0 && !r.abandoned
	if n == 0 && after == nil {
		r.mu.Unlock()
		r.logDropped(dropped, method, path)
		return
	}
	if n == 0 {
		t = nil
	}
	j := job{t: t, n: n, after: after, wait: wait, method: method, path: path}
	r.pending++
	r.unfinished.Add(int64(n))
	start := r.workers < r.max
	if start {
		r.workers++
	} else {
		r.queue.push(j)
	}
	r.mu.Unlock()

	if start {
		go r.work(j, 0)
	}
	r.logDropped(dropped, method, path)
	if late {
		r.logger().LogAttrs(context.Background(), slog.LevelWarn,
			"background: tasks scheduled after Shutdown; nothing waits for them",
			slog.Int("tasks", n), slog.String("method", method), slog.String("path", path))
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
	if r.pending == 0 {
		r.stopped = true
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
		r.stopped = true
		r.mu.Unlock()
		return nil
	case <-ctx.Done():
	}

	r.mu.Lock()
	r.shutdowns--
	r.stopped = true
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

// work runs j from step on (steps 0..j.n-1 are its tasks, step j.n its after
// func), then each list it can take from the queue, and exits when the queue
// is empty.
func (r *Runner) work(j job, step int) {
	finished := false
	defer func() {
		if !finished {
			// A step called runtime.Goexit (panics are recovered step by
			// step, so nothing else ends a worker early). The goroutine is
			// lost, but its list's remaining steps and the queue are not:
			// a new goroutine takes over, as the same worker.
			go r.work(j, step)
		}
	}()
	for {
		if step == 0 && j.wait != nil {
			<-j.wait
		}
		for step <= j.n {
			s := step
			step++ // before running: a step that calls Goexit is not run again
			if s < j.n {
				r.runTask(&j, j.t.at(s))
			} else if j.after != nil {
				r.runAfter(&j)
			}
		}
		var more bool
		if j, more = r.next(); !more {
			finished = true
			return
		}
		step = 0
	}
}

// next finishes the current list and returns the next queued one, or
// releases the worker when there is none.
func (r *Runner) next() (job, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending--
	if r.pending == 0 && r.idle != nil {
		close(r.idle)
		r.idle = nil
	}
	if j, ok := r.queue.pop(); ok {
		return j, true
	}
	r.workers--
	return job{}, false
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
