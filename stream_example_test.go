package brisk_test

import (
	"fmt"
	"io"
	"iter"
	"net/http/httptest"
	"slices"
	"time"

	"github.com/briskgo/brisk"
)

// A handler returning an iterator streams JSON Lines, one item per line,
// each flushed as it is yielded.
func ExampleApp_Get_jsonLines() {
	type Item struct {
		Name string `json:"name"`
	}
	app := brisk.New()
	app.Get("/items/stream", func() iter.Seq[Item] {
		return slices.Values([]Item{{Name: "Plumbus"}, {Name: "Portal Gun"}})
	})
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/items/stream", nil))
	fmt.Println(rec.Header().Get("Content-Type"))
	fmt.Print(rec.Body.String())
	// Output:
	// application/jsonl
	// {"name":"Plumbus"}
	// {"name":"Portal Gun"}
}

// With EventStream the items are Server-Sent Events; a ServerSentEvent
// sets the event's fields itself.
func ExampleEventStream() {
	app := brisk.New()
	app.Get("/events", func() iter.Seq[any] {
		return slices.Values([]any{
			map[string]int{"n": 1},
			brisk.ServerSentEvent{Event: "done", ID: "2", Data: "bye", Retry: 3 * time.Second},
		})
	}, brisk.EventStream())
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/events", nil))
	fmt.Println(rec.Header().Get("Content-Type"))
	b, _ := io.ReadAll(rec.Body)
	fmt.Print(string(b))
	// Output:
	// text/event-stream; charset=utf-8
	// data: {"n":1}
	//
	// event: done
	// data: "bye"
	// id: 2
	// retry: 3000
}
