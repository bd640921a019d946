// App.OnShutdown: hooks run after in-flight requests and queued tasks, in
// reverse order of registration, their errors logged and returned.

package tests

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/briskgo/brisk"
)

// events records what happened, in order, from any goroutine.
type events struct {
	mu   sync.Mutex
	list []string
}

func (e *events) add(s string) {
	e.mu.Lock()
	e.list = append(e.list, s)
	e.mu.Unlock()
}

func (e *events) get() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.list...)
}

func TestOnShutdownRunsAfterTasksInReverseOrder(t *testing.T) {
	var ev events
	release := make(chan struct{})
	started := make(chan struct{})
	app := brisk.New(brisk.Config{Logger: slog.New(slog.DiscardHandler)})
	app.Get("/work", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error {
			close(started)
			<-release
			ev.add("task")
			return nil
		})
		return "ok"
	})
	app.OnShutdown(func(context.Context) error { ev.add("first registered"); return nil })
	app.OnShutdown(func(context.Context) error { ev.add("second registered"); return nil })

	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/work", nil))
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- app.Shutdown(ctx) }()
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	want := []string{"task", "second registered", "first registered"}
	if got := ev.get(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("events %v, want %v", got, want)
	}
	// A second Shutdown runs no hook again.
	if err := app.Shutdown(ctx); err != nil {
		t.Fatalf("second Shutdown: %v", err)
	}
	if got := ev.get(); len(got) != 3 {
		t.Fatalf("hooks ran twice: %v", got)
	}
}

func TestOnShutdownErrorsAreLoggedAndJoined(t *testing.T) {
	var logs bytes.Buffer
	app := brisk.New(brisk.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	app.Get("/", func() string { return "ok" })
	errA, errB := errors.New("pool A would not close"), errors.New("pool B would not close")
	ran := 0
	app.OnShutdown(func(context.Context) error { ran++; return errA })
	app.OnShutdown(func(context.Context) error { ran++; return nil })
	app.OnShutdown(func(context.Context) error { ran++; return errB })
	err := app.Shutdown(context.Background())
	if !errors.Is(err, errA) || !errors.Is(err, errB) {
		t.Fatalf("Shutdown error %v, want both hook errors", err)
	}
	if ran != 3 {
		t.Fatalf("%d hooks ran, want 3 (a failing hook must not stop the others)", ran)
	}
	for _, msg := range []string{errA.Error(), errB.Error()} {
		if !strings.Contains(logs.String(), msg) {
			t.Fatalf("log lacks %q:\n%s", msg, logs.String())
		}
	}
}

func TestOnShutdownWaitsForInFlightRequests(t *testing.T) {
	var ev events
	inHandler := make(chan struct{})
	release := make(chan struct{})
	app := brisk.New(brisk.Config{Logger: slog.New(slog.DiscardHandler)})
	app.Get("/slow", func() string {
		close(inHandler)
		<-release
		ev.add("request")
		return "ok"
	})
	app.OnShutdown(func(context.Context) error { ev.add("hook"); return nil })
	srv := httptest.NewUnstartedServer(app)
	app.ConfigureServer(srv.Config)
	srv.Start()
	defer srv.Close()

	resp := make(chan int, 1)
	go func() {
		r, err := http.Get(srv.URL + "/slow")
		if err != nil {
			resp <- 0
			return
		}
		r.Body.Close()
		resp <- r.StatusCode
	}()
	<-inHandler
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- app.Shutdown(ctx) }()
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if code := <-resp; code != 200 {
		t.Fatalf("in-flight request got %d, want 200", code)
	}
	if got := ev.get(); strings.Join(got, ",") != "request,hook" {
		t.Fatalf("events %v, want request then hook", got)
	}
}
