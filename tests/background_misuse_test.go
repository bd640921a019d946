package tests

// Misusing background tasks: an AddTask whose arguments do not fit, a task
// added after the list was handed over, a *BackgroundTasks kept past its
// request.

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

func bgWriteNotification(email, message string) error { return nil }

// TestBackgroundAddTaskMismatchPanics: an AddTask whose arguments do not fit
// the function panics at the call: the request answers 500, the panic is
// logged naming the function, the tasks added before are discarded, and the
// server keeps serving.
func TestBackgroundAddTaskMismatchPanics(t *testing.T) {
	app, logs := quietApp()
	var ran atomic.Int32
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func() { ran.Add(1) })
		bg.AddTask(bgWriteNotification, email) // one argument short
		return Message{Message: "unreachable"}
	})
	app.Post("/typed/{n}", func(n int, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func(d int64) {}, n) // int does not fit int64
		return Message{Message: "unreachable"}
	})
	app.Post("/fine/{email}", func(email string, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func(string) { ran.Add(1) }, email)
		return Message{Message: "fine"}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/send-notification/a@example.com"})
	assert.Equal(t, 500, res.Status)
	assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body)
	res = send(t, srv, request{Method: "POST", Path: "/typed/5"})
	assert.Equal(t, 500, res.Status)

	panics := bgLogRecords(t, logs, "brisk: panic serving request")
	require.Len(t, panics, 2)
	assert.Equal(t, "background: AddTask(github.com/briskgo/brisk/tests.bgWriteNotification): got 1 argument, want 2 for func(string, string) error",
		panics[0]["panic"])
	assert.Equal(t, "/send-notification/a@example.com", panics[0]["path"])
	assert.Contains(t, panics[0]["stack"], "TestBackgroundAddTaskMismatchPanics", "the stack points at the call")
	assert.Contains(t, panics[1]["panic"], "args[0] has type int, want int64 (AddTask does no conversion: pass int64(x))")

	res = send(t, srv, request{Method: "POST", Path: "/fine/b@example.com"})
	assert.Equal(t, 200, res.Status)
	bgShutdown(t, app)
	assert.Equal(t, int32(1), ran.Load(), "only the fine request's task ran")
}

// TestBackgroundTaskAddedTooLate: a task added after the request's tasks
// were handed over (from a goroutine the handler did not wait for) does not
// run, and is logged.
func TestBackgroundTaskAddedTooLate(t *testing.T) {
	app, logs := quietApp()
	kept := make(chan *brisk.BackgroundTasks, 1)
	started := make(chan struct{})
	var ran atomic.Int32
	app.Post("/leak", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { close(started); return nil })
		kept <- bg
		return "ok"
	})
	srv := serve(t, app)
	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/leak"}).Status)
	bg := bgRecv(t, kept, "the handler's tasks")
	bgRecv(t, started, "the first task") // the list was handed over before its first task started
	bg.AddTask(bgNeverRuns, &ran)
	bgShutdown(t, app)
	assert.Equal(t, int32(0), ran.Load())
	late := bgLogRecords(t, logs, "background: task added after its request's tasks were scheduled; it will not run")
	require.Len(t, late, 1)
	assert.Equal(t, "github.com/briskgo/brisk/tests.bgNeverRuns", late[0]["task"])
	assert.Equal(t, "/leak", late[0]["path"])
}

// TestBackgroundKeptTasksDoNotReachLaterRequests: a *BackgroundTasks kept
// past its request and used while later requests are being handled (whose
// lists reuse its storage, when they run where it was given back) adds
// nothing to their lists and discards nothing of them: their tasks run
// exactly as added, and each late task is logged (with the kept request's
// method and path until its storage is reused, never a later request's) and
// never runs.
func TestBackgroundKeptTasksDoNotReachLaterRequests(t *testing.T) {
	app, logs := quietApp()
	kept := make(chan *brisk.BackgroundTasks, 1)
	var ran bgEvents
	var never atomic.Int32
	app.Post("/leak", func(bg *brisk.BackgroundTasks) string {
		bg.AddTask(ran.add, "leak")
		kept <- bg
		return "ok"
	})
	// A later request adds one task (its list is then given back for reuse
	// as soon as it is scheduled, as the kept one was), before or after the
	// kept list is used while its own is open.
	var later atomic.Int32
	opened, used := make(chan int, 1), make(chan struct{}, 1)
	app.Get("/later", func(bg *brisk.BackgroundTasks) string {
		i := int(later.Add(1))
		if i%2 == 1 {
			bg.AddTask(ran.add, fmt.Sprint("later ", i))
		}
		opened <- bg.Len()
		<-used
		if i%2 == 0 {
			bg.AddTask(ran.add, fmt.Sprint("later ", i))
		}
		return "ok"
	})
	srv := serve(t, app)
	client := bgClient(srv)
	send(t, srv, request{Client: client, Method: "POST", Path: "/leak"})
	bg := bgRecv(t, kept, "the handler's tasks")

	const requests = 50
	var want []string
	for i := 1; i <= requests; i++ {
		done := make(chan error, 1)
		go func() { // the handler waits for used: the request is answered below
			resp, err := client.Get(srv.URL + "/later")
			if err == nil {
				_, err = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				if err == nil && resp.StatusCode != 200 {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			done <- err
		}()
		require.Equal(t, i%2, bgRecv(t, opened, "the later request's list"))
		bg.AddTask(bgNeverRuns, &never)
		bg.Add(func(context.Context) error { never.Add(1); return nil })
		bg.Discard()
		assert.LessOrEqual(t, bg.Len(), 1, "the kept list's length: 1 when scheduled, 0 once reused")
		used <- struct{}{}
		require.NoError(t, bgRecv(t, done, "the later response"))
		want = append(want, fmt.Sprint("later ", i))
	}
	bgShutdown(t, app)
	assert.Equal(t, int32(0), never.Load())
	got := ran.get()
	require.NotEmpty(t, got)
	assert.Equal(t, "leak", got[0])
	assert.ElementsMatch(t, want, got[1:], "the later requests' tasks run exactly as added")
	late := bgLogRecords(t, logs, "background: task added after its request's tasks were scheduled; it will not run")
	require.Len(t, late, 2*requests)
	for _, rec := range late {
		if path, ok := rec["path"]; ok {
			assert.Equal(t, "POST", rec["method"])
			assert.Equal(t, "/leak", path, "the kept list's request, not a later one's")
		} else {
			assert.NotContains(t, rec, "method")
		}
	}
}
