// Command background-dependencies is the second background-tasks
// example (FastAPI's docs_src/background_tasks/tutorial002): a dependency
// and the handler share the request's BackgroundTasks; the dependency's
// task runs first.
//
//	go run ./examples/background-dependencies
//	curl -X POST 'http://127.0.0.1:8000/send-notification/foo@example.com?q=shoes'
//	cat log.txt   # found query: shoes
//	              # message to foo@example.com
package main

import (
	"log"
	"os"

	"github.com/briskgo/brisk"
)

type Message struct {
	Message string `json:"message"`
}

func writeLog(message string) error {
	f, err := os.OpenFile("log.txt", os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(message)
	return err
}

type Query string // the optional ?q, as found by getQuery

func getQuery(bg *brisk.BackgroundTasks, in struct {
	Q string `query:"q" default:""` // optional: without a default, q would be required
}) Query {
	if in.Q != "" {
		bg.AddTask(writeLog, "found query: "+in.Q+"\n")
	}
	return Query(in.Q)
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
	app.Provide(getQuery)
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks, q Query) Message {
		bg.AddTask(writeLog, "message to "+email+"\n")
		return Message{Message: "Message sent"}
	})
	return app
}
