package tests

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

type Principal struct{ Name string }

func openAPIApp(cfg ...brisk.Config) *brisk.App {
	app, _ := quietApp(cfg...)
	app.Provide(func(h struct {
		Key string `header:"X-API-Key" doc:"Your key."`
	}) Principal {
		return Principal{Name: h.Key}
	})
	app.Get("/items/{id:[0-9]+}", func(id int, p Principal, q struct {
		Verbose bool `query:"verbose" default:"false"`
	}) (Item, error) {
		return Item{}, nil
	}, brisk.Tags("items"), brisk.Summary("Read one item"), brisk.Responses(404, "Item not found", nil))
	app.Post("/items", func(it Item) Item { return it }, brisk.Status(201), brisk.OperationID("createItem"), brisk.Deprecated())
	return app
}

func TestOpenAPIDocument(t *testing.T) {
	srv := serve(t, openAPIApp(brisk.Config{Title: "Shop", Version: "2.0.0", Description: "Things to buy"}))
	res := send(t, srv, request{Path: "/openapi.json"})
	require.Equal(t, 200, res.Status)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))

	var doc struct {
		OpenAPI string         `json:"openapi"`
		Info    map[string]any `json:"info"`
		Paths   map[string]map[string]struct {
			OperationID string           `json:"operationId"`
			Summary     string           `json:"summary"`
			Tags        []string         `json:"tags"`
			Deprecated  bool             `json:"deprecated"`
			Parameters  []map[string]any `json:"parameters"`
			RequestBody map[string]any   `json:"requestBody"`
			Responses   map[string]any   `json:"responses"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	assert.Equal(t, "3.1.0", doc.OpenAPI)
	assert.Equal(t, map[string]any{"title": "Shop", "version": "2.0.0", "description": "Things to buy"}, doc.Info)

	get := doc.Paths["/items/{id}"]["get"]
	assert.Equal(t, "Read one item", get.Summary)
	assert.Equal(t, []string{"items"}, get.Tags)
	names := map[string]string{}
	for _, p := range get.Parameters {
		names[p["name"].(string)] = p["in"].(string)
	}
	assert.Equal(t, map[string]string{"id": "path", "verbose": "query", "X-API-Key": "header"}, names,
		"the dependency's header is documented on the route")
	assert.Contains(t, get.Responses, "200")
	assert.Contains(t, get.Responses, "404")
	assert.Contains(t, get.Responses, "422")

	post := doc.Paths["/items"]["post"]
	assert.Equal(t, "createItem", post.OperationID)
	assert.True(t, post.Deprecated)
	assert.Equal(t, true, post.RequestBody["required"])
	assert.Contains(t, post.Responses, "201")
	assert.Contains(t, doc.Components.Schemas, "Item")
	assert.Contains(t, doc.Components.Schemas, "HTTPValidationError")

	// Served from memory with an ETag.
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)
	again := send(t, srv, request{Path: "/openapi.json", Headers: []string{"If-None-Match", etag}})
	assert.Equal(t, http.StatusNotModified, again.Status)
	assert.Empty(t, again.Body)
}

func TestDocsPages(t *testing.T) {
	srv := serve(t, openAPIApp(brisk.Config{Title: "Shop"}))
	res := send(t, srv, request{Path: "/docs"})
	assert.Equal(t, 200, res.Status)
	assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
	assert.Contains(t, res.Body, "swagger-ui")
	assert.Contains(t, res.Body, "/openapi.json")
	assert.Contains(t, res.Body, "integrity=")

	res = send(t, srv, request{Path: "/redoc"})
	assert.Equal(t, 200, res.Status)
	assert.Contains(t, res.Body, "redoc")
}

func TestDocsURLsConfigurable(t *testing.T) {
	srv := serve(t, openAPIApp(brisk.Config{OpenAPIURL: "/api/schema.json", DocsURL: "-", RedocURL: "/api/redoc",
		SwaggerUIBaseURL: "/assets/swagger"}))
	assert.Equal(t, 404, send(t, srv, request{Path: "/openapi.json"}).Status)
	assert.Equal(t, 200, send(t, srv, request{Path: "/api/schema.json"}).Status)
	assert.Equal(t, 404, send(t, srv, request{Path: "/docs"}).Status)
	res := send(t, srv, request{Path: "/api/redoc"})
	assert.Equal(t, 200, res.Status)
	assert.Contains(t, res.Body, "/api/schema.json")

	off := serve(t, openAPIApp(brisk.Config{OpenAPIURL: "-"}))
	assert.Equal(t, 404, send(t, off, request{Path: "/openapi.json"}).Status)
	assert.Equal(t, 404, send(t, off, request{Path: "/docs"}).Status)
	assert.Equal(t, 404, send(t, off, request{Path: "/redoc"}).Status)
}

func TestOpenAPIReflectsOverride(t *testing.T) {
	app := openAPIApp()
	srv := serve(t, app)
	require.Contains(t, send(t, srv, request{Path: "/openapi.json"}).Body, "X-API-Key")
	app.Override(func() Principal { return Principal{Name: "test"} })
	assert.NotContains(t, send(t, srv, request{Path: "/openapi.json"}).Body, "X-API-Key")
}
