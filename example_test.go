package brisk_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"time"

	"github.com/briskgo/brisk"
)

// get serves one request in-process and prints the status and body.
func get(h http.Handler, method, target, body string) {
	var req *http.Request
	if body != "" {
		req = httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
}

type Message struct {
	Message string `json:"message"`
}

func ExampleNew() {
	var out strings.Builder
	app := brisk.New()
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks) Message {
		// The task runs once the response is out, concurrently with the
		// rest of the example: it leaves its output for after Shutdown.
		bg.AddTask(func(to string) { out.WriteString("notified " + to) }, email)
		return Message{Message: "Notification sent in the background"}
	})
	get(app, "POST", "/send-notification/ada@example.com", "")
	_ = app.Shutdown(context.Background()) // waits for the task
	fmt.Println(out.String())
	// Output:
	// 200 {"message":"Notification sent in the background"}
	// notified ada@example.com
}

type Item struct {
	Name  string  `json:"name" validate:"required"`
	Price float64 `json:"price" validate:"gt=0"`
}

func ExampleApp_Post() {
	app := brisk.New()
	app.Post("/items", func(it Item) Item { return it }, brisk.Status(201))
	get(app, "POST", "/items", `{"name":"widget","price":9.5}`)
	get(app, "POST", "/items", `{"name":"widget","price":-1}`)
	// Output:
	// 201 {"name":"widget","price":9.5}
	// 422 {"detail":[{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":-1,"ctx":{"gt":0}}]}
}

func ExampleApp_Get_requestModel() {
	type ListItems struct {
		Q     *string `query:"q"`
		Limit int     `query:"limit" default:"10" validate:"lte=100"`
	}
	app := brisk.New()
	app.Get("/items", func(in ListItems) map[string]any {
		return map[string]any{"q": in.Q, "limit": in.Limit}
	})
	get(app, "GET", "/items?q=shoes", "")
	get(app, "GET", "/items?limit=abc", "")
	// Output:
	// 200 {"limit":10,"q":"shoes"}
	// 422 {"detail":[{"type":"int_parsing","loc":["query","limit"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"}]}
}

type Store struct{ name string }

func ExampleApp_Provide() {
	closed := false
	app := brisk.New()
	app.Provide(func() (*Store, func(), error) {
		return &Store{name: "main"}, func() { closed = true }, nil
	})
	app.Get("/store", func(s *Store) string { return s.name })
	get(app, "GET", "/store", "")
	_ = app.Shutdown(context.Background()) // cleanups run after the response; Shutdown waits for them
	fmt.Println("store closed:", closed)
	// Output:
	// 200 "main"
	// store closed: true
}

func ExampleApp_Override() {
	app := brisk.New()
	app.Provide(func() *Store { return &Store{name: "real"} })
	app.Get("/store", func(s *Store) string { return s.name })
	app.Override(func() *Store { return &Store{name: "fake"} })
	get(app, "GET", "/store", "")
	// Output:
	// 200 "fake"
}

func ExampleError() {
	app := brisk.New()
	app.Get("/items/{id}", func(id int) (Item, error) {
		return Item{}, brisk.Error(404, "Item not found")
	})
	get(app, "GET", "/items/3", "")
	get(app, "GET", "/nowhere", "")
	// Output:
	// 404 {"detail":"Item not found"}
	// 404 {"detail":"Not Found"}
}

func ExampleApp_Middleware() {
	app := brisk.New()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		start := time.Now()
		resp := next(r)
		resp.Header().Set("X-Process-Time", time.Since(start).String())
		return resp
	})
	app.Get("/", func() string { return "hello" })
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	fmt.Println(rec.Code, rec.Body.String(), rec.Header().Get("X-Process-Time") != "")
	// Output:
	// 200 "hello" true
}

func ExampleApp_Group() {
	app := brisk.New()
	verify := func(h struct {
		Key string `header:"X-Key"`
	}) error {
		if h.Key != "secret" {
			return brisk.Error(403, "bad key")
		}
		return nil
	}
	admin := app.Group("/admin", brisk.Dependencies(verify))
	admin.Get("/stats", func() map[string]int { return map[string]int{"users": 3} })
	get(app, "GET", "/admin/stats", "")
	// Output:
	// 422 {"detail":[{"type":"missing","loc":["header","X-Key"],"msg":"Field required","input":null}]}
}

func ExampleText() {
	app := brisk.New()
	app.Get("/teapot", func() *brisk.Response { return brisk.Text(http.StatusTeapot, "short and stout") })
	get(app, "GET", "/teapot", "")
	// Output:
	// 418 short and stout
}

func ExampleApp_Describe() {
	app := brisk.New(brisk.Config{OpenAPIURL: "-"})
	app.Use(func(h http.Handler) http.Handler { return h })
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
	app.Get("/ping", func() string { return "pong" })
	admin := app.Group("/admin")
	admin.Use(func(h http.Handler) http.Handler { return h })
	admin.Get("/stats", func() int { return 1 })
	var out strings.Builder
	app.Describe(&out)
	// Layers are named with their file and line, which differ by checkout.
	fmt.Print(regexp.MustCompile(`\(/[^)]*\)`).ReplaceAllString(out.String(), "(…)"))
	// Output:
	// request
	//   -> Middleware github.com/briskgo/brisk_test.ExampleApp_Describe.func2 (…)
	//   -> Use github.com/briskgo/brisk_test.ExampleApp_Describe.func1 (…)
	//   -> router
	//        GET /ping -> github.com/briskgo/brisk_test.ExampleApp_Describe.func3
	//        GET /admin/stats -> Use github.com/briskgo/brisk_test.ExampleApp_Describe.func4 (…) -> github.com/briskgo/brisk_test.ExampleApp_Describe.func5
}

// A program that runs its own http.Server (TLS, several listeners, its own
// timeouts) sets it up with ConfigureServer, so that background tasks after
// streamed responses wait for the last chunk, and Shutdown stops the server
// before it drains the tasks.
func ExampleApp_ConfigureServer() {
	var out strings.Builder
	app := brisk.New()
	app.Get("/events", func(w http.ResponseWriter, bg *brisk.BackgroundTasks) {
		bg.AddTask(func() { out.WriteString("task: after the stream ended") })
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, "event %d\n", i)
			http.NewResponseController(w).Flush()
		}
	})
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	app.ConfigureServer(srv) // srv.Handler is now app
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go srv.Serve(ln)

	resp, err := http.Get("http://" + ln.Addr().String() + "/events")
	if err != nil {
		fmt.Println(err)
		return
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(string(body))
	_ = app.Shutdown(context.Background()) // stops srv, then waits for the task
	fmt.Println(out.String())
	// Output:
	// event 1
	// event 2
	// event 3
	// task: after the stream ended
}
