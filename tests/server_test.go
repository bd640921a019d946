package tests

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// TestConfigureServerKeepsHooksAndShutsDown: ConfigureServer sets a nil
// Handler to the app, keeps hooks the program set itself, and Shutdown stops
// the server (no new connections) before it waits for background tasks.
func TestConfigureServerKeepsHooksAndShutsDown(t *testing.T) {
	app, _ := quietApp()
	release := make(chan struct{})
	taskDone := make(chan struct{})
	app.Get("/work", func(bg *brisk.BackgroundTasks) Message {
		bg.AddTask(func() {
			<-release
			close(taskDone)
		})
		return Message{Message: "queued"}
	})

	type ctxKey struct{}
	var (
		mu     sync.Mutex
		states []http.ConnState
	)
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, ctxKey{}, "program's own")
		},
		ConnState: func(c net.Conn, s http.ConnState) {
			mu.Lock()
			states = append(states, s)
			mu.Unlock()
		},
	}
	app.ConfigureServer(srv)
	require.Same(t, app, srv.Handler.(*brisk.App), "a nil Handler becomes the app")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	resp, err := http.Get("http://" + ln.Addr().String() + "/work")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"message":"queued"}`, string(body))

	shutdown := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), bgGuard)
		defer cancel()
		shutdown <- app.Shutdown(ctx)
	}()
	// Serve returns once Shutdown has closed the listener, while the task
	// still blocks Shutdown itself.
	select {
	case err := <-served:
		assert.ErrorIs(t, err, http.ErrServerClosed)
	case <-time.After(bgGuard):
		t.Fatal("Shutdown did not stop the configured server")
	}
	select {
	case <-shutdown:
		t.Fatal("Shutdown returned before the request's task ran")
	default:
	}
	close(release)
	require.NoError(t, <-shutdown)
	select {
	case <-taskDone:
	default:
		t.Fatal("Shutdown returned before the task finished")
	}

	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, states, http.StateNew, "the program's own ConnState hook still runs")
	assert.Contains(t, states, http.StateActive)
}

// TestConfigureServerContextReachesHandler: values the program's own
// ConnContext hook adds still reach handlers.
func TestConfigureServerContextReachesHandler(t *testing.T) {
	app, _ := quietApp()
	type ctxKey struct{}
	app.Get("/conn", func(ctx context.Context) Message {
		v, _ := ctx.Value(ctxKey{}).(string)
		return Message{Message: v}
	})
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		ConnContext: func(ctx context.Context, c net.Conn) context.Context {
			return context.WithValue(ctx, ctxKey{}, "from ConnContext")
		},
	}
	app.ConfigureServer(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = app.Shutdown(context.Background()) })

	resp, err := http.Get("http://" + ln.Addr().String() + "/conn")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.JSONEq(t, `{"message":"from ConnContext"}`, string(body))
}
