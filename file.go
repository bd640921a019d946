// File and stream responses: File, Attachment and Content (on
// http.ServeContent: types, Last-Modified, ETag, conditional requests,
// ranges) and Stream (an io.Reader copied to the client as it is read).

package brisk

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// File returns a response sending the file at path, served by
// http.ServeContent: the content type from the extension (or sniffed),
// Content-Length, Last-Modified and an ETag, conditional requests (304, 412)
// and byte ranges (206, 416); HEAD gets the headers only. The file is opened
// when the response is sent: a missing file or a directory is the server's
// mistake, a logged 500, as Starlette's FileResponse. Headers set on the
// response (Content-Type, Cache-Control, …) are kept.
//
// Return it from a handler; a call-next layer may return it too (then
// without conditional requests and ranges, which need the request).
func File(path string) *Response {
	resp := &Response{status: http.StatusOK}
	resp.send = func(w http.ResponseWriter, r *http.Request) error {
		f, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("brisk: File: %w", err)
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return fmt.Errorf("brisk: File: %w", err)
		}
		if fi.IsDir() {
			return fmt.Errorf("brisk: File: %s is a directory", path)
		}
		h := w.Header()
		if _, ok := h["Etag"]; !ok {
			h.Set("ETag", `"`+strconv.FormatInt(fi.Size(), 16)+"-"+strconv.FormatInt(fi.ModTime().UnixNano(), 16)+`"`)
		}
		http.ServeContent(w, r, fi.Name(), fi.ModTime(), f)
		return nil
	}
	return resp
}

// Attachment is File with Content-Disposition: attachment and the file name
// the browser saves it as (RFC 6266, filename* for names beyond ASCII, as
// Starlette writes it).
func Attachment(path, name string) *Response {
	resp := File(path)
	resp.Header().Set("Content-Disposition", contentDisposition("attachment", name))
	return resp
}

// Content returns a response sending content as File sends a file: name
// gives the content type by its extension (when the response sets none),
// modtime Last-Modified (the zero time: none). content is read when the
// response is sent, from the start, and closed then if it is an io.Closer.
func Content(name string, modtime time.Time, content io.ReadSeeker) *Response {
	resp := &Response{status: http.StatusOK}
	resp.send = func(w http.ResponseWriter, r *http.Request) error {
		if c, ok := content.(io.Closer); ok {
			defer c.Close()
		}
		http.ServeContent(w, r, name, modtime, content)
		return nil
	}
	return resp
}

// Stream returns a response copying src to the client as it is read: each
// read is written and flushed at once, through every middleware layer, with
// no Content-Length (chunked). src is closed at the end if it is an
// io.Closer. The status and headers are sent at once; a read error cuts
// the response off (the client sees it incomplete). For typed items,
// return an iterator instead (JSON Lines, Server-Sent Events).
func Stream(status int, contentType string, src io.Reader) *Response {
	resp := &Response{status: status, header: http.Header{"Content-Type": {contentType}}}
	resp.send = func(w http.ResponseWriter, r *http.Request) error {
		if c, ok := src.(io.Closer); ok {
			defer c.Close()
		}
		w.Header().Del("Content-Length")
		// The headers go out at once, as Starlette's StreamingResponse
		// sends them: the client knows the response has started.
		w.WriteHeader(resp.StatusCode())
		if r.Method == http.MethodHead {
			return nil
		}
		rc := http.NewResponseController(w)
		if rc.Flush() != nil {
			return nil
		}
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				if _, werr := w.Write(buf[:n]); werr != nil {
					return nil // the client went away
				}
				if rc.Flush() != nil {
					return nil
				}
			}
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				panic(http.ErrAbortHandler)
			}
		}
	}
	return resp
}

// sendResponse sends a File, Content or Stream response: its headers, then
// its send func. An error before anything was written is answered as a
// handler's error.
func (a *App) sendResponse(st *reqState, p *routePlan, w http.ResponseWriter, r *http.Request, resp *Response) {
	setHeaders(w.Header(), resp.header, 0)
	if err := resp.send(w, r); err != nil {
		for k := range resp.header {
			w.Header().Del(k)
		}
		a.writeError(st, p.router, w, r, err)
	}
}

// contentDisposition is Starlette's header value: filename="name" when the
// name needs no escaping, else filename*=utf-8”percent-escaped.
func contentDisposition(kind, name string) string {
	escaped := pathQuote(name)
	if escaped != name {
		return kind + "; filename*=utf-8''" + escaped
	}
	return kind + `; filename="` + name + `"`
}

// pathQuote is Python's urllib.parse.quote: every byte but letters, digits,
// "_.-~" and "/" percent-escaped.
func pathQuote(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_.-~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
