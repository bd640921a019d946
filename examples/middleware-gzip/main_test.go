package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
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

// client does not decompress for us: the test sees the wire.
var client = &http.Client{Transport: &http.Transport{DisableCompression: true}}

// get returns the response and its raw body.
func get(t *testing.T, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}

func checkItems(t *testing.T, body []byte) {
	t.Helper()
	var items []Item
	require.NoError(t, json.Unmarshal(body, &items))
	require.Len(t, items, 100)
	assert.Equal(t, Item{ID: 42, Name: "item 42", Description: "a thing worth compressing"}, items[42])
}

func TestGZip(t *testing.T) {
	app := newApp()
	srv := httptest.NewServer(app)
	defer srv.Close()

	// Small: under MinimumSize, never compressed.
	resp, body := get(t, srv.URL+"/", "gzip")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Equal(t, `"somebigcontent"`, string(body))

	// Big, for a client that accepts gzip: compressed, and smaller.
	resp, body = get(t, srv.URL+"/items", "gzip, deflate")
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, resp.Header.Values("Vary"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	plain := gunzip(t, body)
	assert.Less(t, len(body), len(plain)/4)
	assert.GreaterOrEqual(t, len(plain), 1000)
	checkItems(t, plain)

	// Big, for a client that does not accept gzip (or refuses it): as it is.
	for _, ae := range []string{"", "identity", "gzip;q=0"} {
		resp, body = get(t, srv.URL+"/items", ae)
		assert.Empty(t, resp.Header.Get("Content-Encoding"), ae)
		checkItems(t, body)
	}

	exampletest.SaveOpenAPI(t, app, "middleware-gzip")
}

// The program itself: main serves on HOST:PORT, compressing, and exits with
// status 0 on SIGTERM.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	p := exampletest.StartMain(t, t.TempDir())
	resp, body := get(t, p.URL+"/items", "gzip")
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	checkItems(t, gunzip(t, body))
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
}
