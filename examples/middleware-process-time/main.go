// Command middleware-process-time is the add_process_time_header example
// (FastAPI's docs_src/middleware/tutorial001): a call-next middleware times
// the rest of the stack and adds X-Process-Time, in seconds, to every
// response, unknown routes included.
//
//	go run ./examples/middleware-process-time
//	curl -i http://127.0.0.1:8000/items/1   # X-Process-Time: 0.000012345
package main

import (
	"log"
	"net/http"
	"strconv"
	"time"

	"github.com/briskgo/brisk"
)

// Item is what GET /items/{id} answers.
type Item struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP, and runs main
// itself in a child process.
func newApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "Process time"})

	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		start := time.Now()
		resp := next(r)
		resp.Header().Set("X-Process-Time", strconv.FormatFloat(time.Since(start).Seconds(), 'f', -1, 64))
		return resp
	})

	app.Get("/items/{id}", func(id int) Item {
		return Item{ID: id, Name: "Hammer"}
	})
	return app
}
