package background_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/background"
)

// drain runs t on a fresh runner and waits until every task and after func
// has returned.
func drain(t *testing.T, tasks *background.Tasks, after func()) {
	t.Helper()
	r := background.NewRunner(background.RunnerConfig{})
	r.Run(tasks, after, nil, "GET", "/")
	require.NoError(t, r.Shutdown(deadline(t)))
}

func writeNotification(w io.Writer, email, message string) error {
	_, err := fmt.Fprintf(w, "notification for %s: %s\n", email, message)
	return err
}

func TestZeroValueTasksIsUsable(t *testing.T) {
	var tr trace
	var tasks background.Tasks
	assert.Equal(t, 0, tasks.Len())

	tasks.Add(func(context.Context) error { tr.add("typed"); return nil })
	tasks.AddTask(tr.add, "reflective")
	assert.Equal(t, 2, tasks.Len())

	drain(t, &tasks, nil)
	assert.Equal(t, []string{"typed", "reflective"}, tr.get())
}

func TestAddTaskPassesArguments(t *testing.T) {
	var buf bytes.Buffer
	var tasks background.Tasks
	tasks.AddTask(writeNotification, &buf, "a@example.com", "some notification")
	drain(t, &tasks, nil)
	assert.Equal(t, "notification for a@example.com: some notification\n", buf.String())
}

func TestAddTaskVariadic(t *testing.T) {
	var tr trace
	record := func(prefix string, xs ...int) { tr.add(fmt.Sprint(prefix, xs)) }
	var tasks background.Tasks
	tasks.AddTask(record, "none")
	tasks.AddTask(record, "three", 1, 2, 3)
	tasks.AddTask(fmt.Sprint, "any", 1, nil) // variadic ...any takes nil
	drain(t, &tasks, nil)
	assert.Equal(t, []string{"none[]", "three[1 2 3]"}, tr.get())
}

func TestAddTaskAssignableArguments(t *testing.T) {
	type Email string
	var got []any
	var tasks background.Tasks
	tasks.AddTask(func(w io.Writer, v any, err error, e Email, c <-chan int) {
		got = append(got, w, v, err, e, c)
	}, &bytes.Buffer{}, 42, io.EOF, Email("x"), make(chan int))
	drain(t, &tasks, nil)
	require.Len(t, got, 5)
	assert.IsType(t, &bytes.Buffer{}, got[0])
	assert.Equal(t, 42, got[1])
	assert.Equal(t, io.EOF, got[2])
	assert.Equal(t, Email("x"), got[3])
	assert.NotNil(t, got[4])
}

func TestAddTaskNilArguments(t *testing.T) {
	var (
		called bool
		p      *int
		i      any
		m      map[string]int
		s      []int
		f      func()
		c      chan int
		err    error
	)
	var tasks background.Tasks
	tasks.AddTask(func(a *int, b any, d map[string]int, e []int, g func(), h chan int, k error) {
		called = true
		p, i, m, s, f, c, err = a, b, d, e, g, h, k
	}, nil, nil, nil, nil, nil, nil, nil)
	drain(t, &tasks, nil)
	require.True(t, called)
	assert.Nil(t, p)
	assert.Nil(t, i)
	assert.Nil(t, m)
	assert.Nil(t, s)
	assert.Nil(t, f)
	assert.Nil(t, c)
	assert.NoError(t, err)
}

// The caller's argument slice is not retained: changing it after AddTask
// does not change what the task receives.
func TestAddTaskCopiesArguments(t *testing.T) {
	var got string
	args := []any{"before"}
	var tasks background.Tasks
	tasks.AddTask(func(s string) { got = s }, args...)
	args[0] = "after"
	drain(t, &tasks, nil)
	assert.Equal(t, "before", got)
}

func TestAddTaskMismatchPanics(t *testing.T) {
	type Email string
	two := func(string, int) {}
	var nilFunc func()
	tests := []struct {
		name string
		fn   any
		args []any
		want []string // substrings of the panic message
	}{
		{"not a func", 42, nil, []string{"fn must be a func, got int"}},
		{"nil func", nilFunc, nil, []string{"fn is a nil func()"}},
		{"too few", writeNotification, []any{io.Discard, "a"},
			[]string{"background_test.writeNotification", "got 2 arguments, want 3", "func(io.Writer, string, string) error"}},
		{"too many", two, []any{"a", 1, 2},
			[]string{"TestAddTaskMismatchPanics.func1", "got 3 arguments, want 2"}},
		{"variadic too few", fmt.Fprintf, nil, []string{"fmt.Fprintf", "got 0 arguments, want at least 2"}},
		{"wrong type", two, []any{"a", "b"},
			[]string{"TestAddTaskMismatchPanics.func1", "args[1] has type string, want int"}},
		{"no untyped conversion", func(int64) {}, []any{1},
			[]string{"args[0] has type int, want int64", "pass int64(x)"}},
		{"named string", func(io.Writer, Email) {}, []any{io.Discard, "x"},
			[]string{"args[1] has type string, want background_test.Email", "pass background_test.Email(x)"}},
		{"variadic element", fmt.Fprintln, []any{"not a writer"},
			[]string{"fmt.Fprintln", "args[0] has type string, want io.Writer"}},
		{"variadic element type", func(...int) {}, []any{1, "x"},
			[]string{"args[1] has type string, want int"}},
		{"nil for a value", two, []any{nil, 1},
			[]string{"args[0] is nil, want string", "only pointer, interface, map, slice, func and chan"}},
		// The shapes AddTask checks without reflect.Type (see shape) fall
		// back to the same checks and messages.
		{"nil func(string, string)", (func(string, string))(nil), []any{"a", "b"},
			[]string{"fn is a nil func(string, string)"}},
		{"func(string, string) too few", func(string, string) {}, []any{"a"},
			[]string{"got 1 argument, want 2"}},
		{"func(string) error, an int", func(string) error { return nil }, []any{1},
			[]string{"args[0] has type int, want string"}},
		{"func(string), a named string", func(string) {}, []any{Email("x")},
			[]string{"args[0] has type background_test.Email, want string", "pass string(x)"}},
		{"func(string), nil", func(string) {}, []any{nil},
			[]string{"args[0] is nil, want string"}},
		{"func(), an argument", func() {}, []any{"x"},
			[]string{"got 1 argument, want 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tasks background.Tasks
			msg := panicMessage(func() { tasks.AddTask(tt.fn, tt.args...) })
			require.NotEmpty(t, msg, "AddTask did not panic")
			assert.True(t, strings.HasPrefix(msg, "background: AddTask"), msg)
			for _, w := range tt.want {
				assert.Contains(t, msg, w)
			}
			assert.Equal(t, 0, tasks.Len(), "a rejected task is not kept")
		})
	}
}

func TestAddTaskConversionHintOnlyForSameKind(t *testing.T) {
	var tasks background.Tasks
	msg := panicMessage(func() { tasks.AddTask(func(string) {}, 65) })
	assert.Contains(t, msg, "args[0] has type int, want string")
	assert.NotContains(t, msg, "pass string(x)", "int to string is a conversion, but not the fix")
}

func TestAddNilPanics(t *testing.T) {
	var tasks background.Tasks
	assert.PanicsWithValue(t, "background: Add: fn is nil", func() { tasks.Add(nil) })
}

func TestDiscard(t *testing.T) {
	var tr trace
	var tasks background.Tasks
	for i := range 6 { // beyond the inline capacity too
		tasks.AddTask(tr.add, fmt.Sprint("dropped", i))
	}
	tasks.Discard()
	assert.Equal(t, 0, tasks.Len())

	tasks.AddTask(tr.add, "kept")
	assert.Equal(t, 1, tasks.Len())
	drain(t, &tasks, nil)
	assert.Equal(t, []string{"kept"}, tr.get())
}

func TestManyTasksKeepOrder(t *testing.T) {
	var tr trace
	var tasks background.Tasks
	var want []string
	for i := range 25 {
		ev := fmt.Sprint(i)
		want = append(want, ev)
		if i%2 == 0 {
			tasks.AddTask(tr.add, ev)
		} else {
			tasks.Add(func(context.Context) error { tr.add(ev); return nil })
		}
	}
	assert.Equal(t, 25, tasks.Len())
	drain(t, &tasks, func() { tr.add("after") })
	assert.Equal(t, append(want, "after"), tr.get())
}

// A handler may hand the list to goroutines it waits for.
func TestTasksConcurrentAdd(t *testing.T) {
	var tasks background.Tasks
	done := make(chan struct{})
	for range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				tasks.Add(func(context.Context) error { return nil })
			}
		}()
	}
	for range 8 {
		<-done
	}
	assert.Equal(t, 800, tasks.Len())
}

func TestAddAfterRunIsLoggedAndNotRun(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	var tr trace
	var tasks background.Tasks
	tasks.AddTask(tr.add, "in time")
	wait := make(chan struct{})
	r.Run(&tasks, nil, wait, "POST", "/late")

	tasks.AddTask(tr.add, "too late")
	tasks.Discard() // no effect once scheduled
	assert.Equal(t, 1, tasks.Len())

	close(wait)
	require.NoError(t, r.Shutdown(deadline(t)))
	assert.Equal(t, []string{"in time"}, tr.get())

	logged := rec.withMsg("background: task added after its request's tasks were scheduled; it will not run")
	require.Len(t, logged, 1)
	assert.Contains(t, logged[0].Attrs["task"], "trace).add")
	assert.Equal(t, "POST", logged[0].Attrs["method"])
	assert.Equal(t, "/late", logged[0].Attrs["path"])
}

func TestRunTwicePanics(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	var tasks background.Tasks
	tasks.Add(func(context.Context) error { return nil })
	r.Run(&tasks, nil, nil, "GET", "/")
	assert.PanicsWithValue(t, "background: Runner.Run called twice with the same Tasks", func() {
		r.Run(&tasks, nil, nil, "GET", "/")
	})
	require.NoError(t, r.Shutdown(deadline(t)))
}

func TestAddTaskResults(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	var tasks background.Tasks
	tasks.AddTask(func() (int, error) { return 1, errors.New("last result error") })
	//lint:ignore ST1008 only an error in the last place is a task's failure: this one is not
	tasks.AddTask(func() (error, int) { return errors.New("not the last result"), 1 })
	tasks.AddTask(func() int { return 1 })
	tasks.AddTask(func() error { return nil })
	r.Run(&tasks, nil, nil, "GET", "/")
	require.NoError(t, r.Shutdown(deadline(t)))

	failed := rec.withMsg("background: task failed")
	require.Len(t, failed, 1)
	assert.EqualError(t, failed[0].Attrs["error"].(error), "last result error")
}

// panicMessage returns what fn panics with, as a string, or "" if it returns.
func panicMessage(fn func()) (msg string) {
	defer func() {
		if v := recover(); v != nil {
			msg = fmt.Sprint(v)
		}
	}()
	fn()
	return ""
}

// The first calls' functions and arguments are kept in the Tasks itself: an
// Add costs nothing, and an AddTask nothing beyond what boxing its arguments
// costs the caller, until the inline room is used up; the values spilled
// past it still arrive in order.
func TestAddAndAddTaskDoNotAllocate(t *testing.T) {
	var tasks background.Tasks
	email := "a@example.com"
	allocs := testing.AllocsPerRun(100, func() {
		tasks.Add(noop)
		tasks.AddTask(noopArgs, email, 42) // three values: fn and two arguments
		tasks.Discard()
	})
	assert.Zero(t, allocs)

	var tr trace
	var got []string
	tasks.AddTask(tr.add, "one")                                                 // 2 values
	tasks.AddTask(func(a, b string) { got = append(got, a, b) }, "two", "three") // 3: spills
	tasks.AddTask(tr.add, "four")
	tasks.AddTask(func(a ...string) { got = append(got, a...) }, "five", "six")
	drain(t, &tasks, nil)
	assert.Equal(t, []string{"one", "four"}, tr.get())
	assert.Equal(t, []string{"two", "three", "five", "six"}, got)
}

// The function types AddTask calls without reflect.Value.Call get their
// arguments, and have their errors logged, like any other.
func TestAddTaskDirectlyCalledShapes(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	var tr trace
	fail := errors.New("failed")
	tasks := r.NewTasks()
	tasks.AddTask(func() { tr.add("func()") })
	tasks.AddTask(func() error { tr.add("func() error"); return fail })
	tasks.AddTask(func(a string) { tr.add("func(string) " + a) }, "a")
	tasks.AddTask(func(a string) error { tr.add("func(string) error " + a); return fail }, "b")
	tasks.AddTask(func(a, b string) { tr.add("func(string, string) " + a + b) }, "c", "d")
	tasks.AddTask(func(a, b string) error { tr.add("func(string, string) error " + a + b); return nil }, "e", "f")
	type email string // a named string type takes the reflective path
	tasks.AddTask(func(a email) { tr.add("func(email) " + string(a)) }, email("g"))
	r.Run(tasks, nil, nil, "GET", "/")
	require.NoError(t, r.Shutdown(deadline(t)))

	assert.Equal(t, []string{"func()", "func() error", "func(string) a", "func(string) error b",
		"func(string, string) cd", "func(string, string) error ef", "func(email) g"}, tr.get())
	failed := rec.withMsg("background: task failed")
	require.Len(t, failed, 2)
	assert.Contains(t, failed[0].Attrs["task"], "TestAddTaskDirectlyCalledShapes.func")
	assert.Equal(t, fail, failed[1].Attrs["error"])
}

// A list from NewTasks, with one task (copied out when it is scheduled) or
// several (read by the worker), runs like any other; once scheduled it is
// closed, and a task added to it then is logged and not run; NewTasks hands
// its storage out again, empty and open, behind a new *Tasks.
func TestNewTasksListsAreReused(t *testing.T) {
	for _, n := range []int{1, 2, 5} {
		t.Run(fmt.Sprint(n, " tasks"), func(t *testing.T) {
			log, rec := newLogger()
			r := background.NewRunner(background.RunnerConfig{Logger: log})
			var tr trace
			for round := range 3 {
				tasks := r.NewTasks()
				require.Zero(t, tasks.Len(), "a reused list is empty")
				for i := range n {
					tasks.AddTask(tr.add, fmt.Sprint(round, ".", i))
				}
				r.Run(tasks, func() { tr.add(fmt.Sprint(round, " after")) }, nil, "GET", "/")
				require.NoError(t, r.Shutdown(deadline(t)))
				tasks.AddTask(tr.add, "too late") // before any NewTasks: not reused yet
			}
			var want []string
			for round := range 3 {
				for i := range n {
					want = append(want, fmt.Sprint(round, ".", i))
				}
				want = append(want, fmt.Sprint(round, " after"))
			}
			assert.Equal(t, want, tr.get())
			assert.Len(t, rec.withMsg("background: task added after its request's tasks were scheduled; it will not run"), 3)
		})
	}
}

// A list from NewTasks given to the runner empty, with an after func (a
// request that took the list but added nothing, and has cleanups), or with
// nothing at all, is reused like any other.
func TestNewTasksEmptyListsAreReused(t *testing.T) {
	r := background.NewRunner(background.RunnerConfig{})
	var tr trace
	for round := range 4 {
		tasks := r.NewTasks()
		require.Zero(t, tasks.Len())
		if round%2 == 0 {
			r.Run(tasks, func() { tr.add(fmt.Sprint("after ", round)) }, nil, "GET", "/")
		} else {
			r.Reserve(tasks, nil, nil, "GET", "/").Start()
		}
		tasks = r.NewTasks()
		tasks.AddTask(tr.add, fmt.Sprint("task ", round))
		r.Run(tasks, nil, nil, "GET", "/")
		require.NoError(t, r.Shutdown(deadline(t)))
	}
	assert.Equal(t, []string{"after 0", "task 0", "task 1", "after 2", "task 2", "task 3"}, tr.get())
}

const lateMsg = "background: task added after its request's tasks were scheduled; it will not run"

// A *Tasks kept past its request (by a goroutine the handler did not wait
// for) stays closed when NewTasks reuses its list's storage for a later
// request: used while that request's list is open, it adds nothing to it,
// discards nothing of it, does not report its length and cannot schedule
// it. The later list's tasks run exactly as added; the late tasks are
// logged, never with the later request's method and path, and never run.
func TestKeptTasksDoNotReachTheListThatReusesTheirStorage(t *testing.T) {
	for _, n := range []int{1, 2, 5} { // copied out at Reserve, or read by the worker
		t.Run(fmt.Sprint(n, " tasks"), func(t *testing.T) {
			log, rec := newLogger()
			r := background.NewRunner(background.RunnerConfig{Logger: log})
			var late atomic.Int32
			lateTask := func() { late.Add(1) }
			reused, lateAdds := 0, 0 // reused: rounds where later had kept's storage
			// sync.Pool may drop a list (at random, under the race
			// detector), or another P may get it: go on until the later
			// request has had the kept list's storage a few times. Every
			// round must hold either way.
			for round := 0; reused < 3; round++ {
				require.Less(t, round, 200, "NewTasks never reused a list's storage")
				var tr trace
				kept := r.NewTasks()
				for i := range n {
					kept.AddTask(tr.add, fmt.Sprint("kept ", i))
				}
				r.Run(kept, nil, nil, "POST", "/kept")
				require.NoError(t, r.Shutdown(deadline(t))) // kept's storage is back in the pool

				later := r.NewTasks()
				same := background.SameStorage(kept, later)
				if same {
					reused++
				}
				var want []string
				for i := range n {
					ev := fmt.Sprint("later ", i)
					want = append(want, ev)
					later.AddTask(tr.add, ev)
					if i > 0 {
						continue
					}
					// later is open, with one task: use kept now.
					kept.AddTask(lateTask)
					kept.Add(func(context.Context) error { lateTask(); return nil })
					lateAdds += 2
					kept.Discard()
					if same {
						assert.Zero(t, kept.Len(), "a kept *Tasks whose storage was reused reports 0")
					} else {
						assert.Equal(t, n, kept.Len(), "a kept *Tasks reports the tasks it had when scheduled")
					}
					assert.PanicsWithValue(t, "background: Runner.Run called twice with the same Tasks",
						func() { r.Run(kept, nil, nil, "POST", "/kept") })
					assert.Equal(t, 1, later.Len(), "round %d: the later list holds its own task only", round)
				}
				assert.Equal(t, n, later.Len())
				r.Run(later, func() { tr.add("later after") }, nil, "GET", "/later")
				require.NoError(t, r.Shutdown(deadline(t)))

				for i := range n {
					want = slices.Insert(want, i, fmt.Sprint("kept ", i))
				}
				assert.Equal(t, append(want, "later after"), tr.get(), "round %d (storage reused: %v)", round, same)
			}
			assert.Zero(t, late.Load(), "a late task never runs")
			logged := rec.withMsg(lateMsg)
			require.Len(t, logged, lateAdds)
			named := 0
			for _, e := range logged {
				assert.Contains(t, e.Attrs["task"], "TestKeptTasksDoNotReachTheListThatReusesTheirStorage")
				if path, ok := e.Attrs["path"]; ok {
					// Logged while kept's storage was not reused: its own
					// request, not the later one.
					assert.Equal(t, "POST", e.Attrs["method"])
					assert.Equal(t, "/kept", path)
					named++
				} else {
					assert.NotContains(t, e.Attrs, "method")
				}
			}
			assert.Equal(t, lateAdds-2*reused, named, "once the storage is reused, the record names the task alone")
		})
	}
}

// A goroutine that keeps using a *Tasks while its list's storage is reused
// by request after request never reaches their lists. Run it with -race.
func TestKeptTasksUsedDuringReuse(t *testing.T) {
	log, rec := newLogger()
	r := background.NewRunner(background.RunnerConfig{Logger: log})
	var late, badLen atomic.Int32
	lateAdds, overlaps := 0, 0
	// Until some request has had kept's storage while the goroutine was
	// using kept: sync.Pool may drop the storage (at random, under the race
	// detector) or hand it to another P.
	for attempt := 0; overlaps == 0; attempt++ {
		require.Less(t, attempt, 100, "no request reused kept's storage while kept was in use")
		keptc, adds := make(chan *background.Tasks, 1), make(chan int, 1)
		var using, finished atomic.Bool
		go func() {
			kept := <-keptc
			using.Store(true)
			const n = 1000
			for range n {
				kept.AddTask(func() { late.Add(1) })
				kept.Discard()
				if n := kept.Len(); n > 1 { // another request's count
					badLen.Store(int32(n))
				}
			}
			finished.Store(true)
			adds <- n
		}()
		kept := r.NewTasks()
		kept.Add(noop)
		r.Run(kept, nil, nil, "POST", "/kept") // one task: its storage is back in the pool at once
		keptc <- kept

		var ran []*atomic.Int32
		for i := 0; i < 100 || !finished.Load(); i++ {
			want := 1 + i%4/3 // mostly one task, recycled here; some read by the worker
			var c atomic.Int32
			ran = append(ran, &c)
			tasks := r.NewTasks()
			if background.SameStorage(kept, tasks) && using.Load() && !finished.Load() {
				overlaps++
			}
			for range want {
				tasks.Add(func(context.Context) error { c.Add(1); return nil })
			}
			require.Equal(t, want, tasks.Len())
			r.Run(tasks, nil, nil, "GET", "/")
		}
		lateAdds += <-adds
		require.NoError(t, r.Shutdown(deadline(t)))
		for i, c := range ran {
			require.Equal(t, int32(1+i%4/3), c.Load(), "request %d runs exactly its own tasks", i)
		}
	}
	assert.Zero(t, late.Load())
	assert.Zero(t, badLen.Load())
	assert.Len(t, rec.withMsg(lateMsg), lateAdds)
}
