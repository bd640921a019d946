// HTTPError and the error answers: an error from a handler, provider or
// dependency, a 422 with its collected details, the 404, 405 and 500 bodies.

package brisk

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"runtime/debug"
	"slices"

	"github.com/briskgo/brisk/internal/problem"
)

// HTTPError is an error that becomes an HTTP response: its status and the
// JSON body {"detail": Detail}, with Headers (see WithHeader for how they
// meet headers outer layers set). Return it (or an error wrapping it) from
// a handler, a provider or a dependency.
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
// on a 401) and returns e. A name that is not an HTTP token, a value with a
// control character (NUL, CR, LF) or Transfer-Encoding (net/http's to set)
// is a programming error: WithHeader panics. Headers are copied when the
// error is answered, so a package-level *HTTPError is safe to return from any
// number of requests at once (see Response.Header for how they meet headers
// outer layers set).
func (e *HTTPError) WithHeader(key, value string) *HTTPError {
	checkHeader(key, []string{value})
	if e.Headers == nil {
		e.Headers = make(http.Header)
	}
	e.Headers.Add(key, value)
	return e
}

// clone copies e, for an error Brisk keeps (one value for every request)
// but hands to error handlers, which may change it.
func (e *HTTPError) clone() *HTTPError {
	c := *e
	c.Headers = e.Headers.Clone()
	return &c
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
	if !ok {
		// A body read past its limit (an io.Reader body parameter).
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return Error(http.StatusRequestEntityTooLarge, nil), true
		}
	}
	return he, ok
}

// ValidationError is the error behind every 422 Brisk answers: each
// failing input, in the order the answer lists them. Register a handler for
// it with HandleError to answer invalid input differently (another status,
// RFC 9457 problem details, …); the default answer is
// {"detail": Errors} with status 422.
type ValidationError struct {
	Errors []ErrorDetail
	// Body is the request body as read (JSON or not), when the route read
	// one; nil otherwise. It belongs to the handler that receives it.
	Body []byte
}

// ErrorDetail is one failing input of a ValidationError, in FastAPI's
// (pydantic's) shape.
type ErrorDetail struct {
	// Type names the failure ("missing", "int_parsing", "greater_than", …).
	Type string `json:"type"`
	// Loc is where the input was: its source ("path", "query", "header",
	// "cookie" or "body"), then the names on the wire (JSON names, query
	// keys) and list indexes.
	Loc []any `json:"loc"`
	// Msg is a human-readable message.
	Msg string `json:"msg"`
	// Input is the value that failed (nil when it was missing).
	Input any `json:"input"`
	// Ctx holds the rule's parameters, e.g. {"gt": 0}; nil when none.
	Ctx map[string]any `json:"ctx,omitempty"`
}

// Error implements error: the number of failing inputs and the first one.
func (e *ValidationError) Error() string {
	if len(e.Errors) == 0 {
		return "422 Unprocessable Entity"
	}
	first := e.Errors[0]
	more := ""
	if n := len(e.Errors) - 1; n > 0 {
		more = fmt.Sprintf(" (and %d more)", n)
	}
	return fmt.Sprintf("422 Unprocessable Entity: %v: %s%s", first.Loc, first.Msg, more)
}

// newValidationError copies the request's collected details into a
// ValidationError of the caller's own: user code may keep it, and the
// request's state is reused.
func (st *reqState) newValidationError() *ValidationError {
	ve := &ValidationError{Errors: make([]ErrorDetail, len(st.errs))}
	for i, it := range st.errs {
		ve.Errors[i] = ErrorDetail(it)
		ve.Errors[i].Loc = slices.Clone(it.Loc)
		ve.Errors[i].Ctx = maps.Clone(it.Ctx)
	}
	if st.bodyRead && st.bodyState == nil && st.body.Len() > 0 {
		ve.Body = bytes.Clone(st.body.Bytes())
	}
	return ve
}

// writeError answers an error from a handler, provider or dependency: with
// the first error handler visible from router that matches it (see
// HandleError), or else an HTTPError as {"detail": …} and anything else as
// a logged 500. The request's tasks are discarded, as FastAPI does.
func (a *App) writeError(st *reqState, router *Router, w http.ResponseWriter, r *http.Request, err error) {
	st.discardTasks()
	if a.handleError(st, router, w, r, err) {
		return
	}
	if he, ok := asHTTPError(err); ok {
		writeJSON(w, &st.enc, he.Status, detailBody{Detail: he.Detail}, he.Headers)
		return
	}
	a.cfg.Logger.ErrorContext(r.Context(), "brisk: unexpected error", slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.Any("error", err), slog.String("stack", string(debug.Stack())))
	if handles(router, isProblemDetails) {
		a.writeResponse(st, w, problemResponse(r, http.StatusInternalServerError, nil, Problem{}))
		return
	}
	writeStatus(w, &st.enc, http.StatusInternalServerError)
}

// writeValidationErrors answers 422 with every collected error, or lets a
// handler of *ValidationError answer.
func (a *App) writeValidationErrors(st *reqState, router *Router, w http.ResponseWriter, r *http.Request) {
	st.discardTasks()
	if handles(router, canMatchValidation) && a.handleError(st, router, w, r, st.newValidationError()) {
		return
	}
	writeJSON(w, &st.enc, http.StatusUnprocessableEntity, problem.Detail{Detail: st.errs}, nil)
}
