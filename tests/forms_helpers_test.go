package tests

// Helpers for the forms_*_test.go files: building urlencoded and multipart
// requests as a browser (or python-requests, in the ported tests) sends them.

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// postForm posts an urlencoded body (the encoded form of vals).
func postForm(t *testing.T, srv *httptest.Server, path string, vals url.Values) result {
	t.Helper()
	return send(t, srv, request{Method: http.MethodPost, Path: path, Body: vals.Encode(),
		Headers: []string{"Content-Type", "application/x-www-form-urlencoded"}})
}

// upload is one part of a multipart body: a field (no Filename) or a file.
type upload struct {
	Name, Filename, ContentType, Data string
}

// multipartBody encodes parts as multipart/form-data; it returns the body
// and its Content-Type.
func multipartBody(t *testing.T, parts ...upload) (string, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		cd := `form-data; name="` + p.Name + `"`
		if p.Filename != "" {
			cd += `; filename="` + p.Filename + `"`
		}
		h.Set("Content-Disposition", cd)
		if p.ContentType != "" {
			h.Set("Content-Type", p.ContentType)
		} else if p.Filename != "" {
			h.Set("Content-Type", "application/octet-stream")
		}
		w, err := mw.CreatePart(h)
		require.NoError(t, err)
		_, err = io.WriteString(w, p.Data)
		require.NoError(t, err)
	}
	require.NoError(t, mw.Close())
	return buf.String(), mw.FormDataContentType()
}

// postMultipart posts parts as multipart/form-data.
func postMultipart(t *testing.T, srv *httptest.Server, path string, parts ...upload) result {
	t.Helper()
	body, ct := multipartBody(t, parts...)
	return send(t, srv, request{Method: http.MethodPost, Path: path, Body: body, Headers: []string{"Content-Type", ct}})
}

// postRaw posts body with the given Content-Type ("" sends none).
func postRaw(t *testing.T, srv *httptest.Server, path, contentType, body string) result {
	t.Helper()
	req := request{Method: http.MethodPost, Path: path, Body: body}
	if contentType != "" {
		req.Headers = []string{"Content-Type", contentType}
	}
	return send(t, srv, req)
}

// confDoReader posts what rd holds (sent chunked when rd hides its length).
func confDoReader(t *testing.T, srv *httptest.Server, path, contentType string, rd io.Reader) result {
	t.Helper()
	return send(t, srv, request{Method: http.MethodPost, Path: path, Headers: []string{"Content-Type", contentType}, BodyReader: rd})
}
