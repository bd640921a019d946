// Command sse-progress streams a long job's progress as typed Server-Sent
// Events: a "progress" event per step (its id the step, so a browser that
// reconnects resumes after the last step it saw, from Last-Event-ID), then
// a "done" event with the result.
//
//	go run ./examples/sse-progress
//	curl -N 'http://127.0.0.1:8000/jobs/report/progress?steps=5'
//	open http://127.0.0.1:8000/ (an EventSource page)
package main

import (
	"context"
	"iter"
	"log"
	"strconv"
	"time"

	"github.com/briskgo/brisk"
)

// Progress is the data of a "progress" event.
type Progress struct {
	Job     string  `json:"job"`
	Step    int     `json:"step"`
	Total   int     `json:"total"`
	Percent float64 `json:"percent"`
}

// Result is the data of the "done" event.
type Result struct {
	Job   string `json:"job"`
	Steps int    `json:"steps"`
}

// JobQuery is how a job runs: its steps, the time each takes, and where a
// reconnecting client resumes.
type JobQuery struct {
	Job         string `path:"job"`
	Steps       int    `query:"steps" default:"10" validate:"min=1,max=1000"`
	DelayMillis int    `query:"delay_ms" default:"200" validate:"min=0,max=5000"`
	LastEventID int    `header:"Last-Event-ID" default:"0" validate:"min=0"`
}

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP.
func newApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "SSE progress"})
	app.Get("/", func() *brisk.Response { return brisk.HTML(200, page) },
		brisk.Responses(200, "The demo page", nil, brisk.ResponseContentType("text/html")))
	app.Get("/jobs/{job}/progress", progress, brisk.EventStream(), brisk.KeepAlive(5*time.Second),
		brisk.Summary("Follow a job's progress"))
	return app
}

// progress runs the job a step at a time, reporting each. The work waits on
// the request's context: when the client leaves, it stops.
func progress(ctx context.Context, q JobQuery) iter.Seq[brisk.ServerSentEvent] {
	return func(yield func(brisk.ServerSentEvent) bool) {
		delay := time.Duration(q.DelayMillis) * time.Millisecond
		for step := q.LastEventID + 1; step <= q.Steps; step++ {
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
			ev := brisk.ServerSentEvent{
				Event: "progress",
				ID:    strconv.Itoa(step),
				Data:  Progress{Job: q.Job, Step: step, Total: q.Steps, Percent: float64(step) * 100 / float64(q.Steps)},
			}
			if step == 1 {
				ev.Retry = time.Second // reconnect quickly if the connection drops
			}
			if !yield(ev) {
				return
			}
		}
		yield(brisk.ServerSentEvent{Event: "done", Data: Result{Job: q.Job, Steps: q.Steps}})
	}
}

const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Job progress</title></head>
<body>
<h1>Job progress</h1>
<progress id="bar" max="100" value="0"></progress> <span id="status">starting</span>
<script>
const source = new EventSource("/jobs/report/progress?steps=20&delay_ms=200");
source.addEventListener("progress", (e) => {
  const p = JSON.parse(e.data);
  document.getElementById("bar").value = p.percent;
  document.getElementById("status").textContent = "step " + p.step + " of " + p.total;
});
source.addEventListener("done", (e) => {
  document.getElementById("status").textContent = "done: " + JSON.parse(e.data).steps + " steps";
  source.close();
});
</script>
</body></html>
`
