package middleware_test

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/briskgo/brisk/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var x4000 = strings.Repeat("x", 4000)

// Starlette's tests/middleware/test_gzip.py is ported, end to end through
// a Brisk app, in tests/conformance_gzip_test.go. The tests here drive the
// middleware alone: ranges, streaming, content types, negotiation, sizes.

func TestGZipIgnoredOnRangeResponses(t *testing.T) {
	serveFile := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "example.txt", time.Time{}, strings.NewReader(x4000))
	})
	srv := liveServer(t, middleware.GZip()(serveFile))

	resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip", "Range", "bytes=0-1999")

	assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
	assert.Equal(t, strings.Repeat("x", 2000), string(body))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Equal(t, "2000", resp.Header.Get("Content-Length"))
}

func TestGZipIgnoredOnMultipartRangeResponses(t *testing.T) {
	// A multi-range 206 has no Content-Range header of its own, which gzhttp
	// alone does not catch.
	serveFile := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "example.txt", time.Time{}, strings.NewReader(x4000))
	})
	srv := liveServer(t, middleware.GZip()(serveFile))

	resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip", "Range", "bytes=0-999,2000-2999")

	assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "multipart/byteranges")
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Contains(t, string(body), strings.Repeat("x", 1000))
}

func TestGZipStreamingResponseEmitsOutputPerChunk(t *testing.T) {
	firstSeen := newGate()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		rc := http.NewResponseController(w)
		_, _ = io.WriteString(w, "data: first\n\n")
		_ = rc.Flush()
		_ = rc.Flush() // an empty chunk, as Starlette's test sends
		firstSeen.wait()
		_, _ = io.WriteString(w, "data: last\n\n")
	})
	srv := liveServer(t, middleware.GZip()(handler), firstSeen)

	resp := get(t, srv, "Accept-Encoding", "gzip")
	defer resp.Body.Close()
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, resp.Header.Values("Vary"))
	assert.Empty(t, resp.Header.Get("Content-Length"))

	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)
	first := make([]byte, len("data: first\n\n"))
	_, err = io.ReadFull(zr, first)
	require.NoError(t, err, "the first chunk arrives, decodable, while the handler still runs")
	assert.Equal(t, "data: first\n\n", string(first))

	firstSeen.open()
	rest, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, "data: last\n\n", string(rest))
}

func TestGZipDefaultExcludedContentTypes(t *testing.T) {
	for _, contentType := range []string{"application/zip", "audio/mpeg", "font/woff2", "image/png", "video/mp4", "application/gzip", "image/webp"} {
		t.Run(contentType, func(t *testing.T) {
			srv := liveServer(t, middleware.GZip()(text(200, contentType, x4000)))

			resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip")

			assert.Equal(t, 200, resp.StatusCode)
			assert.Equal(t, x4000, string(body))
			assert.Empty(t, resp.Header.Get("Content-Encoding"))
			assert.Empty(t, resp.Header.Values("Vary"))
		})
	}
}

func TestGZipCompressesSVGByDefault(t *testing.T) {
	srv := liveServer(t, middleware.GZip()(text(200, "image/svg+xml", x4000)))

	resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip")

	assert.Equal(t, x4000, gunzip(t, body))
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, resp.Header.Values("Vary"))
}

func TestGZipCustomExcludedContentTypes(t *testing.T) {
	gz := middleware.GZip(middleware.GZipConfig{ExcludedContentTypes: []string{"application/pdf"}})

	t.Run("listed type is excluded", func(t *testing.T) {
		resp := record(gz(text(200, "application/pdf", x4000)), newRequest("GET", "/", "Accept-Encoding", "gzip"))
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Empty(t, resp.Header.Values("Vary"))
		assert.Equal(t, x4000, string(readBody(t, resp)))
	})
	t.Run("the list replaces the defaults", func(t *testing.T) {
		resp := record(gz(text(200, "application/zip", x4000)), newRequest("GET", "/", "Accept-Encoding", "gzip"))
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		assert.Equal(t, x4000, gunzip(t, readBody(t, resp)))
	})
}

func TestGZipClearedExcludedContentTypes(t *testing.T) {
	// Starlette compresses text/event-stream once the list is cleared; Brisk
	// never does, since a proxy or browser may hold compressed events back.
	gz := middleware.GZip(middleware.GZipConfig{ExcludedContentTypes: []string{}})

	resp := record(gz(text(200, "application/zip", x4000)), newRequest("GET", "/", "Accept-Encoding", "gzip"))
	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, []string{"Accept-Encoding"}, resp.Header.Values("Vary"))
	assert.Equal(t, x4000, gunzip(t, readBody(t, resp)))

	resp = record(gz(text(200, "text/event-stream", x4000)), newRequest("GET", "/", "Accept-Encoding", "gzip"))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Equal(t, x4000, string(readBody(t, resp)))
}

func TestGZipExcludedContentTypesForIdentityClient(t *testing.T) {
	gz := middleware.GZip(middleware.GZipConfig{ExcludedContentTypes: []string{"application/zip"}})

	resp := record(gz(text(200, "application/zip", x4000)), newRequest("GET", "/", "Accept-Encoding", "identity"))

	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, x4000, string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Empty(t, resp.Header.Values("Vary"))
}

func TestGZipExcludedContentTypesMatching(t *testing.T) {
	cases := []struct{ name, excluded, contentType string }{
		{"header is normalized", "text/event-stream", "Text/Event-Stream; charset=utf-8"},
		{"configured value is normalized", "Application/ZIP; charset=utf-8", "application/zip"},
		{"wildcard", "image/*", "image/png"},
		{"wildcard covers svg too", "image/*", "image/svg+xml"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gz := middleware.GZip(middleware.GZipConfig{ExcludedContentTypes: []string{tc.excluded}})
			for _, encoding := range []string{"gzip", "identity"} {
				resp := record(gz(text(200, tc.contentType, x4000)), newRequest("GET", "/", "Accept-Encoding", encoding))
				assert.Equal(t, x4000, string(readBody(t, resp)), encoding)
				assert.Empty(t, resp.Header.Get("Content-Encoding"), encoding)
				assert.Empty(t, resp.Header.Values("Vary"), encoding)
			}
		})
	}
}

func TestGZipLargeBodies(t *testing.T) {
	// Starlette's thread-offload tests, in Go terms: big bodies, whole or
	// streamed, come out intact.
	sum := sha256.Sum256([]byte("brisk-gzip-stream"))
	chunk := bytes.Repeat(sum[:], 256*1024/len(sum))

	t.Run("whole", func(t *testing.T) {
		srv := liveServer(t, middleware.GZip()(text(200, "application/json", string(chunk))))
		resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip")
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		assert.Equal(t, string(chunk), gunzip(t, body))
	})
	t.Run("streamed with a small minimum size", func(t *testing.T) {
		handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(chunk)
			_ = http.NewResponseController(w).Flush()
			_, _ = io.WriteString(w, "tail")
		})
		srv := liveServer(t, middleware.GZip(middleware.GZipConfig{MinimumSize: 10 << 20})(handler))
		resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip")
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), "a flush compresses whatever its size")
		assert.Equal(t, string(chunk)+"tail", gunzip(t, body))
	})
}

func TestGZipAcceptEncodingNegotiation(t *testing.T) {
	cases := []struct {
		acceptEncoding []string
		compressed     bool
	}{
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"gzip;q=0.5"}, true},
		{[]string{"br, gzip ; q=0.001"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip;Q=0"}, false},
		{[]string{"gzip;q=0.000"}, false},
		{[]string{"*"}, true},
		{[]string{"br, *;q=0.1"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"identity"}, false},
		{[]string{"zstd"}, false},
		{[]string{"zstd, gzip"}, true},
		{[]string{"br", "gzip"}, true},
		{nil, false},
	}
	for _, tc := range cases {
		name := strings.Join(tc.acceptEncoding, " | ")
		t.Run(name, func(t *testing.T) {
			r := newRequest("GET", "/")
			for _, v := range tc.acceptEncoding {
				r.Header.Add("Accept-Encoding", v)
			}

			resp := record(middleware.GZip()(text(200, "text/plain", x4000)), r)

			body := readBody(t, resp)
			if tc.compressed {
				assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
				assert.Equal(t, x4000, gunzip(t, body))
			} else {
				assert.Empty(t, resp.Header.Get("Content-Encoding"))
				assert.Equal(t, x4000, string(body))
			}
			assert.Equal(t, map[string]int{"Accept-Encoding": 1}, varyTokens(resp.Header),
				"the choice depended on Accept-Encoding either way")
		})
	}
}

func TestGZipVaryIsNeverDuplicated(t *testing.T) {
	cases := []struct {
		name    string
		vary    []string
		encoded string
		want    map[string]int
	}{
		{"handler lists Accept-Encoding", []string{"Accept-Encoding"}, "gzip", map[string]int{"Accept-Encoding": 1}},
		{"handler lists it in lower case", []string{"accept-encoding"}, "gzip", map[string]int{"accept-encoding": 1}},
		{"handler lists it, identity client", []string{"Accept-Encoding"}, "identity", map[string]int{"Accept-Encoding": 1}},
		{"handler lists another header", []string{"Origin"}, "gzip", map[string]int{"Origin": 1, "Accept-Encoding": 1}},
		{"handler lists another header, identity client", []string{"Origin"}, "identity", map[string]int{"Origin": 1, "Accept-Encoding": 1}},
		{"Vary star covers everything", []string{"*"}, "gzip", map[string]int{"*": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				for _, v := range tc.vary {
					w.Header().Add("Vary", v)
				}
				_, _ = io.WriteString(w, x4000)
			})

			resp := record(middleware.GZip()(handler), newRequest("GET", "/", "Accept-Encoding", tc.encoded))

			assert.Equal(t, tc.want, varyTokens(resp.Header))
		})
	}
}

func TestGZipVaryKeptWhenHandlerReplacesIt(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Origin")
		_, _ = io.WriteString(w, x4000)
	})

	resp := record(middleware.GZip()(handler), newRequest("GET", "/", "Accept-Encoding", "gzip"))

	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Equal(t, map[string]int{"Origin": 1, "Accept-Encoding": 1}, varyTokens(resp.Header))
}

func TestGZipMinimumSize(t *testing.T) {
	cases := []struct {
		name       string
		cfg        []middleware.GZipConfig
		size       int
		compressed bool
	}{
		{"default, just below", nil, 499, false},
		{"default, at the minimum", nil, 500, true},
		{"zero value means the default", []middleware.GZipConfig{{}}, 500, true},
		{"custom, below", []middleware.GZipConfig{{MinimumSize: 1000}}, 999, false},
		{"custom, at the minimum", []middleware.GZipConfig{{MinimumSize: 1000}}, 1000, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.Repeat("a", tc.size)
			for _, encoding := range []string{"gzip", "identity"} {
				resp := record(middleware.GZip(tc.cfg...)(text(200, "text/plain", body)), newRequest("GET", "/", "Accept-Encoding", encoding))

				got := readBody(t, resp)
				if tc.compressed && encoding == "gzip" {
					assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
					assert.Equal(t, body, gunzip(t, got))
				} else {
					assert.Empty(t, resp.Header.Get("Content-Encoding"), encoding)
					assert.Equal(t, body, string(got), encoding)
				}
				if tc.compressed {
					assert.Equal(t, []string{"Accept-Encoding"}, resp.Header.Values("Vary"), encoding)
				} else {
					assert.Empty(t, resp.Header.Values("Vary"), encoding)
				}
			}
		})
	}
}

func TestGZipCountsTheWholeBodyAcrossWrites(t *testing.T) {
	manySmallWrites := func(total int) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			for range total / 10 {
				_, _ = io.WriteString(w, "0123456789")
			}
		})
	}
	for _, encoding := range []string{"gzip", "identity"} {
		t.Run(encoding, func(t *testing.T) {
			large := record(middleware.GZip()(manySmallWrites(2000)), newRequest("GET", "/", "Accept-Encoding", encoding))
			small := record(middleware.GZip()(manySmallWrites(400)), newRequest("GET", "/", "Accept-Encoding", encoding))

			largeBody, smallBody := readBody(t, large), readBody(t, small)
			if encoding == "gzip" {
				assert.Equal(t, "gzip", large.Header.Get("Content-Encoding"))
				assert.Equal(t, strings.Repeat("0123456789", 200), gunzip(t, largeBody))
			} else {
				assert.Equal(t, strings.Repeat("0123456789", 200), string(largeBody))
			}
			assert.Equal(t, []string{"Accept-Encoding"}, large.Header.Values("Vary"))
			assert.Empty(t, small.Header.Get("Content-Encoding"))
			assert.Empty(t, small.Header.Values("Vary"))
			assert.Equal(t, strings.Repeat("0123456789", 40), string(smallBody))
		})
	}
}

func TestGZipDeclaredContentLength(t *testing.T) {
	t.Run("at least the minimum is compressed and the length dropped", func(t *testing.T) {
		srv := liveServer(t, middleware.GZip()(streamed(strings.Repeat("y", 400), 10, "Content-Length", "4000")))
		resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", "gzip")
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		assert.Equal(t, strings.Repeat("y", 4000), gunzip(t, body))
		assert.NotEqual(t, "4000", resp.Header.Get("Content-Length"))
	})
	t.Run("below the minimum is passed through at once", func(t *testing.T) {
		resp := record(middleware.GZip()(text(200, "text/plain", strings.Repeat("y", 100))), newRequest("GET", "/", "Accept-Encoding", "gzip"))
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Equal(t, "100", resp.Header.Get("Content-Length"))
	})
}

func TestGZipSniffedContentType(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 4000)...)
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(png) })

	for _, encoding := range []string{"gzip", "identity"} {
		resp := record(middleware.GZip()(handler), newRequest("GET", "/", "Accept-Encoding", encoding))

		assert.Empty(t, resp.Header.Get("Content-Encoding"), encoding)
		assert.Empty(t, resp.Header.Values("Vary"), encoding)
		assert.Equal(t, png, readBody(t, resp), encoding)
	}
}

func TestGZipLeavesBodilessResponsesAlone(t *testing.T) {
	for _, status := range []int{http.StatusNoContent, http.StatusNotModified} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", `"v1"`)
				w.WriteHeader(status)
			})
			for _, encoding := range []string{"gzip", "identity"} {
				resp := record(middleware.GZip()(handler), newRequest("GET", "/", "Accept-Encoding", encoding))

				assert.Equal(t, status, resp.StatusCode)
				assert.Empty(t, resp.Header.Get("Content-Encoding"))
				assert.Empty(t, resp.Header.Values("Vary"))
				assert.Equal(t, `"v1"`, resp.Header.Get("ETag"))
				assert.Empty(t, readBody(t, resp))
			}
		})
	}
}

func TestGZipLeavesHeadRequestsAlone(t *testing.T) {
	srv := liveServer(t, middleware.GZip()(text(200, "text/plain", x4000)))

	resp, body := fetch(t, srv, "HEAD", "/", "Accept-Encoding", "gzip")

	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, body)
	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Empty(t, resp.Header.Values("Vary"))
	assert.Equal(t, "4000", resp.Header.Get("Content-Length"))
}

func TestGZipLeavesUpgradesAlone(t *testing.T) {
	resp := record(middleware.GZip()(text(200, "text/plain", x4000)),
		newRequest("GET", "/", "Accept-Encoding", "gzip", "Connection", "Upgrade", "Upgrade", "websocket"))

	assert.Empty(t, resp.Header.Get("Content-Encoding"))
	assert.Empty(t, resp.Header.Values("Vary"))
}

func TestGZipEmptyBody(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	for _, encoding := range []string{"gzip", "identity"} {
		resp := record(middleware.GZip()(handler), newRequest("GET", "/", "Accept-Encoding", encoding))

		assert.Equal(t, 200, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Empty(t, resp.Header.Values("Vary"))
		assert.Empty(t, readBody(t, resp))
	}
}

func TestGZipStatusIsKept(t *testing.T) {
	for _, encoding := range []string{"gzip", "identity"} {
		for _, body := range []string{"small", x4000} {
			resp := record(middleware.GZip()(text(http.StatusTeapot, "text/plain", body)), newRequest("GET", "/", "Accept-Encoding", encoding))
			assert.Equal(t, http.StatusTeapot, resp.StatusCode)
		}
	}
}

func TestGZipDropsAcceptRangesWhenCompressing(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Accept-Ranges", "bytes")
		_, _ = io.WriteString(w, x4000)
	})

	resp := record(middleware.GZip()(handler), newRequest("GET", "/", "Accept-Encoding", "gzip"))

	assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	assert.Empty(t, resp.Header.Get("Accept-Ranges"), "byte ranges of the compressed body would not be those of the resource")
}

func TestGZipFlushedChunksReachTheClientCompressed(t *testing.T) {
	chunks := []string{"first chunk, far below the minimum size\n", "second chunk\n", "last chunk\n"}
	steps := []*gate{newGate(), newGate(), newGate()}
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		for i, chunk := range chunks {
			steps[i].wait()
			_, _ = io.WriteString(w, chunk)
			_ = http.NewResponseController(w).Flush()
		}
	})
	srv := liveServer(t, middleware.GZip()(handler), steps...)
	steps[0].open()

	resp := get(t, srv, "Accept-Encoding", "gzip")
	defer resp.Body.Close()
	require.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
	zr, err := gzip.NewReader(resp.Body)
	require.NoError(t, err)

	for i, chunk := range chunks {
		steps[i].open()
		got := make([]byte, len(chunk))
		_, err = io.ReadFull(zr, got)
		require.NoError(t, err)
		assert.Equal(t, chunk, string(got))
	}
}

func TestGZipFlushBeforeBodySendsHeadersAtOnce(t *testing.T) {
	for _, encoding := range []string{"gzip", "identity"} {
		t.Run(encoding, func(t *testing.T) {
			release := newGate()
			handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusAccepted)
				_ = http.NewResponseController(w).Flush()
				release.wait()
				_, _ = io.WriteString(w, x4000)
			})
			srv := liveServer(t, middleware.GZip()(handler), release)

			resp := get(t, srv, "Accept-Encoding", encoding)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusAccepted, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Content-Encoding"))
			assert.Empty(t, resp.Header.Values("Vary"))

			release.open()
			assert.Equal(t, x4000, string(readBody(t, resp)))
		})
	}
}

func TestGZipServerSentEventsStreamUnbuffered(t *testing.T) {
	next := newGate()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: one\n\n")
		_ = http.NewResponseController(w).Flush()
		next.wait()
		_, _ = io.WriteString(w, "data: two\n\n")
	})
	srv := liveServer(t, middleware.GZip()(handler), next)

	resp := get(t, srv, "Accept-Encoding", "gzip")
	defer resp.Body.Close()
	assert.Empty(t, resp.Header.Get("Content-Encoding"))

	first := make([]byte, len("data: one\n\n"))
	_, err := io.ReadFull(resp.Body, first)
	require.NoError(t, err)
	assert.Equal(t, "data: one\n\n", string(first))
	next.open()
	assert.Equal(t, "data: two\n\n", string(readBody(t, resp)))
}

func TestGZipIdentityStreamingIsNotHeldBack(t *testing.T) {
	done := newGate()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "tick\n")
		_ = http.NewResponseController(w).Flush()
		done.wait()
	})
	srv := liveServer(t, middleware.GZip()(handler), done)

	resp := get(t, srv, "Accept-Encoding", "identity")
	defer resp.Body.Close()
	got := make([]byte, len("tick\n"))
	_, err := io.ReadFull(resp.Body, got)
	require.NoError(t, err)
	assert.Equal(t, "tick\n", string(got))
	assert.Equal(t, []string{"Accept-Encoding"}, resp.Header.Values("Vary"))
}

func TestGZipFlusherInterface(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, ok := w.(http.Flusher)
		assert.True(t, ok, "handlers can type-assert http.Flusher")
		_, _ = io.WriteString(w, x4000)
	})
	for _, encoding := range []string{"gzip", "identity"} {
		record(middleware.GZip()(handler), newRequest("GET", "/", "Accept-Encoding", encoding))
	}
}

func TestGZipCompressLevels(t *testing.T) {
	for _, level := range []int{1, 5, 9} {
		resp := record(middleware.GZip(middleware.GZipConfig{CompressLevel: level})(text(200, "text/plain", x4000)),
			newRequest("GET", "/", "Accept-Encoding", "gzip"))
		assert.Equal(t, x4000, gunzip(t, readBody(t, resp)), "level %d", level)
	}
}

func TestGZipBadConfigPanics(t *testing.T) {
	assert.PanicsWithValue(t, `middleware.GZip: MinimumSize -1 is negative; use 0 for the default of 500`, func() {
		middleware.GZip(middleware.GZipConfig{MinimumSize: -1})
	})
	assert.PanicsWithValue(t, `middleware.GZip: excluded content type "image" is not a media type like "image/png" or "image/*"`, func() {
		middleware.GZip(middleware.GZipConfig{ExcludedContentTypes: []string{"image"}})
	})
	assert.Panics(t, func() { middleware.GZip(middleware.GZipConfig{CompressLevel: 42}) })
}

func TestDefaultExcludedContentTypesIsAFreshSlice(t *testing.T) {
	a := middleware.DefaultExcludedContentTypes()
	a[0] = "changed/by-caller"
	assert.NotEqual(t, "changed/by-caller", middleware.DefaultExcludedContentTypes()[0])
	assert.Contains(t, a, "text/event-stream")
}
