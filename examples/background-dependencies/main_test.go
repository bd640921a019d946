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

// FastAPI's tutorial002 over HTTP: the dependency's line first, then the
// handler's, appended to log.txt byte for byte.
func TestSendNotificationWithQuery(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // writeLog appends to ./log.txt, as in FastAPI's tutorial
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()
	drain := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		require.NoError(t, app.Shutdown(ctx))
	}

	code, body := exampletest.Post(t, srv.URL+"/send-notification/foo@example.com?q=shoes")
	assert.Equal(t, 200, code)
	assert.Equal(t, `{"message":"Message sent"}`, body)
	drain()
	assert.Equal(t, "found query: shoes\nmessage to foo@example.com\n", exampletest.ReadFile(t, dir, "log.txt"))

	// Without ?q the dependency adds nothing; the handler's line is appended.
	code, body = exampletest.Post(t, srv.URL+"/send-notification/bar@example.com")
	assert.Equal(t, 200, code)
	assert.Equal(t, `{"message":"Message sent"}`, body)
	drain()
	assert.Equal(t, "found query: shoes\nmessage to foo@example.com\nmessage to bar@example.com\n", exampletest.ReadFile(t, dir, "log.txt"))

	exampletest.SaveOpenAPI(t, app, "background-dependencies")
}

// The program itself: main serves on HOST:PORT, and on SIGTERM drains the
// tasks before it exits with status 0.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	p := exampletest.StartMain(t, dir)
	code, body := exampletest.Post(t, p.URL+"/send-notification/foo@example.com?q=shoes")
	assert.Equal(t, 200, code)
	assert.Equal(t, `{"message":"Message sent"}`, body)
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
	assert.Equal(t, "found query: shoes\nmessage to foo@example.com\n", exampletest.ReadFile(t, dir, "log.txt"))
	assert.Contains(t, p.Stderr(), "brisk: shutting down")
}
