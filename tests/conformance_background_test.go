package tests

// End-to-end ports of FastAPI's background-task tests
// (tests/test_tutorial/test_background_tasks/) and Starlette's
// tests/test_background.py, through a Brisk app.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// confDrain waits for every queued background task of app (Shutdown's
// documented use on an app not started by Run), bounded so that a broken
// build fails instead of hanging.
func confDrain(t *testing.T, app *brisk.App) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
}

// Message, as the FastAPI tutorials' Message model.
type confMessage struct {
	Message string `json:"message"`
}

// FastAPI tests/test_tutorial/test_background_tasks/test_tutorial001.py::test
// (docs_src/background_tasks/tutorial001.py, examples/background-tasks).
func TestFastAPIBackgroundTasksTutorial001(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "log.txt")
	writeNotification := func(email, message string) error {
		return os.WriteFile(logFile, []byte(fmt.Sprintf("notification for %s: %s", email, message)), 0o600)
	}
	app, logs := quietApp()
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks) confMessage {
		bg.AddTask(writeNotification, email, "some notification")
		return confMessage{Message: "Notification sent in the background"}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/send-notification/foo@example.com"})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"message": "Notification sent in the background"}`, res)

	confDrain(t, app)
	b, err := os.ReadFile(logFile)
	require.NoError(t, err, logs.String())
	assert.Contains(t, string(b), "notification for foo@example.com: some notification")
}

// FastAPI tests/test_tutorial/test_background_tasks/test_tutorial002.py::test
// (docs_src/background_tasks/tutorial002.py: a dependency and the handler
// share the request's BackgroundTasks; the dependency's task runs first).
func TestFastAPIBackgroundTasksTutorial002(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "log.txt")
	var mu sync.Mutex
	writeLog := func(message string) error {
		mu.Lock()
		defer mu.Unlock()
		f, err := os.OpenFile(logFile, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = f.WriteString(message)
		return err
	}
	type Query string
	getQuery := func(bg *brisk.BackgroundTasks, in struct {
		Q string `query:"q"`
	}) Query {
		if in.Q != "" {
			bg.AddTask(writeLog, "found query: "+in.Q+"\n")
		}
		return Query(in.Q)
	}
	app, _ := quietApp()
	app.Provide(getQuery)
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks, q Query) confMessage {
		bg.AddTask(writeLog, "message to "+email+"\n")
		return confMessage{Message: "Message sent"}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/send-notification/foo@example.com?q=some-query"})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"message": "Message sent"}`, res)

	confDrain(t, app)
	b, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Equal(t, "found query: some-query\nmessage to foo@example.com\n", string(b))
}

// Starlette tests/test_background.py::test_async_task and ::test_sync_task:
// a task attached to a plain, a typed and a streamed response runs, after
// the response.
func TestStarletteBackgroundTask(t *testing.T) {
	done := make(chan string, 3)
	app, _ := quietApp()
	app.Get("/plain", func(bg *brisk.BackgroundTasks) *brisk.Response {
		bg.AddTask(func() { done <- "plain" })
		return brisk.Text(200, "task initiated")
	})
	app.Get("/typed", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { done <- "typed"; return nil })
		return "task initiated"
	})
	app.Get("/stream", func(w http.ResponseWriter, bg *brisk.BackgroundTasks) {
		bg.AddTask(func() { done <- "stream" })
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("task initiated"))
		_ = http.NewResponseController(w).Flush()
	})
	srv := serve(t, app)

	for _, path := range []string{"/plain", "/typed", "/stream"} {
		res := send(t, srv, request{Path: path})
		assert.Equal(t, 200, res.Status, path)
		assert.Contains(t, res.Body, "task initiated", path)
		select {
		case got := <-done:
			assert.Equal(t, path[1:], got)
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: task never ran", path)
		}
	}
}

// Starlette tests/test_background.py::test_multiple_tasks
func TestStarletteBackgroundMultipleTasks(t *testing.T) {
	var mu sync.Mutex
	counter := 0
	var order []int
	increment := func(amount int) {
		mu.Lock()
		defer mu.Unlock()
		counter += amount
		order = append(order, amount)
	}
	app, _ := quietApp()
	app.Get("/", func(bg *brisk.BackgroundTasks) *brisk.Response {
		bg.AddTask(increment, 1)
		bg.AddTask(increment, 2)
		bg.AddTask(increment, 3)
		return brisk.Text(200, "tasks initiated")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, "tasks initiated", res.Body)
	confDrain(t, app)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1+2+3, counter)
	assert.Equal(t, []int{1, 2, 3}, order, "one request's tasks run in the order added")
}

// Starlette tests/test_background.py::test_multi_tasks_failure_avoids_next_execution
// Brisk does better (DESIGN "Better than Starlette": one failing task does
// not silently drop the rest): the failure is logged and the next task runs.
func TestStarletteBackgroundMultiTasksFailureAvoidsNextExecution(t *testing.T) {
	var mu sync.Mutex
	counter := 0
	increment := func() error {
		mu.Lock()
		defer mu.Unlock()
		counter++
		if counter == 1 {
			return errors.New("task failed")
		}
		return nil
	}
	panicky := func() { panic("task panicked") }
	app, logs := quietApp()
	app.Get("/", func(bg *brisk.BackgroundTasks) *brisk.Response {
		bg.AddTask(increment)
		bg.AddTask(panicky)
		bg.AddTask(increment)
		return brisk.Text(200, "tasks initiated")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "tasks initiated", res.Body)
	confDrain(t, app)
	mu.Lock()
	assert.Equal(t, 2, counter)
	mu.Unlock()
	assert.Contains(t, logs.String(), "task failed")
	assert.Contains(t, logs.String(), "task panicked")

	// The server keeps serving.
	assert.Equal(t, 200, send(t, srv, request{Path: "/"}).Status)
}

// FastAPI's solve_dependencies discards the request's background tasks when
// the request ends in an HTTPException or a validation error (DESIGN:
// "Tasks added before an error response (422, HTTPError) are discarded").
func TestFastAPIBackgroundTasksDiscardedOnErrors(t *testing.T) {
	ran := make(chan string, 8)
	type Auth string
	app, _ := quietApp()
	app.Provide(func(bg *brisk.BackgroundTasks, h struct {
		Token string `header:"X-Token"`
	}) (Auth, error) {
		bg.AddTask(func() { ran <- "dependency" })
		if h.Token != "secret" {
			return "", brisk.Error(401, "bad token")
		}
		return Auth(h.Token), nil
	})
	app.Get("/items/{id}", func(id int, a Auth, bg *brisk.BackgroundTasks) (string, error) {
		bg.AddTask(func() { ran <- "handler" })
		if id == 0 {
			return "", brisk.Error(404, "Item not found")
		}
		return "ok", nil
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/1", Headers: []string{"X-Token", "wrong"}})
	assert.Equal(t, 401, res.Status)
	assertJSON(t, `{"detail":"bad token"}`, res)
	res = send(t, srv, request{Path: "/items/0", Headers: []string{"X-Token", "secret"}})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"Item not found"}`, res)
	res = send(t, srv, request{Path: "/items/x", Headers: []string{"X-Token", "secret"}})
	assert.Equal(t, 422, res.Status)

	res = send(t, srv, request{Path: "/items/1", Headers: []string{"X-Token", "secret"}})
	assert.Equal(t, 200, res.Status)
	confDrain(t, app)
	close(ran)
	var got []string
	for s := range ran {
		got = append(got, s)
	}
	assert.Equal(t, []string{"dependency", "handler"}, got, "only the successful request's tasks ran")
}
