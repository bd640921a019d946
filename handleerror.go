// Error handlers: HandleError's functions, compiled when registered, and
// answering an error with the first one that matches it.

package brisk

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"

	"github.com/briskgo/brisk/internal/funcname"
)

// HandleError registers fn to answer errors of the app's routes. fn has the
// form func(r *http.Request, err E) *brisk.Response, where E is an error
// type: a pointer (*NotFoundError), a struct implementing error, or an
// interface (error itself catches every error).
//
// An error returned by a handler, a provider or a route dependency is
// matched with errors.As against each handler's E: the handlers of the
// route's innermost group first, then its enclosing groups', then the
// app's; on one router, the most recently registered first. The first that
// matches answers with the response fn returns; a nil response means the
// default answer, as if no handler had matched. Handlers also see the
// errors Brisk makes: *ValidationError for a 422, *HTTPError for a body
// over the limit, and, on the app, *HTTPError for 404 and 405. Panics are
// not errors: they stay a logged 500.
//
// The request's background tasks are discarded, as for any error answer,
// whatever fn returns. fn's signature is checked here: anything else
// panics, naming fn. HandleError must be called before the app serves.
func (a *App) HandleError(fn any) { a.root.HandleError(fn) }

// HandleError registers fn to answer errors of the router's routes and of
// its nested groups' routes, before the handlers of the enclosing routers
// and the app. See App.HandleError.
func (rt *Router) HandleError(fn any) {
	rt.app.mustNotBeServing("HandleError")
	rt.errHandlers = append(rt.errHandlers, newErrorHandler(fn))
}

// errorHandler is one compiled HandleError function. The common forms
// (E = *HTTPError, *ValidationError or error) are called directly; others
// through reflection.
type errorHandler struct {
	name string
	typ  reflect.Type // E
	fn   reflect.Value

	httpFn  func(*http.Request, *HTTPError) *Response
	valFn   func(*http.Request, *ValidationError) *Response
	anyFn   func(*http.Request, error) *Response
	matches struct{ http, validation bool } // could match Brisk's own errors
}

var (
	httpErrorType       = reflect.TypeFor[*HTTPError]()
	validationErrorType = reflect.TypeFor[*ValidationError]()
)

// newErrorHandler checks fn's signature and compiles it.
func newErrorHandler(fn any) *errorHandler {
	v := reflect.ValueOf(fn)
	if fn == nil || v.Kind() != reflect.Func || v.IsNil() {
		panic(fmt.Sprintf("brisk: HandleError(%T): want func(*http.Request, E) *brisk.Response, where E is an error type", fn))
	}
	name := funcname.WithLine(fn)
	t := v.Type()
	if t.NumIn() != 2 || t.In(0) != requestType || t.NumOut() != 1 || t.Out(0) != responseType || t.IsVariadic() {
		panic(fmt.Sprintf("brisk: HandleError(%s): its type is %s; want func(*http.Request, E) *brisk.Response, where E is an error type", name, t))
	}
	e := t.In(1)
	if !e.Implements(errorType) && e.Kind() != reflect.Interface {
		panic(fmt.Sprintf("brisk: HandleError(%s): %s does not implement error; E must be an error type (a pointer, a struct or an interface)", name, e))
	}
	h := &errorHandler{name: name, typ: e, fn: v}
	switch f := fn.(type) {
	case func(*http.Request, *HTTPError) *Response:
		h.httpFn = f
	case func(*http.Request, *ValidationError) *Response:
		h.valFn = f
	case func(*http.Request, error) *Response:
		h.anyFn = f
	}
	// errors.As matches an error of type T to E when T is assignable to E.
	h.matches.http = httpErrorType.AssignableTo(e)
	h.matches.validation = validationErrorType.AssignableTo(e)
	return h
}

// handle reports whether err matches h's type and, if so, fn's response.
func (h *errorHandler) handle(r *http.Request, err error) (*Response, bool) {
	switch {
	case h.httpFn != nil:
		if he, ok := asHTTPError(err); ok {
			return h.httpFn(r, he), true
		}
		return nil, false
	case h.valFn != nil:
		var ve *ValidationError
		if errors.As(err, &ve) {
			return h.valFn(r, ve), true
		}
		return nil, false
	case h.anyFn != nil:
		return h.anyFn(r, err), true
	}
	target := reflect.New(h.typ)
	if !errors.As(err, target.Interface()) {
		return nil, false
	}
	out := h.fn.Call([]reflect.Value{reflect.ValueOf(r), target.Elem()})
	resp, _ := out[0].Interface().(*Response)
	return resp, true
}

// handleError answers err with the first matching handler visible from
// router (see App.HandleError) and reports whether one answered.
func (a *App) handleError(st *reqState, router *Router, w http.ResponseWriter, r *http.Request, err error) bool {
	for rt := router; rt != nil; rt = rt.parent {
		for i := len(rt.errHandlers) - 1; i >= 0; i-- {
			resp, ok := rt.errHandlers[i].handle(r, err)
			if !ok {
				continue
			}
			if resp == nil {
				return false
			}
			a.writeResponse(st, w, resp)
			return true
		}
	}
	return false
}

// handles reports whether a handler visible from router could match an
// error Brisk makes (which says which, through pick), so that the error
// value is only built when some handler may want it.
func handles(router *Router, pick func(*errorHandler) bool) bool {
	for rt := router; rt != nil; rt = rt.parent {
		for _, h := range rt.errHandlers {
			if pick(h) {
				return true
			}
		}
	}
	return false
}

func canMatchHTTP(h *errorHandler) bool       { return h.matches.http }
func canMatchValidation(h *errorHandler) bool { return h.matches.validation }
