// The documentation routes: the OpenAPI document (built once, with an
// ETag), the Swagger UI and ReDoc pages and Swagger UI's OAuth2 redirect
// page.

package brisk

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/briskgo/brisk/internal/openapi"
)

// addDocsRoutes serves the OpenAPI document and the docs pages.
func (a *App) addDocsRoutes() {
	if a.cfg.OpenAPIURL == "" {
		return
	}
	a.addRaw(a.cfg.OpenAPIURL, http.HandlerFunc(a.serveOpenAPI))
	a.docsBase = openapi.DocsConfig{
		Title: a.cfg.Title, OpenAPIURL: a.cfg.OpenAPIURL,
		SwaggerUIBaseURL: a.cfg.SwaggerUIBaseURL, RedocBaseURL: a.cfg.RedocBaseURL,
	}
	if base := a.addDocsAssets(); base != "" {
		a.docsLocalAssets = base
	}
	if a.cfg.DocsURL != "" {
		if a.cfg.SwaggerUIOAuth2RedirectURL != "" {
			a.docsBase.OAuth2RedirectURL = a.cfg.SwaggerUIOAuth2RedirectURL
			a.addRaw(a.cfg.SwaggerUIOAuth2RedirectURL, htmlPage(openapi.OAuth2RedirectHTML()))
		}
		a.addRaw(a.cfg.DocsURL, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeHTML(w, a.docsFor(a.rootPath(r)).swaggerUI)
		}))
	}
	if a.cfg.RedocURL != "" {
		a.addRaw(a.cfg.RedocURL, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			writeHTML(w, a.docsFor(a.rootPath(r)).redoc)
		}))
	}
}

// rootDocs are the document and the docs pages as served under one root
// path: the document lists the root as its first server, the pages fetch
// the document and their assets under it.
type rootDocs struct {
	swaggerUI, redoc []byte

	once sync.Once
	doc  []byte
	etag string
	err  error
}

// maxDocRoots bounds the root paths whose pages and document are cached;
// more (only TrustForwardedPrefix can make many) are built per request.
const maxDocRoots = 16

// docsFor returns the pages and document for root.
func (a *App) docsFor(root string) *rootDocs {
	a.docMu.Lock()
	defer a.docMu.Unlock()
	if d := a.docRoots[root]; d != nil {
		return d
	}
	cfg := a.docsBase
	if a.docsLocalAssets != "" {
		if cfg.SwaggerUIBaseURL == "" {
			cfg.SwaggerUIBaseURL = root + a.docsLocalAssets
		}
		if cfg.RedocBaseURL == "" {
			cfg.RedocBaseURL = root + a.docsLocalAssets
		}
	}
	cfg.OpenAPIURL = root + cfg.OpenAPIURL
	if cfg.OAuth2RedirectURL != "" {
		cfg.OAuth2RedirectURL = root + cfg.OAuth2RedirectURL
	}
	d := &rootDocs{}
	if a.cfg.DocsURL != "" {
		d.swaggerUI = openapi.SwaggerUIHTML(cfg)
	}
	if a.cfg.RedocURL != "" {
		d.redoc = openapi.RedocHTML(cfg)
	}
	if len(a.docRoots) < maxDocRoots {
		if a.docRoots == nil {
			a.docRoots = make(map[string]*rootDocs)
		}
		a.docRoots[root] = d
	}
	return d
}

func (a *App) addRaw(pattern string, h http.Handler) {
	if pr := a.routes[pattern]; pr != nil && pr.find(http.MethodGet) != nil {
		return // the user routed it themselves
	}
	rt := &route{router: a.root, method: http.MethodGet, pattern: pattern, raw: h, handler: h}
	rt.chain = rt
	a.insert(rt)
}

func htmlPage(page []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { writeHTML(w, page) })
}

func writeHTML(w http.ResponseWriter, page []byte) {
	w.Header().Set("Content-Type", htmlContentType)
	_, _ = w.Write(page)
}

// serveOpenAPI serves the document, built once per root path on first
// request, with an ETag.
func (a *App) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	doc, etag, err := a.openAPI(a.rootPath(r))
	if err != nil {
		a.cfg.Logger.Error("brisk: building the OpenAPI document", slog.Any("error", err))
		http.Error(w, `{"detail":"Internal Server Error"}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("ETag", etag)
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", jsonContentType)
	_, _ = w.Write(doc)
}

// openAPI returns the document served under root and its ETag.
func (a *App) openAPI(root string) ([]byte, string, error) {
	d := a.docsFor(root)
	d.once.Do(func() {
		d.doc, d.err = a.buildDocument(root)
		if d.err == nil {
			d.etag = etagOf(d.doc)
		}
	})
	return d.doc, d.etag, d.err
}

// buildDocument builds the document as served under root.
func (a *App) buildDocument(root string) ([]byte, error) {
	a.mu.Lock() // Override may replace plans
	ops := make([]openapi.Operation, 0, len(a.all)+len(a.webhooks))
	for _, rt := range a.all {
		if p := rt.plan.Load(); p != nil && !rt.opts.hidden {
			ops = append(ops, a.documented(p))
		}
	}
	for _, wh := range a.webhooks {
		if !wh.opts.hidden {
			ops = append(ops, a.documented(wh.plan))
		}
	}
	a.mu.Unlock()
	info := a.cfg.docInfo()
	if root != "" && !a.cfg.NoRootPathInServers && !slices.ContainsFunc(info.Servers, func(s openapi.Server) bool { return s.URL == root }) {
		info.Servers = append([]openapi.Server{{URL: root}}, info.Servers...)
	}
	doc, err := openapi.Build(info, ops)
	if err != nil {
		return nil, err
	}
	return a.extendDocument(doc)
}

// documented is p's operation as the document shows it: with problem
// details when ProblemDetails answers the route's errors.
func (a *App) documented(p *routePlan) openapi.Operation {
	op := p.op
	op.ProblemDetails = handles(p.router, isProblemDetails)
	return op
}

// etagOf is a strong ETag for a served document.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}
