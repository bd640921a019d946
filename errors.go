// HTTPError and the error answers: an error from a handler, provider or
// dependency, a 422 with its collected details, the 404, 405 and 500 bodies.

package brisk

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/briskgo/brisk/internal/problem"
)

// HTTPError is an error that becomes an HTTP response: its status and the
// JSON body {"detail": Detail}, with Headers added. Return it (or an error
// wrapping it) from a handler, a provider or a dependency.
type HTTPError struct {
	Status  int
	Detail  any
	Headers http.Header
}

// Error returns an HTTPError with status and detail. A nil detail becomes
// the status text ("Not Found" for 404), as in FastAPI.
func Error(status int, detail any) *HTTPError {
	if detail == nil {
		detail = http.StatusText(status)
	}
	return &HTTPError{Status: status, Detail: detail}
}

// WithHeader adds a header to the error's response (e.g. WWW-Authenticate
// on a 401) and returns e.
func (e *HTTPError) WithHeader(key, value string) *HTTPError {
	if e.Headers == nil {
		e.Headers = make(http.Header)
	}
	e.Headers.Add(key, value)
	return e
}

// Error implements error.
func (e *HTTPError) Error() string {
	return fmt.Sprintf("%d %s: %v", e.Status, http.StatusText(e.Status), e.Detail)
}

// detailBody is the body of every error response but 422's.
type detailBody struct {
	Detail any `json:"detail"`
}

// writeStatus answers status with its text as the detail: the one home of
// the 404, 405 and 500 bodies ({"detail": "Not Found"}, as Starlette's).
func writeStatus(w http.ResponseWriter, enc *encoder, status int) {
	writeJSON(w, enc, status, detailBody{Detail: http.StatusText(status)}, nil)
}

// asHTTPError reports whether err is (or wraps) an HTTPError.
func asHTTPError(err error) (*HTTPError, bool) {
	var he *HTTPError
	ok := errors.As(err, &he)
	return he, ok
}

// writeError answers an error from a handler, provider or dependency: an
// HTTPError as {"detail": …}, anything else as a logged 500. The request's
// tasks are discarded, as FastAPI does.
func (a *App) writeError(st *reqState, w http.ResponseWriter, r *http.Request, err error) {
	st.discardTasks()
	if he, ok := asHTTPError(err); ok {
		writeJSON(w, &st.enc, he.Status, detailBody{Detail: he.Detail}, he.Headers)
		return
	}
	a.cfg.Logger.ErrorContext(r.Context(), "brisk: unexpected error", slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.Any("error", err), slog.String("stack", string(debug.Stack())))
	writeStatus(w, &st.enc, http.StatusInternalServerError)
}

// writeValidationErrors answers 422 with every collected error.
func (a *App) writeValidationErrors(st *reqState, w http.ResponseWriter) {
	st.discardTasks()
	writeJSON(w, &st.enc, http.StatusUnprocessableEntity, problem.Detail{Detail: st.errs}, nil)
}
