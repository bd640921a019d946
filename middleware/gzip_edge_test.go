package middleware_test

// Edge cases from klauspost/compress gzhttp's own suite (Test1xxResponses,
// TestGzipHandlerDoubleWriteHeader, TestIgnoreSubsequentWriteHeader),
// through both of GZip's writers: the gzip one (client accepts gzip) and the
// identity one (client does not). Also the per-response opt-out.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/middleware"
)

// bothEncodings are the Accept-Encoding values that route a response
// through GZip's gzip writer and through its identity writer.
var bothEncodings = []string{"gzip", "identity"}

// Informational responses go out at once, each with the headers set so far,
// and the final response is still compressed (or marked Vary) as usual.
func TestGZip1xxResponses(t *testing.T) {
	srv := liveServer(t, middleware.GZip()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Link", "</style.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		h.Add("Link", "</script.js>; rel=preload; as=script")
		w.WriteHeader(http.StatusEarlyHints)
		h.Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, x4000)
	})))
	for _, encoding := range bothEncodings {
		t.Run(encoding, func(t *testing.T) {
			var got [][]string
			trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
				assert.Equal(t, http.StatusEarlyHints, code)
				got = append(got, h["Link"])
				return nil
			}}
			req, err := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), "GET", srv.URL, nil)
			require.NoError(t, err)
			req.Header.Set("Accept-Encoding", encoding)
			resp, err := rawClient().Do(req)
			require.NoError(t, err)
			body := readBody(t, resp)

			assert.Equal(t, [][]string{
				{"</style.css>; rel=preload; as=style"},
				{"</style.css>; rel=preload; as=style", "</script.js>; rel=preload; as=script"},
			}, got, "each 103 carries the headers set before it")
			assert.Equal(t, 200, resp.StatusCode)
			assert.Len(t, resp.Header.Values("Link"), 2)
			assert.Equal(t, []string{"Accept-Encoding"}, resp.Header.Values("Vary"))
			if encoding == "gzip" {
				assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
				assert.Equal(t, x4000, gunzip(t, body))
			} else {
				assert.Empty(t, resp.Header.Get("Content-Encoding"))
				assert.Equal(t, x4000, string(body))
			}
		})
	}
}

// onceWriter fails the test when the writer below GZip sees a second final
// WriteHeader, which net/http would log as superfluous.
type onceWriter struct {
	http.ResponseWriter
	t     *testing.T
	final int
}

func (w *onceWriter) WriteHeader(status int) {
	if status >= 200 {
		if w.final != 0 {
			w.t.Errorf("WriteHeader(%d) after WriteHeader(%d)", status, w.final)
			return
		}
		w.final = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *onceWriter) Write(b []byte) (int, error) {
	if w.final == 0 {
		w.final = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *onceWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// A second WriteHeader from the handler is ignored: the first status wins,
// and the writer underneath sees one final WriteHeader only.
func TestGZipDoubleWriteHeader(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		status  int
		body    string
	}{{
		name: "500 then 404, large body",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(500)
			w.WriteHeader(404)
			_, _ = io.WriteString(w, x4000)
		},
		status: 500, body: x4000,
	}, {
		name: "500 then 404, no body",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			w.WriteHeader(404)
		},
		status: 500,
	}, {
		name: "304 with a large Content-Length, then Write(nil)",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "15000")
			w.WriteHeader(304)
			_, _ = w.Write(nil)
		},
		status: 304,
	}, {
		name: "WriteHeader after the body",
		handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, x4000)
			w.WriteHeader(500)
		},
		status: 200, body: x4000,
	}}
	for _, tc := range cases {
		for _, encoding := range bothEncodings {
			t.Run(fmt.Sprintf("%s/%s", tc.name, encoding), func(t *testing.T) {
				gz := middleware.GZip()(tc.handler)
				srv := liveServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					gz.ServeHTTP(&onceWriter{ResponseWriter: w, t: t}, r)
				}))
				resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", encoding)
				assert.Equal(t, tc.status, resp.StatusCode)
				if resp.Header.Get("Content-Encoding") == "gzip" {
					assert.Equal(t, tc.body, gunzip(t, body))
				} else {
					assert.Equal(t, tc.body, string(body))
				}
				if tc.body == "" {
					assert.Empty(t, resp.Header.Get("Content-Encoding"), "nothing to encode")
				}
			})
		}
	}
}

// A response that sets middleware.NoCompression goes out as it is, whatever
// the client accepts, without the marker header and without Vary (its
// encoding no longer depends on the request).
func TestGZipPerResponseOptOut(t *testing.T) {
	srv := liveServer(t, middleware.GZip()(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set(middleware.NoCompression, "1")
		_, _ = io.WriteString(w, x4000)
	})))
	for _, encoding := range bothEncodings {
		resp, body := fetch(t, srv, "GET", "/", "Accept-Encoding", encoding)
		assert.Equal(t, 200, resp.StatusCode, encoding)
		assert.Equal(t, x4000, string(body), encoding)
		assert.Empty(t, resp.Header.Get("Content-Encoding"), encoding)
		assert.Empty(t, resp.Header.Values(middleware.NoCompression), encoding)
		assert.Empty(t, resp.Header.Values("Vary"), encoding)
	}
}
