package tests

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// FastAPI's sub_applications tutorial and behind_a_proxy tutorials 001–004,
// test_openapi_cache_root_path, and Mount's and RootPath's own rules.

func newSubApplications() (*brisk.App, *brisk.App) {
	app := brisk.New()
	app.Get("/app", func() map[string]string { return map[string]string{"message": "Hello World from main app"} })
	subapi := brisk.New()
	subapi.Get("/sub", readSub)
	app.Mount("/subapi", subapi)
	return app, subapi
}

func readSub() map[string]string { return map[string]string{"message": "Hello World from sub API"} }

func TestSubApplications(t *testing.T) {
	app, _ := newSubApplications()
	srv := serve(t, app)
	assertJSON(t, `{"message":"Hello World from main app"}`, send(t, srv, request{Method: "GET", Path: "/app", JSON: ""}))
	assertJSON(t, `{"message":"Hello World from sub API"}`, send(t, srv, request{Method: "GET", Path: "/subapi/sub", JSON: ""}))

	main := docOf(t, srv)
	assert.Equal(t, []string{"/app"}, keys(main["paths"].(map[string]any)))
	assert.NotContains(t, main, "servers")
	sub := docOf(t, srv, "/subapi/openapi.json")
	assert.Equal(t, []string{"/sub"}, keys(sub["paths"].(map[string]any)))
	assertJSON(t, `[{"url":"/subapi"}]`, result{Body: mustJSON(t, sub["servers"])})
	assert.Equal(t, "read_sub_sub_get", sub["paths"].(map[string]any)["/sub"].(map[string]any)["get"].(map[string]any)["operationId"])

	// The sub-app's docs pages load its document under the prefix.
	page := send(t, srv, request{Method: "GET", Path: "/subapi/docs", JSON: ""})
	assert.Equal(t, 200, page.Status)
	assert.Contains(t, page.Body, `"/subapi/openapi.json"`)
	assert.Contains(t, send(t, srv, request{Method: "GET", Path: "/subapi/redoc", JSON: ""}).Body, `"/subapi/openapi.json"`)
	// The main app's pages are unaffected.
	assert.Contains(t, send(t, srv, request{Method: "GET", Path: "/docs", JSON: ""}).Body, `"/openapi.json"`)
	assert.NotContains(t, send(t, srv, request{Method: "GET", Path: "/docs", JSON: ""}).Body, "subapi")

	// Unknown paths under the prefix are the sub-app's 404; its trailing-
	// slash redirect keeps the prefix.
	res := send(t, srv, request{Method: "GET", Path: "/subapi/nothing", JSON: ""})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"Not Found"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/subapi/sub/", JSON: ""})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "/subapi/sub", res.Header.Get("Location"))
}

// A mounted App keeps its middleware and error handlers; the mounting
// App's middleware runs around it too. Any http.Handler can be mounted.
func TestMountKeepsEachAppsOwn(t *testing.T) {
	var order []string
	mark := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name+" "+r.URL.Path)
				next.ServeHTTP(w, r)
			})
		}
	}
	parent := brisk.New()
	parent.Use(mark("parent"))
	parent.Get("/p", func() string { return "p" })
	sub := brisk.New()
	sub.Use(mark("sub"))
	sub.HandleError(func(r *http.Request, err *brisk.HTTPError) *brisk.Response {
		return brisk.Text(err.Status, "sub says "+brisk.RootPath(r))
	})
	sub.Get("/fail", func() (string, error) { return "", brisk.Error(409, nil) })
	sub.Get("/root", func(r *http.Request) string { return brisk.RootPath(r) })
	parent.Mount("/sub", sub)
	parent.Mount("/static", http.FileServerFS(fstest.MapFS{"a.txt": {Data: []byte("file a")}}))
	parent.Mount("/echo", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(r.Method + " " + r.URL.Path + " " + r.URL.RawQuery + " " + brisk.RootPath(r)))
	}))
	srv := serve(t, parent)

	res := send(t, srv, request{Method: "GET", Path: "/sub/fail", JSON: ""})
	assert.Equal(t, 409, res.Status)
	assert.Equal(t, "sub says /sub", res.Body)
	assert.Equal(t, []string{"parent /sub/fail", "sub /fail"}, order)
	order = nil
	assert.Equal(t, `"/sub"`, send(t, srv, request{Method: "GET", Path: "/sub/root", JSON: ""}).Body)
	assert.Equal(t, `"p"`, send(t, srv, request{Method: "GET", Path: "/p", JSON: ""}).Body)
	assert.Equal(t, []string{"parent /sub/root", "sub /root", "parent /p"}, order)

	assert.Equal(t, "file a", send(t, srv, request{Method: "GET", Path: "/static/a.txt", JSON: ""}).Body)
	assert.Equal(t, "POST /x/y q=1 /echo", send(t, srv, request{Method: "POST", Path: "/echo/x/y?q=1", JSON: "{}"}).Body)
	assert.Equal(t, "DELETE /  /echo", send(t, srv, request{Method: "DELETE", Path: "/echo", JSON: ""}).Body)
	assert.Equal(t, 404, send(t, srv, request{Method: "GET", Path: "/echoes", JSON: ""}).Status)
}

func TestMountFailFast(t *testing.T) {
	app := brisk.New()
	app.Get("/taken/*", func() string { return "" })
	h := http.NotFoundHandler()
	for _, prefix := range []string{"", "sub", "/sub/", "/{id}", "/a*", "/taken"} {
		assert.Panics(t, func() { app.Mount(prefix, h) }, prefix)
	}
	assert.Panics(t, func() { app.Mount("/x", nil) })
	assert.Panics(t, func() { app.Mount("/self", app) })
	app.Mount("/ok", h)
	assert.Panics(t, func() { app.Mount("/ok", h) })
}

// Shutdown of the mounting App waits for the mounted App's tasks and runs
// its OnShutdown hooks.
func TestMountShutdownDrainsSubApp(t *testing.T) {
	parent := brisk.New()
	sub := brisk.New()
	var ran, closed atomic.Bool
	release := make(chan struct{})
	sub.Get("/work", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { <-release; ran.Store(true); return nil })
		return "queued"
	})
	sub.OnShutdown(func(context.Context) error {
		closed.Store(ran.Load())
		return nil
	})
	parent.Mount("/sub", sub)
	srv := serve(t, parent)
	assert.Equal(t, `"queued"`, send(t, srv, request{Method: "GET", Path: "/sub/work", JSON: ""}).Body)
	close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, parent.Shutdown(ctx))
	assert.True(t, ran.Load())
	assert.True(t, closed.Load(), "the hook ran after the task")
}

func readMain(r *http.Request) map[string]string {
	return map[string]string{"message": "Hello World", "root_path": brisk.RootPath(r)}
}

// behind_a_proxy tutorial001: the proxy says the prefix (FastAPI's
// root_path from the server, X-Forwarded-Prefix here, opt-in).
func TestBehindAProxyForwardedPrefix(t *testing.T) {
	app := brisk.New(brisk.Config{TrustForwardedPrefix: true})
	app.Get("/app", readMain)
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/app", JSON: "", Headers: []string{"X-Forwarded-Prefix", "/api/v1"}})
	assertJSON(t, `{"message":"Hello World","root_path":"/api/v1"}`, res)
	res = send(t, srv, request{Method: "GET", Path: "/openapi.json", JSON: "", Headers: []string{"X-Forwarded-Prefix", "/api/v1"}})
	assert.Contains(t, res.Body, `"servers":[{"url":"/api/v1"}]`)
	// test_openapi_cache_root_path: one request's prefix never reaches
	// another's document.
	for _, p := range []string{"/path-a", "/path-b", "/evil"} {
		assert.Contains(t, send(t, srv, request{Method: "GET", Path: "/openapi.json", JSON: "", Headers: []string{"X-Forwarded-Prefix", p}}).Body, `"servers":[{"url":"`+p+`"}]`)
	}
	assert.NotContains(t, docOf(t, srv), "servers")
	assertJSON(t, `{"message":"Hello World","root_path":""}`, send(t, srv, request{Method: "GET", Path: "/app", JSON: ""}))
	// Not a plain path: ignored.
	for _, bad := range []string{"//evil.com", "/a\"><script>", "http://x", "/a?b"} {
		assertJSON(t, `{"message":"Hello World","root_path":""}`, send(t, srv, request{Method: "GET", Path: "/app", JSON: "", Headers: []string{"X-Forwarded-Prefix", bad}}))
	}
	page := send(t, srv, request{Method: "GET", Path: "/docs", JSON: "", Headers: []string{"X-Forwarded-Prefix", "/api/v1"}})
	assert.Contains(t, page.Body, `"/api/v1/openapi.json"`)

	// Off by default: the header is the client's.
	plain := brisk.New()
	plain.Get("/app", readMain)
	psrv := serve(t, plain)
	assertJSON(t, `{"message":"Hello World","root_path":""}`, send(t, psrv, request{Method: "GET", Path: "/app", JSON: "", Headers: []string{"X-Forwarded-Prefix", "/api/v1"}}))
	assert.NotContains(t, send(t, psrv, request{Method: "GET", Path: "/openapi.json", JSON: "", Headers: []string{"X-Forwarded-Prefix", "/api/v1"}}).Body, "servers")
}

// behind_a_proxy tutorial002: Config.RootPath.
func TestBehindAProxyRootPath(t *testing.T) {
	app := brisk.New(brisk.Config{RootPath: "/api/v1/"})
	app.Get("/app", readMain)
	app.Get("/items/", func() []string { return []string{"plumbus", "portal gun"} })
	srv := serve(t, app)
	assertJSON(t, `{"message":"Hello World","root_path":"/api/v1"}`, send(t, srv, request{Method: "GET", Path: "/app", JSON: ""}))
	doc := docOf(t, srv)
	assertJSON(t, `[{"url":"/api/v1"}]`, result{Body: mustJSON(t, doc["servers"])})
	assert.Contains(t, send(t, srv, request{Method: "GET", Path: "/docs", JSON: ""}).Body, `"/api/v1/openapi.json"`)
	assert.Contains(t, send(t, srv, request{Method: "GET", Path: "/redoc", JSON: ""}).Body, `"/api/v1/openapi.json"`)
	// The redirect the client follows has the prefix the proxy stripped.
	res := send(t, srv, request{Method: "GET", Path: "/items", JSON: ""})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "/api/v1/items/", res.Header.Get("Location"))

	assert.Panics(t, func() { brisk.New(brisk.Config{RootPath: "api"}) })
}

// behind_a_proxy tutorials 003 and 004: configured servers after the root
// path's, or without it.
func TestBehindAProxyServers(t *testing.T) {
	servers := []brisk.Server{
		{URL: "https://stag.example.com", Description: "Staging environment"},
		{URL: "https://prod.example.com", Description: "Production environment"},
	}
	app := brisk.New(brisk.Config{Servers: servers, RootPath: "/api/v1"})
	app.Get("/app", readMain)
	srv := serve(t, app)
	assertJSON(t, `{"message":"Hello World","root_path":"/api/v1"}`, send(t, srv, request{Method: "GET", Path: "/app", JSON: ""}))
	assertJSON(t, `[{"url":"/api/v1"},{"url":"https://stag.example.com","description":"Staging environment"},
		{"url":"https://prod.example.com","description":"Production environment"}]`, result{Body: mustJSON(t, docOf(t, srv)["servers"])})

	app4 := brisk.New(brisk.Config{Servers: servers, RootPath: "/api/v1", NoRootPathInServers: true})
	app4.Get("/app", readMain)
	srv4 := serve(t, app4)
	assertJSON(t, `{"message":"Hello World","root_path":"/api/v1"}`, send(t, srv4, request{Method: "GET", Path: "/app", JSON: ""}))
	assertJSON(t, `[{"url":"https://stag.example.com","description":"Staging environment"},
		{"url":"https://prod.example.com","description":"Production environment"}]`, result{Body: mustJSON(t, docOf(t, srv4)["servers"])})
	assert.Equal(t, "https://stag.example.com", servers[0].URL, "configured servers not changed")
}

// A sub-app mounted in an app behind a proxy: both prefixes.
func TestMountBehindRootPath(t *testing.T) {
	app := brisk.New(brisk.Config{RootPath: "/api"})
	sub := brisk.New()
	sub.Get("/where", func(r *http.Request) string { return brisk.RootPath(r) })
	app.Mount("/v2", sub)
	srv := serve(t, app)
	assert.Equal(t, `"/api/v2"`, send(t, srv, request{Method: "GET", Path: "/v2/where", JSON: ""}).Body)
	assertJSON(t, `[{"url":"/api/v2"}]`, result{Body: mustJSON(t, docOf(t, srv, "/v2/openapi.json")["servers"])})
}
