package tests

// Helpers for the conformance_*_test.go files: end-to-end ports of
// FastAPI's and Starlette's own test suites.

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// confReq is one request of a conformance test.
type confReq struct {
	Method  string
	Path    string
	Host    string // the Host header, when not the server's own
	Body    string
	Headers []string // name, value pairs, sent as they are
}

// confDo sends req with a client that neither asks for nor decodes gzip and
// never follows redirects, so the test sees exactly what the server sent.
func confDo(t *testing.T, srv *httptest.Server, req confReq) result {
	t.Helper()
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	var rd io.Reader
	if req.Body != "" {
		rd = strings.NewReader(req.Body)
	}
	r, err := http.NewRequest(method, srv.URL+req.Path, rd)
	require.NoError(t, err)
	if req.Host != "" {
		r.Host = req.Host
	}
	for i := 0; i+1 < len(req.Headers); i += 2 {
		r.Header.Add(req.Headers[i], req.Headers[i+1])
	}
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.DisableCompression = true
	client := &http.Client{
		Transport:     tr,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(tr.CloseIdleConnections)
	resp, err := client.Do(r)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// serveTLS starts app on a TLS listener, closed (and drained) with the test.
func serveTLS(t *testing.T, app *brisk.App) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(app)
	srv.StartTLS()
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = app.Shutdown(ctx)
	})
	return srv
}

// gunzipString decodes a gzip body.
func gunzipString(t *testing.T, body string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(body))
	require.NoError(t, err)
	b, err := io.ReadAll(zr)
	require.NoError(t, err)
	return string(b)
}

// varySet is the set of tokens of every Vary header, as Starlette's
// assert_vary reads them; nil when there is no Vary header.
func varySet(h http.Header) map[string]bool {
	vals := h.Values("Vary")
	if len(vals) == 0 {
		return nil
	}
	set := map[string]bool{}
	for _, v := range vals {
		for _, tok := range strings.Split(v, ",") {
			if tok = strings.TrimSpace(tok); tok != "" {
				set[tok] = true
			}
		}
	}
	return set
}

// assertVary is Starlette's assert_vary: the Vary tokens are exactly want
// (no Vary header at all when want is nil).
func assertVary(t *testing.T, res result, want ...string) {
	t.Helper()
	got := varySet(res.Header)
	if want == nil {
		assert.Nil(t, got, "Vary: %q", res.Header.Values("Vary"))
		return
	}
	exp := map[string]bool{}
	for _, w := range want {
		exp[w] = true
	}
	assert.Equal(t, exp, got, "Vary: %q", res.Header.Values("Vary"))
}

// tokenSet splits a comma-separated header value into its trimmed tokens.
func tokenSet(v string) map[string]bool {
	set := map[string]bool{}
	for _, tok := range strings.Split(v, ",") {
		if tok = strings.TrimSpace(tok); tok != "" {
			set[tok] = true
		}
	}
	return set
}

// assertJSON compares a body with the expected JSON document, as Python's
// response.json() == expected does (numbers compare by value).
func assertJSON(t *testing.T, want string, res result) {
	t.Helper()
	var w, g any
	require.NoError(t, json.Unmarshal([]byte(want), &w), "expected JSON: %s", want)
	dec := json.NewDecoder(bytes.NewReader([]byte(res.Body)))
	require.NoError(t, dec.Decode(&g), "body: %s", res.Body)
	assert.Equal(t, w, g, "body: %s", res.Body)
}

// rawDo sends one HTTP/1.1 request with exactly the given Host header bytes
// (which net/http's client would refuse or rewrite) and reads the response.
func rawDo(t *testing.T, srv *httptest.Server, method, target, host string, headers ...string) result {
	t.Helper()
	conn, err := net.DialTimeout("tcp", srv.Listener.Addr().String(), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	var b strings.Builder
	b.WriteString(method + " " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n")
	for i := 0; i+1 < len(headers); i += 2 {
		b.WriteString(headers[i] + ": " + headers[i+1] + "\r\n")
	}
	b.WriteString("\r\n")
	_, err = io.WriteString(conn, b.String())
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}
}
