package brisk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/briskgo/brisk/background"
	"github.com/briskgo/brisk/internal/openapi"
	"github.com/briskgo/brisk/internal/problem"
	"github.com/briskgo/brisk/internal/validation"
)

// BackgroundTasks is the request's list of work to run after the response is
// sent. Ask for a *BackgroundTasks in a handler or provider: every function
// of one request gets the same one.
type BackgroundTasks = background.Tasks

// Config configures an App. Its zero value means the documented defaults.
type Config struct {
	// Title, Version and Description fill the OpenAPI document's info
	// (defaults "Brisk", "0.1.0", "").
	Title       string
	Version     string
	Description string

	// OpenAPIURL, DocsURL and RedocURL are where the OpenAPI document, the
	// Swagger UI page and the ReDoc page are served (defaults
	// "/openapi.json", "/docs", "/redoc"); "-" turns one off. Without the
	// document, the pages are off too.
	OpenAPIURL string
	DocsURL    string
	RedocURL   string
	// SwaggerUIBaseURL and RedocBaseURL replace the pinned CDN the docs
	// pages load their assets from, for offline deployments.
	SwaggerUIBaseURL string
	RedocBaseURL     string

	// Logger receives Brisk's logs: panics, unexpected errors, failing
	// background tasks, startup and shutdown (default slog.Default()).
	Logger *slog.Logger

	// MaxBodyBytes caps request bodies read for JSON parameters; larger
	// bodies get 413 (default 1 MiB; negative: no limit).
	MaxBodyBytes int64

	// ShutdownTimeout bounds how long Run waits, on SIGINT or SIGTERM, for
	// in-flight requests and background tasks (default 30s).
	ShutdownTimeout time.Duration

	// MaxConcurrentTasks bounds how many requests' background tasks run at
	// once; more are queued, never dropped (default: background's).
	MaxConcurrentTasks int

	// ReadHeaderTimeout and IdleTimeout configure the server Run starts
	// (defaults 10s and 120s).
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration

	// DisableRedirectSlashes turns off redirecting "/items/" to "/items" (or
	// back) when only the other form is routed, which is on by default as in
	// FastAPI.
	DisableRedirectSlashes bool
}

// App is a Brisk application: a chi router whose handlers are typed funcs,
// one middleware stack, dependency providers and background tasks. It is an
// http.Handler. Register everything before it serves its first request.
type App struct {
	root   *Router
	cfg    Config
	log    *slog.Logger
	mux    *chi.Mux
	routes map[string]*patternRoutes
	all    []*route
	groups []*Router

	validator *validation.Validator
	runner    *background.Runner
	maxBody   int64
	plainApp  bool

	mu       sync.Mutex
	serving  atomic.Bool
	build    sync.Once
	handler  http.Handler
	states   sync.Pool
	captures sync.Pool
	methods  []string

	// scratchIDs numbers the request values kept in pooled request states.
	scratchIDs atomic.Int64

	// buildPanic is what building the stack panicked with, if it did.
	buildPanic any

	docMu   sync.Mutex
	doc     []byte
	docETag string

	servers []*http.Server // set up by ConfigureServer (Run's among them)
	conns   connWatches
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

// route is one registered route.
type route struct {
	app     *App
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

// New returns an App configured by cfg (at most one; none means defaults).
func New(cfg ...Config) *App {
	var c Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	if c.Title == "" {
		c.Title = "Brisk"
	}
	if c.Version == "" {
		c.Version = "0.1.0"
	}
	c.OpenAPIURL = defaultURL(c.OpenAPIURL, "/openapi.json")
	c.DocsURL = defaultURL(c.DocsURL, "/docs")
	c.RedocURL = defaultURL(c.RedocURL, "/redoc")
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 10 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 120 * time.Second
	}
	a := &App{
		cfg:       c,
		log:       c.Logger,
		mux:       chi.NewMux(),
		routes:    make(map[string]*patternRoutes),
		validator: validation.New(),
		runner:    background.NewRunner(background.RunnerConfig{Logger: c.Logger, MaxConcurrent: c.MaxConcurrentTasks}),
		maxBody:   c.MaxBodyBytes,
	}
	a.root = &Router{app: a}
	a.states.New = func() any { return newReqState(a) }
	a.captures.New = func() any { return newCaptureWriter() }
	return a
}

func defaultURL(u, def string) string {
	switch u {
	case "":
		return def
	case "-":
		return ""
	}
	return u
}

// Get registers handler for GET requests to pattern. See Router.Handle.
func (a *App) Get(pattern string, handler any, opts ...RouteOption) {
	a.root.Get(pattern, handler, opts...)
}

// Post registers handler for POST requests to pattern. See Router.Handle.
func (a *App) Post(pattern string, handler any, opts ...RouteOption) {
	a.root.Post(pattern, handler, opts...)
}

// Put registers handler for PUT requests to pattern. See Router.Handle.
func (a *App) Put(pattern string, handler any, opts ...RouteOption) {
	a.root.Put(pattern, handler, opts...)
}

// Patch registers handler for PATCH requests to pattern. See Router.Handle.
func (a *App) Patch(pattern string, handler any, opts ...RouteOption) {
	a.root.Patch(pattern, handler, opts...)
}

// Delete registers handler for DELETE requests to pattern. See Router.Handle.
func (a *App) Delete(pattern string, handler any, opts ...RouteOption) {
	a.root.Delete(pattern, handler, opts...)
}

// Head registers handler for HEAD requests to pattern. See Router.Handle.
func (a *App) Head(pattern string, handler any, opts ...RouteOption) {
	a.root.Head(pattern, handler, opts...)
}

// Options registers handler for OPTIONS requests to pattern. See
// Router.Handle.
func (a *App) Options(pattern string, handler any, opts ...RouteOption) {
	a.root.Options(pattern, handler, opts...)
}

// Handle registers handler for method requests to pattern. See
// Router.Handle.
func (a *App) Handle(method, pattern string, handler any, opts ...RouteOption) {
	a.root.Handle(method, pattern, handler, opts...)
}

// Group returns a router for routes under prefix, with its own middleware,
// providers and options. See Router.
func (a *App) Group(prefix string, opts ...RouteOption) *Router {
	g := a.root.Group(prefix, opts...)
	a.groups = append(a.groups, g)
	return g
}

// Provide registers dependency providers for every route. See
// Router.Provide.
func (a *App) Provide(providers ...any) { a.root.Provide(providers...) }

// Use adds plain net/http middleware to the app's stack. The app's stack
// wraps routing, so it also runs for unknown routes (404) and wrong methods
// (405). Use and Middleware add to one stack: the last added receives the
// request first and sees the response last.
func (a *App) Use(mw ...func(http.Handler) http.Handler) { a.root.Use(mw...) }

// Middleware adds a call-next layer to the app's stack. See Use and
// MiddlewareFunc.
func (a *App) Middleware(fn MiddlewareFunc) { a.root.Middleware(fn) }

// Override replaces, for tests, the provider of each provider's result type,
// in the app and all its groups, also after routes are registered and
// requests served: every route is compiled again against the new providers.
func (a *App) Override(providers ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, fn := range providers {
		p := newProvider(fn)
		replaced := false
		for _, r := range append([]*Router{a.root}, a.allRouters()...) {
			if _, ok := r.providers[p.typ]; ok {
				r.providers[p.typ] = p
				replaced = true
			}
		}
		if !replaced {
			if a.root.providers == nil {
				a.root.providers = make(map[reflect.Type]*provider)
			}
			a.root.providers[p.typ] = p
		}
	}
	for _, rt := range a.all {
		if rt.raw == nil {
			rt.plan.Store(compileRoute(a, rt.router, rt.method, rt.pattern, rt.handler, &rt.opts))
		}
	}
	a.docMu.Lock()
	a.doc = nil
	a.docMu.Unlock()
}

// allRouters lists every group, nested ones too.
func (a *App) allRouters() []*Router {
	var out []*Router
	seen := make(map[*Router]bool)
	for _, rt := range a.all {
		for r := rt.router; r != nil && r != a.root; r = r.parent {
			if !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	for _, g := range a.groups {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// newScratchID numbers a reusable per-request value (see
// compiler.valueAllocator).
func (a *App) newScratchID() int { return int(a.scratchIDs.Add(1) - 1) }

// mustNotBeServing panics when the app's stack is already built.
func (a *App) mustNotBeServing(what string) {
	if a.serving.Load() {
		panic(fmt.Sprintf("brisk: %s called after the app started serving; register middleware and routes before the first request", what))
	}
}

// addRoute compiles and registers a route.
func (a *App) addRoute(rt *Router, method, pattern string, handler any, opts []RouteOption) {
	a.mustNotBeServing("route registration")
	if method == "" {
		panic("brisk: Handle: empty method")
	}
	if pattern == "" || pattern[0] != '/' {
		panic(fmt.Sprintf("brisk: %s %q: a pattern must begin with '/'", method, pattern))
	}
	r := &route{app: a, router: rt, method: method, pattern: pattern, handler: handler}
	for _, o := range rt.options {
		o(&r.opts)
	}
	for _, o := range opts {
		o(&r.opts)
	}
	if pr := a.routes[pattern]; pr != nil && pr.find(method) != nil {
		panic(fmt.Sprintf("brisk: %s %s: %s is already registered (by %s)", method, pattern, funcName(handler), funcName(pr.find(method).handler)))
	}
	if h, ok := handler.(http.Handler); ok {
		r.raw = h
	} else {
		r.plan.Store(compileRoute(a, rt, method, pattern, handler, &r.opts))
	}
	if !isChiMethod(method) {
		chi.RegisterMethod(method)
	}
	a.mux.Method(method, pattern, r)
	pr := a.routes[pattern]
	if pr == nil {
		pr = &patternRoutes{}
		a.routes[pattern] = pr
	}
	pr.methods = append(pr.methods, method)
	pr.routes = append(pr.routes, r)
	a.all = append(a.all, r)
	if !containsString(a.methods, method) {
		a.methods = append(a.methods, method)
	}
}

func isChiMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// freeze builds the stacks; after it, registration panics.
func (a *App) freeze() {
	a.build.Do(func() {
		defer func() {
			if p := recover(); p != nil {
				// A bad layer (one returning a nil handler, say): every
				// later request fails with the same message, not with a
				// nil handler.
				a.buildPanic = p
				panic(p)
			}
		}()
		a.addDocsRoutes()
		for _, rt := range a.all {
			var h http.Handler = rt
			for r := rt.router; r != nil && r != a.root; r = r.parent {
				h = chain(r.layers, h, &a.captures)
				for _, l := range r.layers {
					if l.plain != nil {
						rt.plainMW = true
					}
				}
			}
			rt.chain = h
			rt.direct = rt.raw == nil && h == http.Handler(rt)
		}
		a.handler = chain(a.root.layers, http.HandlerFunc(a.dispatch), &a.captures)
		for _, l := range a.root.layers {
			if l.plain != nil {
				a.plainApp = true
			}
		}
		// Last: a request that sees serving skips freeze and reads all the
		// above without waiting for the Once.
		a.serving.Store(true)
	})
	if a.buildPanic != nil {
		panic(a.buildPanic)
	}
}

// ServeHTTP serves a request: the middleware stack, routing, the route's
// plan, and, once the response is complete, the request's background tasks.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.serving.Load() {
		a.freeze()
	}
	st := a.states.Get().(*reqState)
	st.root.w = w
	defer a.finish(st, r)
	if a.plainApp {
		// Plain middleware may be chi's, which expects chi's routing context
		// before routing, as chi.Mux provides it.
		r = st.attach(r)
	}
	a.handler.ServeHTTP(&st.root, r)
}

// finish recovers from panics and hands the request's background work to
// the runner once the response is complete.
func (a *App) finish(st *reqState, r *http.Request) {
	if p := recover(); p != nil {
		if isAbort(p) {
			a.brokenOff(st, r)
			a.release(st)
			panic(p)
		}
		a.recovered(st, r, p)
	}
	if (st.tasks != nil && st.tasks.Len() > 0) || len(st.cleanups) > 0 {
		a.afterResponse(st, r)
	}
	a.release(st)
}

func (a *App) release(st *reqState) {
	st.reset()
	a.states.Put(st)
}

// recovered turns a panic into a logged 500.
func (a *App) recovered(st *reqState, r *http.Request, p any) {
	st.discardTasks()
	a.log.ErrorContext(r.Context(), "brisk: panic serving request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
	if st.root.wroteHeader {
		// Part of the response is out: the client must see it broken.
		a.brokenOff(st, r)
		panic(http.ErrAbortHandler)
	}
	writeJSON(&st.root, &st.enc, http.StatusInternalServerError, detailBody{Detail: "Internal Server Error"}, nil)
}

// afterResponse makes sure the client has the whole response, then runs the
// request's tasks and cleanups in the background.
func (a *App) afterResponse(st *reqState, r *http.Request) {
	var wait <-chan struct{}
	switch {
	case st.root.hijacked:
		// The connection is the handler's; it is done with it once
		// ServeHTTP returns, which the request context's end tells.
		wait = r.Context().Done()
	case noContentLength(st.root.w.Header()):
		// Without a length the end of the response is written by net/http
		// after ServeHTTP returns.
		wait = responseEnd(r)
	}
	// With a length the client has it all once it is flushed. The runner
	// takes the work before the client can have the response, so that a
	// Shutdown called by a client that has it waits for the work, and
	// starts it after the flush (deferred, so even if the flush panics).
	defer a.runner.Reserve(st.tasks, a.cleanupsAfter(st, r), wait, r.Method, r.URL.Path).Start()
	if st.root.hijacked {
		return // the connection is the handler's: nothing of ours to flush
	}
	if !st.root.wroteHeader {
		st.root.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(st.root.w).Flush()
}

// noContentLength reports whether h sets no Content-Length, as
// h.Get("Content-Length") == "" (net/http's test), without canonicalising the
// key: it is canonical already.
func noContentLength(h http.Header) bool {
	v := h["Content-Length"]
	return len(v) == 0 || v[0] == ""
}

// brokenOff is afterResponse for a response net/http is about to abort (a
// panic once it had started, or http.ErrAbortHandler): the tasks are
// dropped, but the providers' cleanups still run, once ServeHTTP returned.
func (a *App) brokenOff(st *reqState, r *http.Request) {
	st.discardTasks()
	if after := a.cleanupsAfter(st, r); after != nil {
		a.runner.Run(nil, after, r.Context().Done(), r.Method, r.URL.Path)
	}
}

// cleanupsAfter returns a func running the request's provider cleanups,
// newest first, or nil when there are none.
func (a *App) cleanupsAfter(st *reqState, r *http.Request) func() {
	cl := st.cleanups
	if len(cl) == 0 {
		return nil
	}
	return func() {
		for i := len(cl) - 1; i >= 0; i-- {
			a.runCleanup(cl[i], r.Method, r.URL.Path)
		}
	}
}

// runCleanup runs one provider cleanup; a panic is logged, not fatal.
func (a *App) runCleanup(fn func(), method, path string) {
	defer func() {
		if p := recover(); p != nil {
			a.log.Error("brisk: panic in provider cleanup", slog.String("method", method), slog.String("path", path),
				slog.String("cleanup", runtimeFunc(fn)), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
		}
	}()
	fn()
}

// dispatch routes the request to its route, or answers 404, 405 or a
// trailing-slash redirect.
func (a *App) dispatch(w http.ResponseWriter, r *http.Request) {
	st := stateOf(w, r)
	rctx := &st.rctx
	st.rawPath = r.URL.RawPath != ""
	path := rctx.RoutePath
	if path == "" {
		path = r.URL.RawPath
		if path == "" {
			path = r.URL.Path
		}
		if path == "" {
			path = "/"
		}
	}
	rt := a.match(rctx, r.Method, path)
	if rt == nil {
		a.unmatched(st, w, r, path)
		return
	}
	st.route = rt
	plan := rt.plan.Load() // nil for a raw handler
	if rt.raw != nil || rt.plainMW || plan.exposesRequest {
		for i, k := range rctx.URLParams.Keys {
			r.SetPathValue(k, rctx.URLParams.Values[i])
		}
		r.Pattern = rt.pattern
		r = st.attach(r)
	}
	if rt.direct {
		// What route.ServeHTTP would do, without finding the state again.
		plan.serve(st, w, r)
		return
	}
	rt.chain.ServeHTTP(w, r)
}

// match finds the route for method and path, filling rctx's URL params.
// HEAD falls back to GET.
func (a *App) match(rctx *chi.Context, method, path string) *route {
	if pattern := a.mux.Find(rctx, method, path); pattern != "" {
		if pr := a.routes[pattern]; pr != nil {
			if rt := pr.find(method); rt != nil {
				return rt
			}
		}
	}
	if method == http.MethodHead {
		resetParams(rctx)
		if pattern := a.mux.Find(rctx, http.MethodGet, path); pattern != "" {
			if pr := a.routes[pattern]; pr != nil {
				return pr.find(http.MethodGet)
			}
		}
	}
	return nil
}

func resetParams(rctx *chi.Context) {
	rctx.URLParams.Keys = rctx.URLParams.Keys[:0]
	rctx.URLParams.Values = rctx.URLParams.Values[:0]
	rctx.RoutePatterns = rctx.RoutePatterns[:0]
}

// allowed lists the methods path can be requested with.
func (a *App) allowed(path string) []string {
	var out []string
	rctx := chi.NewRouteContext()
	for _, m := range a.methods {
		rctx.Reset()
		if a.mux.Find(rctx, m, path) != "" {
			out = append(out, m)
			if m == http.MethodGet && !containsString(a.methods, http.MethodHead) {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}

// unmatched answers a request no route matched.
func (a *App) unmatched(st *reqState, w http.ResponseWriter, r *http.Request, path string) {
	if allow := a.allowed(path); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeJSON(w, &st.enc, http.StatusMethodNotAllowed, detailBody{Detail: "Method Not Allowed"}, nil)
		return
	}
	if !a.cfg.DisableRedirectSlashes && path != "/" {
		alt := path + "/"
		if strings.HasSuffix(path, "/") {
			alt = strings.TrimSuffix(path, "/")
		}
		if len(a.allowed(alt)) > 0 {
			u := *r.URL
			if u.RawPath != "" {
				u.RawPath = alt
				u.Path = strings.TrimSuffix(u.Path, "/")
				if !strings.HasSuffix(path, "/") {
					u.Path += "/"
				}
			} else {
				u.Path = alt
			}
			u.Scheme, u.Host = "", ""
			http.Redirect(w, r, u.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
	}
	writeJSON(w, &st.enc, http.StatusNotFound, detailBody{Detail: "Not Found"}, nil)
}

// ServeHTTP runs the route: its plan, or the raw handler.
func (rt *route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if rt.raw != nil {
		rt.raw.ServeHTTP(w, r)
		return
	}
	st := stateOf(w, r)
	if st == nil {
		panic("brisk: route served outside its App")
	}
	rt.plan.Load().serve(st, w, r)
}

// respond writes the handler's results.
func (a *App) respond(st *reqState, p *routePlan, w http.ResponseWriter, out []reflect.Value) {
	if !p.handler.results.value {
		if p.writesOwn {
			return
		}
		a.writeResult(st, w, p.status, nil)
		return
	}
	v := out[0]
	if p.handler.results.valueType == responseType || v.Kind() == reflect.Interface {
		if v.Kind() == reflect.Interface && v.IsNil() {
			a.writeResult(st, w, p.status, nil)
			return
		}
		if resp, ok := v.Interface().(*Response); ok {
			a.writeResponse(st, w, resp)
			return
		}
	}
	a.writeResult(st, w, p.status, v.Interface())
}

// writeResult writes a typed handler's result as JSON.
func (a *App) writeResult(st *reqState, w http.ResponseWriter, status int, v any) {
	if cw, ok := w.(*captureWriter); ok && cw.handOver(status, v) {
		return
	}
	if err := writeJSON(w, &st.enc, status, v, nil); err != nil {
		panic(fmt.Errorf("brisk: encoding the response: %w", err))
	}
}

// writeResponse sends a handler's own *Response. Its tasks are kept: the
// handler chose the response, it is not an error path.
func (a *App) writeResponse(st *reqState, w http.ResponseWriter, resp *Response) {
	if resp == nil {
		panic("brisk: handler returned a nil *Response")
	}
	if cw, ok := w.(*captureWriter); ok && cw.handOverResponse(resp) {
		return
	}
	if err := resp.writeTo(w, &st.enc, st.wantsLength()); err != nil {
		panic(fmt.Errorf("brisk: writing the response: %w", err))
	}
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
	a.log.ErrorContext(r.Context(), "brisk: unexpected error", slog.String("method", r.Method),
		slog.String("path", r.URL.Path), slog.Any("error", err), slog.String("stack", string(debug.Stack())))
	writeJSON(w, &st.enc, http.StatusInternalServerError, detailBody{Detail: "Internal Server Error"}, nil)
}

// writeValidationErrors answers 422 with every collected error.
func (a *App) writeValidationErrors(st *reqState, w http.ResponseWriter) {
	st.discardTasks()
	writeJSON(w, &st.enc, http.StatusUnprocessableEntity, problem.Detail{Detail: st.errs}, nil)
}

// writeJSON writes v as a JSON response, with its Content-Length.
func writeJSON(w http.ResponseWriter, enc *encoder, status int, v any, extra http.Header) error {
	h := w.Header()
	if len(extra) > 0 {
		for k, vals := range extra {
			h[k] = vals
		}
	}
	if !bodyAllowed(status) {
		w.WriteHeader(status)
		return nil
	}
	b, err := enc.encode(v)
	if err != nil {
		return err
	}
	h["Content-Type"] = jsonContentType
	// Always, as Starlette's responses: a body over net/http's 2 KiB buffer
	// would otherwise go out chunked, and a length a handler set before it
	// failed would be wrong.
	h["Content-Length"] = contentLength(len(b))
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// Run serves the app on addr (default: HOST and PORT from the environment,
// else 127.0.0.1:8000) until SIGINT or SIGTERM, then shuts down gracefully:
// in-flight requests finish and queued background tasks run, within
// Config.ShutdownTimeout.
func (a *App) Run(addr ...string) error {
	address := listenAddr(addr)
	a.freeze()
	if a.cfg.OpenAPIURL != "" {
		// Build the document now: a route it cannot describe is a startup
		// error, not a surprise for the first reader of /docs.
		if _, _, err := a.openAPI(); err != nil {
			return fmt.Errorf("brisk: building the OpenAPI document: %w", err)
		}
	}
	ln, err := net.Listen("tcp", address)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              address,
		ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	a.ConfigureServer(srv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if a.log.Enabled(ctx, slog.LevelDebug) {
		var stack strings.Builder
		a.Describe(&stack)
		a.log.Debug("brisk: middleware stack, in request order", slog.String("stack", stack.String()))
	}
	a.log.Info("brisk: serving", slog.String("addr", "http://"+ln.Addr().String()), slog.Int("routes", len(a.all)))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
		// A second SIGINT or SIGTERM now ends the process at once, as users
		// expect of a stuck shutdown.
		stop()
	}
	a.log.Info("brisk: shutting down", slog.Duration("timeout", a.cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	return a.Shutdown(sctx)
}

func listenAddr(addr []string) string {
	if len(addr) > 0 && addr[0] != "" {
		return addr[0]
	}
	host, port := os.Getenv("HOST"), os.Getenv("PORT")
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "8000"
	}
	return net.JoinHostPort(host, port)
}

// ConfigureServer prepares srv to serve the app the way Run does, for
// programs that run their own http.Server (TLS, several listeners, custom
// timeouts): it sets srv.Handler to the app when it is nil, and chains hooks
// onto srv.ConnContext and srv.ConnState (keeping any already set) so that
// the background tasks of a response without a Content-Length — a streamed,
// chunked one — start only once net/http has written its last chunk. Without
// them such tasks may start a few microseconds before the client has the
// final bytes (see docs/background-tasks.md). Shutdown also shuts srv down,
// before it waits for background tasks. Call it before srv starts serving.
func (a *App) ConfigureServer(srv *http.Server) {
	if srv.Handler == nil {
		srv.Handler = a
	}
	prevCtx, prevState := srv.ConnContext, srv.ConnState
	srv.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prevCtx != nil {
			ctx = prevCtx(ctx, c)
		}
		return a.conns.connContext(ctx, c)
	}
	srv.ConnState = func(c net.Conn, state http.ConnState) {
		a.conns.connState(c, state)
		if prevState != nil {
			prevState(c, state)
		}
	}
	a.mu.Lock()
	a.servers = append(a.servers, srv)
	a.mu.Unlock()
}

// Shutdown stops the servers Run started or ConfigureServer set up (if any),
// waits for their in-flight requests, then waits for every queued
// background task, until ctx ends. On an app driven by ServeHTTP alone it
// only waits for background tasks.
func (a *App) Shutdown(ctx context.Context) error {
	a.mu.Lock()
	servers := append([]*http.Server(nil), a.servers...)
	a.mu.Unlock()
	var errs []error
	for _, srv := range servers {
		// A server already closed by its owner has nothing left to stop.
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	if err := a.runner.Shutdown(ctx); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Describe writes the resolved middleware stack, in the order a request
// meets it, and the routes with their own stacks.
func (a *App) Describe(w io.Writer) {
	fmt.Fprintln(w, "request")
	for i := len(a.root.layers) - 1; i >= 0; i-- {
		fmt.Fprintf(w, "  -> %s\n", a.root.layers[i].describe())
	}
	fmt.Fprintln(w, "  -> router")
	for _, rt := range a.all {
		fmt.Fprintf(w, "       %s %s", rt.method, rt.pattern)
		// A request meets the outermost group's layers first.
		var routers []*Router
		for r := rt.router; r != nil && r != a.root; r = r.parent {
			routers = append(routers, r)
		}
		for j := len(routers) - 1; j >= 0; j-- {
			for i := len(routers[j].layers) - 1; i >= 0; i-- {
				fmt.Fprintf(w, " -> %s", routers[j].layers[i].describe())
			}
		}
		fmt.Fprintf(w, " -> %s\n", runtimeFunc(rt.handler))
	}
}

func (l layer) describe() string {
	kind := "Use"
	if l.callNext != nil {
		kind = "Middleware"
	}
	return kind + " " + l.name
}

// runtimeFunc names a func value without its file position.
func runtimeFunc(fn any) string {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return fmt.Sprintf("%T", fn)
	}
	if f := runtime.FuncForPC(v.Pointer()); f != nil {
		return f.Name()
	}
	return v.Type().String()
}

// addDocsRoutes serves the OpenAPI document and the docs pages.
func (a *App) addDocsRoutes() {
	if a.cfg.OpenAPIURL == "" {
		return
	}
	a.addRaw(a.cfg.OpenAPIURL, http.HandlerFunc(a.serveOpenAPI))
	docs := openapi.DocsConfig{
		Title: a.cfg.Title, OpenAPIURL: a.cfg.OpenAPIURL,
		SwaggerUIBaseURL: a.cfg.SwaggerUIBaseURL, RedocBaseURL: a.cfg.RedocBaseURL,
	}
	if a.cfg.DocsURL != "" {
		page := openapi.SwaggerUIHTML(docs)
		a.addRaw(a.cfg.DocsURL, htmlPage(page))
	}
	if a.cfg.RedocURL != "" {
		page := openapi.RedocHTML(docs)
		a.addRaw(a.cfg.RedocURL, htmlPage(page))
	}
}

func (a *App) addRaw(pattern string, h http.Handler) {
	if pr := a.routes[pattern]; pr != nil && pr.find(http.MethodGet) != nil {
		return // the user routed it themselves
	}
	rt := &route{app: a, router: a.root, method: http.MethodGet, pattern: pattern, raw: h, handler: h}
	rt.chain = rt
	a.mux.Method(http.MethodGet, pattern, rt)
	pr := a.routes[pattern]
	if pr == nil {
		pr = &patternRoutes{}
		a.routes[pattern] = pr
	}
	pr.methods = append(pr.methods, http.MethodGet)
	pr.routes = append(pr.routes, rt)
	if !containsString(a.methods, http.MethodGet) {
		a.methods = append(a.methods, http.MethodGet)
	}
}

func htmlPage(page []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Content-Type"] = htmlContentType
		_, _ = w.Write(page)
	})
}

// serveOpenAPI serves the document, built once on first request, with an
// ETag.
func (a *App) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	doc, etag, err := a.openAPI()
	if err != nil {
		a.log.Error("brisk: building the OpenAPI document", slog.Any("error", err))
		http.Error(w, `{"detail":"Internal Server Error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header()["Content-Type"] = jsonContentType
	_, _ = w.Write(doc)
}

// openAPI returns the document and its ETag.
func (a *App) openAPI() ([]byte, string, error) {
	a.docMu.Lock()
	defer a.docMu.Unlock()
	if a.doc != nil {
		return a.doc, a.docETag, nil
	}
	ops := make([]openapi.Operation, 0, len(a.all))
	for _, rt := range a.all {
		if p := rt.plan.Load(); p != nil {
			ops = append(ops, p.op)
		}
	}
	doc, err := openapi.Build(openapi.Info{Title: a.cfg.Title, Version: a.cfg.Version, Description: a.cfg.Description}, ops)
	if err != nil {
		return nil, "", err
	}
	a.doc, a.docETag = doc, etagOf(doc)
	return a.doc, a.docETag, nil
}

// etagOf is a strong ETag for a served document.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}
