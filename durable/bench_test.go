package durable_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/durable"
)

// BenchmarkRequest compares a request that adds one task: durable on each
// store, in-process BackgroundTasks, and a plain River insert without
// Brisk (the floor). Each case gets a fresh store, warmed up first: a new
// database file's first commits cost more than later ones.
func BenchmarkRequest(b *testing.B) {
	for i := range stores(b) {
		name := stores(b)[i].name
		b.Run("durable/"+name, func(b *testing.B) {
			st := stores(b)[i]
			q := st.open(b, durable.Config{Workers: noteWorkers(make(chan string, 1)), Logger: quiet})
			warmUp(b, q)
			app := brisk.New(brisk.Config{Logger: quiet})
			app.Provide(q.Tasks)
			app.Post("/notes/{text}", func(text string, tasks *durable.Tasks) string {
				tasks.Add(noteArgs{Text: text}, nil)
				return "ok"
			})
			serveBench(b, app)
		})
		b.Run("river-insert/"+name, func(b *testing.B) {
			st := stores(b)[i]
			q := st.open(b, durable.Config{Workers: noteWorkers(make(chan string, 1)), Logger: quiet})
			warmUp(b, q)
			ctx := context.Background()
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := q.Insert(ctx, noteArgs{Text: strconv.Itoa(i)}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("background-tasks", func(b *testing.B) {
		app := brisk.New(brisk.Config{Logger: quiet})
		app.Post("/notes/{text}", func(text string, bg *brisk.BackgroundTasks) string {
			bg.AddTask(func(string) {}, text)
			return "ok"
		})
		serveBench(b, app)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		app.Shutdown(ctx)
	})
}

func warmUp(b *testing.B, q *durable.Queue) {
	for i := range 200 {
		if _, err := q.Insert(context.Background(), noteArgs{Text: "warm-" + strconv.Itoa(i)}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// quiet drops the benchmarks' logs.
var quiet = slog.New(slog.DiscardHandler)

func serveBench(b *testing.B, app *brisk.App) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/notes/n"+strconv.Itoa(i), nil))
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkDrain measures tasks worked per second by one and by two
// queues (processes' worth of workers) on one store.
func BenchmarkDrain(b *testing.B) {
	for _, st := range stores(b) {
		for _, n := range []int{1, 2} {
			if st.name == "sqlite" && n == 2 {
				continue // one SQLite file is worked by one process
			}
			b.Run(st.name+"/queues="+strconv.Itoa(n), func(b *testing.B) {
				got := make(chan string, 1024)
				ins := st.open(b, durable.Config{Workers: noteWorkers(got), Logger: quiet})
				ctx := context.Background()
				params := make([]river.InsertManyParams, 0, b.N)
				for i := range b.N {
					params = append(params, river.InsertManyParams{Args: noteArgs{Text: strconv.Itoa(i)}})
				}
				for len(params) > 0 {
					k := min(len(params), 500)
					if _, err := ins.InsertMany(ctx, params[:k]); err != nil {
						b.Fatal(err)
					}
					params = params[k:]
				}
				b.ResetTimer()
				start := time.Now()
				var queues []*durable.Queue
				for range n {
					q := st.open(b, durable.Config{Workers: noteWorkers(got), Logger: quiet, MaxWorkers: 32, River: func(c *river.Config) {
						c.FetchCooldown = 10 * time.Millisecond
						c.FetchPollInterval = 50 * time.Millisecond
					}})
					if err := q.Start(ctx); err != nil {
						b.Fatal(err)
					}
					queues = append(queues, q)
				}
				for range b.N {
					<-got
				}
				b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tasks/s")
				b.StopTimer()
				for _, q := range queues {
					stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
					q.Stop(stopCtx)
					cancel()
				}
			})
		}
	}
}
