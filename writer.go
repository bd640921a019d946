// rootWriter, the writer the App hands its stack, and writing and checking
// the headers of responses Brisk sends for user code.

package brisk

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/briskgo/brisk/internal/httpstatus"
)

// rootWriter is the writer the App hands to its stack: it records whether
// the response has started, so a panic can still become a 500, and carries
// the request's state to the route.
type rootWriter struct {
	w           http.ResponseWriter
	st          *reqState
	wroteHeader bool
	hijacked    bool // the handler took the connection over
	status      int
}

// Header implements http.ResponseWriter.
func (rw *rootWriter) Header() http.Header { return rw.w.Header() }

// WriteHeader implements http.ResponseWriter.
func (rw *rootWriter) WriteHeader(code int) {
	// A final status; net/http rejects one under 100 before writing it.
	if code >= 100 && !httpstatus.Interim(code) {
		if rw.wroteHeader {
			return
		}
		rw.wroteHeader, rw.status = true, code
	}
	rw.w.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (rw *rootWriter) Write(p []byte) (int, error) {
	if !rw.wroteHeader {
		rw.wroteHeader, rw.status = true, http.StatusOK
	}
	return rw.w.Write(p)
}

// ReadFrom keeps net/http's sendfile path for io.Copy.
func (rw *rootWriter) ReadFrom(src io.Reader) (int64, error) {
	if !rw.wroteHeader {
		rw.wroteHeader, rw.status = true, http.StatusOK
	}
	if rf, ok := rw.w.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{rw.w}, src)
}

// Flush implements http.Flusher.
func (rw *rootWriter) Flush() { _ = rw.FlushError() }

// FlushError flushes and reports errors; http.ResponseController uses it.
func (rw *rootWriter) FlushError() error {
	if !rw.wroteHeader {
		rw.wroteHeader, rw.status = true, http.StatusOK
	}
	return http.NewResponseController(rw.w).Flush()
}

// Hijack implements http.Hijacker.
func (rw *rootWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	rw.wroteHeader = true
	c, brw, err := http.NewResponseController(rw.w).Hijack()
	rw.hijacked = err == nil
	return c, brw, err
}

// Unwrap lets http.ResponseController reach the server's writer.
func (rw *rootWriter) Unwrap() http.ResponseWriter { return rw.w }

// writerOnly hides ReadFrom so io.Copy does not recurse into it.
type writerOnly struct{ io.Writer }

// setHeaders writes the headers of a response Brisk sends for user code (a
// *Response, an HTTPError's Headers) into dst, the writer's map, which may
// already hold headers outer layers set: each name replaces what dst holds
// for it, as Header().Set would, except Set-Cookie, whose cookies are added,
// as http.SetCookie does (a session layer's cookie is not lost to the
// handler's). Names and values are checked first (see checkHeader): a bad one
// panics, so nothing of it is written and the panic becomes a logged 500.
//
// The values are copied into one fresh array: src may be shared between
// requests (a package-level *Response or *HTTPError), and an Add by any later
// layer must never write into memory another response can see. spare extra
// elements of that array are returned for the caller's own values (a
// Content-Length), so a response costs one allocation for all of them.
func setHeaders(dst, src http.Header, spare int) []string {
	n := spare
	for k, vv := range src {
		checkHeader(k, vv)
		n += len(vv)
	}
	if n == 0 {
		return nil
	}
	buf := make([]string, n)
	for k, vv := range src {
		if len(vv) == 0 {
			continue
		}
		m := copy(buf, vv)
		vals := buf[:m:m]
		buf = buf[m:]
		if k == "Set-Cookie" && len(dst[k]) > 0 {
			vals = append(slices.Clip(dst[k]), vals...)
		}
		dst[k] = vals
	}
	return buf
}

// checkHeaders checks every header of h as setHeaders does.
func checkHeaders(h http.Header) {
	for k, vv := range h {
		checkHeader(k, vv)
	}
}

// oneValue returns s as a header value slice of its own: capacity one, so
// an Add copies it, and no other response sees a change to its element.
func oneValue(buf []string, s string) []string {
	if len(buf) == 0 {
		buf = make([]string, 1)
	}
	buf[0] = s
	return buf[:1:1]
}

// checkHeader panics when a header Brisk is asked to send has a name that
// is not an HTTP token or a value with a control character (NUL, CR, LF,
// …; tab is allowed), or is Transfer-Encoding, which net/http owns: set on a
// response it silently drops the Content-Length Brisk sends. net/http would
// drop the name or send the value raw; a programming error must not reach
// the wire.
func checkHeader(name string, values []string) {
	if !validHeaderName(name) {
		panic(fmt.Sprintf("brisk: invalid response header name %q", name))
	}
	if strings.EqualFold(name, "Transfer-Encoding") {
		panic("brisk: a response must not set Transfer-Encoding (net/http chooses the framing; Brisk sets Content-Length)")
	}
	for _, v := range values {
		if !validHeaderValue(v) {
			panic(fmt.Sprintf("brisk: invalid value %q for response header %s: control characters are not allowed", v, name))
		}
	}
}

// validHeaderName reports whether s is an HTTP token (RFC 9110 5.1).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || !tokenChar[c] {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether s holds no control character but tab
// (RFC 9110 5.5: field-content is visible characters, spaces and tabs;
// obs-text, bytes of 0x80 and over, is allowed).
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// tokenChar marks the bytes of an HTTP token.
var tokenChar = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()
