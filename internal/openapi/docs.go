package openapi

import (
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
	b, _ := marshal(s) // a string always marshals
	out := string(b)
	// marshal keeps "<", ">" and "&"; a "</script>" or "<!--" in the URL
	// must not end the script element.
	return strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(out)
}

// SwaggerUIHTML returns the Swagger UI page (served at /docs): FastAPI's
// page, with pinned, integrity-checked assets.
func SwaggerUIHTML(cfg DocsConfig) []byte {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="icon" href="data:,">
<link type="text/css" rel="stylesheet" href=`)
	b.WriteString(asset(cfg.SwaggerUIBaseURL, DefaultSwaggerUIBaseURL, "swagger-ui.css", swaggerUICSSSRI))
	b.WriteString(`>
<title>`)
	b.WriteString(html.EscapeString(cfg.title() + " - Swagger UI"))
	b.WriteString(`</title>
</head>
<body>
<div id="swagger-ui"></div>
<script src=`)
	b.WriteString(asset(cfg.SwaggerUIBaseURL, DefaultSwaggerUIBaseURL, "swagger-ui-bundle.js", swaggerUIBundleSRI))
	b.WriteString(`></script>
<script>
const ui = SwaggerUIBundle({
  url: `)
	b.WriteString(jsString(cfg.openAPIURL()))
	b.WriteString(`,
  "dom_id": "#swagger-ui",
  "layout": "BaseLayout",
  "deepLinking": true,
  "showExtensions": true,
  "showCommonExtensions": true,
  presets: [SwaggerUIBundle.presets.apis],
})
</script>
</body>
</html>
`)
	return []byte(b.String())
}

// RedocHTML returns the ReDoc page (served at /redoc): FastAPI's page, with
// a pinned, integrity-checked bundle and without Google Fonts (ReDoc falls
// back to the system's fonts, and the page works offline with local
// assets).
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
<redoc spec-url="`)
	b.WriteString(html.EscapeString(cfg.openAPIURL()))
	b.WriteString(`"></redoc>
<script src=`)
	b.WriteString(asset(cfg.RedocBaseURL, DefaultRedocBaseURL, "redoc.standalone.js", redocStandaloneSRI))
	b.WriteString(`></script>
</body>
</html>
`)
	return []byte(b.String())
}
