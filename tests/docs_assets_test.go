package tests

import (
	"net/http"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// docsFS stands in for docsui.Assets (a module of its own, tested there
// with the real builds).
func docsFS() fstest.MapFS {
	return fstest.MapFS{
		"swagger-ui-bundle.js": {Data: []byte("window.SwaggerUIBundle = function () {}")},
		"swagger-ui.css":       {Data: []byte("body { margin: 0 }")},
		"redoc.standalone.js":  {Data: []byte("window.Redoc = {}")},
		"redoc.LICENSE":        {Data: []byte("MIT")},
		"sub/hidden.js":        {Data: []byte("not served")},
		"{id}.js":              {Data: []byte("not a pattern")},
	}
}

// Config.DocsAssets: the pages load the files from the app, each root file
// is served with its type and a strong ETag, subfolders are not, and none
// of it is an operation of the document.
func TestDocsAssetsServedByTheApp(t *testing.T) {
	app, _ := quietApp(brisk.Config{DocsAssets: docsFS()})
	app.Get("/items/{id}", func(id int) map[string]int { return map[string]int{"id": id} })
	srv := serve(t, app)

	docs := send(t, srv, request{Path: "/docs"})
	assert.Contains(t, docs.Body, `media="print" onload="this.media='all'" href="/docs/assets/swagger-ui.css">`)
	assert.Contains(t, docs.Body, `<script src="/docs/assets/swagger-ui-bundle.js" onerror="briskDocsFailed()"></script>`)
	assert.Contains(t, send(t, srv, request{Path: "/redoc"}).Body, `<script src="/docs/assets/redoc.standalone.js" onerror=`)
	for _, p := range []string{"/docs", "/redoc"} {
		body := send(t, srv, request{Path: p}).Body
		assert.NotContains(t, body, "integrity=", p)
		assert.NotContains(t, body, "cdn.", p)
	}

	res := send(t, srv, request{Path: "/docs/assets/swagger-ui-bundle.js"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "text/javascript; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	assert.Equal(t, "window.SwaggerUIBundle = function () {}", res.Body)
	etag := res.Header.Get("ETag")
	require.Regexp(t, `^"[0-9a-f]{32}"$`, etag)
	again := send(t, srv, request{Path: "/docs/assets/swagger-ui-bundle.js", Headers: []string{"If-None-Match", etag}})
	assert.Equal(t, http.StatusNotModified, again.Status)
	assert.Empty(t, again.Body)
	assert.NotEqual(t, etag, send(t, srv, request{Path: "/docs/assets/redoc.standalone.js"}).Header.Get("ETag"))

	assert.Equal(t, "text/css; charset=utf-8", send(t, srv, request{Path: "/docs/assets/swagger-ui.css"}).Header.Get("Content-Type"))
	assert.Equal(t, "MIT", send(t, srv, request{Path: "/docs/assets/redoc.LICENSE"}).Body)
	for _, p := range []string{"/docs/assets/sub/hidden.js", "/docs/assets/", "/docs/assets/nope.js", "/docs/assets/../redoc.LICENSE", "/docs/assets/x.js", "/docs/assets/{id}.js"} {
		res := send(t, srv, request{Path: p})
		assert.Equal(t, 404, res.Status, p)
		assert.JSONEq(t, `{"detail":"Not Found"}`, res.Body, p)
	}

	paths := obj(t, map[string]any(openAPIDoc(t, app)), "paths")
	assert.Equal(t, []string{"/items/{id}"}, sortedKeys(paths))
}

// With the Swagger UI page off the assets sit beside the ReDoc page; base
// URLs the user set still win; with both pages off nothing is served.
func TestDocsAssetsURL(t *testing.T) {
	srv := serve(t, brisk.New(brisk.Config{DocsAssets: docsFS(), DocsURL: "-", RedocURL: "/api/redoc/"}))
	assert.Contains(t, send(t, srv, request{Path: "/api/redoc/"}).Body, `<script src="/api/redoc/assets/redoc.standalone.js"`)
	assert.Equal(t, 200, send(t, srv, request{Path: "/api/redoc/assets/redoc.standalone.js"}).Status)
	assert.Equal(t, 404, send(t, srv, request{Path: "/docs/assets/redoc.standalone.js"}).Status)

	srv = serve(t, brisk.New(brisk.Config{DocsAssets: docsFS(), SwaggerUIBaseURL: "https://static.example.com/sw"}))
	assert.Contains(t, send(t, srv, request{Path: "/docs"}).Body, `<script src="https://static.example.com/sw/swagger-ui-bundle.js"`)
	assert.Contains(t, send(t, srv, request{Path: "/redoc"}).Body, `<script src="/docs/assets/redoc.standalone.js"`)

	srv = serve(t, brisk.New(brisk.Config{DocsAssets: docsFS(), DocsURL: "-", RedocURL: "-"}))
	assert.Equal(t, 404, send(t, srv, request{Path: "/docs/assets/redoc.standalone.js"}).Status)
	assert.Equal(t, 404, send(t, srv, request{Path: "/redoc/assets/redoc.standalone.js"}).Status)
}

// A DocsAssets without the files the pages load fails at New, naming the
// file, not with a blank page later.
func TestDocsAssetsMissingFilePanicsAtNew(t *testing.T) {
	fsys := docsFS()
	delete(fsys, "redoc.standalone.js")
	assert.PanicsWithValue(t, "brisk: Config.DocsAssets has no file redoc.standalone.js in its root; use docsui.Assets (module github.com/briskgo/brisk/docsui)",
		func() { brisk.New(brisk.Config{DocsAssets: fsys}) })
}

// Swagger UI's OAuth2 redirect page (FastAPI's swagger_ui_oauth2_redirect_url):
// served with the Swagger UI page, named by it, movable and off with "-".
func TestSwaggerUIOAuth2Redirect(t *testing.T) {
	app := openAPIApp()
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/docs/oauth2-redirect"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Contains(t, res.Body, "window.opener.swaggerUIRedirectOauth2")
	assert.Contains(t, send(t, srv, request{Path: "/docs"}).Body, `oauth2RedirectUrl: window.location.origin + "/docs/oauth2-redirect",`)
	assert.NotContains(t, obj(t, map[string]any(openAPIDoc(t, app)), "paths"), "/docs/oauth2-redirect")

	srv = serve(t, openAPIApp(brisk.Config{SwaggerUIOAuth2RedirectURL: "/auth/callback"}))
	assert.Equal(t, 404, send(t, srv, request{Path: "/docs/oauth2-redirect"}).Status)
	assert.Contains(t, send(t, srv, request{Path: "/auth/callback"}).Body, "swaggerUIRedirectOauth2")
	assert.Contains(t, send(t, srv, request{Path: "/docs"}).Body, `window.location.origin + "/auth/callback"`)

	srv = serve(t, openAPIApp(brisk.Config{SwaggerUIOAuth2RedirectURL: "-"}))
	assert.Equal(t, 404, send(t, srv, request{Path: "/docs/oauth2-redirect"}).Status)
	assert.NotContains(t, send(t, srv, request{Path: "/docs"}).Body, "oauth2RedirectUrl")

	// As in FastAPI, no Swagger UI page, no redirect page.
	srv = serve(t, openAPIApp(brisk.Config{DocsURL: "-"}))
	assert.Equal(t, 404, send(t, srv, request{Path: "/docs/oauth2-redirect"}).Status)
}

// docs/openapi.md's recipe for copies of one's own: the base URLs point the
// pages at them, an http.Handler route serves them, and that route is not
// an operation of the document.
func TestDocsOwnAssetsRecipe(t *testing.T) {
	app, _ := quietApp(brisk.Config{SwaggerUIBaseURL: "/assets/swagger-ui", RedocBaseURL: "/assets/redoc"})
	files := fstest.MapFS{"swagger-ui/swagger-ui-bundle.js": {Data: []byte("ui")}, "redoc/redoc.standalone.js": {Data: []byte("re")}}
	app.Get("/assets/*", http.StripPrefix("/assets/", http.FileServerFS(files)))
	app.Get("/items", func() []string { return []string{} })
	srv := serve(t, app)

	assert.Contains(t, send(t, srv, request{Path: "/docs"}).Body, `<script src="/assets/swagger-ui/swagger-ui-bundle.js"`)
	assert.Contains(t, send(t, srv, request{Path: "/redoc"}).Body, `<script src="/assets/redoc/redoc.standalone.js"`)
	assert.Equal(t, "ui", send(t, srv, request{Path: "/assets/swagger-ui/swagger-ui-bundle.js"}).Body)
	assert.Equal(t, "re", send(t, srv, request{Path: "/assets/redoc/redoc.standalone.js"}).Body)
	assert.Equal(t, []string{"/items"}, sortedKeys(obj(t, map[string]any(openAPIDoc(t, app)), "paths")))
}
