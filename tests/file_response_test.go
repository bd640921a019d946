package tests

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// File: type, length, Last-Modified, ETag, conditional requests, ranges,
// HEAD; Attachment's Content-Disposition as Starlette writes it.
func TestFileResponse(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.txt")
	require.NoError(t, os.WriteFile(path, []byte("0123456789"), 0o600))
	app, logs := quietApp()
	app.Get("/file", func() *brisk.Response { return brisk.File(path) })
	app.Get("/download", func() *brisk.Response { return brisk.Attachment(path, "report.txt") })
	app.Get("/download-utf8", func() *brisk.Response { return brisk.Attachment(path, "résumé final.txt") })
	app.Get("/missing", func() *brisk.Response { return brisk.File(filepath.Join(dir, "nope.txt")) })
	app.Get("/dir", func() *brisk.Response { return brisk.File(dir) })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "GET", Path: "/file", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "0123456789", res.Body)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "10", res.Header.Get("Content-Length"))
	assert.Equal(t, "bytes", res.Header.Get("Accept-Ranges"))
	assert.NotEmpty(t, res.Header.Get("Last-Modified"))
	etag := res.Header.Get("ETag")
	require.NotEmpty(t, etag)

	res = send(t, srv, request{Method: "GET", Path: "/file", JSON: "", Headers: []string{"If-None-Match", etag}})
	assert.Equal(t, 304, res.Status)
	assert.Empty(t, res.Body)
	res = send(t, srv, request{Method: "GET", Path: "/file", JSON: "", Headers: []string{"Range", "bytes=2-4"}})
	assert.Equal(t, 206, res.Status)
	assert.Equal(t, "234", res.Body)
	assert.Equal(t, "bytes 2-4/10", res.Header.Get("Content-Range"))
	res = send(t, srv, request{Method: "GET", Path: "/file", JSON: "", Headers: []string{"Range", "bytes=20-30"}})
	assert.Equal(t, 416, res.Status)
	res = send(t, srv, request{Method: "HEAD", Path: "/file", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "10", res.Header.Get("Content-Length"))
	assert.Empty(t, res.Body)

	res = send(t, srv, request{Method: "GET", Path: "/download", JSON: ""})
	assert.Equal(t, `attachment; filename="report.txt"`, res.Header.Get("Content-Disposition"))
	assert.Equal(t, "0123456789", res.Body)
	res = send(t, srv, request{Method: "GET", Path: "/download-utf8", JSON: ""})
	assert.Equal(t, `attachment; filename*=utf-8''r%C3%A9sum%C3%A9%20final.txt`, res.Header.Get("Content-Disposition"))

	for _, p := range []string{"/missing", "/dir"} {
		res = send(t, srv, request{Method: "GET", Path: p, JSON: ""})
		assert.Equal(t, 500, res.Status, p)
		assertJSON(t, `{"detail":"Internal Server Error"}`, res)
		assert.Empty(t, res.Header.Get("Content-Disposition"))
	}
	assert.Contains(t, logs.String(), "nope.txt")
}

// Content serves any io.ReadSeeker; headers the handler sets are kept.
func TestContentResponse(t *testing.T) {
	mod := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	app := brisk.New()
	app.Get("/data.csv", func() *brisk.Response {
		resp := brisk.Content("data.csv", mod, bytes.NewReader([]byte("a,b\n1,2\n")))
		resp.Header().Set("Cache-Control", "max-age=60")
		return resp
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/data.csv", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "a,b\n1,2\n", res.Body)
	assert.Equal(t, "text/csv; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "max-age=60", res.Header.Get("Cache-Control"))
	assert.Equal(t, "Fri, 02 Jan 2026 03:04:05 GMT", res.Header.Get("Last-Modified"))
	res = send(t, srv, request{Method: "GET", Path: "/data.csv", JSON: "", Headers: []string{"If-Modified-Since", "Fri, 02 Jan 2026 03:04:05 GMT"}})
	assert.Equal(t, 304, res.Status)
}

// Stream copies a reader as it is read: each chunk reaches the client at
// once, also through call-next middleware; the reader is closed.
func TestStreamResponse(t *testing.T) {
	pr, pw := io.Pipe()
	closed := make(chan struct{})
	app := brisk.New()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
	app.Get("/log", func() *brisk.Response {
		return brisk.Stream(200, "text/plain; charset=utf-8", closeNotifier{pr, closed})
	})
	srv := serve(t, app)
	resp, body := openStream(t, srv, "GET", "/log")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Empty(t, resp.Header.Get("Content-Length"))
	for _, line := range []string{"first\n", "second\n"} {
		_, err := io.WriteString(pw, line)
		require.NoError(t, err)
		got, err := body.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, line, got)
	}
	require.NoError(t, pw.Close())
	assert.Equal(t, "", readAll(t, body))
	bgRecv(t, closed, "the reader closed")
}

type closeNotifier struct {
	io.Reader
	closed chan struct{}
}

func (c closeNotifier) Close() error { close(c.closed); return nil }

// A call-next layer may answer with a File of its own.
func TestFileFromMiddleware(t *testing.T) {
	path := filepath.Join(t.TempDir(), "maintenance.html")
	require.NoError(t, os.WriteFile(path, []byte("<h1>back soon</h1>"), 0o600))
	app := brisk.New()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		if strings.HasPrefix(r.URL.Path, "/down") {
			return brisk.File(path)
		}
		return next(r)
	})
	app.Get("/down", func() string { return "unreachable" })
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/down", JSON: ""})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "<h1>back soon</h1>", res.Body)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
}
