// Command middleware-trustedhost is the TrustedHost example (FastAPI's
// docs_src/advanced_middleware/tutorial002): requests must be addressed to
// example.com or one of its subdomains; any other Host header gets 400.
//
//	go run ./examples/middleware-trustedhost
//	curl -H 'Host: api.example.com' http://127.0.0.1:8000/   # {"message":"Hello World"}
//	curl -H 'Host: evil.com' http://127.0.0.1:8000/          # 400 Invalid host header
package main

import (
	"log"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// Message is what GET / answers.
type Message struct {
	Message string `json:"message"`
}

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP, and runs main
// itself in a child process.
func newApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "Trusted hosts"})
	app.Use(middleware.TrustedHost(middleware.TrustedHostConfig{
		AllowedHosts: []string{"example.com", "*.example.com"},
	}))

	app.Get("/", func() Message {
		return Message{Message: "Hello World"}
	})
	return app
}
