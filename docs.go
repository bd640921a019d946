// The documentation routes: the OpenAPI document (built once, with an
// ETag), the Swagger UI and ReDoc pages and Swagger UI's OAuth2 redirect
// page.

package brisk

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"

	"github.com/briskgo/brisk/internal/openapi"
)

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
	if base := a.addDocsAssets(); base != "" {
		if docs.SwaggerUIBaseURL == "" {
			docs.SwaggerUIBaseURL = base
		}
		if docs.RedocBaseURL == "" {
			docs.RedocBaseURL = base
		}
	}
	if a.cfg.DocsURL != "" {
		if a.cfg.SwaggerUIOAuth2RedirectURL != "" {
			docs.OAuth2RedirectURL = a.cfg.SwaggerUIOAuth2RedirectURL
			a.addRaw(a.cfg.SwaggerUIOAuth2RedirectURL, htmlPage(openapi.OAuth2RedirectHTML()))
		}
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
	rt := &route{router: a.root, method: http.MethodGet, pattern: pattern, raw: h, handler: h}
	rt.chain = rt
	a.insert(rt)
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
		a.cfg.Logger.Error("brisk: building the OpenAPI document", slog.Any("error", err))
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
