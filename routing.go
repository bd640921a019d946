// Every use of chi: registering a route with the mux, matching a request,
// listing allowed methods, and chi's routing context on the request.

package brisk

import (
	"context"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"
)

// mount registers r with the mux, telling chi of a method it does not know.
func (a *App) mount(r *route) {
	if !isChiMethod(r.method) {
		chi.RegisterMethod(r.method)
	}
	a.mux.Method(r.method, r.pattern, r)
}

func isChiMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
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
			if m == http.MethodGet && !slices.Contains(a.methods, http.MethodHead) {
				out = append(out, http.MethodHead)
			}
		}
	}
	return out
}

// stateKey finds the request state in a context.
type stateKey struct{}

// routeContext is the request context Brisk attaches when middleware or a
// handler needs one: it answers chi's RouteCtxKey (so chi.URLParam and
// chi's middleware work) and Brisk's own key, with one allocation.
type routeContext struct {
	context.Context
	st  *reqState
	gen uint32 // st's generation for this request (see reqState.enter)
}

// Value implements context.Context.
func (c *routeContext) Value(key any) any {
	switch key {
	case chi.RouteCtxKey:
		return &c.st.rctx
	case stateKey{}:
		return c
	}
	return c.Context.Value(key)
}

// attach puts the state on the request's context (once).
func (st *reqState) attach(r *http.Request) *http.Request {
	if st.ctxAttached {
		return r
	}
	st.ctxAttached = true
	st.rctx.Routes = st.app.mux
	st.rctx.RoutePath = ""
	return r.WithContext(&routeContext{Context: r.Context(), st: st, gen: st.generation()})
}
