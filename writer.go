// rootWriter, the writer the App hands its stack, and header helpers.

package brisk

import (
	"bufio"
	"io"
	"net"
	"net/http"

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

// resetHeader makes dst hold exactly the headers of src. It is safe when
// src is dst (a copy of a Response shares its map), where clearing dst
// first would lose them.
func resetHeader(dst, src http.Header) {
	for k := range dst {
		if _, ok := src[k]; !ok {
			delete(dst, k)
		}
	}
	copyHeader(dst, src)
}

// copyHeader sets each key of src in dst, replacing what dst had for it.
// The value slices are assigned, not copied: the shared ones Brisk assigns
// have their capacity equal to their length, so an Add copies.
func copyHeader(dst, src http.Header) {
	for k, v := range src {
		dst[k] = v
	}
}
