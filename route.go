package brisk

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/briskgo/brisk/internal/openapi"
)

// Router registers routes under a common path prefix. Its middleware
// (Use, Middleware), providers (Provide) and options (given to Group) apply
// to its own routes and to those of the groups nested in it, never to its
// peers. The App has a root Router; Group makes more.
type Router struct {
	app       *App
	parent    *Router
	prefix    string
	options   []RouteOption
	layers    []layer
	providers map[reflect.Type]*provider
}

// Get registers handler for GET requests to pattern. See Handle.
func (rt *Router) Get(pattern string, handler any, opts ...RouteOption) {
	rt.Handle(http.MethodGet, pattern, handler, opts...)
}

// Post registers handler for POST requests to pattern. See Handle.
func (rt *Router) Post(pattern string, handler any, opts ...RouteOption) {
	rt.Handle(http.MethodPost, pattern, handler, opts...)
}

// Put registers handler for PUT requests to pattern. See Handle.
func (rt *Router) Put(pattern string, handler any, opts ...RouteOption) {
	rt.Handle(http.MethodPut, pattern, handler, opts...)
}

// Patch registers handler for PATCH requests to pattern. See Handle.
func (rt *Router) Patch(pattern string, handler any, opts ...RouteOption) {
	rt.Handle(http.MethodPatch, pattern, handler, opts...)
}

// Delete registers handler for DELETE requests to pattern. See Handle.
func (rt *Router) Delete(pattern string, handler any, opts ...RouteOption) {
	rt.Handle(http.MethodDelete, pattern, handler, opts...)
}

// Head registers handler for HEAD requests to pattern. See Handle. Without
// an explicit HEAD route, HEAD requests are served by the GET route.
func (rt *Router) Head(pattern string, handler any, opts ...RouteOption) {
	rt.Handle(http.MethodHead, pattern, handler, opts...)
}

// Options registers handler for OPTIONS requests to pattern. See Handle.
func (rt *Router) Options(pattern string, handler any, opts ...RouteOption) {
	rt.Handle(http.MethodOptions, pattern, handler, opts...)
}

// Handle registers handler for method requests to pattern, a chi pattern
// such as "/items/{id}", "/files/{id:[0-9]+}" or "/static/*", relative to
// the router's prefix.
//
// handler is a func whose parameters are injected (see the package
// documentation) or an http.Handler, served as it is. Its signature is
// compiled here, once: a parameter that cannot be satisfied, a provider that
// is missing or cyclic, a path parameter count that does not match pattern
// or a result Brisk cannot send panics now, naming the function, the
// parameter and its type.
func (rt *Router) Handle(method, pattern string, handler any, opts ...RouteOption) {
	rt.app.addRoute(rt, strings.ToUpper(method), rt.prefix+pattern, handler, opts)
}

// Group returns a router for routes under prefix+subprefix. Its options apply
// to every route registered on it, before the route's own.
func (rt *Router) Group(prefix string, opts ...RouteOption) *Router {
	return &Router{
		app:     rt.app,
		parent:  rt,
		prefix:  rt.prefix + prefix,
		options: append(append([]RouteOption(nil), rt.options...), opts...),
	}
}

// Use adds plain net/http middleware to the router's stack. The stack wraps
// the router's routes (after routing), last added outermost.
func (rt *Router) Use(mw ...func(http.Handler) http.Handler) {
	rt.app.mustNotBeServing("Use")
	for _, m := range mw {
		if m == nil {
			panic("brisk: Use: nil middleware")
		}
		rt.layers = append(rt.layers, layer{plain: m, name: funcName(m)})
	}
}

// Middleware adds a call-next layer to the router's stack, like Use. See
// MiddlewareFunc.
func (rt *Router) Middleware(fn MiddlewareFunc) {
	rt.app.mustNotBeServing("Middleware")
	if fn == nil {
		panic("brisk: Middleware: nil MiddlewareFunc")
	}
	rt.layers = append(rt.layers, layer{callNext: fn, name: funcName(fn)})
}

// Provide registers dependency providers for the router's routes and those
// of its nested groups: each provider's first result type is what handlers,
// Dependencies and other providers ask for. A provider has the form
// func(...) T, func(...) (T, error) or func(...) (T, func(), error), where
// the func() is a cleanup run after the response and the request's
// background tasks. Its parameters are injected like a handler's.
//
// Providers must be registered before the routes that use them. Providing a
// type twice on the same router panics; use App.Override to replace one.
func (rt *Router) Provide(providers ...any) {
	for _, fn := range providers {
		p := newProvider(fn)
		if rt.providers == nil {
			rt.providers = make(map[reflect.Type]*provider)
		}
		if old, ok := rt.providers[p.typ]; ok {
			panic(fmt.Sprintf("brisk: Provide: %s already provides %s; use Override to replace it", old.name, p.typ))
		}
		rt.providers[p.typ] = p
	}
}

// lookup finds the provider of t visible from this router: its own, then its
// parents'.
func (rt *Router) lookup(t reflect.Type) *provider {
	for r := rt; r != nil; r = r.parent {
		if p, ok := r.providers[t]; ok {
			return p
		}
	}
	return nil
}

// RouteOption configures a route (or, given to Group, every route of the
// group): its documentation, its success status, the dependencies run for
// their effect before the handler.
type RouteOption func(*routeOptions)

// routeOptions is what route options set; OpenAPI reads most of it.
type routeOptions struct {
	dependencies []any
	status       int
	summary      string
	description  string
	tags         []string
	operationID  string
	deprecated   bool
	responses    []openapi.Response
}

// Dependencies runs fns before the handler, in order, for their effect (an
// authentication check, say). Each is injected like a handler and may return
// nothing, an error, T, (T, error) or (T, func(), error) — the func() a
// cleanup run after the response and the background tasks, as a provider's;
// a non-nil error stops the request as a handler's error would.
func Dependencies(fns ...any) RouteOption {
	return func(o *routeOptions) { o.dependencies = append(o.dependencies, fns...) }
}

// Status sets the status of the route's successful responses (default 200).
// With 204, 205 or 304 the result is not written.
func Status(code int) RouteOption {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("brisk: Status(%d): not an HTTP status code", code))
	}
	return func(o *routeOptions) { o.status = code }
}

// Summary sets the operation's summary in the OpenAPI document.
func Summary(s string) RouteOption { return func(o *routeOptions) { o.summary = s } }

// Description sets the operation's description in the OpenAPI document.
func Description(s string) RouteOption { return func(o *routeOptions) { o.description = s } }

// Tags adds tags to the operation in the OpenAPI document.
func Tags(t ...string) RouteOption {
	return func(o *routeOptions) { o.tags = append(o.tags, t...) }
}

// OperationID sets the operation's operationId in the OpenAPI document
// (derived from the handler's name, path and method otherwise).
func OperationID(id string) RouteOption { return func(o *routeOptions) { o.operationID = id } }

// Deprecated marks the operation deprecated in the OpenAPI document.
func Deprecated() RouteOption { return func(o *routeOptions) { o.deprecated = true } }

// Responses documents a response other than the success one, e.g.
// Responses(404, "Item not found", nil). body is a value of the response
// body's type, or nil for the {"detail": …} shape of an HTTPError.
func Responses(status int, description string, body any) RouteOption {
	var t reflect.Type
	if body != nil {
		t = reflect.TypeOf(body)
	}
	return func(o *routeOptions) {
		o.responses = append(o.responses, openapi.Response{Status: status, Description: description, Type: t})
	}
}

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
