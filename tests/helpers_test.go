// Package tests holds Brisk's end-to-end tests: real HTTP against
// httptest servers, through the public API only.
package tests

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
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

	ProtoMajor       int      // 1 or 2
	ContentLength    int64    // -1 when unknown
	TransferEncoding []string // as net/http's client reports it
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

// request is one request of a test. The zero value is GET of the server's
// root.
type request struct {
	Method string // default GET
	Path   string // the request target, after the server's address
	Host   string // the Host header, when not the server's own
	JSON   string // a body sent with Content-Type: application/json (unless Headers name one)
	Body   string // a body sent as it is, with only the Headers given
	// BodyReader is a body read as it is sent (chunked when it hides its
	// length), for large or slow bodies; instead of JSON and Body.
	BodyReader io.Reader
	Headers    []string // name, value pairs, added in order

	// Raw writes the request line and headers byte for byte on a fresh
	// connection, for targets and Host values net/http's client would
	// refuse or rewrite (//evil.com/, /\evil.com/, "::1").
	Raw bool
	// Client sends the request instead of a fresh one per request (a test
	// that controls connections); it must not follow redirects.
	Client *http.Client
	// Ctx is the request's context (default: the background context).
	Ctx context.Context
}

// send sends r to srv and reads the whole response. The default client
// neither asks for nor decodes gzip and never follows redirects, so the
// test sees exactly what the server sent.
func send(t *testing.T, srv *httptest.Server, r request) result {
	t.Helper()
	r, body := r.normalized(t)
	if r.Raw {
		return sendRaw(t, srv, r, body)
	}
	return readResult(t, open(t, srv, r))
}

// open is send for a test that reads the body itself, as it streams in:
// the response comes back as soon as its headers are in, and its body is
// closed with the test. Raw requests cannot be opened.
func open(t *testing.T, srv *httptest.Server, r request) *http.Response {
	t.Helper()
	r, body := r.normalized(t)
	require.False(t, r.Raw, "open: a Raw request is read by send")
	rd := r.BodyReader
	if body != "" {
		require.Nil(t, rd, "open: a request has a JSON or raw body, or a BodyReader")
		rd = strings.NewReader(body)
	}
	ctx := r.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, srv.URL+r.Path, rd)
	require.NoError(t, err)
	if r.Host != "" {
		req.Host = r.Host
	}
	for i := 0; i+1 < len(r.Headers); i += 2 {
		req.Header.Add(r.Headers[i], r.Headers[i+1])
	}
	client := r.Client
	if client == nil {
		tr := srv.Client().Transport.(*http.Transport).Clone()
		tr.DisableCompression = true
		t.Cleanup(tr.CloseIdleConnections)
		timeout := 10 * time.Second
		if r.BodyReader != nil {
			timeout = 2 * time.Minute // large uploads, under -race on a busy machine
		}
		client = &http.Client{
			Transport:     tr,
			Timeout:       timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// normalized fills r's defaults and returns the body to send: GET, and
// for a JSON body its Content-Type unless the headers name one.
func (r request) normalized(t *testing.T) (request, string) {
	t.Helper()
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	require.False(t, r.JSON != "" && r.Body != "", "send: a request has a JSON body or a raw body, not both")
	if r.JSON == "" {
		return r, r.Body
	}
	if !slices.ContainsFunc(headerNames(r.Headers), func(n string) bool { return strings.EqualFold(n, "Content-Type") }) {
		r.Headers = append([]string{"Content-Type", "application/json"}, r.Headers...)
	}
	return r, r.JSON
}

// sendRaw is send for a Raw request: the bytes of r on a fresh connection,
// closed after the response.
func sendRaw(t *testing.T, srv *httptest.Server, r request, body string) result {
	t.Helper()
	conn, err := net.DialTimeout("tcp", srv.Listener.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	host := r.Host
	if host == "" {
		host = srv.Listener.Addr().String()
	}
	var b strings.Builder
	b.WriteString(r.Method + " " + r.Path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n")
	for i := 0; i+1 < len(r.Headers); i += 2 {
		b.WriteString(r.Headers[i] + ": " + r.Headers[i+1] + "\r\n")
	}
	if body != "" {
		b.WriteString("Content-Length: " + strconv.Itoa(len(body)) + "\r\n")
	}
	b.WriteString("\r\n" + body)
	_, err = io.WriteString(conn, b.String())
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: r.Method})
	require.NoError(t, err)
	return readResult(t, resp)
}

// readResult reads resp to its end and closes it.
func readResult(t *testing.T, resp *http.Response) result {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "reading the body")
	return result{
		Status: resp.StatusCode, Header: resp.Header, Body: string(b),
		ProtoMajor: resp.ProtoMajor, ContentLength: resp.ContentLength, TransferEncoding: resp.TransferEncoding,
	}
}

// headerNames returns the names of name, value pairs.
func headerNames(pairs []string) []string {
	var names []string
	for i := 0; i < len(pairs); i += 2 {
		names = append(names, pairs[i])
	}
	return names
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
