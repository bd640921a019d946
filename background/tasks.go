// Tasks, the list one request asks to run after its response, and the
// storage behind it, which the App's requests reuse.

package background

import (
	"context"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
)

// inlineTasks is how many tasks a list holds without allocating: nearly
// every request adds one or two, so the common case costs nothing beyond the
// list itself, which the App takes from newTasks only for requests
// that ask for it, and which is reused.
const inlineTasks = 4

// inlineVals is how many reflect.Values (a function, then its arguments) the
// AddTask calls of a list keep in the list itself before they allocate: one
// call with up to three arguments, or two with one, as the FastAPI tutorials
// make.
const inlineVals = 4

// Tasks is the list of work one request asks to run after its response.
//
// The App creates one per request, lazily, and gives the same *Tasks to every
// provider and to the handler, so the tasks run in the order they were added
// (dependencies first, as they ran). Its zero value is an empty list ready to
// use, and it is safe for concurrent use, so a handler may hand it to
// goroutines it waits for. A Tasks must not be copied after first use.
//
// Once the list has been given to [Runner.Run] (the App does so when the
// response is done), it is closed for good: a task added later is not run,
// and is logged at Error level so that the mistake does not go unnoticed;
// Discard does nothing; and Len reports the tasks the list held when it was
// scheduled. This holds however long the *Tasks is kept: a goroutine that
// outlives its request cannot add to another request's list, even once the
// App has reused the list's memory for another request. Only two things tell
// less then: the log record names the task but not its request's method and
// path, and Len reports 0.
type Tasks struct {
	// A Tasks is a handle on a list: the App's lists come from
	// newTasks, which reuses them, and a pointer handed to user code
	// may outlive its request. The handle is made anew for each request;
	// the list it points to remembers which handle it belongs to by its
	// generation, which goes up each time it is reused, so every method
	// tells a stale handle from the current one: under the list's lock, or
	// for Len with atomic loads.

	_ noCopy

	// l is the list: nil until first used for a Tasks made otherwise than
	// by newTasks, which sets it before it shares the handle.
	l   atomic.Pointer[list]
	gen uint64 // l's generation this handle was made for: set before the handle is shared

	// The handle keeps nothing else, not even the method and path its list
	// was scheduled with: every request with tasks allocates one, and 48
	// bytes rather than 16 cost a few tens of ns a request, mostly in
	// garbage collection work. So the record of a task added too late
	// names them only while the list has not been reused (see newTasks).
}

// list is the storage of a Tasks: the tasks, their call values and the lock.
// The lists of newTasks are reused, each time for a new Tasks handle.
type list struct {
	// The fields are ordered so that a list of a task or two spans few
	// cache lines (the fields up to first, then the start of vals): such a
	// list is written on the request's CPU and, unless start copies it
	// out, read on its worker's, and each line it spans moves between the
	// two.

	mu    sync.Mutex
	n     int          // tasks held: first, then inline, then more
	count atomic.Int32 // n, for Len without the lock: the App asks twice a request
	nvals int32        // vals in use
	// gen is the generation of the handle the list belongs to: reopen adds
	// one, under mu, before it empties the list. Atomic for Len.
	gen    atomic.Uint64
	closed bool // given to Run or reserve (seal) since the last reopen

	// runner is the Runner that last sealed the list, or that made it
	// (newTasks), for the log record of a task added too late.
	runner *Runner
	// method and path are those seal was given, for that record too;
	// reopen clears them.
	method, path string

	first  task
	vals   [inlineVals]reflect.Value // the first AddTask calls' task.call
	inline [inlineTasks - 1]task
	more   []task

	// pooled: from newTasks, which takes the list back once it has
	// run. Set at creation, never changed.
	pooled bool
}

// newTasks returns an empty list whose storage r takes back once it is given
// to Run or reserve, to use for another newTasks: a request
// with tasks then allocates only the small *Tasks handle. A list of one task
// is taken back at once (start copies the task out), others once they have
// run. The App makes each request's list with it.
//
// The *Tasks returned is never handed out again, and stays safe to use for as
// long as it is kept: after the list has been given to Run or reserve, a task
// added through it is logged at Error level and not run, and Discard does
// nothing, as for a list that is never reused; it never adds to, drops or
// counts the tasks of the request that reuses the storage. So a provider, a
// handler, or a goroutine they start, that keeps the request's *Tasks past
// the handler's return finds the mistake logged, as with any Tasks. Two
// things tell less once newTasks has reused the storage (the handle is kept
// to two words, as every request with tasks allocates one): the log record
// names the task but not the method and path of its request, and Len
// reports 0 rather than the tasks the list held when it was scheduled.
//
// Lists made otherwise (new(Tasks), a variable) are never reused.
func (r *Runner) newTasks() *Tasks {
	l, _ := r.tasks.Get().(*list)
	if l != nil {
		l.reopen()
	} else {
		l = &list{pooled: true, runner: r}
	}
	t := &Tasks{gen: l.gen.Load()}
	t.l.Store(l)
	return t
}

// recycle keeps l for newTasks, if it came from there. Called once no
// worker reads l any more: it has run, or start copied its task out.
//
// l stays closed (a late Add through its handle is still logged, not run)
// and keeps its tasks until newTasks reopens it: emptying it here, often on
// the worker, would write to memory that the next request's goroutine,
// usually on another CPU, is about to write again, and each such write moves
// the memory between the two CPUs' caches. The price is that the closures
// and arguments of a list's tasks live on while the list waits for reuse:
// until the next request, or until the garbage collector empties the
// sync.Pool.
func (r *Runner) recycle(l *list) {
	if l == nil || !l.pooled {
		return
	}
	r.tasks.Put(l)
}

// maxKeptSpill is the most spilled tasks a recycled list keeps room for: a
// rare request with many tasks should not make a list hold its memory for
// good.
const maxKeptSpill = 8 * inlineTasks

// reopen makes a list that has run ready for a new handle: a new
// generation, empty, open. The generation goes up first, so that Len, which
// reads count and then gen without the lock, never reports the new
// generation's count to an old handle.
func (l *list) reopen() {
	l.mu.Lock()
	l.gen.Add(1)
	l.empty()
	if cap(l.more) > maxKeptSpill {
		l.more = nil
	}
	l.closed = false
	l.method, l.path = "", ""
	l.mu.Unlock()
}

// list returns t's list, creating it for a Tasks made otherwise than by
// newTasks (new(Tasks), a variable) on first use.
func (t *Tasks) list() *list {
	if l := t.load(); l != nil {
		return l
	}
	t.l.CompareAndSwap(nil, new(list)) // generation 0, as t.gen
	return t.load()
}

// load returns t's list, nil if it has none yet.
func (t *Tasks) load() *list {
	return t.l.Load()
}

// noCopy makes go vet report a Tasks copied by value (see sync.noCopy).
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// Add schedules fn to run after the response, with a context that is not
// cancelled when the client goes away but is when the runner's Shutdown
// deadline passes. A non-nil error from fn is logged at Error level with fn's
// name; it does not stop the tasks after it.
//
// Add is the typed form: no reflection, and no allocation for the first few
// tasks of a request. A nil fn panics here, at the call that made the
// mistake, rather than later in the background where the cause is lost.
func (t *Tasks) Add(fn func(ctx context.Context) error) {
	if fn == nil {
		panic("background: Add: fn is nil")
	}
	t.add(fn, reflect.Value{}, shapeOther, nil)
}

// AddTask schedules fn(args...) to run after the response, as FastAPI's
// add_task does. fn may be any function; if its last result is of type
// error, a non-nil one is logged at Error level with fn's name, and every
// other result is ignored.
//
// The arguments are checked now, against fn's parameters, and a mismatch
// panics with a message naming fn and the argument: it is a programming
// error, like a bad route, and is best found at the call that made it rather
// than in the background after the response. The rules are those of Go's
// assignment, not of a Go call with constants: an argument must be assignable
// to its parameter (no conversion is done, so 1 does not fit an int64
// parameter: pass int64(1)), nil fits only pointer, interface, map, slice,
// func and chan parameters, and a variadic fn takes its variadic arguments one
// by one (a slice is not spread).
//
// The arguments are passed exactly as given: AddTask injects nothing, not even
// a context.Context. A task that needs a context should use [Tasks.Add], whose
// context survives the client going away; a request's context, passed here as
// an argument, is cancelled as soon as the response is sent.
//
// AddTask keeps fn and the arguments of a list's first calls (four values in
// all: a function and three arguments, or two functions and one argument
// each) in the list itself, and allocates for those of later calls. Passing
// an argument as an any may cost the caller an allocation, as for any
// variadic ...any call.
func (t *Tasks) AddTask(fn any, args ...any) {
	sh := shapeOf(fn)
	if sh != shapeOther && sh.fits(args) {
		// The common shapes are checked without reflect.Type's methods;
		// a mismatch, or a nil fn, takes checkCall's way, for its message.
		if v := reflect.ValueOf(fn); !v.IsNil() {
			t.add(nil, v, sh, args)
			return
		}
	}
	t.add(nil, checkCall(fn, args), sh, args)
}

// Len reports how many tasks the list holds: added and not discarded. Once
// the list has been given to the runner, it reports how many it held then,
// or 0 once the App has reused the list's storage for another request.
func (t *Tasks) Len() int {
	l := t.load()
	if l == nil {
		return 0
	}
	// count first, then gen: reopen changes gen before count, so a count
	// read while gen still matches is this handle's.
	n := l.count.Load()
	if l.gen.Load() != t.gen {
		return 0
	}
	return int(n)
}

// Discard drops every task added so far; tasks added afterwards are kept.
// The App calls it when the response is an error (a 422, an HTTPError), as
// FastAPI does: the work was asked for by a request that did not succeed.
// Discard has no effect once the list has been given to the runner.
func (t *Tasks) Discard() {
	l := t.load()
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.gen.Load() != t.gen {
		return
	}
	l.empty()
}

// empty drops the list's tasks, clearing rather than reslicing alone, so
// that their closures and arguments can be collected. Called under l.mu.
func (l *list) empty() {
	l.first = task{}
	clear(l.inline[:max(min(l.n, inlineTasks)-1, 0)])
	clear(l.more)
	l.more = l.more[:0]
	l.n = 0
	l.count.Store(0)
	clear(l.vals[:l.nvals])
	l.nvals = 0
}

// add appends the task fn, or else the call of v (checked by checkCall) with
// args, or logs it as dropped when t's list has already been scheduled.
func (t *Tasks) add(fn func(context.Context) error, v reflect.Value, sh shape, args []any) {
	l := t.list()
	l.mu.Lock()
	if reused := l.gen.Load() != t.gen; reused || l.closed {
		r, method, path := l.runner, l.method, l.path
		l.mu.Unlock()
		logLate(r, reused, fn, v, method, path)
		return
	}
	tk := task{fn: fn, shape: sh}
	if fn == nil {
		// The values go in vals while they fit, else in a slice of their
		// own: either way the caller's args slice is not retained.
		k := int32(1 + len(args))
		if l.nvals+k <= inlineVals {
			tk.call = l.vals[l.nvals : l.nvals+k : l.nvals+k]
			l.nvals += k
		} else {
			tk.call = make([]reflect.Value, k)
		}
		fillCall(tk.call, v, args)
	}
	if l.n < inlineTasks {
		*l.at(l.n) = tk
	} else {
		if l.more == nil {
			l.more = make([]task, 0, 2*inlineTasks)
		}
		l.more = append(l.more, tk)
	}
	l.n++
	l.count.Store(int32(l.n))
	l.mu.Unlock()
}

// logLate logs the task fn, or else v, added through a handle after its
// list was scheduled by r, with method and path: the list's, unless it has
// been reused since (they are another request's then, or none), when the
// record names the task alone.
func logLate(r *Runner, reused bool, fn func(context.Context) error, v reflect.Value, method, path string) {
	tk := task{fn: fn}
	if fn == nil {
		tk.call = []reflect.Value{v}
	}
	const msg = "background: task added after its request's tasks were scheduled; it will not run"
	if reused {
		r.logger().LogAttrs(context.Background(), slog.LevelError, msg, slog.String("task", tk.name()))
		return
	}
	r.logger().LogAttrs(context.Background(), slog.LevelError, msg,
		slog.String("task", tk.name()), slog.String("method", method), slog.String("path", path))
}

// at returns the i-th task. It is read by the runner's worker without the
// lock: the list is closed by seal before the worker gets it, and a closed
// list is not written again until the worker is done with it and newTasks
// reopens it.
func (l *list) at(i int) *task {
	if i == 0 {
		return &l.first
	}
	if i < inlineTasks {
		return &l.inline[i-1]
	}
	return &l.more[i-inlineTasks]
}

// seal closes t's list for r and returns it with how many tasks it holds.
// Running a list twice would run its tasks twice, so a second seal, through
// the same handle or one whose list has been reused since, panics.
func (t *Tasks) seal(r *Runner, method, path string) (*list, int) {
	l := t.list()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.gen.Load() != t.gen {
		panic("background: Runner.Run called twice with the same Tasks")
	}
	l.closed, l.runner = true, r
	l.method, l.path = method, path
	return l, l.n
}
