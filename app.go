// The App: New, the registration front (routes, groups, providers,
// middleware), Override for tests, and freeze, which builds the stacks
// before the first request.

package brisk

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/go-chi/chi/v5"

	"github.com/briskgo/brisk/background"
	"github.com/briskgo/brisk/internal/openapi"
	"github.com/briskgo/brisk/internal/validation"
)

// BackgroundTasks is the request's list of work to run after the response is
// sent. Ask for a *BackgroundTasks in a handler or provider: every function
// of one request gets the same one.
type BackgroundTasks = background.Tasks

// App is a Brisk application: a chi router whose handlers are typed funcs,
// one middleware stack, dependency providers and background tasks. It is an
// http.Handler. Register everything before it serves its first request.
type App struct {
	root   *Router
	cfg    Config
	mux    *chi.Mux
	routes map[string]*patternRoutes
	all    []*route
	groups []*Router

	validator *validation.Validator
	runner    *background.Runner
	plainApp  bool
	// foreign: some plain layer (app or group) may run the rest of the
	// stack on another goroutine, so runs beneath plain layers join the
	// request's state (see reqState.enter).
	foreign bool

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

	docMu sync.Mutex
	// docRoots caches the document and the docs pages for each root path
	// requests were served under (RootPath, Mount, X-Forwarded-Prefix).
	docRoots map[string]*rootDocs
	// docsBase is the docs pages' setup without a root path;
	// docsLocalAssets the path Config.DocsAssets are served under.
	docsBase        openapi.DocsConfig
	docsLocalAssets string
	webhooks        []webhook
	docHooks        []func(map[string]any) error
	// mounted are the Apps Mount serves, shut down with this one.
	mounted []*App

	servers  []*http.Server // set up by ConfigureServer (Run's among them)
	shutDown bool           // Shutdown has been called: no server may start; under mu
	// onShutdown holds OnShutdown's hooks, in registration order.
	onShutdown []func(context.Context) error
	conns      connWatches
}

// New returns an App configured by cfg (at most one; none means defaults).
func New(cfg ...Config) *App {
	var c Config
	if len(cfg) > 0 {
		c = cfg[0]
	}
	c = c.withDefaults()
	checkDocsAssets(c.DocsAssets)
	a := &App{
		cfg:       c,
		mux:       chi.NewMux(),
		routes:    make(map[string]*patternRoutes),
		validator: validation.New(),
		runner:    background.NewRunner(background.RunnerConfig{Logger: c.Logger, MaxConcurrent: c.MaxConcurrentTasks, TaskTimeout: c.TaskTimeout}),
	}
	a.root = &Router{app: a}
	a.states.New = func() any { return newReqState(a) }
	a.captures.New = func() any { return newCaptureWriter() }
	return a
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

// Logger returns the logger the app logs to (Config.Logger, or
// slog.Default), for packages that plug into the app and log alongside it.
func (a *App) Logger() *slog.Logger { return a.cfg.Logger }

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
// A replacement that is a plain func keeps what the replaced provider
// declared with Scoped or as a SecurityProvider (its scopes, its scheme in
// the document), as FastAPI's dependency_overrides do.
func (a *App) Override(providers ...any) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, fn := range providers {
		p := newProvider(fn)
		replaced := false
		for _, r := range append([]*Router{a.root}, a.allRouters()...) {
			if old, ok := r.providers[p.typ]; ok {
				r.providers[p.typ] = p.replacing(old)
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
	a.docRoots = nil
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
		a.foreign = a.plainApp
		for _, rt := range a.all {
			a.foreign = a.foreign || rt.plainMW
		}
		// Last: a request that sees serving skips freeze and reads all the
		// above without waiting for the Once.
		a.serving.Store(true)
	})
	if a.buildPanic != nil {
		panic(a.buildPanic)
	}
}
