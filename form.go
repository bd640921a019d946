// Form fields: request-model fields tagged form:"name", compiled, read from
// an urlencoded or multipart body parsed once per request, and documented
// as the operation's form request body.

package brisk

import (
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/funcname"
	"github.com/briskgo/brisk/internal/openapi"
	"github.com/briskgo/brisk/internal/problem"
)

// Form media types.
const (
	mediaURLEncoded = "application/x-www-form-urlencoded"
	mediaMultipart  = "multipart/form-data"
)

// fileKind is how a form field holds uploaded files.
type fileKind uint8

const (
	notFile       fileKind = iota
	fileOne                // UploadFile: required
	fileOpt                // *UploadFile: optional
	fileMany               // []UploadFile
	fileBytes              // []byte: the content, required (FastAPI's bytes = File())
	fileBytesOpt           // *[]byte: the content, optional
	fileBytesMany          // [][]byte: every file's content
)

var (
	uploadFileType      = reflect.TypeFor[UploadFile]()
	uploadFilePtrType   = reflect.TypeFor[*UploadFile]()
	uploadFileSliceType = reflect.TypeFor[[]UploadFile]()
	bytesType           = reflect.TypeFor[[]byte]()
	bytesPtrType        = reflect.TypeFor[*[]byte]()
	bytesSliceType      = reflect.TypeFor[[][]byte]()
)

func fileKindOf(t reflect.Type) fileKind {
	switch t {
	case uploadFileType:
		return fileOne
	case uploadFilePtrType:
		return fileOpt
	case uploadFileSliceType:
		return fileMany
	case bytesType:
		return fileBytes
	case bytesPtrType:
		return fileBytesOpt
	case bytesSliceType:
		return fileBytesMany
	}
	return notFile
}

// formField compiles a field tagged form:"name": read with the rules of a
// query field (defaults, validate, pointers optional, slices repeated),
// reported at loc ["body", name] as FastAPI's Form(), documented in the
// operation's form body.
func (c *compiler) formField(f reflect.StructField, tag string, base uintptr, where func() string) modelField {
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	mf := modelField{goName: f.Name, offset: base + f.Offset, pathIdx: -1, source: "form", name: name}
	fieldWhere := fmt.Sprintf("%s, field %s (form %q)", where(), f.Name, name)
	c.formWhere = fieldWhere
	def, hasDef := f.Tag.Lookup("default")
	example, hasExample := f.Tag.Lookup("example")
	p := openapi.Param{
		Name: name, In: "form", Type: f.Type, Default: def, HasDefault: hasDef,
		Validate: f.Tag.Get("validate"), Description: f.Tag.Get("doc"), Example: example, HasExample: hasExample,
	}
	if mf.file = fileKindOf(f.Type); mf.file != notFile {
		if hasDef || hasExample {
			panic(fmt.Sprintf("brisk: %s: a file field takes no default or example", fieldWhere))
		}
		mf.required = mf.file == fileOne || mf.file == fileBytes
		p.Required, p.File = mf.required, true
		c.plan.multipart = true
		c.addFormField(p)
		return mf
	}
	dec, shape, ok := decode.For(f.Type)
	if !ok {
		panic(fmt.Sprintf("brisk: %s: type %s cannot be read from a form value (a scalar, a pointer to one, a slice of them, "+
			"or UploadFile, *UploadFile, []UploadFile)", fieldWhere, f.Type))
	}
	mf.decode = dec
	if hasDef {
		mf.def = tagValues(dec, shape, f.Type, fieldWhere, "default", def)
	}
	if hasExample {
		tagValues(dec, shape, f.Type, fieldWhere, "example", example)
	}
	mf.slice = shape == decode.Slice
	mf.required = !hasDef && shape == decode.Scalar
	p.Required = mf.required
	c.addFormField(p)
	return mf
}

// addFormField records a form field for OpenAPI, once per name.
func (c *compiler) addFormField(p openapi.Param) {
	key := "form\x00" + p.Name
	if c.seenParam[key] {
		return
	}
	c.seenParam[key] = true
	c.plan.op.Form = append(c.plan.op.Form, p)
}

// checkBodies refuses a route that would read its body in two ways: as
// JSON, as a form, raw.
func (c *compiler) checkBodies(handler any) {
	op := &c.plan.op
	var ways []string
	if op.Body != nil {
		ways = append(ways, fmt.Sprintf("a JSON body parameter (%s) reads it as JSON", op.Body))
	}
	if len(op.Form) > 0 {
		ways = append(ways, c.formWhere+" reads it as a form")
	}
	if op.RawBody {
		ways = append(ways, c.rawWhere+" reads it raw")
	}
	if len(ways) > 1 {
		panic(fmt.Sprintf("brisk: %s %s: handler %s: %s; a request has one body: read it one way",
			c.method, c.pattern, funcname.WithLine(handler), strings.Join(ways, ", and ")))
	}
}

// bindFormField fills one form field at p from the request's form.
func (st *reqState) bindFormField(f *modelField, p unsafe.Pointer, r *http.Request) bool {
	if !st.parseForm(r) {
		return false
	}
	if f.file != notFile {
		return st.bindFile(f, p)
	}
	vals := st.formValues(f.name)
	if !f.slice && len(vals) > 0 && vals[len(vals)-1] == "" {
		// An empty form value is no value, as FastAPI reads Form() fields:
		// an empty input box sends "name=".
		vals = nil
	}
	if len(vals) == 0 {
		switch {
		case f.def != nil:
			return f.decode(f.def, p) == nil
		case f.required:
			st.addItem(problem.Missing(nil, "body", f.name))
			return false
		}
		return true
	}
	return st.decodeValues(f, vals, p)
}

// formValues returns the values of the form field name, in order.
func (st *reqState) formValues(name string) []string {
	st.vals = st.vals[:0]
	for _, p := range st.form.pairs {
		if p.key == name {
			st.vals = append(st.vals, p.value)
		}
	}
	return st.vals
}

// parseForm reads the request's form once: an urlencoded body, a multipart
// body (its files spooled), or, for any other content type or none, an
// empty form, so that every required field is reported missing, as
// FastAPI does. It reports false (having set abort) when the body breaks a
// limit or cannot be read or parsed.
func (st *reqState) parseForm(r *http.Request) bool {
	fs := &st.form
	if fs.parsed {
		if fs.err != nil {
			st.abort = fs.err
			return false
		}
		return true
	}
	fs.parsed = true
	ct := r.Header.Get("Content-Type")
	mt, params, _ := mime.ParseMediaType(ct)
	switch mt {
	case mediaURLEncoded:
		data, ok := st.readBody(r)
		if !ok {
			fs.err = st.abort
			return false
		}
		lim := st.app.cfg.Forms.MaxFields
		var within bool
		if fs.pairs, within = appendPairs(fs.pairs, string(data), lim); !within {
			fs.err = tooManyFields(lim)
		}
	case mediaMultipart:
		fs.err = st.parseMultipart(r, params["boundary"])
	}
	if fs.err != nil {
		st.abort = fs.err
		return false
	}
	return true
}

// tooManyFields is Starlette's answer to a form with more fields than the
// limit.
func tooManyFields(n int) *HTTPError {
	return Error(http.StatusBadRequest, "Too many fields. Maximum number of fields is "+strconv.Itoa(n)+".")
}

// tooManyFiles is Starlette's answer to a form with more files than the
// limit.
func tooManyFiles(n int) *HTTPError {
	return Error(http.StatusBadRequest, "Too many files. Maximum number of files is "+strconv.Itoa(n)+".")
}

// FormLimits bounds what an urlencoded or multipart form body may hold,
// beyond the body limit (Config.MaxBodyBytes, the route's MaxBodyBytes).
// Its zero fields mean the defaults. A breach is answered 400 with
// Starlette's message where Starlette has one (too many fields or files, a
// field's value too long), 413 otherwise (a part's header too long).
type FormLimits struct {
	// MaxFields bounds the fields that are not files (default 1000, as
	// Starlette).
	MaxFields int
	// MaxFiles bounds the files of a multipart body (default 1000, as
	// Starlette).
	MaxFiles int
	// MaxFieldBytes bounds the value of one field that is not a file in a
	// multipart body (default 1 MiB, as Starlette's max_part_size).
	MaxFieldBytes int64
	// MaxPartHeaderBytes bounds the header of one part of a multipart body
	// (default 16 KiB).
	MaxPartHeaderBytes int
	// MemoryBytes is how many bytes of one request's uploaded files are
	// held in memory; the files past it are spooled to temporary files
	// (default 1 MiB, as Starlette's spooling; negative: every file is
	// spooled).
	MemoryBytes int64
}

func (l FormLimits) withDefaults() FormLimits {
	if l.MaxFields <= 0 {
		l.MaxFields = 1000
	}
	if l.MaxFiles <= 0 {
		l.MaxFiles = 1000
	}
	if l.MaxFieldBytes <= 0 {
		l.MaxFieldBytes = 1 << 20
	}
	if l.MaxPartHeaderBytes <= 0 {
		l.MaxPartHeaderBytes = 16 << 10
	}
	switch {
	case l.MemoryBytes == 0:
		l.MemoryBytes = 1 << 20
	case l.MemoryBytes < 0:
		l.MemoryBytes = 0
	}
	return l
}
