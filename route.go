// Router (groups, their middleware and providers) and the route table:
// route, the routes of one pattern, and the one insert every route takes.

package brisk

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/briskgo/brisk/internal/funcname"
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
	// errHandlers are HandleError's, in registration order.
	errHandlers []*errorHandler
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
		rt.layers = append(rt.layers, layer{plain: m, name: funcname.WithLine(m)})
	}
}

// Middleware adds a call-next layer to the router's stack, like Use. See
// MiddlewareFunc.
func (rt *Router) Middleware(fn MiddlewareFunc) {
	rt.app.mustNotBeServing("Middleware")
	if fn == nil {
		panic("brisk: Middleware: nil MiddlewareFunc")
	}
	rt.layers = append(rt.layers, layer{callNext: fn, name: funcname.WithLine(fn)})
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
		rt.app.checkProvidedLate(rt, p)
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

// route is one registered route.
type route struct {
	router  *Router
	method  string
	pattern string
	handler any
	opts    routeOptions
	raw     http.Handler // a plain http.Handler, served as it is
	plan    atomic.Pointer[routePlan]
	chain   http.Handler // the router's middleware around the route
	plainMW bool         // the chain has plain middleware
	// direct: the route has a plan and no middleware of its own (chain is
	// the route itself), so dispatch runs the plan without going through
	// route.ServeHTTP.
	direct bool
}

// patternRoutes holds the routes of one pattern, by method.
type patternRoutes struct {
	methods []string
	routes  []*route
}

func (p *patternRoutes) find(method string) *route {
	for i, m := range p.methods {
		if m == method {
			return p.routes[i]
		}
	}
	return nil
}

// addRoute compiles and registers a route.
func (a *App) addRoute(rt *Router, method, pattern string, handler any, opts []RouteOption) {
	a.mustNotBeServing("route registration")
	checkMethod(method, pattern)
	if pattern == "" || pattern[0] != '/' {
		panic(fmt.Sprintf("brisk: %s %q: a pattern must begin with '/'", method, pattern))
	}
	r := &route{router: rt, method: method, pattern: pattern, handler: handler}
	for _, o := range rt.options {
		o(&r.opts)
	}
	for _, o := range opts {
		o(&r.opts)
	}
	if pr := a.routes[pattern]; pr != nil && pr.find(method) != nil {
		panic(fmt.Sprintf("brisk: %s %s: %s is already registered (by %s)", method, pattern, funcname.WithLine(handler), funcname.WithLine(pr.find(method).handler)))
	}
	if h, ok := handler.(http.Handler); ok {
		r.raw = h
	} else {
		p := compileRoute(a, rt, method, pattern, handler, &r.opts)
		checkDocument(p, handler)
		r.plan.Store(p)
	}
	a.insert(r)
	a.all = append(a.all, r)
}

// insert puts r in the route table: the mux, the routes of its pattern, the
// methods routed. Every kind of route (typed, http.Handler, docs) goes
// through it.
func (a *App) insert(r *route) {
	a.mount(r)
	pr := a.routes[r.pattern]
	if pr == nil {
		pr = &patternRoutes{}
		a.routes[r.pattern] = pr
	}
	pr.methods = append(pr.methods, r.method)
	pr.routes = append(pr.routes, r)
	if !slices.Contains(a.methods, r.method) {
		a.methods = append(a.methods, r.method)
	}
}

// ServeHTTP runs the route: its plan, or the raw handler.
func (rt *route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt.raw != nil {
		rt.raw.ServeHTTP(w, r)
		return
	}
	var st *reqState
	if rt.plainMW {
		// Plain layers of its groups may run it on another goroutine.
		var ok bool
		if st, ok = join(r); !ok {
			return
		}
		defer rt.router.app.leave(st, r)
	} else if st = stateOf(w, r); st == nil {
		panic("brisk: route served outside its App")
	}
	rt.plan.Load().serve(st, w, r)
}
