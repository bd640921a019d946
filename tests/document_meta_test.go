package tests

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// FastAPI's metadata tutorials 001 and 004, test_openapi_servers, the
// extending_openapi and openapi_webhooks tutorials, include_in_schema.

func TestDocumentInfoMetadata(t *testing.T) {
	app := brisk.New(brisk.Config{
		Title:          "ChimichangApp",
		Description:    "ChimichangApp API helps you do awesome stuff. 🚀",
		Summary:        "Deadpool's favorite app. Nuff said.",
		Version:        "0.0.1",
		TermsOfService: "http://example.com/terms/",
		Contact:        &brisk.Contact{Name: "Deadpoolio the Amazing", URL: "http://x-force.example.com/contact/", Email: "dp@x-force.example.com"},
		License:        &brisk.License{Name: "Apache 2.0", URL: "https://www.apache.org/licenses/LICENSE-2.0.html"},
	})
	app.Get("/items/", func() []map[string]string { return []map[string]string{{"name": "Katana"}} })
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/items/", JSON: ""})
	assertJSON(t, `[{"name":"Katana"}]`, res)
	doc := docOf(t, srv)
	want := `{"title":"ChimichangApp","summary":"Deadpool's favorite app. Nuff said.","description":"ChimichangApp API helps you do awesome stuff. 🚀",
		"termsOfService":"http://example.com/terms/","contact":{"name":"Deadpoolio the Amazing","url":"http://x-force.example.com/contact/","email":"dp@x-force.example.com"},
		"license":{"name":"Apache 2.0","url":"https://www.apache.org/licenses/LICENSE-2.0.html"},"version":"0.0.1"}`
	assertJSON(t, want, result{Body: mustJSON(t, doc["info"])})
	assert.NotContains(t, doc, "servers")
}

func TestDocumentTagsAndExternalDocs(t *testing.T) {
	app := brisk.New(brisk.Config{
		Tags: []brisk.Tag{
			{Name: "users", Description: "Operations with users. The **login** logic is also here."},
			{Name: "items", Description: "Manage items. So _fancy_ they have their own docs.",
				ExternalDocs: &brisk.ExternalDocs{Description: "Items external docs", URL: "https://fastapi.tiangolo.com/"}},
		},
		ExternalDocs: &brisk.ExternalDocs{URL: "https://example.com/guide"},
	})
	app.Get("/users/", func() []map[string]string { return nil }, brisk.Tags("users"))
	app.Get("/items/", func() []map[string]string { return nil }, brisk.Tags("items"))
	doc := docOf(t, serve(t, app))
	assertJSON(t, `[{"name":"users","description":"Operations with users. The **login** logic is also here."},
		{"name":"items","description":"Manage items. So _fancy_ they have their own docs.","externalDocs":{"description":"Items external docs","url":"https://fastapi.tiangolo.com/"}}]`,
		result{Body: mustJSON(t, doc["tags"])})
	assertJSON(t, `{"url":"https://example.com/guide"}`, result{Body: mustJSON(t, doc["externalDocs"])})
}

func TestDocumentServers(t *testing.T) {
	app := brisk.New(brisk.Config{Servers: []brisk.Server{
		{URL: "/", Description: "Default, relative server"},
		{URL: "http://staging.localhost.tiangolo.com:8000", Description: "Staging but actually localhost still"},
		{URL: "https://prod.example.com"},
	}})
	app.Get("/foo", func() map[string]string { return map[string]string{"message": "Hello World"} })
	srv := serve(t, app)
	assert.Equal(t, 200, send(t, srv, request{Method: "GET", Path: "/foo", JSON: ""}).Status)
	doc := docOf(t, srv)
	assertJSON(t, `[{"url":"/","description":"Default, relative server"},
		{"url":"http://staging.localhost.tiangolo.com:8000","description":"Staging but actually localhost still"},
		{"url":"https://prod.example.com"}]`, result{Body: mustJSON(t, doc["servers"])})
}

// Hidden routes are served but not documented; raw http.Handler routes are
// never documented.
func TestDocumentHidden(t *testing.T) {
	app := brisk.New()
	app.Get("/shown", func() string { return "a" })
	app.Get("/hidden", func() string { return "b" }, brisk.Hidden())
	g := app.Group("/internal", brisk.Hidden())
	g.Get("/x", func() string { return "c" })
	app.Get("/raw", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("d")) }))
	// docs/openapi.md's recipe for docs assets of one's own, both forms.
	assets := fstest.MapFS{"swagger-ui-bundle.js": {Data: []byte("js")}}
	app.Get("/assets/*", http.StripPrefix("/assets/", http.FileServerFS(assets)))
	app.Mount("/static", http.FileServerFS(assets))
	srv := serve(t, app)
	for path, body := range map[string]string{"/hidden": `"b"`, "/internal/x": `"c"`, "/raw": "d",
		"/assets/swagger-ui-bundle.js": "js", "/static/swagger-ui-bundle.js": "js"} {
		res := send(t, srv, request{Method: "GET", Path: path, JSON: ""})
		assert.Equal(t, 200, res.Status)
		assert.Equal(t, body, res.Body)
	}
	paths := docOf(t, srv)["paths"].(map[string]any)
	assert.Equal(t, []string{"/shown"}, keys(paths))
}

// ExtendOpenAPI edits the built document (FastAPI's extending_openapi
// tutorial: a ReDoc logo); an error from a hook is a 500.
func TestExtendOpenAPI(t *testing.T) {
	app := brisk.New(brisk.Config{Title: "Custom title", Version: "2.5.0", Summary: "This is a very custom OpenAPI schema",
		Description: "Here's a longer description of the custom **OpenAPI** schema"})
	app.Get("/items/", func() []map[string]string { return []map[string]string{{"name": "Foo"}} })
	calls := 0
	app.ExtendOpenAPI(func(doc map[string]any) error {
		calls++
		doc["info"].(map[string]any)["x-logo"] = map[string]any{"url": "https://fastapi.tiangolo.com/img/logo-margin/logo-teal.png"}
		return nil
	})
	srv := serve(t, app)
	assertJSON(t, `[{"name":"Foo"}]`, send(t, srv, request{Method: "GET", Path: "/items/", JSON: ""}))
	doc := docOf(t, srv)
	docOf(t, srv)
	assertJSON(t, `{"title":"Custom title","version":"2.5.0","summary":"This is a very custom OpenAPI schema",
		"description":"Here's a longer description of the custom **OpenAPI** schema",
		"x-logo":{"url":"https://fastapi.tiangolo.com/img/logo-margin/logo-teal.png"}}`, result{Body: mustJSON(t, doc["info"])})
	assert.Equal(t, 1, calls, "built once")

	bad, logs := quietApp()
	bad.Get("/", func() string { return "" })
	bad.ExtendOpenAPI(func(map[string]any) error { return errors.New("no logo") })
	res := send(t, serve(t, bad), request{Method: "GET", Path: "/openapi.json", JSON: ""})
	assert.Equal(t, 500, res.Status)
	assert.Contains(t, logs.String(), "no logo")
}

// Subscription is the openapi_webhooks tutorial's model.
type Subscription struct {
	Username   string    `json:"username"`
	MonthlyFee float64   `json:"monthly_fee"`
	StartDate  time.Time `json:"start_date"`
}

// newSubscription documents the webhook; it is never called.
func newSubscription(body Subscription) {}

func TestWebhooks(t *testing.T) {
	app := brisk.New()
	app.Webhook("post", "new-subscription", newSubscription,
		brisk.Description("When a new user subscribes to your service we'll send you a POST request with this\ndata to the URL that you register for the event `new-subscription` in the dashboard."))
	app.Get("/users/", func() []string { return []string{"Rick", "Morty"} })
	srv := serve(t, app)
	assertJSON(t, `["Rick","Morty"]`, send(t, srv, request{Method: "GET", Path: "/users/", JSON: ""}))
	assert.Equal(t, 404, send(t, srv, request{Method: "POST", Path: "/new-subscription", JSON: "{}"}).Status)
	doc := docOf(t, srv)
	assert.Equal(t, []string{"/users/"}, keys(doc["paths"].(map[string]any)))
	wh := doc["webhooks"].(map[string]any)["new-subscription"].(map[string]any)["post"].(map[string]any)
	assert.Equal(t, "New Subscription", wh["summary"])
	assert.Equal(t, "new_subscriptionnew_subscription_post", wh["operationId"])
	assertJSON(t, `{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Subscription"}}},"required":true}`,
		result{Body: mustJSON(t, wh["requestBody"])})
	assert.Contains(t, wh["responses"], "422")
	sub := doc["components"].(map[string]any)["schemas"].(map[string]any)["Subscription"].(map[string]any)
	assert.ElementsMatch(t, []any{"username", "monthly_fee", "start_date"}, sub["required"])

	assert.Panics(t, func() { brisk.New().Webhook("POST", "", newSubscription) })
	assert.Panics(t, func() { brisk.New().Webhook("POST", "x", func(id int) {}) }, "a path parameter in a webhook")
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Non-JSON responses are documented with their media types when the route
// says so (docs/openapi.md's recipe).
func TestDocumentNonJSONResponses(t *testing.T) {
	app := brisk.New()
	app.Get("/page", func() *brisk.Response { return brisk.HTML(200, "<h1>hi</h1>") },
		brisk.Responses(200, "The page", "", brisk.ResponseContentType("text/html")))
	app.Get("/report.pdf", func() *brisk.Response { return brisk.Blob(200, "application/pdf", []byte("%PDF")) },
		brisk.Responses(200, "The report", nil, brisk.ResponseContentType("application/pdf")))
	app.Get("/old", func() *brisk.Response { return brisk.Redirect(307, "/new") }, brisk.Status(307),
		brisk.Responses(307, "Moved", nil, brisk.ResponseContentType("text/plain"), brisk.ResponseHeader("Location", "Where it went", "/new")))
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/page", JSON: ""})
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "application/pdf", send(t, srv, request{Method: "GET", Path: "/report.pdf", JSON: ""}).Header.Get("Content-Type"))
	paths := docOf(t, srv)["paths"].(map[string]any)
	get := func(p string) string {
		return mustJSON(t, paths[p].(map[string]any)["get"].(map[string]any)["responses"])
	}
	assertJSON(t, `{"200":{"description":"The page","content":{"text/html":{"schema":{"type":"string"}}}}}`, result{Body: get("/page")})
	assertJSON(t, `{"200":{"description":"The report","content":{"application/pdf":{}}}}`, result{Body: get("/report.pdf")})
	assertJSON(t, `{"307":{"description":"Moved","content":{"text/plain":{"schema":{"type":"string"}}},
		"headers":{"Location":{"description":"Where it went","example":"/new","schema":{"type":"string"}}}}}`, result{Body: get("/old")})
	res = send(t, srv, request{Method: "GET", Path: "/old", JSON: ""})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "/new", res.Header.Get("Location"))
}
