package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

func TestMain(m *testing.M) {
	if exampletest.IsMain() {
		main()
		return
	}
	os.Exit(m.Run())
}

func post(t *testing.T, url, contentType, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func TestLogin(t *testing.T) {
	srv := httptest.NewServer(newApp(t.TempDir()))
	defer srv.Close()
	form := "application/x-www-form-urlencoded"

	code, body := post(t, srv.URL+"/login", form, "username=alice&password=wonderland")
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"username":"alice"}`, body)
	code, body = post(t, srv.URL+"/login", form, "username=alice&password=nope")
	assert.Equal(t, 401, code)
	assert.JSONEq(t, `{"detail":"Incorrect username or password"}`, body)
	code, body = post(t, srv.URL+"/login", form, "username=alice")
	assert.Equal(t, 422, code)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}`, body)
}

func TestProfile(t *testing.T) {
	srv := httptest.NewServer(newApp(t.TempDir()))
	defer srv.Close()
	vals := url.Values{"name": {"Ada"}, "age": {"36"}, "email": {"ada@example.com"}, "interests": {"maths", "engines"}, "newsletter": {"on"}}
	code, body := post(t, srv.URL+"/profile", "application/x-www-form-urlencoded", vals.Encode())
	assert.Equal(t, 200, code)
	assert.JSONEq(t, `{"name":"Ada","age":36,"email":"ada@example.com","bio":"","interests":["maths","engines"],"newsletter":true}`, body)

	vals = url.Values{"name": {"A"}, "age": {"12"}, "email": {"nope"}}
	code, body = post(t, srv.URL+"/profile", "application/x-www-form-urlencoded", vals.Encode())
	assert.Equal(t, 422, code)
	assert.JSONEq(t, `{"detail":[
		{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 2 characters","input":"A","ctx":{"min_length":2}},
		{"type":"greater_than_equal","loc":["body","age"],"msg":"Input should be greater than or equal to 13","input":"12","ctx":{"ge":13}},
		{"type":"value_error","loc":["body","email"],"msg":"value is not a valid email address: An email address must have an @-sign.","input":"nope","ctx":{"reason":"An email address must have an @-sign."}}]}`, body)
}

func TestUploads(t *testing.T) {
	dir := t.TempDir()
	app := newApp(dir)
	srv := httptest.NewServer(app)
	defer srv.Close()

	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for name, content := range map[string]string{"a.txt": "hello", "b.bin": strings.Repeat("b", 3<<20)} {
		w, err := mw.CreateFormFile("files", name)
		require.NoError(t, err)
		_, _ = io.WriteString(w, content)
	}
	require.NoError(t, mw.WriteField("note", "two files"))
	require.NoError(t, mw.Close())
	code, body := post(t, srv.URL+"/uploads", mw.FormDataContentType(), buf.String())
	require.Equal(t, 200, code, body)
	assert.Contains(t, body, `{"filename":"a.txt","size":5,"content_type":"application/octet-stream"}`)
	assert.Contains(t, body, `{"filename":"b.bin","size":3145728,"content_type":"application/octet-stream"}`)
	assert.Contains(t, body, `"total":3145733,"note":"two files"`)
	assert.Equal(t, "hello", exampletest.ReadFile(t, dir, "a.txt"))
	st, err := os.Stat(filepath.Join(dir, "b.bin"))
	require.NoError(t, err)
	assert.Equal(t, int64(3<<20), st.Size())

	code, body = post(t, srv.URL+"/uploads", "multipart/form-data; boundary=x", "--x--\r\n")
	assert.Equal(t, 422, code)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["body","files"],"msg":"Field required","input":null}]}`, body)

	resp, err := http.Get(srv.URL + "/")
	require.NoError(t, err)
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(page), `enctype="multipart/form-data"`)

	exampletest.SaveOpenAPI(t, app, "forms-and-files")
}
