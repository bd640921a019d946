package tests

// Spooled uploads: files past the memory budget go to temporary files that
// are removed on every path — after the response, after the tasks that read
// them, on 422, 413, a panic and a client that goes away — counted in a
// private TMPDIR.

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// uploadsIn counts the upload spool files in dir.
func uploadsIn(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "brisk-upload-") {
			n++
		}
	}
	return n
}

// privateTmp points TMPDIR at a fresh directory for the test.
func privateTmp(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	return dir
}

// drain closes srv (waiting for its requests) and shuts app down (waiting
// for tasks and cleanups).
func drain(t *testing.T, srv *httptest.Server, app *brisk.App) {
	t.Helper()
	srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
}

type spoolForm struct {
	File  brisk.UploadFile `form:"file"`
	Token string           `form:"token"`
}

func TestUploadSpooledAndRemovedAfterResponse(t *testing.T) {
	dir := privateTmp(t)
	app := brisk.New(brisk.Config{Forms: brisk.FormLimits{MemoryBytes: 16}})
	app.Post("/up", func(in spoolForm) map[string]any {
		rd, err := in.File.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rd)
		require.NoError(t, err)
		return map[string]any{"spooled": uploadsIn(t, dir), "content": string(b)}
	})
	srv := serve(t, app)
	// Small files stay in memory.
	res := postMultipart(t, srv, "/up", upload{Name: "token", Data: "t"}, upload{Name: "file", Filename: "a.txt", Data: "tiny"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"spooled":0,"content":"tiny"}`, res)
	data := strings.Repeat("0123456789", 10)
	res = postMultipart(t, srv, "/up", upload{Name: "token", Data: "t"}, upload{Name: "file", Filename: "a.txt", Data: data})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, fmt.Sprintf(`{"spooled":1,"content":%q}`, data), res)
	drain(t, srv, app)
	assert.Equal(t, 0, uploadsIn(t, dir))
}

func TestUploadReadableByBackgroundTask(t *testing.T) {
	dir := privateTmp(t)
	app := brisk.New(brisk.Config{Forms: brisk.FormLimits{MemoryBytes: -1}})
	got := make(chan string, 1)
	app.Post("/up", func(in spoolForm, bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error {
			rd, err := in.File.Open()
			if err != nil {
				got <- "open: " + err.Error()
				return err
			}
			b, err := io.ReadAll(rd)
			if err != nil {
				got <- "read: " + err.Error()
				return err
			}
			got <- fmt.Sprintf("%s (%d spooled)", b, uploadsIn(t, dir))
			return nil
		})
		return "queued"
	})
	srv := serve(t, app)
	res := postMultipart(t, srv, "/up", upload{Name: "token", Data: "t"}, upload{Name: "file", Filename: "a.txt", Data: "for the task"})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, "for the task (1 spooled)", <-got)
	drain(t, srv, app)
	assert.Equal(t, 0, uploadsIn(t, dir))
}

func TestUploadRemovedOnErrorPaths(t *testing.T) {
	dir := privateTmp(t)
	app, logs := quietApp(brisk.Config{Forms: brisk.FormLimits{MemoryBytes: 16}})
	app.Post("/need-token", func(in spoolForm) string { return in.Token })
	app.Post("/panic", func(in spoolForm) string { panic("boom") })
	app.Post("/limited", func(in spoolForm) string { return in.Token }, brisk.MaxBodyBytes(400))
	app.Post("/error", func(in spoolForm) error { return brisk.Error(http.StatusTeapot, "no") })
	srv := serve(t, app)
	file := upload{Name: "file", Filename: "a.txt", Data: strings.Repeat("x", 100)}

	res := postMultipart(t, srv, "/need-token", file)
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","token"],"msg":"Field required","input":null}]}`, res)

	res = postMultipart(t, srv, "/panic", file, upload{Name: "token", Data: "t"})
	assert.Equal(t, http.StatusInternalServerError, res.Status)

	res = postMultipart(t, srv, "/error", file, upload{Name: "token", Data: "t"})
	assert.Equal(t, http.StatusTeapot, res.Status)

	// The first file is spooled before the body passes the limit.
	res = postMultipart(t, srv, "/limited", file, upload{Name: "token", Data: strings.Repeat("t", 400)})
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	assertJSON(t, `{"detail":"Request Entity Too Large"}`, res)

	drain(t, srv, app)
	assert.Equal(t, 0, uploadsIn(t, dir))
	assert.Contains(t, logs.String(), "boom")
}

// readSignal wraps a request body and closes reached once a Read is asked
// for after more than n bytes were read.
type readSignal struct {
	io.ReadCloser
	n       int
	total   int
	once    *sync.Once
	reached chan struct{}
}

func (s *readSignal) Read(p []byte) (int, error) {
	if s.total > s.n {
		s.once.Do(func() { close(s.reached) })
	}
	n, err := s.ReadCloser.Read(p)
	s.total += n
	return n, err
}

func TestUploadRemovedWhenClientGoesAway(t *testing.T) {
	dir := privateTmp(t)
	app := brisk.New(brisk.Config{Forms: brisk.FormLimits{MemoryBytes: 16}})
	reached := make(chan struct{})
	var once sync.Once
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = &readSignal{ReadCloser: r.Body, n: 1000, once: &once, reached: reached}
			next.ServeHTTP(w, r)
		})
	})
	ran := make(chan struct{}, 1)
	app.Post("/up", func(in spoolForm) string { ran <- struct{}{}; return "" })
	srv := serve(t, app)

	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	head := "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n"
	_, err = fmt.Fprintf(conn, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 100000\r\n\r\n%s%s",
		head, strings.Repeat("x", 4000))
	require.NoError(t, err)
	<-reached // the server is streaming the file into its spool file
	assert.Equal(t, 1, uploadsIn(t, dir))
	require.NoError(t, conn.Close())

	drain(t, srv, app)
	assert.Equal(t, 0, uploadsIn(t, dir))
	assert.Empty(t, ran, "the handler must not run on a broken body")
}
