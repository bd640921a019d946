// The OpenAPI document's metadata and shape: contact, license, servers, tag
// descriptions and external docs (Config fields), Hidden routes, webhooks,
// and ExtendOpenAPI, the hook that edits the built document.

package brisk

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/briskgo/brisk/internal/funcname"
	"github.com/briskgo/brisk/internal/openapi"
)

// Contact is the document's info.contact (Config.Contact).
type Contact struct {
	Name  string
	URL   string
	Email string
}

// License is the document's info.license (Config.License): a name, and an
// SPDX identifier ("MIT") or a URL, not both.
type License struct {
	Name       string
	Identifier string
	URL        string
}

// Server is one entry of the document's servers (Config.Servers): a base
// URL the API is reachable at, absolute or relative to the document.
type Server struct {
	URL         string
	Description string
}

// Tag describes one of the tags routes use (Config.Tags, FastAPI's
// openapi_tags): the order of Config.Tags is the order the docs pages show
// the tags in.
type Tag struct {
	Name         string
	Description  string // Markdown
	ExternalDocs *ExternalDocs
}

// ExternalDocs points to documentation elsewhere (Config.ExternalDocs, or a
// Tag's).
type ExternalDocs struct {
	Description string
	URL         string
}

// Hidden leaves the route out of the OpenAPI document (FastAPI's
// include_in_schema=False). It is served as usual.
func Hidden() RouteOption { return func(o *routeOptions) { o.hidden = true } }

// Webhook documents a request the API sends to its users (an OpenAPI 3.1
// webhook, FastAPI's app.webhooks): name is the event ("new-subscription"),
// method the request's method, and handler a func whose parameters
// describe the request as a route handler's do (a JSON body, header
// models) and whose results describe the answer the API expects. The
// handler is compiled as a route's is, but never served: nothing is routed.
// Route options (Summary, Description, Tags, Responses, …) apply.
func (a *App) Webhook(method, name string, handler any, opts ...RouteOption) {
	a.mustNotBeServing("Webhook")
	if name == "" {
		panic(fmt.Sprintf("brisk: Webhook(%q, %q, %s): the webhook needs a name", method, name, funcname.WithLine(handler)))
	}
	method = strings.ToUpper(method)
	checkMethod(method, name)
	var o routeOptions
	for _, opt := range opts {
		opt(&o)
	}
	p := compileRoute(a, a.root, method, name, handler, &o)
	p.op.Webhook = true
	a.webhooks = append(a.webhooks, webhook{plan: p, opts: o})
}

// webhook is a documented webhook.
type webhook struct {
	plan *routePlan
	opts routeOptions
}

// ExtendOpenAPI registers fn to edit the OpenAPI document once it is
// built, for what Brisk cannot express (vendor extensions, a logo for
// ReDoc, links): doc is the document as JSON decodes it, and fn changes it
// in place. Hooks run in registration order, once, when the document is
// first served; an error from one is logged and the document answers 500.
// The edited document's objects are written with their keys sorted.
func (a *App) ExtendOpenAPI(fn func(doc map[string]any) error) {
	a.mustNotBeServing("ExtendOpenAPI")
	if fn == nil {
		panic("brisk: ExtendOpenAPI(nil)")
	}
	a.docHooks = append(a.docHooks, fn)
}

// docInfo is what the document says about the API as a whole.
func (c *Config) docInfo() openapi.Info {
	info := openapi.Info{
		Title: c.Title, Version: c.Version, Description: c.Description,
		Summary: c.Summary, TermsOfService: c.TermsOfService,
		ExternalDocs: externalDocs(c.ExternalDocs),
	}
	if c.Contact != nil {
		info.Contact = &openapi.Contact{Name: c.Contact.Name, URL: c.Contact.URL, Email: c.Contact.Email}
	}
	if c.License != nil {
		info.License = &openapi.License{Name: c.License.Name, Identifier: c.License.Identifier, URL: c.License.URL}
	}
	for _, s := range c.Servers {
		info.Servers = append(info.Servers, openapi.Server{URL: s.URL, Description: s.Description})
	}
	for _, t := range c.Tags {
		info.Tags = append(info.Tags, openapi.Tag{Name: t.Name, Description: t.Description, ExternalDocs: externalDocs(t.ExternalDocs)})
	}
	return info
}

func externalDocs(d *ExternalDocs) *openapi.ExternalDocs {
	if d == nil {
		return nil
	}
	return &openapi.ExternalDocs{Description: d.Description, URL: d.URL}
}

// extendDocument runs the ExtendOpenAPI hooks on doc.
func (a *App) extendDocument(doc []byte) ([]byte, error) {
	if len(a.docHooks) == 0 {
		return doc, nil
	}
	var m map[string]any
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, err
	}
	for _, fn := range a.docHooks {
		if err := fn(m); err != nil {
			return nil, fmt.Errorf("ExtendOpenAPI hook %s: %w", funcname.WithLine(fn), err)
		}
	}
	return openapi.Marshal(m)
}
