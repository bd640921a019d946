// Command forms-and-files shows forms and uploads (FastAPI's
// docs_src/request_forms, request_files and request_forms_and_files): a
// login form, a profile form with validation, and a multi-file upload that
// stores the files in ./uploads and reports their sizes. GET / serves a
// page with the three forms, for a browser.
//
//	go run ./examples/forms-and-files
//	curl -d username=alice -d password=wonderland http://127.0.0.1:8000/login
//	curl -d name=Ada -d age=36 -d email=ada@example.com -d interests=maths -d interests=engines http://127.0.0.1:8000/profile
//	curl -F files=@go.mod -F files=@README.md http://127.0.0.1:8000/uploads
package main

import (
	"errors"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/briskgo/brisk"
)

// users are the demo accounts of the login form.
var users = map[string]string{"alice": "wonderland"}

// LoginForm is an urlencoded (or multipart) login form.
type LoginForm struct {
	Username string `form:"username"`
	Password string `form:"password"`
}

// ProfileForm is a form whose fields are validated; a failing field is
// answered 422 with loc ["body", name], as FastAPI does.
type ProfileForm struct {
	Name       string   `form:"name" validate:"min=2,max=50"`
	Age        int      `form:"age" validate:"gte=13,lte=130"`
	Email      string   `form:"email" validate:"email"`
	Bio        *string  `form:"bio" validate:"omitempty,max=200"`
	Interests  []string `form:"interests" validate:"max=5,dive,min=1,max=20"`
	Newsletter bool     `form:"newsletter" default:"false"`
}

// Profile is what /profile answers.
type Profile struct {
	Name       string   `json:"name"`
	Age        int      `json:"age"`
	Email      string   `json:"email"`
	Bio        string   `json:"bio"`
	Interests  []string `json:"interests"`
	Newsletter bool     `json:"newsletter"`
}

// UploadForm takes one or more files under the name "files".
type UploadForm struct {
	Files []brisk.UploadFile `form:"files" validate:"required,max=10"`
	Note  string             `form:"note" default:""`
}

// Stored is one stored file.
type Stored struct {
	Filename    string `json:"filename"`
	Size        int64  `json:"size"`
	ContentType string `json:"content_type"`
}

// Uploaded is what /uploads answers.
type Uploaded struct {
	Stored []Stored `json:"stored"`
	Total  int64    `json:"total"`
	Note   string   `json:"note"`
}

func main() {
	if err := newApp("uploads").Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app, storing uploads in dir; main_test.go drives it
// over HTTP.
func newApp(dir string) *brisk.App {
	app := brisk.New(brisk.Config{Title: "Forms and files"})
	app.Get("/", func() *brisk.Response { return brisk.HTML(http.StatusOK, page) }, brisk.Hidden())

	app.Post("/login", func(in LoginForm) (map[string]string, error) {
		if pw, ok := users[in.Username]; !ok || pw != in.Password {
			return nil, brisk.Error(http.StatusUnauthorized, "Incorrect username or password")
		}
		return map[string]string{"username": in.Username}, nil
	}, brisk.Summary("Log in with a form"), brisk.Responses(http.StatusUnauthorized, "Incorrect username or password", nil))

	app.Post("/profile", func(in ProfileForm) Profile {
		p := Profile{Name: in.Name, Age: in.Age, Email: in.Email, Interests: in.Interests, Newsletter: in.Newsletter}
		if in.Bio != nil {
			p.Bio = *in.Bio
		}
		return p
	}, brisk.Summary("Update a profile"))

	app.Post("/uploads", func(in UploadForm) (Uploaded, error) {
		out := Uploaded{Stored: []Stored{}, Note: in.Note}
		for _, f := range in.Files {
			n, err := store(dir, f)
			if err != nil {
				return Uploaded{}, err
			}
			out.Stored = append(out.Stored, Stored{Filename: f.Filename, Size: n, ContentType: f.ContentType()})
			out.Total += n
		}
		return out, nil
	}, brisk.Summary("Upload files"), brisk.MaxBodyBytes(32<<20),
		brisk.Responses(http.StatusBadRequest, "Invalid file name or malformed body", nil),
		brisk.Responses(http.StatusRequestEntityTooLarge, "Over 32 MiB", nil))
	return app
}

// store copies an upload into dir under its base name.
func store(dir string, f brisk.UploadFile) (int64, error) {
	name := filepath.Base(f.Filename)
	if name == "." || name == ".." || strings.ContainsAny(name, `/\`) {
		return 0, brisk.Error(http.StatusBadRequest, "Invalid file name")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	src, err := f.Open()
	if err != nil {
		return 0, err
	}
	defer src.Close()
	dst, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(dst, src)
	return n, errors.Join(err, dst.Close())
}

const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Forms and files</title></head>
<body>
<h1>Log in</h1>
<form action="/login" method="post">
<input name="username" placeholder="alice"> <input name="password" type="password"> <input type="submit">
</form>
<h1>Profile</h1>
<form action="/profile" method="post">
<input name="name" placeholder="name"> <input name="age" type="number"> <input name="email" type="email">
<textarea name="bio"></textarea> <input name="interests"> <input name="interests">
<label><input name="newsletter" type="checkbox"> newsletter</label> <input type="submit">
</form>
<h1>Upload</h1>
<form action="/uploads" method="post" enctype="multipart/form-data">
<input name="files" type="file" multiple> <input name="note"> <input type="submit">
</form>
</body></html>
`
