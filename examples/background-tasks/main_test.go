package main

import (
	"context"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

func TestMain(m *testing.M) {
	if exampletest.IsMain() {
		main()
		return
	}
	os.Exit(m.Run())
}

// FastAPI's tutorial001 over HTTP: the response, then log.txt byte for
// byte once the app has drained its tasks.
func TestSendNotification(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // writeNotification writes ./log.txt, as in FastAPI's tutorial
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()
	drain := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, app.Shutdown(ctx))
	}

	code, body := exampletest.Post(t, srv.URL+"/send-notification/foo@example.com")
	assert.Equal(t, 200, code)
	assert.Equal(t, `{"message":"Notification sent in the background"}`, body)
	drain()
	assert.Equal(t, "notification for foo@example.com: some notification", exampletest.ReadFile(t, dir, "log.txt"))

	// The task creates the file anew each time, as FastAPI's tutorial's mode="w".
	code, _ = exampletest.Post(t, srv.URL+"/send-notification/bar@example.com")
	assert.Equal(t, 200, code)
	drain()
	assert.Equal(t, "notification for bar@example.com: some notification", exampletest.ReadFile(t, dir, "log.txt"))

	exampletest.SaveOpenAPI(t, app, "background-tasks")
}

// The program itself: main serves on HOST:PORT, and on SIGTERM drains the
// task before it exits with status 0.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	p := exampletest.StartMain(t, dir)
	code, body := exampletest.Post(t, p.URL+"/send-notification/foo@example.com")
	assert.Equal(t, 200, code)
	assert.Equal(t, `{"message":"Notification sent in the background"}`, body)
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
	assert.Equal(t, "notification for foo@example.com: some notification", exampletest.ReadFile(t, dir, "log.txt"))
	assert.Contains(t, p.Stderr(), "brisk: shutting down")
}
