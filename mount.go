// Mount and the root path: serving another http.Handler (another App
// among them) under a prefix, and the path prefix a request is served
// under (Config.RootPath, a mount, X-Forwarded-Prefix), which the document,
// the docs pages and redirects use.

package brisk

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Mount serves h for every request whose path is prefix or starts with
// prefix+"/", with prefix removed from the path (http.StripPrefix's rule:
// "/sub/items" reaches h as "/items", "/sub" as "/"). h may be any
// http.Handler: a file server, a chi router, another *App. A mounted App
// keeps its own middleware, error handlers and providers; its document and
// docs pages work under the prefix (their servers entry and URLs include
// it, see RootPath), and the mounting App's Shutdown also shuts it down.
// The mounting App's own middleware runs around h, as for its routes.
//
// prefix must start with "/", not end with one, and hold no chi pattern
// ("{", "*"). Mounted paths are served for GET, HEAD, POST, PUT, PATCH,
// DELETE, OPTIONS and TRACE, and left out of the mounting App's document.
// Mounting where a route is already registered panics.
func (a *App) Mount(prefix string, h http.Handler) {
	a.mustNotBeServing("Mount")
	if h == nil {
		panic(fmt.Sprintf("brisk: Mount(%q, nil): no handler", prefix))
	}
	if prefix == "" || prefix[0] != '/' || strings.HasSuffix(prefix, "/") || strings.ContainsAny(prefix, "{}*") {
		panic(fmt.Sprintf("brisk: Mount(%q, %T): the prefix must start with '/', not end with one, and hold no pattern ('{', '*')", prefix, h))
	}
	if sub, ok := h.(*App); ok {
		if sub == a {
			panic(fmt.Sprintf("brisk: Mount(%q): an App cannot mount itself", prefix))
		}
		a.mounted = append(a.mounted, sub)
	}
	m := &mountHandler{app: a, prefix: prefix, h: h}
	for _, pattern := range []string{prefix, prefix + "/*"} {
		for _, method := range mountMethods {
			if pr := a.routes[pattern]; pr != nil && pr.find(method) != nil {
				panic(fmt.Sprintf("brisk: Mount(%q, %T): %s %s is already registered", prefix, h, method, pattern))
			}
			rt := &route{router: a.root, method: method, pattern: pattern, raw: m, handler: h}
			a.insert(rt)
			a.all = append(a.all, rt)
		}
	}
}

// mountMethods are the methods a mount is routed for.
var mountMethods = []string{
	http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
	http.MethodDelete, http.MethodOptions, http.MethodTrace,
}

// mountHandler serves a mounted handler.
type mountHandler struct {
	app    *App
	prefix string
	h      http.Handler
}

func (m *mountHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := &mountContext{Context: r.Context(), root: m.app.rootPath(r) + m.prefix}
	r2 := r.WithContext(ctx)
	u := *r.URL
	u.Path = stripMount(u.Path, m.prefix)
	if u.RawPath != "" {
		u.RawPath = stripMount(u.RawPath, m.prefix)
	}
	r2.URL = &u // RequestURI stays the client's, as with http.StripPrefix
	m.h.ServeHTTP(w, r2)
}

// stripMount removes prefix from p; the prefix itself becomes "/".
func stripMount(p, prefix string) string {
	p = strings.TrimPrefix(p, prefix)
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	return p
}

// mountContext is the context a mounted handler sees: the root path it is
// served under, and neither the mounting App's request state nor chi's
// routing context, so that a mounted App or chi router routes afresh.
type mountContext struct {
	context.Context
	root string
}

func (c *mountContext) Value(key any) any {
	switch key {
	case rootPathKey{}:
		return c.root
	case stateKey{}:
		return (*routeContext)(nil)
	case chi.RouteCtxKey:
		return (*chi.Context)(nil)
	}
	return c.Context.Value(key)
}

// rootPathKey holds the root path a mount serves its handler under.
type rootPathKey struct{}

// RootPath returns the path prefix r is served under, which the handler's
// own paths do not include: the mount prefix of an App mounted in another
// (the mounting App's root path included), or else the request's
// X-Forwarded-Prefix when Config.TrustForwardedPrefix is on, or else
// Config.RootPath. It is "" for an app served at the root. Use it to build
// URLs a client follows (links, Location headers).
func RootPath(r *http.Request) string {
	if root, ok := r.Context().Value(rootPathKey{}).(string); ok {
		return root
	}
	if st := stateOf(nil, r); st != nil {
		return st.app.rootPath(r)
	}
	return ""
}

// rootPath is RootPath for a request this App serves.
func (a *App) rootPath(r *http.Request) string {
	if root, ok := r.Context().Value(rootPathKey{}).(string); ok {
		return root
	}
	if a.cfg.TrustForwardedPrefix {
		if p := cleanRootPath(r.Header.Get("X-Forwarded-Prefix")); p != "" {
			return p
		}
	}
	return a.cfg.RootPath
}

// cleanRootPath returns p as a root path ("/api/v1": a leading "/", no
// trailing one), or "" when p is empty, "/" or not a plain path (a
// scheme, a query, quotes or control characters: nothing a header may
// smuggle into the pages).
func cleanRootPath(p string) string {
	p = strings.TrimRight(strings.TrimSpace(p), "/")
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || len(p) > 1024 {
		return ""
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"'<>\?#`+"`", c) >= 0 {
			return ""
		}
	}
	return p
}

// logServing logs where the app listens and where its docs are.
func (a *App) logServing(base string) {
	attrs := []any{slog.String("addr", base), slog.Int("routes", len(a.all))}
	if a.cfg.OpenAPIURL != "" && a.cfg.DocsURL != "" {
		attrs = append(attrs, slog.String("docs", base+a.cfg.DocsURL))
	}
	a.cfg.Logger.Info("brisk: serving", attrs...)
}
