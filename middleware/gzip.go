// GZip: response compression on klauspost/compress's gzhttp, with the
// rules Brisk adds (q-values, whole-body minimum size, exclusions, Vary,
// flushes, the per-response opt-out) and its gzip and identity writers.

package middleware

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzhttp"

	"github.com/briskgo/brisk/internal/httpstatus"
)

// GZipConfig configures GZip. Its zero value means the defaults documented on
// each field.
type GZipConfig struct {
	// MinimumSize is the smallest body, in bytes, worth compressing: below
	// it the gzip framing and the CPU outweigh the few bytes saved. Zero
	// means 500, Starlette's default. Negative values panic.
	MinimumSize int

	// CompressLevel is the gzip level, from 1 (fastest) to 9 (smallest).
	// Zero means 5, klauspost/compress's own default. Starlette uses 9,
	// but on a 16 KiB JSON body level 9 takes about nine times the CPU of
	// level 5 for output less than 1% smaller, and that CPU is spent on
	// every response. Levels gzhttp rejects panic.
	CompressLevel int

	// ExcludedContentTypes lists the media types sent uncompressed,
	// compared without parameters and case-insensitively; "type/*" covers
	// a whole top-level type. Nil means DefaultExcludedContentTypes(); an
	// empty, non-nil slice compresses every type except text/event-stream,
	// which is never compressed. Entries without a '/' panic.
	ExcludedContentTypes []string
}

// NoCompression is the response header that keeps one response out of
// GZip: set it, to any value, before the first write, and the response goes
// out uncompressed and without Vary: Accept-Encoding. GZip removes it
// before the response leaves. Use it for pages that mix a secret (a CSRF
// token, a session-bound value) with text an attacker can inject, which
// compression would turn into a BREACH oracle (docs/middleware.md).
const NoCompression = gzhttp.HeaderNoCompression

const (
	defaultGZipMinimumSize = 500
	defaultGZipLevel       = 5
	eventStream            = "text/event-stream"
)

// DefaultExcludedContentTypes returns the media types GZip leaves alone by
// default: formats that are already compressed, where gzip only burns CPU
// and adds bytes. It is Starlette's list plus common archive formats; the
// result is a fresh slice, to append to or filter.
func DefaultExcludedContentTypes() []string {
	return []string{
		"application/gzip", "application/x-gzip", "application/zip",
		"application/zstd", "application/x-7z-compressed", "application/x-bzip2",
		"application/x-xz", "application/x-rar-compressed", "application/vnd.rar",
		"audio/*", "video/*",
		"font/woff", "font/woff2",
		"image/avif", "image/gif", "image/jpeg", "image/png", "image/webp",
		eventStream,
	}
}

// GZip compresses response bodies for clients that accept gzip. It is built
// on github.com/klauspost/compress/gzhttp and adds what Brisk needs on top.
//
// A response is compressed when the request is not HEAD, Accept-Encoding
// gives gzip a non-zero q-value (directly, or through "*" when gzip is not
// named), the body reaches MinimumSize (or is flushed before that), and the
// response has no Content-Encoding, is not a 206 or otherwise ranged, and its
// content type is not excluded. text/event-stream is never compressed.
//
// Each Flush sends the bytes written so far, compressed, so streamed
// responses reach the client as they are produced. A Flush before any body
// byte sends the headers straight away, and the response then goes out
// uncompressed: the status and headers cannot wait for a size decision.
//
// Vary: Accept-Encoding is set, once, on every response whose encoding
// depended on the request's Accept-Encoding: those compressed, and those
// that would have been had the client accepted gzip. HEAD requests and
// protocol upgrades pass through untouched.
//
// Unlike Starlette, q-values and "*" are honoured (Starlette compresses for
// "gzip;q=0" and not for "*"), MinimumSize counts the whole body rather
// than its first chunk, and HEAD responses are not rewritten.
func GZip(cfg ...GZipConfig) func(http.Handler) http.Handler {
	policy := newGZipPolicy(cfg)
	wrap, err := gzhttp.NewWrapper(
		gzhttp.MinSize(policy.minSize),
		gzhttp.CompressionLevel(policy.level),
		gzhttp.ContentTypeFilter(policy.compressible),
		gzhttp.EnableZstd(false),
		gzhttp.AcceptWildcards(true),
	)
	if err != nil {
		panic(fmt.Sprintf("middleware.GZip: %v", err))
	}
	return func(next http.Handler) http.Handler {
		encoded := wrap(policy.inner(next))
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead || r.Header.Get("Upgrade") != "" {
				next.ServeHTTP(w, r)
				return
			}
			encoded.ServeHTTP(w, withJoinedAcceptEncoding(r))
		})
	}
}

// gzipPolicy is GZip's resolved configuration.
type gzipPolicy struct {
	minSize  int
	level    int
	excluded map[string]bool
}

func newGZipPolicy(cfg []GZipConfig) *gzipPolicy {
	var c GZipConfig
	if len(cfg) > 0 {
		c = cfg[0]
	}
	if c.MinimumSize < 0 {
		panic(fmt.Sprintf("middleware.GZip: MinimumSize %d is negative; use 0 for the default of %d", c.MinimumSize, defaultGZipMinimumSize))
	}
	p := &gzipPolicy{minSize: c.MinimumSize, level: c.CompressLevel, excluded: excludedSet(c.ExcludedContentTypes)}
	if p.minSize == 0 {
		p.minSize = defaultGZipMinimumSize
	}
	if p.level == 0 {
		p.level = defaultGZipLevel
	}
	return p
}

// excludedSet normalizes the configured media types; text/event-stream is
// always among them, since a proxy or browser may hold compressed events back.
func excludedSet(types []string) map[string]bool {
	if types == nil {
		types = DefaultExcludedContentTypes()
	}
	set := map[string]bool{eventStream: true}
	for _, t := range types {
		mediaType := normalizeMediaType(t)
		if !strings.Contains(mediaType, "/") {
			panic(fmt.Sprintf("middleware.GZip: excluded content type %q is not a media type like \"image/png\" or \"image/*\"", t))
		}
		set[mediaType] = true
	}
	return set
}

// normalizeMediaType drops parameters and case: "Text/HTML; charset=utf-8" is "text/html".
func normalizeMediaType(contentType string) string {
	mediaType, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mediaType))
}

// compressible reports whether a response of this content type may be
// compressed. An empty type is compressible: the body decides once sniffed.
func (p *gzipPolicy) compressible(contentType string) bool {
	mediaType := normalizeMediaType(contentType)
	if mediaType == "" {
		return true
	}
	major, _, _ := strings.Cut(mediaType, "/")
	return !p.excluded[mediaType] && !p.excluded[major+"/*"]
}

// inner runs inside gzhttp's wrapper. gzhttp adds Vary: Accept-Encoding to
// every response before calling it, even ones it never compresses; that
// value is taken back here and re-added only where it is true.
func (p *gzipPolicy) inner(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		dropLastVary(w.Header(), "Accept-Encoding")
		if gzhttpCompresses(w) {
			next.ServeHTTP(&gzipWriter{ResponseWriter: w, policy: p}, r)
			return
		}
		iw := &identityWriter{ResponseWriter: w, policy: p}
		next.ServeHTTP(iw, r)
		_ = iw.finish()
	})
}

// gzhttpCompresses reports whether gzhttp chose to encode this response,
// which it signals by the writer type it hands down.
func gzhttpCompresses(w http.ResponseWriter) bool {
	switch w.(type) {
	case *gzhttp.GzipResponseWriter, gzhttp.GzipResponseWriterWithCloseNotify:
		return true
	default:
		return false
	}
}

func dropLastVary(h http.Header, token string) {
	values := h["Vary"]
	if n := len(values); n > 0 && values[n-1] == token {
		if n == 1 {
			delete(h, "Vary")
		} else {
			h["Vary"] = values[:n-1]
		}
	}
}

// withJoinedAcceptEncoding folds several Accept-Encoding lines into one: a
// client may split the list, and gzhttp reads only the first line.
func withJoinedAcceptEncoding(r *http.Request) *http.Request {
	values := r.Header.Values("Accept-Encoding")
	if len(values) < 2 {
		return r
	}
	r = r.Clone(r.Context())
	r.Header.Set("Accept-Encoding", strings.Join(values, ", "))
	return r
}

// eligible reports whether a response with these headers would be compressed
// for a client accepting gzip, given a large enough body.
func (p *gzipPolicy) eligible(status int, h http.Header, contentType string) bool {
	return bodyAllowed(status) && status != http.StatusPartialContent &&
		h.Get("Content-Encoding") == "" && h.Get("Content-Range") == "" &&
		h.Get(NoCompression) == "" && p.compressible(contentType)
}

func bodyAllowed(status int) bool {
	return httpstatus.BodyAllowed(status)
}

func informational(status int) bool {
	return status >= 100 && status < 200
}

// gzipWriter sits above gzhttp's writer and vetoes what gzhttp would
// otherwise compress or hold back.
type gzipWriter struct {
	http.ResponseWriter
	policy  *gzipPolicy
	decided bool
	wrote   bool
}

func (g *gzipWriter) WriteHeader(status int) {
	if !informational(status) {
		g.decide(status)
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	g.decide(http.StatusOK)
	if len(b) > 0 {
		g.wrote = true
	}
	return g.ResponseWriter.Write(b)
}

// decide runs once the headers are final. gzhttp compresses a 206 that has
// no Content-Range (multipart/byteranges), starts a gzip stream for a
// bodiless status (a 304 declaring a large Content-Length) and buffers an
// excluded type until MinimumSize before passing it on; all are settled
// here, up front.
func (g *gzipWriter) decide(status int) {
	if g.decided {
		return
	}
	g.decided = true
	h := g.Header()
	if !bodyAllowed(status) || status == http.StatusPartialContent || !g.policy.compressible(h.Get("Content-Type")) {
		h.Set(NoCompression, "1")
	}
}

// Flush implements http.Flusher.
func (g *gzipWriter) Flush() { _ = g.FlushError() }

// FlushError sends what was written so far. gzhttp ignores a flush that comes
// before any body byte, leaving the client without even a status line; such
// a response is committed uncompressed instead.
func (g *gzipWriter) FlushError() error {
	if !g.wrote {
		g.decide(http.StatusOK)
		g.Header().Set(NoCompression, "1")
		if _, err := g.ResponseWriter.Write(nil); err != nil {
			return err
		}
		g.wrote = true
	}
	return http.NewResponseController(g.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the writers underneath.
func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// identityWriter serves clients that do not accept gzip. It holds back up to
// MinimumSize bytes, as gzhttp does for the others, to learn whether the
// response would have been compressed and so needs Vary: Accept-Encoding.
type identityWriter struct {
	http.ResponseWriter
	policy    *gzipPolicy
	status    int
	buf       []byte
	committed bool
}

// WriteHeader sends a 1xx at once and holds the final status until the
// response is committed. Like gzhttp's writer, it ignores a second final
// status, whether the first was set explicitly or by a Write.
func (w *identityWriter) WriteHeader(status int) {
	switch {
	case informational(status):
		w.ResponseWriter.WriteHeader(status)
	case w.status == 0 && !w.committed:
		w.status = status
	}
}

func (w *identityWriter) Write(b []byte) (int, error) {
	if w.committed {
		return w.ResponseWriter.Write(b)
	}
	if n, _ := strconv.Atoi(w.Header().Get("Content-Length")); n > 0 {
		w.commit(n >= w.policy.minSize, b)
	} else if len(w.buf)+len(b) >= w.policy.minSize {
		w.commit(true, b)
	} else {
		w.buf = append(w.buf, b...)
		return len(b), nil
	}
	if err := w.drain(); err != nil {
		return 0, err
	}
	return w.ResponseWriter.Write(b)
}

// Flush implements http.Flusher.
func (w *identityWriter) Flush() { _ = w.FlushError() }

// FlushError commits the response: a flushed body counts as large, since
// gzhttp compresses whatever has been written when it is flushed.
func (w *identityWriter) FlushError() error {
	if !w.committed {
		w.commit(len(w.buf) > 0, nil)
		if err := w.drain(); err != nil {
			return err
		}
	}
	return http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the writers underneath.
func (w *identityWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish commits a response that stayed under MinimumSize.
func (w *identityWriter) finish() error {
	if w.committed {
		return nil
	}
	w.commit(false, nil)
	return w.drain()
}

func (w *identityWriter) commit(large bool, next []byte) {
	w.committed = true
	status := w.status
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	if large && w.policy.eligible(status, h, w.contentType(next)) {
		addVary(h, "Accept-Encoding")
	}
	if w.status != 0 {
		w.ResponseWriter.WriteHeader(w.status)
	}
}

// contentType is the declared type, or the one net/http will sniff from the
// first 512 bytes.
func (w *identityWriter) contentType(next []byte) string {
	if ct := w.Header().Get("Content-Type"); ct != "" {
		return ct
	}
	head := w.buf
	if len(head) < 512 && len(next) > 0 {
		head = append(head[:len(head):len(head)], next[:min(len(next), 512-len(head))]...)
	}
	if len(head) == 0 {
		return ""
	}
	return http.DetectContentType(head)
}

func (w *identityWriter) drain() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.ResponseWriter.Write(w.buf)
	w.buf = nil
	return err
}
