package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotificationIsStoredThenWritten(t *testing.T) {
	dir := t.TempDir()
	written := make(chan Notification, 1)
	app, err := newApp(context.Background(), "", filepath.Join(dir, "tasks.db"), filepath.Join(dir, "log.txt"),
		func(n Notification) { written <- n })
	require.NoError(t, err)
	srv := httptest.NewServer(app)
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/send-notification/foo@example.com", "", nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"message":"Notification sent in the background"}`, string(body))

	select {
	case n := <-written:
		assert.Equal(t, "foo@example.com", n.Email)
	case <-time.After(30 * time.Second):
		t.Fatal("the notification was not written")
	}
	log, err := os.ReadFile(filepath.Join(dir, "log.txt"))
	require.NoError(t, err)
	assert.Equal(t, "notification for foo@example.com: some notification\n", string(log))

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
}
