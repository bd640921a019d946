package brisk_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strings"

	"github.com/briskgo/brisk"
)

// postAs serves one POST with the given content type in-process and prints
// the status and body.
func postAs(app *brisk.App, target, contentType, body string) {
	req := httptest.NewRequest("POST", target, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
}

// Form fields: an urlencoded (or multipart) body, validated like query
// fields, errors at ["body", name].
func Example_form() {
	type Login struct {
		Username string `form:"username" validate:"min=3"`
		Password string `form:"password"`
		Remember bool   `form:"remember" default:"false"`
	}
	app := brisk.New()
	app.Post("/login", func(in Login) map[string]any {
		return map[string]any{"username": in.Username, "remember": in.Remember}
	})
	form := "application/x-www-form-urlencoded"
	postAs(app, "/login", form, "username=ada&password=secret&remember=on")
	postAs(app, "/login", form, "username=al")
	// Output:
	// 200 {"remember":true,"username":"ada"}
	// 422 {"detail":[{"type":"string_too_short","loc":["body","username"],"msg":"String should have at least 3 characters","input":"al","ctx":{"min_length":3}},{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}
}

// Uploaded files: UploadFile for one, []UploadFile for many.
func ExampleUploadFile() {
	app := brisk.New()
	app.Post("/upload", func(in struct {
		Files []brisk.UploadFile `form:"files" validate:"required"`
	}) ([]string, error) {
		var out []string
		for _, f := range in.Files {
			rd, err := f.Open()
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(rd)
			if err != nil {
				return nil, err
			}
			out = append(out, fmt.Sprintf("%s (%s, %d bytes): %s", f.Filename, f.ContentType(), f.Size, b))
		}
		return out, nil
	})
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, name := range []string{"a.txt", "b.txt"} {
		w, _ := mw.CreateFormFile("files", name)
		_, _ = io.WriteString(w, "hello from "+name)
	}
	_ = mw.Close()
	postAs(app, "/upload", mw.FormDataContentType(), body.String())
	// Output:
	// 200 ["a.txt (application/octet-stream, 16 bytes): hello from a.txt","b.txt (application/octet-stream, 16 bytes): hello from b.txt"]
}
