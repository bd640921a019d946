package tests

// GZip's per-response opt-out through an App (docs/middleware.md, BREACH):
// a *brisk.Response, a plain handler and a call-next layer can each keep a
// response out of compression.

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

func TestGZipOptOutThroughApp(t *testing.T) {
	page := "<p>" + strings.Repeat("csrf=s3cr3t q=guess ", 100) + "</p>"
	app, _ := quietApp()
	app.Use(middleware.GZip())
	app.Get("/response", func() *brisk.Response {
		resp := brisk.HTML(200, page)
		resp.Header().Set(middleware.NoCompression, "1")
		return resp
	})
	app.Get("/writer", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set(middleware.NoCompression, "1")
		_, _ = w.Write([]byte(page))
	})
	account := app.Group("/layer")
	account.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set(middleware.NoCompression, "1")
		return resp
	})
	account.Get("/page", func() *brisk.Response { return brisk.HTML(200, page) })
	app.Get("/compressed", func() *brisk.Response { return brisk.HTML(200, page) })
	srv := serve(t, app)

	for _, path := range []string{"/response", "/writer", "/layer/page"} {
		res := send(t, srv, request{Path: path, Headers: []string{"Accept-Encoding", "gzip"}})
		assert.Equal(t, 200, res.Status, path)
		assert.Equal(t, page, res.Body, path)
		assert.Empty(t, res.Header.Values("Content-Encoding"), path)
		assert.Empty(t, res.Header.Values(middleware.NoCompression), path)
		assert.Empty(t, res.Header.Values("Vary"), path)
	}
	res := send(t, srv, request{Path: "/compressed", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"), "without the header the same page is compressed")
	assert.Equal(t, page, gunzipString(t, res.Body))
}
