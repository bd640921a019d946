package tests

import (
	"bufio"
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// streamItem is FastAPI's stream tutorial item.
type streamItem struct {
	Name        string  `json:"name"`
	Description *string `json:"description"`
}

func strPtr(s string) *string { return &s }

var streamItems = []streamItem{
	{Name: "Plumbus", Description: strPtr("A multi-purpose household device.")},
	{Name: "Portal Gun", Description: strPtr("A portal opening device.")},
	{Name: "Meeseeks Box", Description: strPtr("A box that summons a Meeseeks.")},
}

const streamItemsJSONL = `{"name":"Plumbus","description":"A multi-purpose household device."}
{"name":"Portal Gun","description":"A portal opening device."}
{"name":"Meeseeks Box","description":"A box that summons a Meeseeks."}
`

// openStream sends a request and returns the response with its body ready
// to read line by line; the client gives up after 10s rather than hang.
func openStream(t *testing.T, srv *httptest.Server, method, path string, headers ...string) (*http.Response, *bufio.Reader) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp, bufio.NewReader(resp.Body)
}

// The stream_json_lines tutorial: iter.Seq of a struct, of any, and a nil
// iterator; the document's itemSchema as FastAPI writes it.
func TestStreamJSONLinesTutorial(t *testing.T) {
	app := brisk.New()
	app.Get("/items/stream", func() iter.Seq[streamItem] { return slices.Values(streamItems) })
	app.Get("/items/stream-no-annotation", func() iter.Seq[any] {
		return func(yield func(any) bool) {
			for _, it := range streamItems {
				if !yield(it) {
					return
				}
			}
		}
	})
	srv := serve(t, app)
	for _, path := range []string{"/items/stream", "/items/stream-no-annotation"} {
		res := send(t, srv, request{Method: "GET", Path: path, JSON: ""})
		assert.Equal(t, 200, res.Status, path)
		assert.Equal(t, "application/jsonl", res.Header.Get("Content-Type"), path)
		assert.Empty(t, res.Header.Get("Content-Length"), path)
		assert.Equal(t, streamItemsJSONL, res.Body, path)
	}

	doc := send(t, srv, request{Method: "GET", Path: "/openapi.json", JSON: ""}).JSON(t).(map[string]any)
	paths := doc["paths"].(map[string]any)
	typed := paths["/items/stream"].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)["200"]
	assert.Equal(t, map[string]any{
		"description": "Successful Response",
		"content": map[string]any{"application/jsonl": map[string]any{
			"itemSchema": map[string]any{"$ref": "#/components/schemas/streamItem"},
		}},
	}, typed)
	bare := paths["/items/stream-no-annotation"].(map[string]any)["get"].(map[string]any)["responses"].(map[string]any)["200"]
	assert.Equal(t, map[string]any{
		"description": "Successful Response",
		"content":     map[string]any{"application/jsonl": map[string]any{"itemSchema": map[string]any{}}},
	}, bare)
	assert.Contains(t, doc["components"].(map[string]any)["schemas"], "streamItem")
}

// test_stream_status_code: the route's status applies to the stream, and a
// stream may be POSTed; iter.Seq2 and (iter.Seq, error) stream the same.
func TestStreamStatusAndForms(t *testing.T) {
	app := brisk.New()
	app.Post("/jsonl", func() iter.Seq[map[string]string] {
		return func(yield func(map[string]string) bool) { yield(map[string]string{"message": "created"}) }
	}, brisk.Status(201))
	app.Get("/seq2", func() iter.Seq2[int, error] {
		return func(yield func(int, error) bool) {
			for i := range 3 {
				if !yield(i, nil) {
					return
				}
			}
		}
	})
	app.Get("/with-error", func() (iter.Seq[int], error) { return slices.Values([]int{7, 8}), nil })
	app.Get("/empty", func() iter.Seq[int] { return nil })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/jsonl", JSON: ""})
	assert.Equal(t, 201, res.Status)
	assert.Equal(t, "{\"message\":\"created\"}\n", res.Body)
	assert.Equal(t, "0\n1\n2\n", send(t, srv, request{Method: "GET", Path: "/seq2", JSON: ""}).Body)
	assert.Equal(t, "7\n8\n", send(t, srv, request{Method: "GET", Path: "/with-error", JSON: ""}).Body)
	res = send(t, srv, request{Method: "GET", Path: "/empty", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "application/jsonl", res.Header.Get("Content-Type"))
	assert.Equal(t, "", res.Body)
	head := send(t, srv, request{Method: "HEAD", Path: "/seq2", JSON: ""})
	assert.Equal(t, 200, head.Status)
	assert.Equal(t, "application/jsonl", head.Header.Get("Content-Type"))
}

// Each item reaches the client as soon as it is yielded: the second is
// only produced once the client has read the first.
func TestStreamItemsFlushedAtOnce(t *testing.T) {
	read := make(chan struct{})
	app := brisk.New()
	app.Get("/s", func() iter.Seq[int] {
		return func(yield func(int) bool) {
			if !yield(1) {
				return
			}
			<-read
			yield(2)
		}
	})
	srv := serve(t, app)
	_, body := openStream(t, srv, "GET", "/s")
	line, err := body.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "1\n", line)
	close(read)
	line, err = body.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "2\n", line)
}

// An error before the first item is an ordinary error answer (HTTPError,
// 500), the input is validated first (422); after the first item it cuts
// the JSON Lines stream off (the client sees it broken) and is logged.
func TestStreamErrors(t *testing.T) {
	app, logs := quietApp()
	app.Get("/teapot", func() iter.Seq2[int, error] {
		return func(yield func(int, error) bool) { yield(0, brisk.Error(418, "no coffee")) }
	})
	app.Get("/boom", func() iter.Seq2[int, error] {
		return func(yield func(int, error) bool) { yield(0, errors.New("database down")) }
	})
	app.Get("/returned", func() (iter.Seq[int], error) { return nil, brisk.Error(404, "gone") })
	app.Get("/limit", func(in struct {
		Limit int `query:"limit"`
	}) iter.Seq[int] {
		return slices.Values([]int{in.Limit})
	})
	app.Get("/later", func() iter.Seq2[int, error] {
		return func(yield func(int, error) bool) {
			if yield(1, nil) {
				yield(0, errors.New("lost the cursor"))
			}
		}
	})
	app.Get("/nilitem", func() iter.Seq[*streamItem] { return slices.Values([]*streamItem{nil}) })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "GET", Path: "/teapot", JSON: ""})
	assert.Equal(t, 418, res.Status)
	assertJSON(t, `{"detail":"no coffee"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/boom", JSON: ""})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	assert.Contains(t, logs.String(), "database down")
	res = send(t, srv, request{Method: "GET", Path: "/returned", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"gone"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/limit?limit=x", JSON: ""})
	assert.Equal(t, 422, res.Status)
	assert.Contains(t, res.Body, `"loc":["query","limit"]`)
	res = send(t, srv, request{Method: "GET", Path: "/nilitem", JSON: ""})
	assert.Equal(t, 500, res.Status)

	resp, body := openStream(t, srv, "GET", "/later")
	assert.Equal(t, 200, resp.StatusCode)
	line, err := body.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "1\n", line)
	_, err = body.ReadString('\n')
	assert.Error(t, err, "the stream must end broken, not complete")
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "lost the cursor") }, 5*time.Second, 10*time.Millisecond)
}

// Before the first item, error handlers answer a stream's errors as any
// route's.
func TestStreamErrorHandlers(t *testing.T) {
	app := brisk.New()
	app.HandleError(func(r *http.Request, err *brisk.HTTPError) *brisk.Response {
		return brisk.JSON(err.Status, map[string]any{"problem": err.Detail})
	})
	app.Get("/s", func() iter.Seq2[int, error] {
		return func(yield func(int, error) bool) { yield(0, brisk.Error(409, "busy")) }
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/s", JSON: ""})
	assert.Equal(t, 409, res.Status)
	assertJSON(t, `{"problem":"busy"}`, res)
}

// Registration refuses what cannot stream.
func TestStreamRegistrationErrors(t *testing.T) {
	app := brisk.New()
	msg := panicText(func() { app.Get("/a", func() iter.Seq2[int, string] { return nil }) })
	assert.Contains(t, msg, "brisk: GET /a: handler ")
	assert.Contains(t, msg, "returns iter.Seq2[int,string]; a streaming handler returns iter.Seq[T] or iter.Seq2[T, error]")
	assert.Panics(t, func() { app.Get("/b", func() iter.Seq[int] { return nil }, brisk.Status(204)) })
	assert.Panics(t, func() { app.Get("/c", func() iter.Seq[chan int] { return nil }) })
	assert.Panics(t, func() { app.Get("/d", func() []int { return nil }, brisk.EventStream()) })
}

// readAll reads the rest of a stream.
func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	require.NoError(t, err)
	return string(b)
}

func itoa(i int) string { return strconv.Itoa(i) }
