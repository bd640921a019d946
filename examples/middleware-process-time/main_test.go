package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
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

// get returns the status, the X-Process-Time header and the body.
func get(t *testing.T, url string) (int, string, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header.Get("X-Process-Time"), string(b)
}

// processTime parses the header as FastAPI's str(process_time): seconds.
func processTime(t *testing.T, h string) float64 {
	t.Helper()
	secs, err := strconv.ParseFloat(h, 64)
	require.NoError(t, err, "X-Process-Time %q", h)
	assert.GreaterOrEqual(t, secs, 0.0)
	assert.Less(t, secs, 10.0, "seconds, not nanoseconds")
	return secs
}

func TestProcessTimeHeader(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()

	code, pt, body := get(t, srv.URL+"/items/1")
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"id":1,"name":"Hammer"}`, body)
	processTime(t, pt)

	// The stack wraps routing: unknown routes and validation errors are
	// timed too.
	code, pt, body = get(t, srv.URL+"/nowhere")
	assert.Equal(t, 404, code)
	assert.JSONEq(t, `{"detail":"Not Found"}`, body)
	processTime(t, pt)

	code, pt, _ = get(t, srv.URL+"/items/abc")
	assert.Equal(t, 422, code)
	processTime(t, pt)

	exampletest.SaveOpenAPI(t, app, "middleware-process-time")
}

// The program itself: main serves on HOST:PORT with the header, and exits
// with status 0 on SIGTERM.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	p := exampletest.StartMain(t, t.TempDir())
	code, pt, _ := get(t, p.URL+"/items/2")
	assert.Equal(t, 200, code)
	processTime(t, pt)
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
}
