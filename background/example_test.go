package background_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/briskgo/brisk/background"
)

// FastAPI's tutorial notification, run after the response as FastAPI's add_task
// does. In an app, the handler receives the list as *brisk.BackgroundTasks
// and the App runs it; here the runner is driven by hand.
func ExampleTasks_AddTask() {
	writeNotification := func(email, message string) error {
		fmt.Printf("notification for %s: %s\n", email, message)
		return nil
	}

	var tasks background.Tasks
	tasks.AddTask(writeNotification, "a@example.com", "some notification")

	r := background.NewRunner(background.RunnerConfig{})
	r.Run(&tasks, nil, nil, "POST", "/send-notification/a@example.com")
	_ = r.Shutdown(context.Background())
	// Output: notification for a@example.com: some notification
}

// Arguments are checked when the task is added: a mismatch is a programming
// error, reported at the call that made it.
func ExampleTasks_AddTask_mismatch() {
	defer func() { fmt.Println(recover()) }()
	var tasks background.Tasks
	tasks.AddTask(time.Sleep, 5) // an untyped 5 is an int here, not a time.Duration
	// Output: background: AddTask(time.Sleep): args[0] has type int, want time.Duration (AddTask does no conversion: pass time.Duration(x))
}

// The typed form receives a context that outlives the request, for tasks
// that call other services.
func ExampleTasks_Add() {
	var tasks background.Tasks
	tasks.Add(func(ctx context.Context) error {
		fmt.Println("context alive after the response:", ctx.Err() == nil)
		return nil
	})

	r := background.NewRunner(background.RunnerConfig{})
	r.Run(&tasks, nil, nil, "POST", "/orders")
	_ = r.Shutdown(context.Background())
	// Output: context alive after the response: true
}

// A request that ends in an error response does not run what it asked for.
func ExampleTasks_Discard() {
	var tasks background.Tasks
	tasks.AddTask(fmt.Println, "never printed")
	tasks.Discard() // the handler returned a 422
	fmt.Println(tasks.Len())
	// Output: 0
}

// How the App uses a Runner: the tasks start once the response is complete
// (wait), one after another, and the request's cleanups (after) run last.
func ExampleRunner_Run() {
	r := background.NewRunner(background.RunnerConfig{})

	var tasks background.Tasks
	tasks.AddTask(fmt.Println, "found query: shoes") // added by a dependency
	tasks.AddTask(fmt.Println, "message to a@example.com")

	responseDone := make(chan struct{})
	r.Run(&tasks, func() { fmt.Println("cleanup") }, responseDone, "POST", "/send-notification/a@example.com")
	fmt.Println("response sent")
	close(responseDone)

	_ = r.Shutdown(context.Background())
	// Output:
	// response sent
	// found query: shoes
	// message to a@example.com
	// cleanup
}

// Shutdown drains the tasks; when its deadline passes first, it cancels the
// tasks' context and gives up.
func ExampleRunner_Shutdown() {
	r := background.NewRunner(background.RunnerConfig{Logger: slog.New(slog.DiscardHandler)})

	stopped := make(chan struct{})
	var tasks background.Tasks
	tasks.Add(func(ctx context.Context) error {
		<-ctx.Done() // a task that would wait forever, but honours its context
		close(stopped)
		return ctx.Err()
	})
	r.Run(&tasks, nil, nil, "POST", "/reports")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	err := r.Shutdown(ctx)
	fmt.Println(errors.Is(err, context.DeadlineExceeded))
	<-stopped
	fmt.Println("task stopped")
	// Output:
	// true
	// task stopped
}
