// ProblemDetails: Brisk's error answers as RFC 9457 problem details
// (application/problem+json), an error handler ready to register.

package brisk

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"github.com/briskgo/brisk/internal/problem"
)

// Problem is an RFC 9457 problem details object, the body ProblemDetails
// answers with (media type application/problem+json).
type Problem struct {
	// Type is a URI naming the problem type; "about:blank" means the status
	// says it all.
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Instance is a URI for this occurrence: the request's path.
	Instance string `json:"instance,omitempty"`
	// Errors lists each failing input of a 422, as the default answer's
	// "detail" does.
	Errors []ErrorDetail `json:"errors,omitempty"`
	// Data is an HTTPError's Detail when it is not a string.
	Data any `json:"data,omitempty"`
}

// problemContentType is RFC 9457's media type.
const problemContentType = "application/problem+json"

// ProblemDetails is an error handler answering Brisk's error answers with
// RFC 9457 problem details: a *ValidationError (the 422s), an *HTTPError
// (brisk.Error, 413 and, registered on the app, 404 and 405) become a
// Problem with Content-Type application/problem+json, the status and the
// HTTPError's headers kept. Any other error is logged and answered with
// a Problem of status 500 (and, registered on the app, so are panics),
// which says nothing more. One line turns it on for the whole app:
//
//	app.HandleError(brisk.ProblemDetails)
//
// Registered so (on the app or a group), the OpenAPI document describes the
// routes' 422 and their declared error responses (Responses with a nil
// body) as application/problem+json with the Problem schema.
func ProblemDetails(r *http.Request, err error) *Response {
	var ve *ValidationError
	if errors.As(err, &ve) {
		return problemResponse(r, http.StatusUnprocessableEntity, nil, Problem{
			Detail: validationSummary(invalidCount(ve.Errors)),
			Errors: ve.Errors,
		})
	}
	he, ok := asHTTPError(err)
	if !ok {
		return nil
	}
	p := Problem{}
	if s, ok := he.Detail.(string); ok {
		if s != http.StatusText(he.Status) { // the title says it already
			p.Detail = s
		}
	} else {
		p.Data = he.Detail
	}
	return problemResponse(r, he.Status, he.Headers, p)
}

// invalidCount counts a 422's failing inputs, those a cut list left out
// (counted in its closing too_many_errors item) included.
func invalidCount(items []ErrorDetail) int {
	n := len(items)
	if n == 0 || items[n-1].Type != problem.TooManyType {
		return n
	}
	omitted, _ := items[n-1].Ctx["omitted"].(int)
	return n - 1 + omitted
}

func validationSummary(n int) string {
	if n == 1 {
		return "1 input is invalid"
	}
	return fmt.Sprintf("%d inputs are invalid", n)
}

// problemResponse fills p's standard members and makes its response.
func problemResponse(r *http.Request, status int, extra http.Header, p Problem) *Response {
	p.Type, p.Title, p.Status = "about:blank", http.StatusText(status), status
	if r != nil && r.URL != nil {
		p.Instance = r.URL.Path
	}
	resp := JSON(status, p)
	h := resp.Header()
	for k, vs := range extra {
		h[k] = append([]string(nil), vs...)
	}
	h["Content-Type"] = []string{problemContentType}
	return resp
}

// isProblemDetails reports whether h is ProblemDetails, so that the document
// can describe its answers.
func isProblemDetails(h *errorHandler) bool {
	return h.fn.Pointer() == problemDetailsPC
}

var problemDetailsPC = reflect.ValueOf(ProblemDetails).Pointer()
