package main

import (
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

// get sends GET url with the given Host header.
func get(t *testing.T, url, host string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	req.Host = host
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b)
}

func TestTrustedHost(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()

	for _, host := range []string{
		"example.com", "EXAMPLE.com", "example.com:8000",
		"www.example.com", "api.example.com", "a.b.example.com:443",
	} {
		resp, body := get(t, srv.URL+"/", host)
		assert.Equal(t, 200, resp.StatusCode, host)
		assert.JSONEq(t, `{"message":"Hello World"}`, body, host)
	}

	for _, host := range []string{
		"evil.com", "example.com.evil.com", "notexample.com", "example.org",
		"127.0.0.1", "[::1]:8000",
	} {
		resp, body := get(t, srv.URL+"/", host)
		assert.Equal(t, 400, resp.StatusCode, host)
		assert.Equal(t, "Invalid host header", body, host)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"), host)
	}

	// The check runs before routing: an unknown route on a bad host is 400.
	resp, _ := get(t, srv.URL+"/nowhere", "evil.com")
	assert.Equal(t, 400, resp.StatusCode)
	resp, _ = get(t, srv.URL+"/nowhere", "example.com")
	assert.Equal(t, 404, resp.StatusCode)

	exampletest.SaveOpenAPI(t, app, "middleware-trustedhost")
}

// The program itself: main serves on HOST:PORT, checking hosts, and exits
// with status 0 on SIGTERM.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	p := exampletest.StartMain(t, t.TempDir())
	resp, _ := get(t, p.URL+"/", "api.example.com")
	assert.Equal(t, 200, resp.StatusCode)
	resp, _ = get(t, p.URL+"/", "evil.com")
	assert.Equal(t, 400, resp.StatusCode)
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
}
