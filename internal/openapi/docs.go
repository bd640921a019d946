// The interactive docs pages: Swagger UI and ReDoc HTML, their pinned
// assets and the fallbacks when a CDN cannot be reached.

package openapi

import (
	_ "embed" // the OAuth2 redirect page's script
	"html"
	"strings"
)

// Pinned versions of the docs pages' assets. The pages load them from
// jsDelivr with subresource integrity, so a changed file is refused by the
// browser; bumping a version means recomputing the hashes below
// (.ci/openapi-lint.sh checks them against the npm packages).
const (
	SwaggerUIVersion = "5.35.0" // npm swagger-ui-dist
	RedocVersion     = "2.5.4"  // npm redoc

	// DefaultSwaggerUIBaseURL holds swagger-ui-bundle.js and swagger-ui.css.
	DefaultSwaggerUIBaseURL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@" + SwaggerUIVersion
	// DefaultRedocBaseURL holds redoc.standalone.js.
	DefaultRedocBaseURL = "https://cdn.jsdelivr.net/npm/redoc@" + RedocVersion + "/bundles"

	// DefaultOpenAPIURL is where the pages fetch the document when
	// DocsConfig.OpenAPIURL is empty.
	DefaultOpenAPIURL = "/openapi.json"

	swaggerUIBundleSRI = "sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9"
	swaggerUICSSSRI    = "sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I"
	redocStandaloneSRI = "sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5"

	// assetTimeoutMillis is how long a page waits for its script before it
	// shows why it is blank; a closed network often hangs rather than fails.
	assetTimeoutMillis = "10000"
)

// DocsConfig tells the docs pages what to show and where their assets are.
type DocsConfig struct {
	// Title is the API's title; the pages' titles are "<Title> - Swagger UI"
	// and "<Title> - ReDoc". Empty means DefaultTitle.
	Title string
	// OpenAPIURL is the URL of the OpenAPI document the page loads; empty
	// means DefaultOpenAPIURL.
	OpenAPIURL string
	// SwaggerUIBaseURL is the URL of a directory holding
	// swagger-ui-bundle.js and swagger-ui.css (from the npm package
	// swagger-ui-dist). Empty means DefaultSwaggerUIBaseURL, the pinned CDN
	// copy, loaded with subresource integrity; a custom URL is loaded
	// without (the files are the user's own).
	SwaggerUIBaseURL string
	// RedocBaseURL is the URL of a directory holding redoc.standalone.js
	// (from the npm package redoc, folder bundles/). Empty means
	// DefaultRedocBaseURL, with subresource integrity as above.
	RedocBaseURL string
	// OAuth2RedirectURL is the path of Swagger UI's OAuth2 redirect page
	// (OAuth2RedirectHTML); empty leaves oauth2RedirectUrl unset.
	OAuth2RedirectURL string
}

func (c DocsConfig) title() string {
	if c.Title == "" {
		return DefaultTitle
	}
	return c.Title
}

func (c DocsConfig) openAPIURL() string {
	if c.OpenAPIURL == "" {
		return DefaultOpenAPIURL
	}
	return c.OpenAPIURL
}

// asset is a <script src> or <link href> attribute set: the URL and, for the
// pinned CDN copy, its integrity.
func asset(base, def, file, sri string) string {
	attrs := ""
	if base == "" {
		base = def
		attrs = ` integrity="` + sri + `" crossorigin="anonymous"`
	}
	url := strings.TrimSuffix(base, "/") + "/" + file
	return `"` + html.EscapeString(url) + `"` + attrs
}

// jsString is s as a JavaScript string literal that is safe inside a
// <script> element.
func jsString(s string) string {
	b, _ := Marshal(s) // a string always marshals
	out := string(b)
	// marshal keeps "<", ">" and "&"; a "</script>" or "<!--" in the URL
	// must not end the script element.
	return strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(out)
}

// baseURL is where a page's assets come from, as the fallback message names
// it, and whether that is the pinned CDN copy.
func baseURL(base, def string) (string, bool) {
	if base == "" {
		return def, true
	}
	return base, false
}

// fallback is the hidden message a page shows when its script does not
// load (an error, or nothing after assetTimeoutMillis), so that a closed
// network gives a readable page instead of a blank one. what names the
// assets; global is the name the script defines, checked once it ran.
func fallback(b *strings.Builder, cfg DocsConfig, what, base string, cdn bool) {
	b.WriteString(`<div id="brisk-docs-fallback" role="alert" style="display:none;font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:3em auto;padding:0 1em;color:#222">
<h1 style="font-size:1.5em">The docs page could not load ` + what + `</h1>
<p>Its script did not load from <code>` + html.EscapeString(base) + `</code>.`)
	if cdn {
		b.WriteString(` This machine may have no internet access, or something blocks that address.</p>
<p>To serve the assets from the application itself, with no network needed, use the module
<code>github.com/briskgo/brisk/docsui</code>:</p>
<pre style="background:#f4f4f4;padding:.8em;overflow:auto">import "github.com/briskgo/brisk/docsui"

app := brisk.New(brisk.Config{DocsAssets: docsui.Assets})</pre>`)
	} else {
		b.WriteString(` Check that the server serves the files there.</p>`)
	}
	b.WriteString(`
<p>The OpenAPI document itself is at <a href="` + html.EscapeString(cfg.openAPIURL()) + `">` +
		html.EscapeString(cfg.openAPIURL()) + `</a>.</p>
</div>
<script>
function briskDocsFailed() { document.getElementById("brisk-docs-fallback").style.display = "block"; }
var briskDocsTimer = setTimeout(briskDocsFailed, ` + assetTimeoutMillis + `);
</script>
`)
}

// loaded is the start of the script that runs after the asset's: it stops
// the timer and, when global is defined, hides the message again (a slow
// network may load the script after the timer fired).
func loaded(b *strings.Builder, global string) {
	b.WriteString(`<script>
clearTimeout(briskDocsTimer);
if (typeof ` + global + ` === "undefined") {
  briskDocsFailed();
} else {
  document.getElementById("brisk-docs-fallback").style.display = "none";
`)
}

// SwaggerUIHTML returns the Swagger UI page (served at /docs): FastAPI's
// page, with pinned, integrity-checked assets, and a readable message when
// they cannot load.
func SwaggerUIHTML(cfg DocsConfig) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="icon" href="data:,">
`)
	// A stylesheet still loading blocks the scripts after it and the first
	// paint, so on a network that never answers the fallback message would
	// never show: it loads as "print" (not blocking) and applies on load.
	b.WriteString(`<link type="text/css" rel="stylesheet" media="print" onload="this.media='all'" href=`)
	b.WriteString(asset(cfg.SwaggerUIBaseURL, DefaultSwaggerUIBaseURL, "swagger-ui.css", swaggerUICSSSRI))
	b.WriteString(`>
<title>`)
	b.WriteString(html.EscapeString(cfg.title() + " - Swagger UI"))
	b.WriteString(`</title>
</head>
<body>
`)
	base, cdn := baseURL(cfg.SwaggerUIBaseURL, DefaultSwaggerUIBaseURL)
	fallback(&b, cfg, "Swagger UI", base, cdn)
	b.WriteString(`<div id="swagger-ui"></div>
<script src=`)
	b.WriteString(asset(cfg.SwaggerUIBaseURL, DefaultSwaggerUIBaseURL, "swagger-ui-bundle.js", swaggerUIBundleSRI))
	b.WriteString(` onerror="briskDocsFailed()"></script>
`)
	loaded(&b, "SwaggerUIBundle")
	b.WriteString(`const ui = SwaggerUIBundle({
  url: `)
	b.WriteString(jsString(cfg.openAPIURL()))
	b.WriteString(`,
  "dom_id": "#swagger-ui",
  "layout": "BaseLayout",
  "deepLinking": true,
  "showExtensions": true,
  "showCommonExtensions": true,
`)
	if cfg.OAuth2RedirectURL != "" {
		// Swagger UI wants an absolute URL; the page's origin is the app's.
		b.WriteString(`  oauth2RedirectUrl: window.location.origin + `)
		b.WriteString(jsString(cfg.OAuth2RedirectURL))
		b.WriteString(",\n")
	}
	b.WriteString(`  presets: [SwaggerUIBundle.presets.apis],
})
window.ui = ui
}
</script>
</body>
</html>
`)
	return []byte(b.String())
}

// RedocHTML returns the ReDoc page (served at /redoc): FastAPI's page, with
// a pinned, integrity-checked bundle, a readable message when it cannot
// load, and without Google Fonts (ReDoc falls back to the system's fonts,
// and the page works offline with local assets).
func RedocHTML(cfg DocsConfig) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<title>`)
	b.WriteString(html.EscapeString(cfg.title() + " - ReDoc"))
	b.WriteString(`</title>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  body {
    margin: 0;
    padding: 0;
  }
</style>
</head>
<body>
<noscript>
  ReDoc requires Javascript to function. Please enable it to browse the documentation.
</noscript>
`)
	base, cdn := baseURL(cfg.RedocBaseURL, DefaultRedocBaseURL)
	fallback(&b, cfg, "ReDoc", base, cdn)
	b.WriteString(`<redoc spec-url="`)
	b.WriteString(html.EscapeString(cfg.openAPIURL()))
	b.WriteString(`"></redoc>
<script src=`)
	b.WriteString(asset(cfg.RedocBaseURL, DefaultRedocBaseURL, "redoc.standalone.js", redocStandaloneSRI))
	b.WriteString(` onerror="briskDocsFailed()"></script>
`)
	loaded(&b, "Redoc")
	b.WriteString(`}
</script>
</body>
</html>
`)
	return []byte(b.String())
}

// oauth2RedirectJS is Swagger UI's oauth2-redirect.js from the pinned
// swagger-ui-dist (Apache-2.0, SmartBear Software; docsui/refresh.sh
// writes it): it hands the authorization server's answer back to the
// Swagger UI window that opened it.
//
//go:embed oauth2-redirect.js
var oauth2RedirectJS string

// OAuth2RedirectHTML returns Swagger UI's OAuth2 redirect page (served at
// /docs/oauth2-redirect), its script inline so that it needs no asset: the
// authorization server sends the browser here, on the app's own origin,
// whether the docs assets come from the CDN or the app.
func OAuth2RedirectHTML() []byte {
	return []byte(`<!doctype html>
<html lang="en-US">
<head>
<title>Swagger UI: OAuth2 Redirect</title>
</head>
<body>
<script>
` + strings.ReplaceAll(oauth2RedirectJS, "</", `<\/`) + `
</script>
</body>
</html>
`)
}
