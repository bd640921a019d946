package main

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

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

func get(t *testing.T, url string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// The whole job: a typed progress event per step, then done.
func TestProgress(t *testing.T) {
	srv := httptest.NewServer(newApp())
	defer srv.Close()
	resp := get(t, srv.URL+"/jobs/report/progress?steps=3&delay_ms=0")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "event: progress\n"+`data: {"job":"report","step":1,"total":3,"percent":33.333333333333336}`+"\nid: 1\nretry: 1000\n\n"+
		"event: progress\n"+`data: {"job":"report","step":2,"total":3,"percent":66.66666666666667}`+"\nid: 2\n\n"+
		"event: progress\n"+`data: {"job":"report","step":3,"total":3,"percent":100}`+"\nid: 3\n\n"+
		"event: done\n"+`data: {"job":"report","steps":3}`+"\n\n", string(body))

	// A reconnecting client resumes after the last event it saw.
	resp = get(t, srv.URL+"/jobs/report/progress?steps=3&delay_ms=0", "Last-Event-ID", "2")
	body, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(body), "event: progress\ndata: {\"job\":\"report\",\"step\":3,"), string(body))

	resp = get(t, srv.URL+"/jobs/report/progress?steps=0")
	assert.Equal(t, 422, resp.StatusCode)
	exampletest.SaveOpenAPI(t, newApp(), "sse-progress")
}

// Each step reaches the client as it happens.
func TestProgressStreams(t *testing.T) {
	srv := httptest.NewServer(newApp())
	defer srv.Close()
	resp := get(t, srv.URL+"/jobs/slow/progress?steps=1000&delay_ms=1")
	r := bufio.NewReader(resp.Body)
	line, err := r.ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "event: progress\n", line)
}

// The program itself.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	p := exampletest.StartMain(t, t.TempDir())
	resp := get(t, p.URL+"/")
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), "new EventSource")
	resp = get(t, p.URL+"/jobs/x/progress?steps=1&delay_ms=0")
	body, _ = io.ReadAll(resp.Body)
	assert.Contains(t, string(body), "event: done\n")
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
}
