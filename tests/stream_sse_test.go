package tests

import (
	"errors"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// Ported from FastAPI's tests/test_sse.py: typed items, plain maps, events
// setting their own fields, mixed items, raw data, POST, a group.
func TestSSEFastAPIPort(t *testing.T) {
	app := brisk.New()
	app.Get("/items/stream", func() iter.Seq[streamItem] { return slices.Values(streamItems) }, brisk.EventStream())
	app.Get("/items/stream-dict", func() iter.Seq[map[string]any] {
		return func(yield func(map[string]any) bool) {
			for _, it := range streamItems {
				if !yield(map[string]any{"name": it.Name, "description": it.Description}) {
					return
				}
			}
		}
	}, brisk.EventStream())
	app.Get("/items/stream-sse-event", func() iter.Seq[brisk.ServerSentEvent] {
		return slices.Values([]brisk.ServerSentEvent{
			{Data: "hello", Event: "greeting", ID: "1"},
			{Data: map[string]string{"key": "value"}, Event: "json-data", ID: "2"},
			{Comment: "just a comment"},
			{Data: "retry-test", Retry: 5 * time.Second},
		})
	}, brisk.EventStream())
	app.Get("/items/stream-mixed", func() iter.Seq[any] {
		return func(yield func(any) bool) {
			for _, it := range streamItems {
				if !yield(it) {
					return
				}
			}
			if yield(brisk.ServerSentEvent{Data: "custom-event", Event: "special"}) {
				yield(&streamItems[1])
			}
		}
	}, brisk.EventStream())
	app.Get("/items/stream-raw", func() iter.Seq[*brisk.ServerSentEvent] {
		return slices.Values([]*brisk.ServerSentEvent{
			{RawData: "plain text without quotes"},
			{RawData: "<div>html fragment</div>", Event: "html"},
			{RawData: "cpu,87.3,1709145600", Event: "csv"},
			{RawData: "two\r\nlines", Comment: "hi\n"},
		})
	}, brisk.EventStream())
	app.Post("/items/stream-post", func() iter.Seq[streamItem] { return slices.Values(streamItems) }, brisk.EventStream())
	api := app.Group("/api", brisk.EventStream())
	api.Get("/events", func() iter.Seq[map[string]string] {
		return slices.Values([]map[string]string{{"msg": "hello"}, {"msg": "world"}})
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "GET", Path: "/items/stream", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "text/event-stream; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	assert.Equal(t, "no", res.Header.Get("X-Accel-Buffering"))
	assert.Equal(t, `data: {"name":"Plumbus","description":"A multi-purpose household device."}

data: {"name":"Portal Gun","description":"A portal opening device."}

data: {"name":"Meeseeks Box","description":"A box that summons a Meeseeks."}

`, res.Body)
	assert.NotContains(t, res.Body, ": ping", "no keep-alive when items come quickly")

	res = send(t, srv, request{Method: "GET", Path: "/items/stream-dict", JSON: ""})
	assert.Equal(t, 3, strings.Count(res.Body, "data: {\"description\":"))

	res = send(t, srv, request{Method: "GET", Path: "/items/stream-sse-event", JSON: ""})
	assert.Equal(t, "event: greeting\ndata: \"hello\"\nid: 1\n\n"+
		"event: json-data\ndata: {\"key\":\"value\"}\nid: 2\n\n"+
		": just a comment\n\n"+
		"data: \"retry-test\"\nretry: 5000\n\n", res.Body)

	res = send(t, srv, request{Method: "GET", Path: "/items/stream-mixed", JSON: ""})
	assert.Contains(t, res.Body, "event: special\ndata: \"custom-event\"\n\n")
	assert.True(t, strings.HasSuffix(res.Body, "data: {\"name\":\"Portal Gun\",\"description\":\"A portal opening device.\"}\n\n"))
	assert.Equal(t, 5, strings.Count(res.Body, "data: "))

	res = send(t, srv, request{Method: "GET", Path: "/items/stream-raw", JSON: ""})
	assert.Equal(t, "data: plain text without quotes\n\n"+
		"event: html\ndata: <div>html fragment</div>\n\n"+
		"event: csv\ndata: cpu,87.3,1709145600\n\n"+
		": hi\n: \ndata: two\ndata: lines\n\n", res.Body)

	res = send(t, srv, request{Method: "POST", Path: "/items/stream-post", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, 3, strings.Count(res.Body, "data: "))

	res = send(t, srv, request{Method: "GET", Path: "/api/events", JSON: ""})
	assert.Equal(t, "text/event-stream; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "data: {\"msg\":\"hello\"}\n\ndata: {\"msg\":\"world\"}\n\n", res.Body)
}

// The document: itemSchema with the item as the data's contentSchema
// (test_sse_router_typed_openapi_schema), and the bare event schema for
// ServerSentEvent items.
func TestSSEOpenAPI(t *testing.T) {
	app := brisk.New()
	app.Get("/typed", func() iter.Seq[streamItem] { return nil }, brisk.EventStream())
	app.Get("/events", func() iter.Seq[brisk.ServerSentEvent] { return nil }, brisk.EventStream())
	srv := serve(t, app)
	paths := send(t, srv, request{Method: "GET", Path: "/openapi.json", JSON: ""}).JSON(t).(map[string]any)["paths"].(map[string]any)
	response := func(path string) any {
		return paths[path].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)["200"]
	}
	eventProps := func(data map[string]any) map[string]any {
		return map[string]any{
			"data":  data,
			"event": map[string]any{"type": "string"},
			"id":    map[string]any{"type": "string"},
			"retry": map[string]any{"type": "integer", "minimum": 0.0},
		}
	}
	assert.Equal(t, map[string]any{
		"description": "Successful Response",
		"content": map[string]any{"text/event-stream": map[string]any{"itemSchema": map[string]any{
			"type": "object",
			"properties": eventProps(map[string]any{
				"type": "string", "contentMediaType": "application/json",
				"contentSchema": map[string]any{"$ref": "#/components/schemas/streamItem"},
			}),
			"required": []any{"data"},
		}}},
	}, response("/typed"))
	assert.Equal(t, map[string]any{
		"description": "Successful Response",
		"content": map[string]any{"text/event-stream": map[string]any{"itemSchema": map[string]any{
			"type":       "object",
			"properties": eventProps(map[string]any{"type": "string"}),
		}}},
	}, response("/events"))
}

// While the iterator is idle, keep-alive comments go out (test_sse's
// keepalive tests); the interval is the route's KeepAlive.
func TestSSEKeepAlive(t *testing.T) {
	release := make(chan struct{})
	app := brisk.New()
	app.Get("/slow", func() iter.Seq[map[string]int] {
		return func(yield func(map[string]int) bool) {
			if !yield(map[string]int{"n": 1}) {
				return
			}
			<-release
			yield(map[string]int{"n": 2})
		}
	}, brisk.EventStream(), brisk.KeepAlive(20*time.Millisecond))
	srv := serve(t, app)
	_, body := openStream(t, srv, "GET", "/slow")
	line, err := body.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "data: {\"n\":1}\n", line)
	_, _ = body.ReadString('\n') // the event's blank line
	// The handler is blocked until the client has seen a keep-alive.
	line, err = body.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, ": ping\n", line)
	close(release)
	rest := readAll(t, body)
	assert.True(t, strings.HasSuffix(rest, "data: {\"n\":2}\n\n"), rest)
}

// Last-Event-ID is a header like any: a stream resumes after it.
func TestSSELastEventID(t *testing.T) {
	app := brisk.New()
	app.Get("/numbers", func(in struct {
		LastID int `header:"Last-Event-ID" default:"0"`
	}) iter.Seq[brisk.ServerSentEvent] {
		return func(yield func(brisk.ServerSentEvent) bool) {
			for i := in.LastID + 1; i <= in.LastID+2; i++ {
				if !yield(brisk.ServerSentEvent{ID: itoa(i), Data: i}) {
					return
				}
			}
		}
	}, brisk.EventStream())
	srv := serve(t, app)
	assert.Equal(t, "data: 1\nid: 1\n\ndata: 2\nid: 2\n\n", send(t, srv, request{Method: "GET", Path: "/numbers", JSON: ""}).Body)
	assert.Equal(t, "data: 6\nid: 6\n\ndata: 7\nid: 7\n\n", send(t, srv, request{Method: "GET", Path: "/numbers", JSON: "", Headers: []string{"Last-Event-ID", "5"}}).Body)
}

// An error after the first event ends the stream with an "error" event:
// an HTTPError's detail, or Internal Server Error; an event that would
// corrupt the stream is refused the same way.
func TestSSEErrorEvent(t *testing.T) {
	app, logs := quietApp()
	app.Get("/detail", func() iter.Seq2[int, error] {
		return func(yield func(int, error) bool) {
			if yield(1, nil) {
				yield(0, brisk.Error(409, "conflict"))
			}
		}
	}, brisk.EventStream())
	app.Get("/hidden", func() iter.Seq2[int, error] {
		return func(yield func(int, error) bool) {
			if yield(1, nil) {
				yield(0, errors.New("secret failure"))
			}
		}
	}, brisk.EventStream())
	app.Get("/inject", func() iter.Seq[brisk.ServerSentEvent] {
		return slices.Values([]brisk.ServerSentEvent{{Data: 1}, {Event: "x\ndata: forged"}})
	}, brisk.EventStream())
	app.Get("/bad-first", func() iter.Seq[brisk.ServerSentEvent] {
		return slices.Values([]brisk.ServerSentEvent{{ID: "a\x00b"}})
	}, brisk.EventStream())
	srv := serve(t, app)
	assert.Equal(t, "data: 1\n\nevent: error\ndata: {\"detail\":\"conflict\"}\n\n", send(t, srv, request{Method: "GET", Path: "/detail", JSON: ""}).Body)
	res := send(t, srv, request{Method: "GET", Path: "/hidden", JSON: ""})
	assert.Equal(t, "data: 1\n\nevent: error\ndata: {\"detail\":\"Internal Server Error\"}\n\n", res.Body)
	assert.Contains(t, logs.String(), "secret failure")
	res = send(t, srv, request{Method: "GET", Path: "/inject", JSON: ""})
	assert.Equal(t, "data: 1\n\nevent: error\ndata: {\"detail\":\"Internal Server Error\"}\n\n", res.Body)
	res = send(t, srv, request{Method: "GET", Path: "/bad-first", JSON: ""})
	assert.Equal(t, 500, res.Status)
	assert.Contains(t, logs.String(), "ID must not contain NUL")
}
