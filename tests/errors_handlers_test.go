package tests

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// FastAPI's handling_errors tutorials 001–006 and their tests, ported, then
// HandleError's own rules.

var tutorialItems = map[string]string{"foo": "The Foo Wrestlers"}

// tutorial001: HTTPException(404).
func TestHandlingErrorsTutorial001(t *testing.T) {
	app := brisk.New()
	app.Get("/items/{item_id}", func(itemID string) (map[string]string, error) {
		it, ok := tutorialItems[itemID]
		if !ok {
			return nil, brisk.Error(404, "Item not found")
		}
		return map[string]string{"item": it}, nil
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/items/foo", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item":"The Foo Wrestlers"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/items/bar", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assert.Empty(t, res.Header.Get("X-Error"))
	assertJSON(t, `{"detail":"Item not found"}`, res)
}

// tutorial002: HTTPException with headers.
func TestHandlingErrorsTutorial002(t *testing.T) {
	app := brisk.New()
	app.Get("/items-header/{item_id}", func(itemID string) (map[string]string, error) {
		it, ok := tutorialItems[itemID]
		if !ok {
			return nil, brisk.Error(404, "Item not found").WithHeader("X-Error", "There goes my error")
		}
		return map[string]string{"item": it}, nil
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/items-header/foo", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item":"The Foo Wrestlers"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/items-header/bar", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assert.Equal(t, "There goes my error", res.Header.Get("X-Error"))
	assertJSON(t, `{"detail":"Item not found"}`, res)
}

// UnicornError is tutorial003's UnicornException.
type UnicornError struct{ Name string }

func (e *UnicornError) Error() string { return "unicorn " + e.Name }

// tutorial003: a handler for the app's own exception type.
func TestHandlingErrorsTutorial003(t *testing.T) {
	app := brisk.New()
	app.HandleError(func(r *http.Request, err *UnicornError) *brisk.Response {
		return brisk.JSON(418, map[string]string{"message": "Oops! " + err.Name + " did something. There goes a rainbow..."})
	})
	app.Get("/unicorns/{name}", func(name string) (map[string]string, error) {
		if name == "yolo" {
			return nil, &UnicornError{Name: name}
		}
		return map[string]string{"unicorn_name": name}, nil
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/unicorns/shinny", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"unicorn_name":"shinny"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/unicorns/yolo", JSON: ""})
	assert.Equal(t, 418, res.Status)
	assertJSON(t, `{"message":"Oops! yolo did something. There goes a rainbow..."}`, res)
	// The document is unchanged by error handlers (FastAPI's snapshot).
	doc := docOf(t, srv)
	assert.Contains(t, doc["paths"].(map[string]any)["/unicorns/{name}"].(map[string]any)["get"].(map[string]any)["responses"], "422")
}

func newTutorial004(t *testing.T) *brisk.App {
	t.Helper()
	app := brisk.New()
	app.HandleError(func(r *http.Request, err *brisk.HTTPError) *brisk.Response {
		return brisk.Text(err.Status, fmt.Sprint(err.Detail))
	})
	app.HandleError(func(r *http.Request, err *brisk.ValidationError) *brisk.Response {
		msg := "Validation errors:"
		for _, e := range err.Errors {
			msg += fmt.Sprintf("\nField: %v, Error: %s", e.Loc, e.Msg)
		}
		return brisk.Text(400, msg)
	})
	app.Get("/items/{item_id}", func(itemID int) (map[string]int, error) {
		if itemID == 3 {
			return nil, brisk.Error(418, "Nope! I don't like 3.")
		}
		return map[string]int{"item_id": itemID}, nil
	})
	return app
}

// tutorial004: the 422 and HTTPError answers restyled as plain text.
func TestHandlingErrorsTutorial004(t *testing.T) {
	srv := serve(t, newTutorial004(t))
	res := send(t, srv, request{Method: "GET", Path: "/items/foo", JSON: ""})
	assert.Equal(t, 400, res.Status)
	assert.Contains(t, res.Body, "Validation errors:")
	assert.Contains(t, res.Body, "Field: [path item_id], Error: Input should be a valid integer, unable to parse string as an integer")
	res = send(t, srv, request{Method: "GET", Path: "/items/3", JSON: ""})
	assert.Equal(t, 418, res.Status)
	assert.Equal(t, "Nope! I don't like 3.", res.Body)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
	res = send(t, srv, request{Method: "GET", Path: "/items/2", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item_id":2}`, res)
	// As Starlette's handler of HTTPException, the app's sees routing's
	// 404 and 405 too.
	res = send(t, srv, request{Method: "GET", Path: "/nowhere", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assert.Equal(t, "Not Found", res.Body)
	res = send(t, srv, request{Method: "POST", Path: "/items/2", JSON: ""})
	assert.Equal(t, 405, res.Status)
	assert.Equal(t, "Method Not Allowed", res.Body)
	assert.Equal(t, "GET, HEAD", res.Header.Get("Allow"))
}

// tutorial005: the 422 keeps its shape and echoes the body.
func TestHandlingErrorsTutorial005(t *testing.T) {
	type Item struct {
		Title string `json:"title"`
		Size  int    `json:"size"`
	}
	app := brisk.New()
	app.HandleError(func(r *http.Request, err *brisk.ValidationError) *brisk.Response {
		return brisk.JSON(422, map[string]any{"detail": err.Errors, "body": json.RawMessage(err.Body)})
	})
	app.Post("/items/", func(it Item) Item { return it })
	srv := serve(t, app)
	res := send(t, srv, request{Method: "POST", Path: "/items/", JSON: `{"title": "towel", "size": "XL"}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"int_parsing","loc":["body","size"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"XL"}],"body":{"title":"towel","size":"XL"}}`, res)
	res = send(t, srv, request{Method: "POST", Path: "/items/", JSON: `{"title": "towel", "size": 5}`})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"title":"towel","size":5}`, res)
}

// tutorial006: handlers that log and fall back to the default answers
// (nil is FastAPI's "await http_exception_handler(request, exc)").
func TestHandlingErrorsTutorial006(t *testing.T) {
	var seen []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); seen = append(seen, s); mu.Unlock() }
	app := brisk.New()
	app.HandleError(func(r *http.Request, err *brisk.HTTPError) *brisk.Response {
		note("OMG! An HTTP error!: " + err.Error())
		return nil
	})
	app.HandleError(func(r *http.Request, err *brisk.ValidationError) *brisk.Response {
		note("OMG! The client sent invalid data!: " + err.Error())
		return nil
	})
	app.Get("/items/{item_id}", func(itemID int) (map[string]int, error) {
		if itemID == 3 {
			return nil, brisk.Error(418, "Nope! I don't like 3.")
		}
		return map[string]int{"item_id": itemID}, nil
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/items/foo", JSON: ""})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"foo"}]}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/items/3", JSON: ""})
	assert.Equal(t, 418, res.Status)
	assertJSON(t, `{"detail":"Nope! I don't like 3."}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/items/2", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item_id":2}`, res)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{
		"OMG! The client sent invalid data!: 422 Unprocessable Entity: [path item_id]: Input should be a valid integer, unable to parse string as an integer",
		"OMG! An HTTP error!: 418 I'm a teapot: Nope! I don't like 3.",
	}, seen)
}

// ErrOutOfStock is a sentinel matched through an interface handler.
type stockError struct{ sku string }

func (e stockError) Error() string   { return "out of stock: " + e.sku }
func (e stockError) Temporary() bool { return true }

type temporary interface{ Temporary() bool }

// Handlers of the route's innermost group run first, then the enclosing
// ones', then the app's; on one router the most recent first. Errors from
// providers and route dependencies are handled like the handler's.
func TestHandleErrorOrder(t *testing.T) {
	app := brisk.New()
	tag := func(name string) func(*http.Request, error) *brisk.Response {
		return func(r *http.Request, err error) *brisk.Response {
			return brisk.JSON(500, map[string]string{"by": name, "err": err.Error()})
		}
	}
	app.HandleError(tag("app-first"))
	app.HandleError(tag("app-last"))
	outer := app.Group("/outer")
	outer.HandleError(func(r *http.Request, err stockError) *brisk.Response {
		return brisk.JSON(409, map[string]string{"by": "outer-struct", "sku": err.sku})
	})
	inner := outer.Group("/inner")
	inner.HandleError(func(r *http.Request, err temporary) *brisk.Response {
		return brisk.JSON(503, map[string]bool{"temporary": err.Temporary()})
	})
	type Stock string
	inner.Provide(func(in struct {
		Fail string `query:"fail" default:""`
	}) (Stock, error) {
		if in.Fail == "provider" {
			return "", fmt.Errorf("wrapped: %w", stockError{sku: "p"})
		}
		return "ok", nil
	})
	dep := func(in struct {
		Fail string `query:"fail" default:""`
	}) error {
		if in.Fail == "dep" {
			return stockError{sku: "d"}
		}
		return nil
	}
	inner.Get("/x", func(s Stock) (string, error) { return "", stockError{sku: "h"} }, brisk.Dependencies(dep))
	outer.Get("/y", func() (string, error) { return "", stockError{sku: "y"} })
	outer.Get("/z", func() (string, error) { return "", errors.New("boom") })
	app.Get("/w", func() (string, error) { return "", stockError{sku: "w"} })
	srv := serve(t, app)

	for _, fail := range []string{"", "provider", "dep"} {
		res := send(t, srv, request{Method: "GET", Path: "/outer/inner/x?fail=" + fail, JSON: ""})
		assert.Equal(t, 503, res.Status, fail)
		assertJSON(t, `{"temporary":true}`, res)
	}
	res := send(t, srv, request{Method: "GET", Path: "/outer/y", JSON: ""})
	assert.Equal(t, 409, res.Status)
	assertJSON(t, `{"by":"outer-struct","sku":"y"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/outer/z", JSON: ""})
	assertJSON(t, `{"by":"app-last","err":"boom"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/w", JSON: ""})
	assertJSON(t, `{"by":"app-last","err":"out of stock: w"}`, res)
}

// nil from the first matching handler is the default answer, even when an
// outer handler would have matched.
func TestHandleErrorNilIsDefault(t *testing.T) {
	app, logs := quietApp()
	var outerCalls atomic.Int32
	app.HandleError(func(r *http.Request, err error) *brisk.Response {
		outerCalls.Add(1)
		return brisk.Text(599, "outer")
	})
	g := app.Group("/g")
	g.HandleError(func(r *http.Request, err error) *brisk.Response { return nil })
	g.Get("/http", func() (string, error) { return "", brisk.Error(404, "gone") })
	g.Get("/plain", func() (string, error) { return "", errors.New("secret") })
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/g/http", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"gone"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/g/plain", JSON: ""})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	assert.Contains(t, logs.String(), "secret")
	assert.Zero(t, outerCalls.Load())
}

// Panics are not errors: they stay a logged 500, whatever handlers exist.
// Tasks added before an error answer are discarded even when a handler
// answers with a 2xx.
func TestHandleErrorPanicsAndTasks(t *testing.T) {
	app, logs := quietApp()
	var handled atomic.Int32
	app.HandleError(func(r *http.Request, err error) *brisk.Response {
		handled.Add(1)
		return brisk.JSON(200, map[string]string{"handled": err.Error()})
	})
	ran := make(chan string, 4)
	app.Get("/panic", func() string { panic("kaboom") })
	app.Get("/task", func(bg *brisk.BackgroundTasks) (string, error) {
		bg.Add(func(context.Context) error { ran <- "task"; return nil })
		return "", errors.New("nope")
	})
	app.Get("/ok", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { ran <- "ok-task"; return nil })
		return "fine"
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/panic", JSON: ""})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	assert.Contains(t, logs.String(), "kaboom")
	assert.Zero(t, handled.Load())

	res = send(t, srv, request{Method: "GET", Path: "/task", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"handled":"nope"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/ok", JSON: ""})
	assert.Equal(t, 200, res.Status)
	// Tasks of one app run in order of their requests' hand-over; the
	// first that runs must be the ok request's: /task's was discarded.
	assert.Equal(t, "ok-task", <-ran)
	ctx, cancel := context.WithTimeout(context.Background(), 5e9)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
	assert.Empty(t, ran)
}

// A bad signature panics at registration, naming the function; so does
// HandleError after the app started serving.
func TestHandleErrorFailFast(t *testing.T) {
	app := brisk.New()
	for _, fn := range []any{
		nil,
		42,
		func(r *http.Request) *brisk.Response { return nil },
		func(r *http.Request, err string) *brisk.Response { return nil },
		func(r *http.Request, err UnicornError) *brisk.Response { return nil }, // only *UnicornError is an error
		func(err error, r *http.Request) *brisk.Response { return nil },
		func(r *http.Request, err error) error { return nil },
	} {
		assert.Panics(t, func() { app.HandleError(fn) }, "%T", fn)
	}
	msg := func() (s string) {
		defer func() { s = fmt.Sprint(recover()) }()
		app.HandleError(badErrorHandler)
		return ""
	}()
	assert.Contains(t, msg, "badErrorHandler")
	assert.Contains(t, msg, "string does not implement error")

	app.Get("/", func() string { return "x" })
	res := send(t, serve(t, app), request{Method: "GET", Path: "/", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Panics(t, func() { app.HandleError(func(*http.Request, error) *brisk.Response { return nil }) })
}

func badErrorHandler(r *http.Request, err string) *brisk.Response { return nil }

// Each request's ValidationError is its own: a handler may keep and change
// it while other requests are answered (run with -race).
func TestHandleErrorValidationErrorNotShared(t *testing.T) {
	app := brisk.New()
	kept := make(chan *brisk.ValidationError, 64)
	app.HandleError(func(r *http.Request, err *brisk.ValidationError) *brisk.Response {
		err.Errors[0].Loc[0] = "changed"
		if err.Errors[0].Ctx != nil {
			err.Errors[0].Ctx["gt"] = "changed"
		}
		kept <- err
		return nil
	})
	app.Get("/n", func(in struct {
		N int `query:"n" validate:"gt=5"`
	}) int {
		return in.N
	})
	srv := serve(t, app)
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			res := send(t, srv, request{Method: "GET", Path: fmt.Sprintf("/n?n=%d", i%5), JSON: ""})
			assert.Equal(t, 422, res.Status)
			assert.Contains(t, res.Body, `"loc":["query","n"]`)
			assert.Contains(t, res.Body, `"ctx":{"gt":5}`)
		})
	}
	wg.Wait()
	close(kept)
	for ve := range kept {
		assert.Equal(t, "changed", ve.Errors[0].Loc[0])
	}
}

// ProblemDetails answers every error Brisk makes as RFC 9457 problem
// details, and the document says so.
func TestProblemDetails(t *testing.T) {
	app, logs := quietApp()
	app.HandleError(brisk.ProblemDetails)
	app.Get("/panic", func() string { panic("kaboom") })
	app.Get("/items/{id}", func(id int) (string, error) {
		if id == 0 {
			return "", brisk.Error(404, "Item not found").WithHeader("X-Error", "yes")
		}
		if id == 1 {
			return "", brisk.Error(409, map[string]int{"conflicts": 2})
		}
		if id == 2 {
			return "", errors.New("hidden")
		}
		return "ok", nil
	}, brisk.Responses(404, "Item not found", nil))
	srv := serve(t, app)

	res := send(t, srv, request{Method: "GET", Path: "/items/x", JSON: ""})
	assert.Equal(t, 422, res.Status)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assertJSON(t, `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"1 input is invalid","instance":"/items/x",
		"errors":[{"type":"int_parsing","loc":["path","id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"}]}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/items/0", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assert.Equal(t, "yes", res.Header.Get("X-Error"))
	assertJSON(t, `{"type":"about:blank","title":"Not Found","status":404,"detail":"Item not found","instance":"/items/0"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/items/1", JSON: ""})
	assertJSON(t, `{"type":"about:blank","title":"Conflict","status":409,"instance":"/items/1","data":{"conflicts":2}}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/items/2", JSON: ""})
	assert.Equal(t, 500, res.Status)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assertJSON(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/items/2"}`, res)
	assert.Contains(t, logs.String(), "hidden", "the error is logged, not sent")
	res = send(t, srv, request{Method: "GET", Path: "/panic", JSON: ""})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/panic"}`, res)
	assert.Contains(t, logs.String(), "kaboom")
	res = send(t, srv, request{Method: "GET", Path: "/missing", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assert.Equal(t, "application/problem+json", res.Header.Get("Content-Type"))
	assertJSON(t, `{"type":"about:blank","title":"Not Found","status":404,"instance":"/missing"}`, res)

	doc := docOf(t, srv)
	resp := doc["paths"].(map[string]any)["/items/{id}"].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)
	want := map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/ProblemDetails"}}}
	assert.Equal(t, want, resp["422"].(map[string]any)["content"])
	assert.Equal(t, want, resp["404"].(map[string]any)["content"])
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	assert.Contains(t, schemas, "ProblemDetails")
	assert.Contains(t, schemas, "ValidationError")
	assert.NotContains(t, schemas, "HTTPValidationError")
}

// docOf fetches and decodes the server's OpenAPI document.
func docOf(t *testing.T, s *httptest.Server, path ...string) map[string]any {
	t.Helper()
	p := "/openapi.json"
	if len(path) > 0 {
		p = path[0]
	}
	res := send(t, s, request{Method: "GET", Path: p, JSON: ""})
	require.Equal(t, 200, res.Status, res.Body)
	var doc map[string]any
	require.NoError(t, json.NewDecoder(strings.NewReader(res.Body)).Decode(&doc))
	return doc
}

// ValidationResponse keeps the document true when a handler changes the
// 422: the declared answer replaces it on routes that validate input.
func TestValidationResponseDocumented(t *testing.T) {
	app := newTutorial004(t)
	api := app.Group("/api", brisk.ValidationResponse(400, "Validation errors", "", brisk.ResponseContentType("text/plain")))
	api.Get("/items/{item_id}", func(itemID int) int { return itemID })
	api.Get("/plain", func() string { return "no input" })
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/api/items/x", JSON: ""})
	assert.Equal(t, 400, res.Status)
	assert.True(t, strings.HasPrefix(res.Body, "Validation errors:"))

	paths := docOf(t, srv)["paths"].(map[string]any)
	responses := func(p string) map[string]any {
		return paths[p].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)
	}
	item := responses("/api/items/{item_id}")
	assert.NotContains(t, item, "422")
	assertJSON(t, `{"description":"Validation errors","content":{"text/plain":{"schema":{"type":"string"}}}}`, result{Body: mustJSON(t, item["400"])})
	assert.Equal(t, []string{"200"}, keys(responses("/api/plain")))
	// Routes without the option keep FastAPI's 422 (as FastAPI documents
	// it even with a handler).
	assert.Contains(t, responses("/items/{item_id}"), "422")
}

// The HTTPErrors Brisk makes for bad bodies reach handlers as the
// request's own copies: a handler changing one changes no other request's
// answer.
func TestHandleErrorBriskErrorsNotShared(t *testing.T) {
	app := brisk.New()
	app.HandleError(func(r *http.Request, err *brisk.HTTPError) *brisk.Response {
		err.WithHeader("X-Seen", "1")
		err.Detail = fmt.Sprint(err.Detail, " (seen)")
		return nil
	})
	app.Post("/form", func(in struct {
		Name string `form:"name"`
	}) string {
		return in.Name
	})
	srv := serve(t, app)
	for range 3 {
		res := send(t, srv, request{Method: "POST", Path: "/form", JSON: "", Headers: []string{"Content-Type", "multipart/form-data"}})
		assert.Equal(t, 400, res.Status)
		assert.Equal(t, []string{"1"}, res.Header.Values("X-Seen"))
		assertJSON(t, `{"detail":"Missing boundary in multipart. (seen)"}`, res)
	}
}

// ErrorDetail writes FastAPI's names; ctx only when there is one.
func TestErrorDetailJSON(t *testing.T) {
	b, err := json.Marshal([]brisk.ErrorDetail{
		{Type: "greater_than", Loc: []any{"query", "n"}, Msg: "Input should be greater than 5", Input: "1", Ctx: map[string]any{"gt": 5}},
		{Type: "missing", Loc: []any{"body", "items", 0, "name"}, Msg: "Field required"},
	})
	require.NoError(t, err)
	assert.JSONEq(t, `[{"type":"greater_than","loc":["query","n"],"msg":"Input should be greater than 5","input":"1","ctx":{"gt":5}},
		{"type":"missing","loc":["body","items",0,"name"],"msg":"Field required","input":null}]`, string(b))
	ve := &brisk.ValidationError{Errors: []brisk.ErrorDetail{{Loc: []any{"path", "id"}, Msg: "bad"}, {}, {}}}
	assert.Equal(t, "422 Unprocessable Entity: [path id]: bad (and 2 more)", ve.Error())
	var target *brisk.ValidationError
	assert.True(t, errors.As(fmt.Errorf("wrapped: %w", ve), &target))
}
