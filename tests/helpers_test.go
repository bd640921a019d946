// Package tests holds Brisk's end-to-end tests: real HTTP against
// httptest servers, through the public API only.
package tests

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// result is a response as a test sees it.
type result struct {
	Status int
	Header http.Header
	Body   string
}

// JSON decodes the body into a generic value.
func (r result) JSON(t *testing.T) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(r.Body), &v), "body: %s", r.Body)
	return v
}

// serve starts app on a real listener, closed (and drained) with the test.
func serve(t *testing.T, app *brisk.App) *httptest.Server {
	t.Helper()
	return serveOn(t, app, nil, 5*time.Second)
}

// serveOn is serve with the listener wrapped by wrap (nil: as it is) and
// drain bounding the Shutdown that waits for background tasks.
func serveOn(t *testing.T, app *brisk.App, wrap func(net.Listener) net.Listener, drain time.Duration) *httptest.Server {
	t.Helper()
	return serveWith(t, app, wrap, drain, false)
}

// serveWith is serveOn; with configure, the server is set up by
// app.ConfigureServer first, as Run's is.
func serveWith(t *testing.T, app *brisk.App, wrap func(net.Listener) net.Listener, drain time.Duration, configure bool) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(app)
	if configure {
		app.ConfigureServer(srv.Config)
	}
	if wrap != nil {
		srv.Listener = wrap(srv.Listener)
	}
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), drain)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return srv
}

// do sends one request and reads the whole response.
func do(t *testing.T, srv *httptest.Server, method, path, body string, headers ...string) result {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// logBuffer captures an App's logs for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// quietApp returns an App whose logs go to a buffer.
func quietApp(cfg ...brisk.Config) (*brisk.App, *logBuffer) {
	logs := &logBuffer{}
	c := brisk.Config{}
	if len(cfg) > 0 {
		c = cfg[0]
	}
	c.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	return brisk.New(c), logs
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// chunkedBody hides a body's length, so the client sends it chunked.
func chunkedBody(s string) io.Reader {
	return struct{ io.Reader }{strings.NewReader(s)}
}
