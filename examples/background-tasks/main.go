// Command background-tasks is the first background-tasks example
// (FastAPI's docs_src/background_tasks/tutorial001): the handler adds a
// task that writes log.txt after the response has been sent.
//
//	go run ./examples/background-tasks
//	curl -X POST http://127.0.0.1:8000/send-notification/foo@example.com
//	cat log.txt   # notification for foo@example.com: some notification
package main

import (
	"fmt"
	"log"
	"os"

	"github.com/briskgo/brisk"
)

type Message struct {
	Message string `json:"message"`
}

func writeNotification(email, message string) error {
	f, err := os.Create("log.txt")
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = fmt.Fprintf(f, "notification for %s: %s", email, message)
	return err
}

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP, and runs main
// itself in a child process.
func newApp() *brisk.App {
	app := brisk.New()
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks) Message {
		bg.AddTask(writeNotification, email, "some notification")
		return Message{Message: "Notification sent in the background"}
	})
	return app
}
