package tests

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// Issue 11: the OpenAPI document tells the truth (items 4, 6, 7, 9, 10, 11).

// docAt decodes the app's document and returns the value at a path of keys.
func docAt(t *testing.T, doc map[string]any, keys ...string) any {
	t.Helper()
	var v any = doc
	for _, k := range keys {
		m, ok := v.(map[string]any)
		require.True(t, ok, "at %q: %v", k, v)
		v, ok = m[k]
		require.True(t, ok, "no key %q in %v", k, m)
	}
	return v
}

func fetchDoc(t *testing.T, app *brisk.App) map[string]any {
	t.Helper()
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/openapi.json"})
	require.Equal(t, 200, res.Status, res.Body)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	return doc
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// Item 4: `default:"foo,bar"` on a []string query field of a model that is
// also returned as JSON: the document builds (it was a 500), with the
// default as the route reads it.
func TestContractSliceDefaultInReturnedModel(t *testing.T) {
	type Filter struct {
		Tags []string `query:"tags" default:"foo,bar"`
	}
	app, _ := quietApp()
	app.Get("/filter", func(f Filter) Filter { return f })
	srv := serve(t, app)
	assert.JSONEq(t, `{"Tags":["foo","bar"]}`, send(t, srv, request{Path: "/filter"}).Body)
	res := send(t, srv, request{Path: "/openapi.json"})
	require.Equal(t, 200, res.Status, res.Body)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	assert.JSONEq(t, `["foo","bar"]`, jsonOf(t, docAt(t, doc, "components", "schemas", "Filter", "properties", "Tags", "default")))
}

// Item 5: Responses with an invalid status and Handle("*") panic at
// registration.
func TestContractResponsesAndMethodChecked(t *testing.T) {
	assert.PanicsWithValue(t, `brisk: Responses(0, "x"): not an HTTP status code (100-599)`, func() { brisk.Responses(0, "x", nil) })
	assert.Panics(t, func() { brisk.Responses(600, "", nil) })
	app, _ := quietApp()
	assert.PanicsWithValue(t, `brisk: Handle("*", "/x"): "*" is not a method; register the route once per method (Get, Post, …)`, func() {
		app.Handle("*", "/x", func() string { return "" })
	})
	assert.Panics(t, func() { app.Handle("GET POST", "/x", func() string { return "" }) })
	app.Handle("PROPFIND", "/x", func() string { return "custom methods stay" })
}

// Item 6: a date-only time.Time is accepted in a body as in a query.
func TestContractDateOnlyInBodyAndQuery(t *testing.T) {
	type Body struct {
		At time.Time `json:"at"`
	}
	app, _ := quietApp()
	app.Post("/b", func(b Body) string { return b.At.Format(time.RFC3339) })
	app.Get("/q", func(in struct {
		At time.Time `query:"at"`
	}) string {
		return in.At.Format(time.RFC3339)
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "POST", Path: "/b", JSON: `{"at":"2024-01-02"}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assert.Equal(t, `"2024-01-02T00:00:00Z"`, res.Body)
	assert.Equal(t, `"2024-01-02T00:00:00Z"`, send(t, srv, request{Path: "/q?at=2024-01-02"}).Body)

	// The same bad value gets the same error in both places.
	bad := send(t, srv, request{Method: "POST", Path: "/b", JSON: `{"at":"2024-13-02"}`})
	assert.Equal(t, 422, bad.Status)
	assert.JSONEq(t, `{"detail":[{"type":"datetime_from_date_parsing","loc":["body","at"],"msg":"Input should be a valid datetime or date, month value is outside expected range of 1-12","input":"2024-13-02","ctx":{"error":"month value is outside expected range of 1-12"}}]}`, bad.Body)
	bad = send(t, srv, request{Path: "/q?at=2024-13-02"})
	assert.JSONEq(t, `{"detail":[{"type":"datetime_from_date_parsing","loc":["query","at"],"msg":"Input should be a valid datetime or date, month value is outside expected range of 1-12","input":"2024-13-02","ctx":{"error":"month value is outside expected range of 1-12"}}]}`, bad.Body)
}

type contractTag struct {
	Name string `json:"name"`
}

type contractItem struct {
	ID    int64             `json:"id"`
	Tags  []contractTag     `json:"tags"`
	Attrs map[string]string `json:"attrs"`
	Data  []byte            `json:"data"`
	Note  *string           `json:"note"`
}

// Item 7: nil slices and maps are sent as [] and {} (bodies, nested
// fields, top-level results), as the non-nullable schemas say; a nil
// pointer field is null, and the schema says it may be. A nil pointer
// result without an error is the server's mistake: 500, logged.
func TestContractNilSlicesAndMaps(t *testing.T) {
	app, logs := quietApp()
	app.Get("/item", func() contractItem { return contractItem{ID: 1} })
	app.Get("/items", func() []contractItem { return nil })
	app.Get("/nested", func() map[string][]contractItem { return map[string][]contractItem{"a": nil} })
	app.Get("/json", func() *brisk.Response { return brisk.JSON(200, contractItem{}) })
	app.Get("/none", func() (*contractItem, error) { return nil, nil })
	srv := serve(t, app)
	assert.Equal(t, `{"id":1,"tags":[],"attrs":{},"data":"","note":null}`, send(t, srv, request{Path: "/item"}).Body)
	assert.Equal(t, `[]`, send(t, srv, request{Path: "/items"}).Body)
	assert.Equal(t, `{"a":[]}`, send(t, srv, request{Path: "/nested"}).Body)
	assert.Equal(t, `{"id":0,"tags":[],"attrs":{},"data":"","note":null}`, send(t, srv, request{Path: "/json"}).Body)
	res := send(t, srv, request{Path: "/none"})
	assert.Equal(t, 500, res.Status)
	assert.Contains(t, logs.String(), "returned a nil *tests.contractItem and no error")

	doc := fetchDoc(t, app)
	item := docAt(t, doc, "components", "schemas", "contractItem", "properties").(map[string]any)
	assert.Equal(t, "array", item["tags"].(map[string]any)["type"])
	assert.Equal(t, "object", item["attrs"].(map[string]any)["type"])
	assert.Equal(t, []any{"string", "null"}, item["note"].(map[string]any)["type"])
	assert.Equal(t, "#/components/schemas/contractItem",
		docAt(t, doc, "paths", "/none", "get", "responses", "200", "content", "application/json", "schema", "$ref"))
}

// Item 9: Accept, Content-Type and Authorization are not header
// parameters in the document; the server still reads them and a missing
// one is a 422 naming the header.
func TestContractReservedHeaders(t *testing.T) {
	app, _ := quietApp()
	app.Get("/me", func(in struct {
		Authorization string `header:"authorization"`
		Accept        string `header:"accept" default:"*/*"`
		ContentType   string `header:"content_type" default:""`
		Trace         string `header:"x_trace" default:""`
	}) string {
		return in.Authorization
	})
	doc := fetchDoc(t, app)
	params := docAt(t, doc, "paths", "/me", "get", "parameters").([]any)
	require.Len(t, params, 1)
	assert.Equal(t, "x-trace", params[0].(map[string]any)["name"])

	srv := serve(t, app)
	res := send(t, srv, request{Path: "/me"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["header","authorization"],"msg":"Field required","input":null}]}`, res.Body)
	assert.Equal(t, `"Bearer x"`, send(t, srv, request{Path: "/me", Headers: []string{"Authorization", "Bearer x"}}).Body)
}

// contractUUID is a UUID type as google/uuid's: a [16]byte with a text form.
type contractUUID [16]byte

func (u *contractUUID) UnmarshalText(b []byte) error {
	if len(b) != 36 {
		return errors.New("invalid length")
	}
	_, err := hex.Decode(u[:], []byte(string(b[0:8])+string(b[9:13])+string(b[14:18])+string(b[19:23])+string(b[24:])))
	return err
}

func (u contractUUID) MarshalText() ([]byte, error) {
	h := hex.EncodeToString(u[:])
	return []byte(h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]), nil
}

// Item 10: formats — uuid (and pydantic's uuid_parsing), int32/int64,
// float/double, no pattern on an integer path parameter — and a
// time.Duration that is seconds on both sides and in the schema.
func TestContractFormats(t *testing.T) {
	type Job struct {
		ID     contractUUID  `json:"id"`
		Count  int32         `json:"count"`
		Total  int64         `json:"total"`
		Ratio  float32       `json:"ratio"`
		Price  float64       `json:"price"`
		After  time.Duration `json:"after"`
		Offset int           `json:"offset"`
	}
	app, _ := quietApp()
	app.Put("/jobs/{n:[0-9]+}", func(n int, j Job) Job { return j })
	app.Get("/by/{id}", func(id contractUUID) contractUUID { return id })
	srv := serve(t, app)

	// A duration read as seconds comes back as seconds: a round trip holds.
	const body = `{"id":"ff97dd87-a4a5-4a12-b412-cde99f33e00e","count":1,"total":2,"ratio":0.5,"price":1.25,"after":90.5,"offset":3}`
	res := send(t, srv, request{Method: "PUT", Path: "/jobs/1", JSON: body})
	require.Equal(t, 200, res.Status, res.Body)
	assert.JSONEq(t, body, res.Body)
	again := send(t, srv, request{Method: "PUT", Path: "/jobs/1", JSON: res.Body})
	assert.JSONEq(t, body, again.Body)

	res = send(t, srv, request{Path: "/by/not-a-uuid"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"uuid_parsing","loc":["path","id"],"msg":"Input should be a valid UUID, invalid length","input":"not-a-uuid","ctx":{"error":"invalid length"}}]}`, res.Body)

	doc := fetchDoc(t, app)
	props := docAt(t, doc, "components", "schemas", "Job", "properties")
	assert.JSONEq(t, `{
		"id":{"type":"string","format":"uuid"},
		"count":{"type":"integer","format":"int32"},
		"total":{"type":"integer","format":"int64"},
		"ratio":{"type":"number","format":"float"},
		"price":{"type":"number","format":"double"},
		"after":{"type":"number"},
		"offset":{"type":"integer","format":"int64"}}`, jsonOf(t, props))
	n := docAt(t, doc, "paths", "/jobs/{n}", "put", "parameters").([]any)[0]
	assert.JSONEq(t, `{"name":"n","in":"path","required":true,"schema":{"type":"integer","format":"int64"}}`, jsonOf(t, n))
	id := docAt(t, doc, "paths", "/by/{id}", "get", "parameters").([]any)[0]
	assert.JSONEq(t, `{"name":"id","in":"path","required":true,"schema":{"type":"string","format":"uuid"}}`, jsonOf(t, id))
}

// Item 11: examples from `example` tags and route options, and declared
// responses with headers and other media types.
func TestContractExamplesAndResponses(t *testing.T) {
	type Item struct {
		Name  string  `json:"name" example:"Widget"`
		Price float64 `json:"price" example:"9.5"`
	}
	type Page struct {
		Limit int `query:"limit" default:"10" example:"25"`
	}
	app, _ := quietApp()
	app.Put("/items/{id}", func(id int, p Page, it Item) Item { return it },
		brisk.ParamExample("path", "id", 7),
		brisk.BodyExample(Item{Name: "Gadget", Price: 2}),
		brisk.ResponseExample(0, Item{Name: "Gadget", Price: 2}),
		brisk.Responses(404, "No such item", nil, brisk.ResponseHeader("X-Request-Id", "Quote it when asking for help.", "abc")))
	app.Get("/page", func() string { return "<h1>hi</h1>" },
		brisk.Responses(200, "The page", nil, brisk.ResponseContentType("text/html"), brisk.ResponseHeader("Cache-Control", "", nil)))
	doc := fetchDoc(t, app)
	op := docAt(t, doc, "paths", "/items/{id}", "put")
	assert.JSONEq(t, `[
		{"name":"id","in":"path","required":true,"schema":{"type":"integer","format":"int64"},"example":7},
		{"name":"limit","in":"query","required":false,"schema":{"type":"integer","format":"int64","default":10},"example":25}]`,
		jsonOf(t, docAt(t, op.(map[string]any), "parameters")))
	assert.JSONEq(t, `{"name":"Gadget","price":2}`, jsonOf(t, docAt(t, op.(map[string]any), "requestBody", "content", "application/json", "example")))
	assert.JSONEq(t, `{"name":"Gadget","price":2}`, jsonOf(t, docAt(t, op.(map[string]any), "responses", "200", "content", "application/json", "example")))
	assert.JSONEq(t, `{"X-Request-Id":{"description":"Quote it when asking for help.","schema":{"type":"string"},"example":"abc"}}`,
		jsonOf(t, docAt(t, op.(map[string]any), "responses", "404", "headers")))
	assert.JSONEq(t, `{"name":{"type":"string","examples":["Widget"]},"price":{"type":"number","format":"double","examples":[9.5]}}`,
		jsonOf(t, docAt(t, doc, "components", "schemas", "Item", "properties")))
	page := docAt(t, doc, "paths", "/page", "get", "responses", "200")
	assert.JSONEq(t, `{"description":"The page","headers":{"Cache-Control":{"schema":{"type":"string"}}},"content":{"text/html":{"schema":{"type":"string"}}}}`, jsonOf(t, page))

	// A mistake in an example is found at registration, naming the route.
	app, _ = quietApp()
	msg := panicText(func() {
		app.Get("/x", func() string { return "" }, brisk.ParamExample("query", "nope", 1))
	})
	assert.Contains(t, msg, `brisk: GET /x: handler`)
	assert.Contains(t, msg, `example for query parameter "nope": the route has no such parameter`)
	assert.Panics(t, func() {
		app.Get("/y", func(in struct {
			N int `query:"n" example:"many"`
		}) string {
			return ""
		})
	})
}

// panicText runs f and returns what it panicked with, as text ("" if it
// did not panic).
func panicText(f func()) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprint(r)
		}
	}()
	f()
	return ""
}
