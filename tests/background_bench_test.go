package tests

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/briskgo/brisk"
)

// Benchmarks of a request with and without background tasks, served
// in-process (ServeHTTP with a writer that discards everything), so they
// measure Brisk, not the network. The tasks do nothing: what is measured is
// the request's share (the Tasks, the list handed to the runner, a worker
// started or the list queued), amortised over the tasks that run on worker
// goroutines meanwhile. Run:
//
//	go test -run '^$' -bench BackgroundRequest -benchmem ./tests/

type bgNopWriter struct{ h http.Header }

func (w *bgNopWriter) Header() http.Header         { return w.h }
func (w *bgNopWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *bgNopWriter) WriteHeader(int)             {}
func (w *bgNopWriter) Flush()                      {}

func bgNopTask(email string) {}

func bgNopAdd(context.Context) error { return nil }

type bgBenchQuery string

func BenchmarkBackgroundRequest(b *testing.B) {
	cases := []struct {
		name    string
		handler any
		query   bool
	}{
		{"no tasks", func(email string) Message { return Message{Message: "sent"} }, false},
		{"BackgroundTasks taken, none added", func(email string, bg *brisk.BackgroundTasks) Message {
			return Message{Message: "sent"}
		}, false},
		{"one AddTask", func(email string, bg *brisk.BackgroundTasks) Message {
			bg.AddTask(bgNopTask, email)
			return Message{Message: "sent"}
		}, false},
		{"one Add", func(email string, bg *brisk.BackgroundTasks) Message {
			bg.Add(bgNopAdd)
			return Message{Message: "sent"}
		}, false},
		{"tutorial002 (provider and handler AddTask)", func(email string, bg *brisk.BackgroundTasks, q bgBenchQuery) Message {
			bg.AddTask(bgNopTask, "message to "+email+"\n")
			return Message{Message: "Message sent"}
		}, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			app := brisk.New(brisk.Config{OpenAPIURL: "-"})
			if c.query {
				app.Provide(func(bg *brisk.BackgroundTasks, in struct {
					Q string `query:"q" default:""`
				}) bgBenchQuery {
					if in.Q != "" {
						bg.AddTask(bgNopTask, "found query: "+in.Q+"\n")
					}
					return bgBenchQuery(in.Q)
				})
			}
			app.Post("/send-notification/{email}", c.handler)
			req := httptest.NewRequest("POST", "/send-notification/a@example.com?q=shoes", nil)
			w := &bgNopWriter{h: make(http.Header)}
			app.ServeHTTP(w, req) // build the stack
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				app.ServeHTTP(w, req)
			}
			b.StopTimer()
			if err := app.Shutdown(context.Background()); err != nil {
				b.Fatal(err)
			}
		})
	}
}
