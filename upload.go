// Uploaded files: UploadFile, the streaming multipart reader that fills
// the request's form within its limits, spooling large files to temporary
// files, and their removal with the request's cleanups.

package brisk

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"strconv"
	"sync"
	"unsafe"

	"github.com/briskgo/brisk/internal/problem"
)

// UploadFile is a file uploaded in a multipart/form-data body, bound to a
// request-model field tagged form:"name": UploadFile is required,
// *UploadFile optional, []UploadFile takes every file sent under the name.
//
// Its content is in memory up to the form memory limit
// (FormLimits.MemoryBytes), in a temporary file beyond it. The temporary
// file is closed and removed when the request's cleanups run: after the
// response is sent and after the request's background tasks, so a task
// given an UploadFile can still read it. Do not keep one past that.
type UploadFile struct {
	// Filename is the file's name as the client sent it, without any
	// directory part ("" is never bound: a part without a file name is a
	// plain field).
	Filename string
	// Size is the content's length in bytes.
	Size int64
	// Header is the part's MIME header (Content-Disposition,
	// Content-Type, …).
	Header textproto.MIMEHeader

	content *uploadContent
}

// uploadContent is where an upload's bytes are: in memory or in a
// temporary file.
type uploadContent struct {
	mem  []byte
	file *os.File
}

// ContentType is the part's Content-Type header ("" when the client sent
// none).
func (u *UploadFile) ContentType() string { return u.Header.Get("Content-Type") }

// Open returns a reader of the file's content. Each call gives an
// independent reader from the start; closing it is optional (the content is
// released with the request's cleanups).
func (u *UploadFile) Open() (multipart.File, error) {
	if u.content == nil {
		return nil, errors.New("brisk: UploadFile.Open: not an uploaded file")
	}
	if f := u.content.file; f != nil {
		return uploadReader{io.NewSectionReader(f, 0, u.Size)}, nil
	}
	return uploadReader{io.NewSectionReader(bytes.NewReader(u.content.mem), 0, u.Size)}, nil
}

// uploadReader is an io.SectionReader that multipart.File's Close makes
// no-op: the content's owner is the request.
type uploadReader struct{ *io.SectionReader }

func (uploadReader) Close() error { return nil }

// formFile is one uploaded file of the request's form.
type formFile struct {
	name string
	file UploadFile
}

// formState is the request's form body, parsed once.
type formState struct {
	parsed bool
	err    *HTTPError
	pairs  []queryPair
	files  []formFile
	spool  *spoolSet
}

// reset clears fs for the pool, keeping its slices' memory.
func (fs *formState) reset() {
	fs.parsed, fs.err, fs.spool = false, nil, nil
	if fs.pairs != nil {
		clear(fs.pairs)
		fs.pairs = fs.pairs[:0]
	}
	if fs.files != nil {
		clear(fs.files)
		fs.files = fs.files[:0]
	}
}

// spoolSet holds one request's temporary files; its remove runs as one of
// the request's cleanups, after the response and the background tasks.
type spoolSet struct {
	files []*os.File
}

func (s *spoolSet) remove() {
	for _, f := range s.files {
		_ = f.Close()
		_ = os.Remove(f.Name())
	}
}

// copyBuffers are the buffers streaming uploads to temporary files.
var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// bodyCounter reads the body for the multipart reader, counting: past the
// body limit, or past the part header limit while a part's header is read,
// it fails (and says which), so nothing is read without bound.
type bodyCounter struct {
	r        io.Reader
	limit    int64 // <= 0: none
	total    int64
	inHeader bool
	header   int // bytes read while in the header
	maxHead  int
	overBody bool
	overHead bool
	readErr  error // the body's own failure (the client went away)
}

var errFormLimit = errors.New("brisk: form limit")

func (c *bodyCounter) Read(p []byte) (int, error) {
	if c.inHeader {
		if c.header >= c.maxHead {
			c.overHead = true
			return 0, errFormLimit
		}
		p = p[:min(len(p), c.maxHead-c.header)]
	}
	if c.limit > 0 && int64(len(p)) > c.limit+1-c.total {
		p = p[:c.limit+1-c.total]
	}
	n, err := c.r.Read(p)
	if err != nil && err != io.EOF {
		c.readErr = err
	}
	c.total += int64(n)
	if c.inHeader {
		c.header += n
	}
	if c.limit > 0 && c.total > c.limit {
		c.overBody = true
		return n, errFormLimit
	}
	return n, err
}

// Multipart answers, in Starlette's words where it has them. Each answer
// is a fresh HTTPError: error handlers may change the one they are given.
const (
	msgMissingBoundary = "Missing boundary in multipart."
	msgPartName        = `The Content-Disposition header field "name" must be provided.`
	msgBadBody         = "There was an error parsing the body"
	msgUnreadable      = "The request body could not be read"
)

// partTooLarge is Starlette's answer to a field's value over the limit.
func partTooLarge(n int64) *HTTPError {
	return Error(http.StatusBadRequest, "Part exceeded maximum size of "+strconv.FormatInt(n/1024, 10)+"KB.")
}

// headerTooLarge answers a part header over the limit.
func headerTooLarge(n int) *HTTPError {
	return Error(http.StatusRequestEntityTooLarge, "Part header exceeded maximum size of "+strconv.Itoa(n)+" bytes.")
}

// parseMultipart streams a multipart/form-data body into the request's
// form: field values in memory (each within MaxFieldBytes), files in memory
// while the request's memory budget lasts, in temporary files beyond it.
// Every limit is checked as the bytes arrive.
func (st *reqState) parseMultipart(r *http.Request, boundary string) *HTTPError {
	if boundary == "" {
		return Error(http.StatusBadRequest, msgMissingBoundary)
	}
	lim := st.app.cfg.Forms
	if st.declaresTooLong(r) {
		return Error(http.StatusRequestEntityTooLarge, nil)
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	cnt := &bodyCounter{r: r.Body, limit: st.bodyLimit, maxHead: lim.MaxPartHeaderBytes + 4<<10}
	mr := multipart.NewReader(cnt, boundary)
	fs := &st.form
	memory := lim.MemoryBytes
	fields, files := 0, 0
	var value bytes.Buffer
	for {
		cnt.inHeader, cnt.header = true, 0
		part, err := mr.NextPart()
		cnt.inHeader = false
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return st.multipartError(cnt, lim)
		}
		name := part.FormName()
		if name == "" {
			return Error(http.StatusBadRequest, msgPartName)
		}
		filename := part.FileName()
		if filename == "" {
			if fields++; fields > lim.MaxFields {
				return tooManyFields(lim.MaxFields)
			}
			value.Reset()
			n, err := value.ReadFrom(io.LimitReader(part, lim.MaxFieldBytes+1))
			if err != nil {
				return st.multipartError(cnt, lim)
			}
			if n > lim.MaxFieldBytes {
				return partTooLarge(lim.MaxFieldBytes)
			}
			fs.pairs = append(fs.pairs, queryPair{name, value.String()})
			continue
		}
		if files++; files > lim.MaxFiles {
			return tooManyFiles(lim.MaxFiles)
		}
		up := UploadFile{Filename: filename, Header: part.Header, content: &uploadContent{}}
		hint := int64(-1)
		if r.ContentLength > 0 {
			// What the body has left, plus what the reader's buffer may
			// already hold of it.
			hint = r.ContentLength - cnt.total + 8<<10
		}
		mem, err := readUpTo(part, max(memory, 0)+1, hint)
		n := int64(len(mem))
		if err != nil {
			return st.multipartError(cnt, lim)
		}
		if n <= memory {
			memory -= n
			up.content.mem, up.Size = mem, n
		} else {
			f, err := st.spoolFile()
			if err != nil {
				st.app.cfg.Logger.Error("brisk: cannot create a temporary file for an upload", "error", err)
				return Error(http.StatusInternalServerError, nil)
			}
			up.content.file = f
			bp := copyBuffers.Get().(*[]byte)
			_, werr := f.Write(mem)
			var rest int64
			if werr == nil {
				rest, err = io.CopyBuffer(onlyWriter{f}, onlyReader{part}, *bp)
			}
			copyBuffers.Put(bp)
			if werr != nil || err != nil && !isReadErr(err, f) {
				st.app.cfg.Logger.Error("brisk: cannot write an upload to a temporary file", "error", errors.Join(werr, err))
				return Error(http.StatusInternalServerError, nil)
			}
			if err != nil {
				return st.multipartError(cnt, lim)
			}
			up.Size = n + rest
		}
		fs.files = append(fs.files, formFile{name, up})
	}
}

// readUpTo reads at most limit bytes of r into a slice sized to what
// comes: small parts cost one exact allocation; a larger one grows by
// doubling, jumping to the bytes the body has left (hint, when its length
// is known) once that is within reach, so a part that fills the memory
// budget is not copied through ever larger buffers.
func readUpTo(r io.Reader, limit, hint int64) ([]byte, error) {
	bp := copyBuffers.Get().(*[]byte)
	defer copyBuffers.Put(bp)
	first := (*bp)[:min(int64(len(*bp)), limit)]
	n, err := io.ReadFull(r, first)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return append([]byte(nil), first[:n]...), nil
	}
	if err != nil || int64(n) == limit {
		return append([]byte(nil), first[:n]...), err
	}
	buf := append(make([]byte, 0, growTo(int64(n), limit, hint)), first...)
	for {
		if len(buf) == cap(buf) {
			buf = append(make([]byte, 0, growTo(int64(len(buf)), limit, hint)), buf...)
		}
		m, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err == io.EOF || int64(len(buf)) == limit {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// growTo is the next capacity of readUpTo's buffer holding n bytes.
func growTo(n, limit, hint int64) int64 {
	c := 2 * n
	if hint > c && hint <= 4*c {
		c = hint
	}
	return min(c, limit)
}

// onlyWriter and onlyReader hide ReadFrom and WriteTo, so io.CopyBuffer
// uses the given buffer.
type onlyWriter struct{ io.Writer }
type onlyReader struct{ io.Reader }

// isReadErr tells a read error of the copy from a write error: the file
// f reports its own as *os.PathError naming it.
func isReadErr(err error, f *os.File) bool {
	var pe *os.PathError
	return !errors.As(err, &pe) || pe.Path != f.Name()
}

// multipartError answers a failure while reading a multipart body: a limit
// the counter enforced, a body the client stopped sending, or a malformed
// one.
func (st *reqState) multipartError(cnt *bodyCounter, lim FormLimits) *HTTPError {
	switch {
	case cnt.overBody:
		return Error(http.StatusRequestEntityTooLarge, nil)
	case cnt.overHead:
		return headerTooLarge(lim.MaxPartHeaderBytes)
	case cnt.readErr != nil:
		return Error(http.StatusBadRequest, msgUnreadable)
	case cnt.total == 0:
		return nil // an empty body: an empty form
	}
	return Error(http.StatusBadRequest, msgBadBody)
}

// spoolFile creates a temporary file for an upload, removed with the
// request's cleanups (registered with the first one).
func (st *reqState) spoolFile() (*os.File, error) {
	f, err := os.CreateTemp("", "brisk-upload-*")
	if err != nil {
		return nil, err
	}
	fs := &st.form
	if fs.spool == nil {
		fs.spool = &spoolSet{}
		st.addCleanup(fs.spool.remove)
	}
	fs.spool.files = append(fs.spool.files, f)
	return f, nil
}

// bindFile fills a file field at p from the form's files.
func (st *reqState) bindFile(f *modelField, p unsafe.Pointer) bool {
	var last *UploadFile
	n := 0
	for i := range st.form.files {
		if st.form.files[i].name == f.name {
			last = &st.form.files[i].file
			n++
		}
	}
	if last == nil {
		vals := st.formValues(f.name)
		if len(vals) > 0 && vals[len(vals)-1] != "" {
			v := vals[len(vals)-1]
			switch f.file {
			case fileBytes:
				// pydantic's bytes take a string as its bytes.
				*(*[]byte)(p) = []byte(v)
				return true
			case fileBytesOpt:
				b := []byte(v)
				*(**[]byte)(p) = &b
				return true
			case fileBytesMany:
				all := make([][]byte, len(vals))
				for i, v := range vals {
					all[i] = []byte(v)
				}
				*(*[][]byte)(p) = all
				return true
			}
			// A plain value where a file was expected: pydantic's error for
			// FastAPI's UploadFile.
			st.addItem(problem.Item{Type: "value_error", Loc: []any{"body", f.name},
				Msg: "Value error, Expected UploadFile, received: <class 'str'>", Input: v,
				Ctx: map[string]any{"error": map[string]any{}}})
			return false
		}
		if f.required {
			st.addItem(problem.Missing(nil, "body", f.name))
			return false
		}
		return true
	}
	switch f.file {
	case fileOne:
		*(*UploadFile)(p) = *last
	case fileOpt:
		u := *last
		*(**UploadFile)(p) = &u
	case fileMany:
		all := make([]UploadFile, 0, n)
		for i := range st.form.files {
			if st.form.files[i].name == f.name {
				all = append(all, st.form.files[i].file)
			}
		}
		*(*[]UploadFile)(p) = all
	case fileBytesMany:
		all := make([][]byte, 0, n)
		for i := range st.form.files {
			if st.form.files[i].name == f.name {
				b, err := st.form.files[i].file.bytes()
				if err != nil {
					st.abort = Error(http.StatusBadRequest, msgUnreadable)
					return false
				}
				all = append(all, b)
			}
		}
		*(*[][]byte)(p) = all
	case fileBytes, fileBytesOpt:
		b, err := last.bytes()
		if err != nil {
			st.abort = Error(http.StatusBadRequest, msgUnreadable)
			return false
		}
		if f.file == fileBytes {
			*(*[]byte)(p) = b
		} else {
			*(**[]byte)(p) = &b
		}
	}
	return true
}

// bytes returns the upload's whole content.
func (u *UploadFile) bytes() ([]byte, error) {
	if u.content.file == nil {
		return u.content.mem, nil
	}
	b := make([]byte, u.Size)
	_, err := u.content.file.ReadAt(b, 0)
	return b, err
}
