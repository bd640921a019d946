// Command middleware-httpsredirect is the HTTPSRedirect example
// (FastAPI's docs_src/advanced_middleware/tutorial001): every plain-HTTP
// request is sent to its https:// address with a 307, which keeps the method
// and body.
//
//	go run ./examples/middleware-httpsredirect
//	curl -i 'http://127.0.0.1:8000/items?q=1'   # 307, Location: https://127.0.0.1:8000/items?q=1
//
// Behind a proxy that terminates TLS and sets X-Forwarded-Proto, use
// middleware.HTTPSRedirect(middleware.HTTPSRedirectConfig{TrustForwardedProto: true}).
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

// newApp builds the app; main_test.go drives it over HTTP and HTTPS, and
// runs main itself in a child process.
func newApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "HTTPS redirect"})
	app.Use(middleware.HTTPSRedirect())

	app.Get("/", func() Message {
		return Message{Message: "Hello World"}
	})
	return app
}
