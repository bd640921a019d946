package tests

// Uploaded files over real HTTP: FastAPI's request-files and
// forms-and-files tutorials ported (UploadFile, []byte as FastAPI's
// bytes = File(), optional and many files), and their OpenAPI.

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

func filesTutorialApp(t *testing.T) *httptest.Server {
	app := brisk.New()
	app.Post("/files/", func(in struct {
		File []byte `form:"file"`
	}) map[string]int {
		return map[string]int{"file_size": len(in.File)}
	})
	app.Post("/uploadfile/", func(in struct {
		File brisk.UploadFile `form:"file"`
	}) map[string]string {
		return map[string]string{"filename": in.File.Filename}
	})
	return serve(t, app)
}

func TestFormsTutorialFiles(t *testing.T) {
	srv := filesTutorialApp(t)
	missingFile := `{"detail":[{"type":"missing","loc":["body","file"],"msg":"Field required","input":null}]}`

	res := postRaw(t, srv, "/files/", "", "")
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, missingFile, res)
	res = postRaw(t, srv, "/files/", "application/json", `{"file":"Foo"}`)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, missingFile, res)

	res = postMultipart(t, srv, "/files/", upload{Name: "file", Filename: "test.txt", Data: "<file content>"})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"file_size":14}`, res)

	// Past pydantic's 64 KiB and past the memory budget: spooled, whole.
	big := strings.Repeat("x", 1<<16+1)
	res = postMultipart(t, srv, "/files/", upload{Name: "file", Filename: "test.txt", Data: big})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"file_size":65537}`, res)

	res = postMultipart(t, srv, "/uploadfile/", upload{Name: "file", Filename: "test.txt", Data: "<file content>"})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"filename":"test.txt"}`, res)

	// A plain value where a file is expected: pydantic's error for UploadFile.
	res = postMultipart(t, srv, "/uploadfile/", upload{Name: "file", Data: "not a file"})
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, `{"detail":[{"type":"value_error","loc":["body","file"],
		"msg":"Value error, Expected UploadFile, received: <class 'str'>","input":"not a file","ctx":{"error":{}}}]}`, res)
}

func TestFormsTutorialOptionalFiles(t *testing.T) {
	app := brisk.New()
	app.Post("/files/", func(in struct {
		File *[]byte `form:"file"`
	}) map[string]any {
		if in.File == nil {
			return map[string]any{"message": "No file sent"}
		}
		return map[string]any{"file_size": len(*in.File)}
	})
	app.Post("/uploadfile/", func(in struct {
		File *brisk.UploadFile `form:"file"`
	}) map[string]any {
		if in.File == nil {
			return map[string]any{"message": "No upload file sent"}
		}
		return map[string]any{"filename": in.File.Filename}
	})
	srv := serve(t, app)

	res := postRaw(t, srv, "/files/", "", "")
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `{"message":"No file sent"}`, res)
	res = postMultipart(t, srv, "/files/", upload{Name: "file", Filename: "test.txt", Data: "<file content>"})
	assertJSON(t, `{"file_size":14}`, res)
	res = postRaw(t, srv, "/uploadfile/", "", "")
	assertJSON(t, `{"message":"No upload file sent"}`, res)
	res = postMultipart(t, srv, "/uploadfile/", upload{Name: "file", Filename: "test.txt", Data: "<file content>"})
	assertJSON(t, `{"filename":"test.txt"}`, res)
	// A browser's file input with no file chosen: filename="" and no content.
	res = postMultipart(t, srv, "/uploadfile/", upload{Name: "file", Filename: "", ContentType: "application/octet-stream"})
	assertJSON(t, `{"message":"No upload file sent"}`, res)
}

func TestFormsTutorialMultipleFiles(t *testing.T) {
	app := brisk.New()
	app.Post("/files/", func(in struct {
		Files []brisk.UploadFile `form:"files" validate:"required"`
	}) map[string][]int64 {
		sizes := []int64{}
		for _, f := range in.Files {
			sizes = append(sizes, f.Size)
		}
		return map[string][]int64{"file_sizes": sizes}
	})
	app.Post("/uploadfiles/", func(in struct {
		Files []brisk.UploadFile `form:"files"`
	}) map[string][]string {
		names := []string{}
		for _, f := range in.Files {
			names = append(names, f.Filename)
		}
		return map[string][]string{"filenames": names}
	})
	srv := serve(t, app)

	res := postRaw(t, srv, "/files/", "", "")
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","files"],"msg":"Field required","input":null}]}`, res)

	two := []upload{{Name: "files", Filename: "test.txt", Data: "<file content>"}, {Name: "files", Filename: "test2.txt", Data: "<file content2>"}}
	res = postMultipart(t, srv, "/files/", two...)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"file_sizes":[14,15]}`, res)
	res = postMultipart(t, srv, "/uploadfiles/", two...)
	assertJSON(t, `{"filenames":["test.txt","test2.txt"]}`, res)
	// Without validate:"required" a slice is optional, as query slices are.
	res = postRaw(t, srv, "/uploadfiles/", "", "")
	assertJSON(t, `{"filenames":[]}`, res)
}

// formsAndFiles is request_forms_and_files/tutorial001's form.
type formsAndFiles struct {
	File  []byte           `form:"file"`
	FileB brisk.UploadFile `form:"fileb"`
	Token string           `form:"token"`
}

func TestFormsTutorialFormsAndFiles(t *testing.T) {
	app := brisk.New()
	app.Post("/files/", func(in formsAndFiles) map[string]any {
		return map[string]any{"file_size": len(in.File), "token": in.Token, "fileb_content_type": in.FileB.ContentType()}
	})
	srv := serve(t, app)
	missing := func(names ...string) string {
		items := make([]string, len(names))
		for i, n := range names {
			items[i] = `{"type":"missing","loc":["body","` + n + `"],"msg":"Field required","input":null}`
		}
		return `{"detail":[` + strings.Join(items, ",") + `]}`
	}

	res := postRaw(t, srv, "/files/", "", "")
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, missing("file", "fileb", "token"), res)
	res = postForm(t, srv, "/files/", map[string][]string{"token": {"foo"}})
	assertJSON(t, missing("file", "fileb"), res)
	res = postRaw(t, srv, "/files/", "application/json", `{"file":"Foo","token":"Bar"}`)
	assertJSON(t, missing("file", "fileb", "token"), res)
	res = postMultipart(t, srv, "/files/", upload{Name: "file", Filename: "test.txt", Data: "<file content>"})
	assertJSON(t, missing("fileb", "token"), res)

	res = postMultipart(t, srv, "/files/", upload{Name: "token", Data: "foo"},
		upload{Name: "file", Filename: "test.txt", Data: "<file content>"},
		upload{Name: "fileb", Filename: "testb.txt", ContentType: "text/plain", Data: "<file b content>"})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"file_size":14,"token":"foo","fileb_content_type":"text/plain"}`, res)
}

func TestUploadFileFields(t *testing.T) {
	app := brisk.New(brisk.Config{Forms: brisk.FormLimits{MemoryBytes: 8}})
	app.Post("/f", func(in struct {
		Files []brisk.UploadFile `form:"f"`
	}) []map[string]any {
		out := []map[string]any{}
		for _, f := range in.Files {
			rd, err := f.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rd)
			require.NoError(t, err)
			// Each Open reads from the start, independently.
			rd2, _ := f.Open()
			half := make([]byte, 3)
			_, _ = io.ReadFull(rd2, half)
			require.NoError(t, rd.Close())
			out = append(out, map[string]any{"name": f.Filename, "size": f.Size, "type": f.ContentType(),
				"content": string(b), "start": string(half), "disposition": f.Header.Get("Content-Disposition")})
		}
		return out
	})
	srv := serve(t, app)
	res := postMultipart(t, srv, "/f", upload{Name: "f", Filename: "dir/a.txt", ContentType: "text/plain", Data: "small"},
		upload{Name: "f", Filename: "b.bin", Data: "more than eight bytes"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `[
		{"name":"a.txt","size":5,"type":"text/plain","content":"small","start":"sma","disposition":"form-data; name=\"f\"; filename=\"dir/a.txt\""},
		{"name":"b.bin","size":21,"type":"application/octet-stream","content":"more than eight bytes","start":"mor","disposition":"form-data; name=\"f\"; filename=\"b.bin\""}]`, res)
}

func TestFormsFilesOpenAPI(t *testing.T) {
	app := brisk.New()
	app.Post("/files/", func(in formsAndFiles) string { return "" })
	app.Post("/many", func(in struct {
		Files []brisk.UploadFile `form:"files" doc:"Some files"`
		Note  *string            `form:"note" validate:"omitempty,max=10"`
		Opt   *brisk.UploadFile  `form:"opt"`
	}) string {
		return ""
	})
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/openapi.json"})
	require.Equal(t, http.StatusOK, res.Status)
	var doc struct {
		Paths      map[string]map[string]map[string]any
		Components struct{ Schemas map[string]any }
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	op := doc.Paths["/files/"]["post"]
	assert.Equal(t, map[string]any{
		"content": map[string]any{"multipart/form-data": map[string]any{
			"schema": map[string]any{"$ref": "#/components/schemas/Body_files__post"}}},
		"required": true,
	}, op["requestBody"])
	var want any
	require.NoError(t, json.Unmarshal([]byte(`{"title":"Body_files__post","type":"object","required":["file","fileb","token"],
		"properties":{"file":{"type":"string","contentMediaType":"application/octet-stream"},
			"fileb":{"type":"string","contentMediaType":"application/octet-stream"},"token":{"type":"string"}}}`), &want))
	assert.Equal(t, want, doc.Components.Schemas["Body_files__post"])

	op = doc.Paths["/many"]["post"]
	assert.Equal(t, false, op["requestBody"].(map[string]any)["required"])
	require.NoError(t, json.Unmarshal([]byte(`{"title":"Body_many_post","type":"object",
		"properties":{"files":{"type":"array","items":{"type":"string","contentMediaType":"application/octet-stream"},"description":"Some files"},
			"note":{"type":"string","maxLength":10},
			"opt":{"type":"string","contentMediaType":"application/octet-stream"}}}`), &want))
	assert.Equal(t, want, doc.Components.Schemas["Body_many_post"])
}

// FastAPI's tests/test_optional_file_list.py, test_form_default.py and
// test_file_and_form_order_issue_9116.py.
func TestFormsFileListsAndDefaults(t *testing.T) {
	app := brisk.New()
	app.Post("/files", func(in struct {
		Files [][]byte `form:"files"`
	}) map[string]any {
		if in.Files == nil {
			return map[string]any{"files_count": 0}
		}
		sizes := []int{}
		for _, f := range in.Files {
			sizes = append(sizes, len(f))
		}
		return map[string]any{"files_count": len(in.Files), "sizes": sizes}
	})
	app.Post("/urlencoded", func(in struct {
		Age *int `form:"age"`
	}) map[string]*int {
		return map[string]*int{"age": in.Age}
	})
	app.Post("/multipart", func(in struct {
		Age  *int    `form:"age"`
		File *[]byte `form:"file"`
	}) map[string]any {
		return map[string]any{"file": in.File, "age": in.Age}
	})
	type cityFile struct {
		Files [][]byte `form:"files" validate:"required"`
		City  string   `form:"city"`
	}
	app.Post("/file_list_after_form", func(in cityFile) map[string]any {
		contents := []string{}
		for _, f := range in.Files {
			contents = append(contents, string(f))
		}
		return map[string]any{"file_contents": contents, "city": in.City}
	})
	srv := serve(t, app)

	res := postMultipart(t, srv, "/files", upload{Name: "files", Filename: "files", Data: "content1"},
		upload{Name: "files", Filename: "files", Data: "content2"})
	assertJSON(t, `{"files_count":2,"sizes":[8,8]}`, res)
	res = postRaw(t, srv, "/files", "", "")
	assertJSON(t, `{"files_count":0}`, res)

	res = postRaw(t, srv, "/urlencoded", "application/x-www-form-urlencoded", "age=")
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `{"age":null}`, res)
	res = postMultipart(t, srv, "/multipart", upload{Name: "age", Data: ""})
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `{"file":null,"age":null}`, res)

	res = postMultipart(t, srv, "/file_list_after_form", upload{Name: "city", Data: "Thimphou"},
		upload{Name: "files", Filename: "example1.txt", Data: "foo"}, upload{Name: "files", Filename: "example2.txt", Data: "bar"})
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"file_contents":["foo","bar"],"city":"Thimphou"}`, res)
}
