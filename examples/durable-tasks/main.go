// Command durable-tasks is the seed's notification example with durable
// tasks: a notification accepted with a 2xx is stored in an embedded SQLite
// database (tasks.db) before the answer, and written to log.txt by a worker
// — also after a crash and a restart.
//
//	go run .
//	curl -X POST http://127.0.0.1:8000/send-notification/foo@example.com
//
// With DATABASE_URL set (postgres://…) the same code runs on PostgreSQL,
// where any number of copies of the program share the work.
package main

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/riverqueue/river"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/durable"
)

// Message is the answer.
type Message struct {
	Message string `json:"message"`
}

// Notification is the durable task: its JSON is what is stored.
type Notification struct {
	Email   string `json:"email"`
	Message string `json:"message"`
}

// Kind names the task in the queue.
func (Notification) Kind() string { return "notification" }

func main() {
	ctx := context.Background()
	app, err := newApp(ctx, os.Getenv("DATABASE_URL"), "tasks.db", "log.txt", nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := app.Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app on PostgreSQL when pgURL is set, else on the SQLite
// file dbPath; the worker appends to logPath and then calls done (tests).
func newApp(ctx context.Context, pgURL, dbPath, logPath string, done func(Notification)) (*brisk.App, error) {
	workers := durable.NewWorkers()
	durable.HandleFunc(workers, func(ctx context.Context, job *river.Job[Notification]) error {
		if err := writeNotification(logPath, job.Args.Email, job.Args.Message); err != nil {
			return err // retried with backoff
		}
		if done != nil {
			done(job.Args)
		}
		return nil
	})
	cfg := durable.Config{Workers: workers}

	var q *durable.Queue
	var err error
	if pgURL != "" {
		q, err = durable.OpenPostgres(ctx, pgURL, cfg) // many replicas, one database
	} else {
		q, err = durable.OpenSQLite(ctx, dbPath, cfg) // nothing to install
	}
	if err != nil {
		return nil, err
	}

	app := brisk.New(brisk.Config{Title: "Durable notifications", Version: "1.0.0"})
	if err := q.Attach(app); err != nil {
		return nil, err
	}
	app.Post("/send-notification/{email}", func(email string, tasks *durable.Tasks) Message {
		tasks.Add(Notification{Email: email, Message: "some notification"}, nil)
		return Message{Message: "Notification sent in the background"}
	}, brisk.Responses(503, "The task could not be stored", nil))
	return app, nil
}

func writeNotification(path, email, message string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "notification for %s: %s\n", email, message)
	return err
}
