package tests

// Raw bodies: brisk.RawBody (the bytes, any content type) and io.Reader
// (a stream) parameters, within the route's body limit; their OpenAPI.

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

func TestRawBody(t *testing.T) {
	app := brisk.New(brisk.Config{MaxBodyBytes: 32})
	app.Post("/raw", func(r *http.Request, body brisk.RawBody) map[string]any {
		return map[string]any{"type": r.Header.Get("Content-Type"), "len": len(body), "text": string(body)}
	})
	app.Post("/stream", func(body io.Reader) (map[string]any, error) {
		b, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		return map[string]any{"len": len(b)}, nil
	})
	app.Post("/stream-big", func(body io.Reader) (int, error) {
		n, err := io.Copy(io.Discard, body)
		return int(n), err
	}, brisk.MaxBodyBytes(1<<20))
	srv := serve(t, app)

	res := postRaw(t, srv, "/raw", "application/xml", "<a>hello</a>")
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"type":"application/xml","len":12,"text":"<a>hello</a>"}`, res)
	// JSON is not decoded either: the bytes as sent.
	res = postRaw(t, srv, "/raw", "application/json", `{"a": 1}`)
	assertJSON(t, `{"type":"application/json","len":8,"text":"{\"a\": 1}"}`, res)
	res = postRaw(t, srv, "/raw", "", "")
	assertJSON(t, `{"type":"","len":0,"text":""}`, res)

	res = postRaw(t, srv, "/raw", "text/plain", strings.Repeat("x", 33))
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	assertJSON(t, `{"detail":"Request Entity Too Large"}`, res)

	res = postRaw(t, srv, "/stream", "text/plain", strings.Repeat("x", 32))
	assertJSON(t, `{"len":32}`, res)
	// Too long: by its declared length, or when the stream passes the limit.
	res = postRaw(t, srv, "/stream", "text/plain", strings.Repeat("x", 33))
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	res = confDoReader(t, srv, "/stream", "text/plain", chunkedBody(strings.Repeat("x", 33)))
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	assertJSON(t, `{"detail":"Request Entity Too Large"}`, res)

	res = confDoReader(t, srv, "/stream-big", "application/octet-stream", chunkedBody(strings.Repeat("x", 100000)))
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `100000`, res)

	res = send(t, srv, request{Path: "/openapi.json"})
	var doc struct {
		Paths map[string]map[string]map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	assert.Equal(t, map[string]any{"content": map[string]any{"application/octet-stream": map[string]any{
		"schema": map[string]any{"type": "string", "contentMediaType": "application/octet-stream"}}}, "required": false},
		doc.Paths["/raw"]["post"]["requestBody"])
}

func TestRawBodyOneBodyOnly(t *testing.T) {
	app := brisk.New()
	msg := panicMessage(func() {
		app.Post("/a", func(b brisk.RawBody, in struct {
			A string `form:"a"`
		}) string {
			return ""
		})
	})
	assert.Contains(t, msg, "reads it raw")
	assert.Contains(t, msg, "reads it as a form")
	msg = panicMessage(func() {
		app.Post("/b", func(b io.Reader, in struct{ X int }) string { return "" })
	})
	assert.Contains(t, msg, "reads it as JSON")
}
