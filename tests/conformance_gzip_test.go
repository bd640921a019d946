package tests

// End-to-end ports of Starlette's tests/middleware/test_gzip.py
// (github.com/Kludex/starlette), through a Brisk app: the one home of that
// suite. middleware/gzip_test.go drives the middleware alone.

import (
	"crypto/sha256"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// gzipApp serves handler at "/" behind GZip with its defaults.
func gzipApp(t *testing.T, handler any, cfg ...middleware.GZipConfig) *brisk.App {
	t.Helper()
	app, _ := quietApp()
	app.Use(middleware.GZip(cfg...))
	app.Get("/", handler)
	return app
}

// streamChunks writes count chunks of chunk, flushing each, as Starlette's
// StreamingResponse sends one body message per item of its generator.
func streamChunks(w http.ResponseWriter, chunk string, count int) {
	rc := http.NewResponseController(w)
	for range count {
		_, _ = w.Write([]byte(chunk))
		_ = rc.Flush()
	}
}

// Starlette tests/middleware/test_gzip.py::test_gzip_responses
func TestStarletteGZipResponses(t *testing.T) {
	srv := serve(t, gzipApp(t, func() *brisk.Response { return brisk.Text(200, strings.Repeat("x", 4000)) }))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, strings.Repeat("x", 4000), gunzipString(t, res.Body))
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, res.Header.Values("Vary"))
	n, err := strconv.Atoi(res.Header.Get("Content-Length"))
	require.NoError(t, err)
	assert.Less(t, n, 4000)
}

// Starlette tests/middleware/test_gzip.py::test_gzip_not_in_accept_encoding
func TestStarletteGZipNotInAcceptEncoding(t *testing.T) {
	srv := serve(t, gzipApp(t, func() *brisk.Response { return brisk.Text(200, strings.Repeat("x", 4000)) }))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "identity"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, strings.Repeat("x", 4000), res.Body)
	assert.Empty(t, res.Header.Values("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, res.Header.Values("Vary"))
	assert.Equal(t, "4000", res.Header.Get("Content-Length"))
}

// Starlette tests/middleware/test_gzip.py::test_gzip_ignored_for_small_responses
func TestStarletteGZipIgnoredForSmallResponses(t *testing.T) {
	srv := serve(t, gzipApp(t, func() *brisk.Response { return brisk.Text(200, "OK") }))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Empty(t, res.Header.Values("Content-Encoding"))
	assert.Empty(t, res.Header.Values("Vary"))
	assert.Equal(t, "2", res.Header.Get("Content-Length"))
}

// Starlette tests/middleware/test_gzip.py::test_gzip_streaming_response
func TestStarletteGZipStreamingResponse(t *testing.T) {
	srv := serve(t, gzipApp(t, func(w http.ResponseWriter) { streamChunks(w, strings.Repeat("x", 400), 10) }))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, strings.Repeat("x", 4000), gunzipString(t, res.Body))
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, res.Header.Values("Vary"))
	assert.Empty(t, res.Header.Values("Content-Length"))
}

// Starlette tests/middleware/test_gzip.py::test_gzip_streaming_response_identity
func TestStarletteGZipStreamingResponseIdentity(t *testing.T) {
	srv := serve(t, gzipApp(t, func(w http.ResponseWriter) { streamChunks(w, strings.Repeat("x", 400), 10) }))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "identity"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, strings.Repeat("x", 4000), res.Body)
	assert.Empty(t, res.Header.Values("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, res.Header.Values("Vary"))
	assert.Empty(t, res.Header.Values("Content-Length"))
}

// Starlette tests/middleware/test_gzip.py::test_gzip_ignored_for_responses_with_encoding_set
func TestStarletteGZipIgnoredForResponsesWithEncodingSet(t *testing.T) {
	srv := serve(t, gzipApp(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Encoding", "text")
		streamChunks(w, strings.Repeat("x", 400), 10)
	}))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip, text"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, strings.Repeat("x", 4000), res.Body)
	assert.Equal(t, []string{"text"}, res.Header.Values("Content-Encoding"))
	assert.Empty(t, res.Header.Values("Vary"))
	assert.Empty(t, res.Header.Values("Content-Length"))
}

// Starlette tests/middleware/test_gzip.py::test_gzip_ignored_on_server_sent_events
func TestStarletteGZipIgnoredOnServerSentEvents(t *testing.T) {
	srv := serve(t, gzipApp(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/event-stream")
		streamChunks(w, strings.Repeat("x", 400), 10)
	}))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, strings.Repeat("x", 4000), res.Body)
	assert.Empty(t, res.Header.Values("Content-Encoding"))
	assert.Empty(t, res.Header.Values("Content-Length"))
	assert.Empty(t, res.Header.Values("Vary"), "never compressed, whatever the client accepts")
}

// Starlette tests/middleware/test_gzip.py::test_gzip_offloaded_compression
// (a large body held whole: compressed, with a Content-Length).
func TestStarletteGZipOffloadedCompression(t *testing.T) {
	payload := strings.Repeat("x", 128*1024)
	srv := serve(t, gzipApp(t, func() *brisk.Response { return brisk.Text(200, payload) }))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, payload, gunzipString(t, res.Body))
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Less(t, len(res.Body), len(payload))
	if cl := res.Header.Get("Content-Length"); cl != "" {
		assert.Equal(t, strconv.Itoa(len(res.Body)), cl)
	}
}

// Starlette tests/middleware/test_gzip.py::test_gzip_offloaded_streaming
func TestStarletteGZipOffloadedStreaming(t *testing.T) {
	// A 256 KiB chunk of incompressible bytes (Starlette uses shake_256).
	chunk := make([]byte, 0, 256*1024)
	seed := sha256.Sum256([]byte("starlette-gzip-stream"))
	for len(chunk) < 256*1024 {
		seed = sha256.Sum256(seed[:])
		chunk = append(chunk, seed[:]...)
	}
	srv := serve(t, gzipApp(t, func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(chunk)
		_ = http.NewResponseController(w).Flush()
		_, _ = w.Write([]byte("tail"))
	}))

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, string(chunk)+"tail", gunzipString(t, res.Body))
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
}

// Starlette's GZipMiddleware looks for "gzip" in Accept-Encoding; Brisk
// honours q-values (DESIGN: `gzip;q=0` means no).
func TestStarletteGZipQValues(t *testing.T) {
	srv := serve(t, gzipApp(t, func() *brisk.Response { return brisk.Text(200, strings.Repeat("x", 4000)) }))

	for ae, compressed := range map[string]bool{
		"gzip;q=0":           false,
		"gzip;q=0, identity": false,
		"*;q=0":              false,
		"gzip;q=0.5":         true,
		"br, gzip;q=0.1":     true,
		"*":                  true,
		"deflate":            false,
	} {
		res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", ae}})
		assert.Equal(t, 200, res.Status, ae)
		assert.Equal(t, []string{"Accept-Encoding"}, res.Header.Values("Vary"), ae)
		if compressed {
			assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"), ae)
			assert.Equal(t, strings.Repeat("x", 4000), gunzipString(t, res.Body), ae)
		} else {
			assert.Empty(t, res.Header.Values("Content-Encoding"), ae)
			assert.Equal(t, strings.Repeat("x", 4000), res.Body, ae)
		}
	}
}

// FastAPI docs_src/advanced_middleware/tutorial003.py with
// GZipMiddleware(minimum_size=1000): a body under the minimum is not
// compressed, one at it is; a typed JSON result goes through the same way.
func TestFastAPIAdvancedMiddlewareTutorial003GZipMinimumSize(t *testing.T) {
	app, _ := quietApp()
	app.Use(middleware.GZip(middleware.GZipConfig{MinimumSize: 1000, CompressLevel: 5}))
	app.Get("/", func() string { return "somebigcontent" })
	app.Get("/999", func() *brisk.Response { return brisk.Text(200, strings.Repeat("a", 999)) })
	app.Get("/1000", func() *brisk.Response { return brisk.Text(200, strings.Repeat("a", 1000)) })
	app.Get("/json", func() []string { return []string{strings.Repeat("b", 2000)} })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, `"somebigcontent"`, res.Body)
	assert.Empty(t, res.Header.Values("Content-Encoding"))

	res = send(t, srv, request{Path: "/999", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Empty(t, res.Header.Values("Content-Encoding"))
	assert.Equal(t, "999", res.Header.Get("Content-Length"))

	res = send(t, srv, request{Path: "/1000", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Equal(t, strings.Repeat("a", 1000), gunzipString(t, res.Body))

	res = send(t, srv, request{Path: "/json", Headers: []string{"Accept-Encoding", "gzip"}})
	assert.Equal(t, "gzip", res.Header.Get("Content-Encoding"))
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.JSONEq(t, `["`+strings.Repeat("b", 2000)+`"]`, gunzipString(t, res.Body))
}
