package main

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

func TestMain(m *testing.M) {
	if exampletest.IsMain() {
		main()
		return
	}
	os.Exit(m.Run())
}

// send makes one request with client, not following redirects.
func send(t *testing.T, client *http.Client, method, url, host string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	require.NoError(t, err)
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestHTTPSRedirect(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()

	cases := []struct{ method, target, host, location string }{
		{"GET", "/", "example.com", "https://example.com/"},
		{"GET", "/", "example.com:80", "https://example.com/"},
		{"GET", "/", "example.com:443", "https://example.com/"},
		{"GET", "/items?q=1&b=%2F", "example.com:8080", "https://example.com:8080/items?q=1&b=%2F"},
		{"POST", "/a%20b/c", "example.com", "https://example.com/a%20b/c"}, // 307 keeps the method
		{"GET", "/nowhere", "[::1]:8443", "https://[::1]:8443/nowhere"},
	}
	for _, c := range cases {
		resp, _ := send(t, srv.Client(), c.method, srv.URL+c.target, c.host)
		assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode, c.target)
		assert.Equal(t, c.location, resp.Header.Get("Location"), c.target)
	}

	// X-Forwarded-Proto is not trusted by default: a client could forge it.
	resp, _ := send(t, srv.Client(), "GET", srv.URL+"/", "example.com", "X-Forwarded-Proto", "https")
	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)

	// Over TLS the request goes through.
	secure := httptest.NewTLSServer(app)
	defer secure.Close()
	resp, body := send(t, secure.Client(), "GET", secure.URL+"/", "")
	assert.Equal(t, 200, resp.StatusCode)
	assert.JSONEq(t, `{"message":"Hello World"}`, body)

	// The document is served over HTTPS like the rest.
	exampletest.SaveOpenAPI(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.TLS = &tls.ConnectionState{}
		app.ServeHTTP(w, r)
	}), "middleware-httpsredirect")
}

// The program itself: main serves on HOST:PORT, redirecting, and exits with
// status 0 on SIGTERM.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	p := exampletest.StartMain(t, t.TempDir())
	resp, _ := send(t, http.DefaultClient, "GET", p.URL+"/?q=1", "")
	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
	assert.Equal(t, "https://"+p.URL[len("http://"):]+"/?q=1", resp.Header.Get("Location"))
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
}
