package tests

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/briskgo/brisk"
)

// Fuzz targets for the form binders: an urlencoded body and a multipart
// body, served by App.ServeHTTP in memory. Whatever comes in, the answer is
// 200, 422 in FastAPI's shape with ["body", name] locs, or the limits'
// 400 and 413 — never a 500 or a panic. Run one with
//
//	go test -run '^$' -fuzz '^FuzzFormURLEncoded$' -fuzztime 10s -parallel 1 ./tests/

// fzForm reads scalar kinds, a pointer, a slice and defaults from a form,
// with validate rules.
type fzForm struct {
	S    string     `form:"s" default:""`
	N    int16      `form:"n" default:"0" validate:"gte=-100"`
	F    *float64   `form:"f"`
	B    bool       `form:"b" default:"false"`
	T    *time.Time `form:"t"`
	Tags []string   `form:"tag" validate:"max=5,dive,max=8"`
	Need uint8      `form:"need"`
}

var fzFormNames = map[string]bool{"s": true, "n": true, "f": true, "b": true, "t": true, "tag": true, "need": true, "file": true, "files": true}

// fzUpload adds files to fzForm.
type fzUpload struct {
	fzForm
	File  *brisk.UploadFile  `form:"file"`
	Files []brisk.UploadFile `form:"files"`
}

func fzFormApp() *brisk.App {
	app := brisk.New(brisk.Config{
		Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxBodyBytes: 8 << 10,
		Forms:        brisk.FormLimits{MaxFields: 20, MaxFiles: 4, MaxFieldBytes: 1024, MaxPartHeaderBytes: 512, MemoryBytes: 64},
	})
	app.Post("/form", func(in fzForm) map[string]any { return map[string]any{"s": in.S, "tags": in.Tags} })
	app.Post("/upload", func(in fzUpload) (map[string]any, error) {
		sizes := []int64{}
		for _, f := range append(in.Files, derefUpload(in.File)...) {
			rd, err := f.Open()
			if err != nil {
				return nil, err
			}
			n, err := io.Copy(io.Discard, rd)
			if err != nil || n != f.Size {
				return nil, fmt.Errorf("read %d of %d bytes: %v", n, f.Size, err)
			}
			sizes = append(sizes, n)
		}
		return map[string]any{"s": in.S, "sizes": sizes}, nil
	})
	return app
}

func derefUpload(f *brisk.UploadFile) []brisk.UploadFile {
	if f == nil {
		return nil
	}
	return []brisk.UploadFile{*f}
}

// checkFormAnswer fails unless rec is an answer a form route may give.
func checkFormAnswer(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	switch rec.Code {
	case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		var v map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("status %d: body is not a JSON object: %q", rec.Code, rec.Body.String())
		}
	case http.StatusUnprocessableEntity:
		checkProblem(t, rec.Body.Bytes(), func(loc []any) error {
			if len(loc) < 2 || loc[0] != "body" {
				return fmt.Errorf("loc %v: want [\"body\", name, …]", loc)
			}
			if name, _ := loc[1].(string); !fzFormNames[name] {
				return fmt.Errorf("loc %v: not a field of the form", loc)
			}
			return nil
		})
	default:
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
}

// FuzzFormURLEncoded posts body as application/x-www-form-urlencoded; a
// 200's "s" is what url.ParseQuery reads (the last value), when it reads
// the body without error.
func FuzzFormURLEncoded(f *testing.F) {
	for _, s := range []string{
		"need=1&s=a+b", "need=1&s=a%20b", "need=1&s=a%2Bb&s=last", "need=1&n=-101&tag=123456789", "need=x&f=nan&t=2024-01-01",
		"need=1&s=%zz&s=ok", "need=1&tag=a&tag=b&tag=c&tag=d&tag=e&tag=f", "need=1;s=semi", "=&&=&need=256", "need=1&" + strings.Repeat("a=1&", 30),
		"need=1&s=" + strings.Repeat("%41", 3000), "need=1&s=\xff\xfe", "need=&s=",
	} {
		f.Add(s)
	}
	app := fzFormApp()
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/form", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, r)
		checkFormAnswer(t, rec)
		if rec.Code != http.StatusOK {
			return
		}
		vals, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		want := ""
		if s := vals["s"]; len(s) > 0 {
			want = s[len(s)-1]
		}
		if !utf8.ValidString(want) {
			return // JSON carries invalid UTF-8 as U+FFFD
		}
		var got struct{ S string }
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.S != want {
			t.Fatalf("s = %q (%v), url.ParseQuery reads %q", got.S, err, want)
		}
	})
}

// FuzzMultipart posts body as multipart/form-data with the given
// Content-Type parameters (boundary=…).
func FuzzMultipart(f *testing.F) {
	part := func(b, headers, data string) string { return "--" + b + "\r\n" + headers + "\r\n\r\n" + data + "\r\n" }
	cd := func(name string) string { return `Content-Disposition: form-data; name="` + name + `"` }
	file := func(name, filename string) string {
		return cd(name) + `; filename="` + filename + `"` + "\r\nContent-Type: text/plain"
	}
	seeds := []struct{ params, body string }{
		{"boundary=B", part("B", cd("need"), "1") + part("B", cd("s"), "a+b%20c") + "--B--\r\n"},
		{"boundary=B", part("B", cd("need"), "1") + part("B", file("file", "a.txt"), strings.Repeat("x", 100)) +
			part("B", file("files", "b.txt"), "b") + part("B", file("files", "c.txt"), "") + "--B--\r\n"},
		{"", part("B", cd("need"), "1") + "--B--\r\n"},                                    // missing boundary
		{"boundary=B", part("B", cd("need"), "1") + part("B", cd("need"), "2") + "--B--"}, // duplicate names
		{"boundary=B", part("B", cd("s")+"\r\nX-Huge: "+strings.Repeat("h", 600), "v") + "--B--\r\n"},
		{"boundary=B", part("B", "Content-Disposition: form-data", "v") + "--B--\r\n"},
		{"boundary=B", part("B", cd("need"), "1") + part("B", file("file", ""), "") + "--B--\r\n"},
		{"boundary=B", part("B", cd("need"), "1") + part("B", cd("file"), "not a file") + "--B--\r\n"},
		{"boundary=\"quoted b\"", part("quoted b", cd("need"), "7") + "--quoted b--\r\n"},
		{"boundary=B", part("B", cd("need"), "1") + part("B", cd("s"), strings.Repeat("s", 1100)) + "--B--\r\n"},
		{"boundary=B", part("B", cd("need"), "1") + part("B", file("file", "a"), strings.Repeat("x", 9000)) + "--B--\r\n"},
		{"boundary=B", "--B\r\n" + cd("need") + "\r\n\r\n1"},
		{"boundary=B", "--B--\r\n"},
		{"boundary=B", ""},
		{"boundary=B", part("B", cd("need")+"\r\nContent-Transfer-Encoding: quoted-printable", "=31") + "--B--\r\n"},
	}
	for _, s := range seeds {
		f.Add(s.params, s.body)
	}
	app := fzFormApp()
	f.Fuzz(func(t *testing.T, params, body string) {
		r := httptest.NewRequest(http.MethodPost, "/upload", strings.NewReader(body))
		ct := "multipart/form-data"
		if params != "" {
			ct += "; " + params
		}
		r.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, r)
		checkFormAnswer(t, rec)
	})
}
