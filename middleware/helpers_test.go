package middleware_test

import (
	"bytes"
	"compress/gzip"
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// record runs one request through h in memory.
func record(h http.Handler, r *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec.Result()
}

// newRequest builds a request with headers given as name, value pairs.
func newRequest(method, target string, headers ...string) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Add(headers[i], headers[i+1])
	}
	return r
}

// liveServer serves h over real HTTP, so Content-Length, chunking and
// flushing behave as they do in production. The gates are opened when the
// test ends, before the server waits for its handlers to return.
func liveServer(t *testing.T, h http.Handler, gates ...*gate) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	for _, g := range gates {
		t.Cleanup(g.open)
	}
	return srv
}

// rawClient neither asks for nor decodes gzip by itself, and never follows
// redirects, so tests see exactly what the server sent. Its timeout turns a
// response that never arrives into a failure instead of a hang.
func rawClient() *http.Client {
	return &http.Client{
		Timeout:       10 * time.Second,
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// fetch sends a request to the live server and returns the response with its
// body read in full.
func fetch(t *testing.T, srv *httptest.Server, method, path string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := rawClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func readBody(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return body
}

func gunzip(t *testing.T, compressed []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(compressed))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	return string(plain)
}

// varyTokens returns the set of Vary tokens across all field lines, and how
// many times each appears, so duplicates are visible.
func varyTokens(h http.Header) map[string]int {
	tokens := map[string]int{}
	for _, line := range h.Values("Vary") {
		for token := range strings.SplitSeq(line, ",") {
			if token = strings.TrimSpace(token); token != "" {
				tokens[token]++
			}
		}
	}
	return tokens
}

// text is a handler writing body with the given content type, in one write,
// declaring its length the way Starlette's PlainTextResponse does.
func text(status int, contentType, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// streamed is a handler writing count chunks, flushing after each one, like
// Starlette's StreamingResponse.
func streamed(chunk string, count int, headers ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		for range count {
			_, _ = io.WriteString(w, chunk)
			_ = http.NewResponseController(w).Flush()
		}
	})
}

// get starts a GET on the live server and returns as soon as the headers are in.
func get(t *testing.T, srv *httptest.Server, headers ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+"/", nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := rawClient().Do(req)
	require.NoError(t, err)
	return resp
}

// gate lets a test hold a handler at a point and release it. Given to
// liveServer, it is opened when the test ends, pass or fail, so a failing
// test cannot leave a handler blocked and the server unable to close.
type gate struct {
	ch   chan struct{}
	once sync.Once
}

func newGate() *gate { return &gate{ch: make(chan struct{})} }

func (g *gate) open() { g.once.Do(func() { close(g.ch) }) }

func (g *gate) wait() { <-g.ch }

// tlsState marks a request as received over TLS.
func tlsState() *tls.ConnectionState { return &tls.ConnectionState{} }
