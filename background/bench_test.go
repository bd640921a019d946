package background_test

import (
	"context"
	"testing"

	"github.com/briskgo/brisk/background"
)

func noop(context.Context) error { return nil }

func noopArgs(string, int) error { return nil }

// BenchmarkAdd measures one Add. "inline": the first tasks of a request,
// which fit in the Tasks itself; "many": 64 tasks per list, so the spill
// slice and its growth are amortised over them.
func BenchmarkAdd(b *testing.B) {
	b.Run("inline", func(b *testing.B) {
		b.ReportAllocs()
		var tasks background.Tasks
		n := 0
		for b.Loop() {
			tasks.Add(noop)
			if n++; n == 4 {
				tasks.Discard()
				n = 0
			}
		}
	})
	b.Run("many", func(b *testing.B) {
		b.ReportAllocs()
		tasks := new(background.Tasks)
		n := 0
		for b.Loop() {
			tasks.Add(noop)
			if n++; n == 64 {
				tasks = new(background.Tasks)
				n = 0
			}
		}
	})
}

// BenchmarkAddTask measures one AddTask with two arguments: the reflective
// checks and the argument copy.
func BenchmarkAddTask(b *testing.B) {
	b.ReportAllocs()
	var tasks background.Tasks
	n := 0
	for b.Loop() {
		tasks.AddTask(noopArgs, "a@example.com", 42)
		if n++; n == 4 {
			tasks.Discard()
			n = 0
		}
	}
}

// BenchmarkRunEmpty measures requests that have no task: "nothing" (no task,
// no cleanup: Run returns at once) and "after-only" (cleanups to run in the
// background). Shutdown is timed too, so that ns/op covers the whole work.
func BenchmarkRunEmpty(b *testing.B) {
	b.Run("nothing", func(b *testing.B) {
		b.ReportAllocs()
		r := background.NewRunner(background.RunnerConfig{})
		for b.Loop() {
			r.Run(nil, nil, nil, "GET", "/")
		}
		_ = r.Shutdown(context.Background())
	})
	b.Run("after-only", func(b *testing.B) {
		b.ReportAllocs()
		r := background.NewRunner(background.RunnerConfig{})
		after := func() {}
		for b.Loop() {
			r.Run(nil, after, nil, "GET", "/")
		}
		_ = r.Shutdown(context.Background())
	})
}

// BenchmarkRunOneTask measures a request with one task, from creating its
// Tasks to the task having run, from one goroutine and from many at once.
func BenchmarkRunOneTask(b *testing.B) {
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		r := background.NewRunner(background.RunnerConfig{})
		for b.Loop() {
			tasks := new(background.Tasks)
			tasks.Add(noop)
			r.Run(tasks, nil, nil, "GET", "/")
		}
		_ = r.Shutdown(context.Background())
	})
	b.Run("one-at-a-time", func(b *testing.B) {
		// One list at a time: each goes to the worker parked after the
		// last one (or to a new worker when it has not parked yet).
		b.ReportAllocs()
		r := background.NewRunner(background.RunnerConfig{})
		done := make(chan struct{})
		after := func() { done <- struct{}{} }
		for b.Loop() {
			tasks := new(background.Tasks)
			tasks.Add(noop)
			r.Run(tasks, after, nil, "GET", "/")
			<-done
		}
		_ = r.Shutdown(context.Background())
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		r := background.NewRunner(background.RunnerConfig{})
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				tasks := new(background.Tasks)
				tasks.Add(noop)
				r.Run(tasks, nil, nil, "GET", "/")
			}
		})
		_ = r.Shutdown(context.Background())
	})
}

func recordNotification(email, message string) {}

// BenchmarkRequestOneTask is a request's share of the background-task
// benchmark, from getting the list to handing it over (NewTasks, one AddTask
// of two strings, Reserve, Start),
// with the task running on the workers meanwhile: "AddTask" as the
// tutorials write it, "Add" with the typed form. cpu-ns/op counts the
// workers' CPU time too.
func BenchmarkRequestOneTask(b *testing.B) {
	for _, typed := range []bool{false, true} {
		name := "AddTask"
		if typed {
			name = "Add"
		}
		b.Run(name, func(b *testing.B) {
			r := background.NewRunner(background.RunnerConfig{})
			email := "a@example.com"
			add := func(context.Context) error { recordNotification(email, "some notification"); return nil }
			b.ReportAllocs()
			cpu := cpuTime()
			for b.Loop() {
				tasks := r.NewTasks()
				if typed {
					tasks.Add(add)
				} else {
					tasks.AddTask(recordNotification, email, "some notification")
				}
				r.Reserve(tasks, nil, nil, "POST", "/send-notification").Start()
			}
			if err := r.Shutdown(context.Background()); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
