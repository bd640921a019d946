package tests

// The request helpers send replaced, kept for one day so that tests written
// against them still build; they are removed once nothing calls them. New
// tests call send.

import (
	"net/http/httptest"
	"testing"
)

// confReq is the old name of request.
type confReq = request

// do is send of a JSON body (Deprecated: call send).
func do(t *testing.T, srv *httptest.Server, method, path, body string, headers ...string) result {
	t.Helper()
	return send(t, srv, request{Method: method, Path: path, JSON: body, Headers: headers})
}

// confDo is send (Deprecated: call send).
func confDo(t *testing.T, srv *httptest.Server, req request) result {
	t.Helper()
	return send(t, srv, req)
}
