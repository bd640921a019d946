// Command hello is the smallest useful Brisk app: a greeting, a path
// parameter, a query model, a JSON body and an error.
//
//	go run ./examples/hello
//	curl http://127.0.0.1:8000/
//	curl http://127.0.0.1:8000/items/1?q=shiny
package main

import (
	"log"
	"net/http"
	"sync"

	"github.com/briskgo/brisk"
)

// Welcome is the answer to GET /: where to go next.
type Welcome struct {
	Message string `json:"message"`
	Docs    string `json:"docs"`
}

// Item is what the API stores.
type Item struct {
	Name  string   `json:"name" validate:"required,max=50"`
	Price float64  `json:"price" validate:"gt=0"`
	Tags  []string `json:"tags,omitempty"`
}

// ItemQuery is the optional query of GET /items/{id}.
type ItemQuery struct {
	Q *string `query:"q"`
}

// store is a tiny in-memory database.
type store struct {
	mu    sync.Mutex
	items map[int]Item
	next  int
}

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it without a network.
func newApp() *brisk.App {
	db := &store{items: map[int]Item{1: {Name: "Hammer", Price: 9.5}}, next: 2}
	app := brisk.New(brisk.Config{
		Title: "Hello Brisk", Version: "1.0.0",
		License: &brisk.License{Name: "MIT", URL: "https://opensource.org/licenses/MIT"},
	})
	app.Provide(func() *store { return db })

	app.Get("/", hello, brisk.Summary("Say hello"))

	app.Get("/items/{id}", readItem, brisk.Summary("Read an item"), brisk.Tags("items"),
		brisk.Responses(404, "Item not found", nil))
	app.Post("/items", createItem, brisk.Status(201), brisk.Tags("items"))
	return app
}

// hello answers GET /, the first request a newcomer sends.
func hello(r *http.Request) Welcome {
	return Welcome{Message: "Hello from Brisk! Try /items/1 or the interactive docs.", Docs: brisk.RootPath(r) + "/docs"}
}

// readItem answers GET /items/{id}.
func readItem(id int, q ItemQuery, s *store) (map[string]any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	if !ok {
		return nil, brisk.Error(404, "Item not found")
	}
	out := map[string]any{"id": id, "item": it}
	if q.Q != nil {
		out["q"] = *q.Q
	}
	return out, nil
}

// createItem answers POST /items.
func createItem(it Item, s *store) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := s.next
	s.next++
	s.items[id] = it
	return map[string]any{"id": id, "item": it}
}
