package tests

// Multipart limits and malformed bodies over real HTTP: each breach is a
// precise 400 (Starlette's message) or 413, never a 500, never an
// unbounded read; and a large upload streams with flat memory.

import (
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

func TestMultipartLimits(t *testing.T) {
	privateTmp(t)
	app := brisk.New(brisk.Config{MaxBodyBytes: 64 << 10, Forms: brisk.FormLimits{
		MaxFields: 2, MaxFiles: 2, MaxFieldBytes: 2048, MaxPartHeaderBytes: 1024,
	}})
	app.Post("/f", func(in struct {
		A     []string           `form:"a"`
		Files []brisk.UploadFile `form:"f"`
	}) map[string]int {
		return map[string]int{"a": len(in.A), "f": len(in.Files)}
	})
	srv := serve(t, app)
	file := upload{Name: "f", Filename: "x.txt", Data: "x"}
	field := upload{Name: "a", Data: "v"}

	res := postMultipart(t, srv, "/f", field, field, file, file)
	assert.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"a":2,"f":2}`, res)

	res = postMultipart(t, srv, "/f", file, file, file)
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assertJSON(t, `{"detail":"Too many files. Maximum number of files is 2."}`, res)

	res = postMultipart(t, srv, "/f", field, field, field)
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assertJSON(t, `{"detail":"Too many fields. Maximum number of fields is 2."}`, res)

	res = postMultipart(t, srv, "/f", upload{Name: "a", Data: strings.Repeat("v", 2049)})
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assertJSON(t, `{"detail":"Part exceeded maximum size of 2KB."}`, res)
	res = postMultipart(t, srv, "/f", upload{Name: "a", Data: strings.Repeat("v", 2048)})
	assert.Equal(t, http.StatusOK, res.Status)

	// A part header past the bound, whatever the body limit.
	huge := "--B\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: " + strings.Repeat("p", 8000) + "\r\n\r\nv\r\n--B--\r\n"
	res = postRaw(t, srv, "/f", "multipart/form-data; boundary=B", huge)
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	assertJSON(t, `{"detail":"Part header exceeded maximum size of 1024 bytes."}`, res)

	// Over the body limit: by its declared length, or found while streaming.
	big := upload{Name: "f", Filename: "big.bin", Data: strings.Repeat("b", 70<<10)}
	res = postMultipart(t, srv, "/f", big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	body, ct := multipartBody(t, big)
	res = confDoReader(t, srv, "/f", ct, chunkedBody(body))
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	assertJSON(t, `{"detail":"Request Entity Too Large"}`, res)
}

func TestMultipartMalformed(t *testing.T) {
	app := brisk.New()
	app.Post("/f", func(in struct {
		A string `form:"a" default:"none"`
	}) string {
		return in.A
	})
	srv := serve(t, app)
	cases := []struct{ name, ct, body, want string }{
		{"missing boundary", "multipart/form-data", "--B\r\n", `{"detail":"Missing boundary in multipart."}`},
		{"no name", "multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data\r\n\r\nv\r\n--B--\r\n",
			`{"detail":"The Content-Disposition header field \"name\" must be provided."}`},
		{"no final boundary", "multipart/form-data; boundary=B", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv",
			`{"detail":"There was an error parsing the body"}`},
		{"wrong boundary", "multipart/form-data; boundary=C", "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B--\r\n",
			`{"detail":"There was an error parsing the body"}`},
		{"bad header line", "multipart/form-data; boundary=B", "--B\r\nno colon here\r\n\r\nv\r\n--B--\r\n",
			`{"detail":"There was an error parsing the body"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := postRaw(t, srv, "/f", c.ct, c.body)
			assert.Equal(t, http.StatusBadRequest, res.Status)
			assertJSON(t, c.want, res)
		})
	}
	// An empty multipart body is an empty form.
	res := postRaw(t, srv, "/f", "multipart/form-data; boundary=B", "")
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `"none"`, res)
	res = postRaw(t, srv, "/f", "multipart/form-data; boundary=B", "--B--\r\n")
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `"none"`, res)
}

// TestLargeUploadStreams sends 32 MiB (BRISK_UPLOAD_MB sets another size),
// made as it is sent, to a route without a body limit: the bytes allocated
// while serving it stay small and do not grow with it (the file goes to
// disk through a fixed buffer).
func TestLargeUploadStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 32 MiB")
	}
	dir := privateTmp(t)
	size := 32 << 20
	if mb, err := strconv.Atoi(os.Getenv("BRISK_UPLOAD_MB")); err == nil && mb > 0 {
		size = mb << 20
	}
	app := brisk.New()
	app.Post("/big", func(in struct {
		File brisk.UploadFile `form:"file"`
	}) int64 {
		return in.File.Size
	}, brisk.MaxBodyBytes(-1))
	srv := serve(t, app)

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		w, err := mw.CreateFormFile("file", "big.bin")
		if err == nil {
			chunk := []byte(strings.Repeat("z", 64<<10))
			for i := 0; i < size/len(chunk) && err == nil; i++ {
				_, err = w.Write(chunk)
			}
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := confDoReader(t, srv, "/big", mw.FormDataContentType(), pr)
	runtime.ReadMemStats(&after)
	t.Logf("heap in use after: %d KiB (before: %d KiB)", after.HeapInuse>>10, before.HeapInuse>>10)
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, fmt.Sprint(size), res.Body)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB for a %d MiB upload (client and server)", alloc>>10, size>>20)
	// A buffering reader would allocate the size at least; this one a few MiB.
	assert.Less(t, alloc, uint64(size/2), "allocations must not grow with the upload")
	drain(t, srv, app)
	assert.Equal(t, 0, uploadsIn(t, dir))
}

// TestMaxBodyBytesEveryBodyKind: the route option bounds JSON bodies too,
// and a group's applies to its routes.
func TestMaxBodyBytesEveryBodyKind(t *testing.T) {
	app := brisk.New()
	type item struct {
		Name string `json:"name"`
	}
	app.Post("/json", func(in item) string { return in.Name }, brisk.MaxBodyBytes(16))
	g := app.Group("/g", brisk.MaxBodyBytes(16))
	g.Post("/json", func(in item) string { return in.Name })
	srv := serve(t, app)
	for _, path := range []string{"/json", "/g/json"} {
		res := postRaw(t, srv, path, "application/json", `{"name":"short"}`)
		assert.Equal(t, http.StatusOK, res.Status, path)
		res = postRaw(t, srv, path, "application/json", `{"name":"much too long"}`)
		assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status, path)
		assertJSON(t, `{"detail":"Request Entity Too Large"}`, res)
	}
}

// TestConcurrentUploadsIsolated: concurrent multipart requests, some
// spooled, each see only their own fields and files.
func TestConcurrentUploadsIsolated(t *testing.T) {
	privateTmp(t)
	app := brisk.New(brisk.Config{Forms: brisk.FormLimits{MemoryBytes: 64}})
	app.Post("/u", func(in struct {
		ID    string             `form:"id"`
		Files []brisk.UploadFile `form:"f"`
	}) (string, error) {
		var sb strings.Builder
		sb.WriteString(in.ID)
		for _, f := range in.Files {
			rd, err := f.Open()
			if err != nil {
				return "", err
			}
			b, err := io.ReadAll(rd)
			if err != nil {
				return "", err
			}
			sb.WriteString("|" + f.Filename + ":" + string(b))
		}
		return sb.String(), nil
	})
	srv := serve(t, app)
	const n = 16
	errs := make(chan string, n)
	for i := range n {
		id := fmt.Sprint(i)
		small, big := "s"+id, strings.Repeat(id, 50)
		body, ct := multipartBody(t, upload{Name: "id", Data: id},
			upload{Name: "f", Filename: "small" + id, Data: small}, upload{Name: "f", Filename: "big" + id, Data: big})
		go func() {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/u", strings.NewReader(body))
			req.Header.Set("Content-Type", ct)
			resp, err := srv.Client().Do(req)
			if err != nil {
				errs <- err.Error()
				return
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want := fmt.Sprintf("%q", id+"|small"+id+":"+small+"|big"+id+":"+big)
			if string(got) != want {
				errs <- fmt.Sprintf("request %s: got %s, want %s", id, got, want)
				return
			}
			errs <- ""
		}()
	}
	for range n {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}
