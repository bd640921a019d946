// Command middleware-gzip is the GZip example (FastAPI's
// docs_src/advanced_middleware/tutorial003): responses of at least 1000
// bytes are compressed, at level 5, for clients that accept gzip.
//
//	go run ./examples/middleware-gzip
//	curl -s -H 'Accept-Encoding: gzip' -D - -o /dev/null http://127.0.0.1:8000/items  # Content-Encoding: gzip
//	curl -s -H 'Accept-Encoding: gzip' -D - http://127.0.0.1:8000/                    # too small: as it is
package main

import (
	"fmt"
	"log"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// Item is one entry of GET /items.
type Item struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP, and runs main
// itself in a child process.
func newApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "GZip"})
	app.Use(middleware.GZip(middleware.GZipConfig{MinimumSize: 1000, CompressLevel: 5}))

	// The tutorial's route: 16 bytes of JSON, under MinimumSize, sent as it is.
	app.Get("/", func() string {
		return "somebigcontent"
	})

	// A body well over MinimumSize, compressed.
	app.Get("/items", func() []Item {
		items := make([]Item, 100)
		for i := range items {
			items[i] = Item{ID: i, Name: fmt.Sprintf("item %d", i), Description: "a thing worth compressing"}
		}
		return items
	})
	return app
}
