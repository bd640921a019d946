package bench

// Forms and uploads side by side: a login form post (F1) and a 1 MiB file
// upload (F2), in Brisk, hand-written chi (r.ParseForm, r.FormFile) and
// Gin (ShouldBind, c.FormFile), each answering the same JSON. Run:
//
//	go test -run '^$' -bench 'Forms' -benchmem -count 6 . | tee forms.txt
//	benchstat -col /fw forms.txt

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"

	"github.com/briskgo/brisk"
)

const (
	loginBody   = "username=Foo&password=secret"
	loginAnswer = `{"username":"Foo"}`
	uploadSize  = 1 << 20
	// uploadLimit bounds the upload route's body in every implementation.
	uploadLimit = 2 << 20
)

var uploadBody, uploadType = func() (string, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", "a.bin")
	_, _ = w.Write(bytes.Repeat([]byte("u"), uploadSize))
	_ = mw.Close()
	return buf.String(), mw.FormDataContentType()
}()

const uploadAnswer = `{"filename":"a.bin","size":1048576}`

type formImpl struct {
	name string
	h    http.Handler
}

// formImpls builds the three implementations of both routes.
func formImpls() []formImpl {
	return []formImpl{{"brisk", formBrisk()}, {"chi", formChi()}, {"gin", formGin()}}
}

type loginIn struct {
	Username string `form:"username" validate:"required"`
	Password string `form:"password" validate:"required"`
}

type uploadOut struct {
	Filename string `json:"filename"`
	Size     int64  `json:"size"`
}

func formBrisk() http.Handler {
	app := brisk.New()
	app.Post("/login", func(in loginIn) map[string]string { return map[string]string{"username": in.Username} })
	app.Post("/upload", func(in struct {
		File brisk.UploadFile `form:"file"`
	}) uploadOut {
		return uploadOut{Filename: in.File.Filename, Size: in.File.Size}
	}, brisk.MaxBodyBytes(uploadLimit))
	return app
}

func formChi() http.Handler {
	r := chi.NewRouter()
	v := newValidator()
	r.Post("/login", func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"detail": err.Error()})
			return
		}
		in := loginIn{Username: r.PostForm.Get("username"), Password: r.PostForm.Get("password")}
		if err := v.Struct(in); err != nil {
			writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"detail": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"username": in.Username})
	})
	r.Post("/upload", func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, uploadLimit)
		f, fh, err := r.FormFile("file")
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"detail": err.Error()})
			return
		}
		defer r.MultipartForm.RemoveAll()
		_ = f.Close()
		writeJSON(w, http.StatusOK, uploadOut{Filename: fh.Filename, Size: fh.Size})
	})
	return r
}

func formGin() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	type ginLogin struct {
		Username string `form:"username" binding:"required"`
		Password string `form:"password" binding:"required"`
	}
	r.POST("/login", func(c *gin.Context) {
		var in ginLogin
		if err := c.ShouldBind(&in); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"username": in.Username})
	})
	r.POST("/upload", func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, uploadLimit)
		fh, err := c.FormFile("file")
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		defer c.Request.MultipartForm.RemoveAll()
		c.JSON(http.StatusOK, uploadOut{Filename: fh.Filename, Size: fh.Size})
	})
	return r
}

// formRequest builds a reusable request and the func that rewinds it,
// forgetting what net/http cached of the last parse.
func formRequest(path, contentType, payload string) (*http.Request, func()) {
	req := httptest.NewRequest(http.MethodPost, path, nil)
	req.Header.Set("Content-Type", contentType)
	b := &body{}
	return req, func() {
		b.Reset(payload)
		req.Body = b
		req.ContentLength = int64(len(payload))
		req.Form, req.PostForm, req.MultipartForm = nil, nil, nil
	}
}

var formCases = []struct {
	name, path, contentType, body, want string
}{
	{"F1", "/login", "application/x-www-form-urlencoded", loginBody, loginAnswer},
	{"F2", "/upload", uploadType, uploadBody, uploadAnswer},
}

func TestFormsParity(t *testing.T) {
	for _, im := range formImpls() {
		for _, fc := range formCases {
			req, rewind := formRequest(fc.path, fc.contentType, fc.body)
			rewind()
			rec := httptest.NewRecorder()
			im.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%s %s: %d %s", im.name, fc.name, rec.Code, rec.Body)
			}
			if !jsonEqual(t, rec.Body.Bytes(), []byte(fc.want)) {
				t.Errorf("%s %s: %s, want %s", im.name, fc.name, rec.Body, fc.want)
			}
		}
	}
}

func BenchmarkForms(b *testing.B) {
	impls := formImpls()
	for _, fc := range formCases {
		b.Run(fc.name, func(b *testing.B) {
			for _, im := range impls {
				b.Run("fw="+im.name, func(b *testing.B) {
					req, rewind := formRequest(fc.path, fc.contentType, fc.body)
					w := &nopWriter{h: make(http.Header)}
					b.ReportAllocs()
					b.SetBytes(int64(len(fc.body)))
					cpu := CPUTime()
					for b.Loop() {
						rewind()
						clear(w.h)
						im.h.ServeHTTP(w, req)
					}
					if cpu := CPUTime() - cpu; cpu > 0 {
						b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
					}
				})
			}
		})
	}
}
