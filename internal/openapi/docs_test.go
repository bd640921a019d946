package openapi

import (
	"crypto/sha512"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func contains(t *testing.T, page []byte, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(string(page), w) {
			t.Errorf("page does not contain %s\n%s", w, page)
		}
	}
}

func TestSwaggerUIHTMLDefaults(t *testing.T) {
	page := SwaggerUIHTML(DocsConfig{})
	contains(t, page,
		`<!DOCTYPE html>`,
		`<link type="text/css" rel="stylesheet" media="print" onload="this.media='all'" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0/swagger-ui.css" integrity="sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I" crossorigin="anonymous">`,
		`<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0/swagger-ui-bundle.js" integrity="sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9" crossorigin="anonymous" onerror="briskDocsFailed()"></script>`,
		`<title>Brisk - Swagger UI</title>`,
		`<div id="swagger-ui"></div>`,
		"const ui = SwaggerUIBundle({\n  url: \"/openapi.json\",\n  \"dom_id\": \"#swagger-ui\",\n  \"layout\": \"BaseLayout\",\n  \"deepLinking\": true,\n  \"showExtensions\": true,\n  \"showCommonExtensions\": true,\n  presets: [SwaggerUIBundle.presets.apis],\n})",
	)
}

func TestSwaggerUIHTMLCustom(t *testing.T) {
	page := SwaggerUIHTML(DocsConfig{
		Title:            `Shop "<API>"`,
		OpenAPIURL:       `/api/v1/openapi.json?x=</script><script>alert(1)</script>`,
		SwaggerUIBaseURL: "/assets/swagger/",
	})
	contains(t, page,
		`<link type="text/css" rel="stylesheet" media="print" onload="this.media='all'" href="/assets/swagger/swagger-ui.css">`,
		`<script src="/assets/swagger/swagger-ui-bundle.js" onerror="briskDocsFailed()"></script>`,
		`<title>Shop &#34;&lt;API&gt;&#34; - Swagger UI</title>`,
		`url: "/api/v1/openapi.json?x=\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e",`,
	)
	if strings.Contains(string(page), "integrity") {
		t.Errorf("custom assets must load without integrity:\n%s", page)
	}
}

func TestRedocHTML(t *testing.T) {
	page := RedocHTML(DocsConfig{})
	contains(t, page,
		`<title>Brisk - ReDoc</title>`,
		`<redoc spec-url="/openapi.json"></redoc>`,
		`<script src="https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles/redoc.standalone.js" integrity="sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5" crossorigin="anonymous" onerror="briskDocsFailed()"></script>`,
	)
	if strings.Contains(string(page), "fonts.googleapis.com") {
		t.Error("the page must not load Google Fonts")
	}

	page = RedocHTML(DocsConfig{Title: "A&B", OpenAPIURL: `/o.json?a=1&b="2"`, RedocBaseURL: "https://cdn.example.com/redoc"})
	contains(t, page,
		`<title>A&amp;B - ReDoc</title>`,
		`<redoc spec-url="/o.json?a=1&amp;b=&#34;2&#34;"></redoc>`,
		`<script src="https://cdn.example.com/redoc/redoc.standalone.js" onerror="briskDocsFailed()"></script>`,
	)
	if strings.Contains(string(page), "integrity") {
		t.Errorf("custom assets must load without integrity:\n%s", page)
	}
}

// With BRISK_DOCS_ASSETS set to a directory holding the extracted npm
// packages (swagger-ui-dist/ and redoc/, as `npm pack` + tar leave them
// under package/), the pinned hashes are checked against the files.
// .ci/openapi-lint.sh does the same with openssl.
func TestDocsAssetIntegrity(t *testing.T) {
	dir := os.Getenv("BRISK_DOCS_ASSETS")
	if dir == "" {
		t.Skip("BRISK_DOCS_ASSETS not set")
	}
	for file, want := range map[string]string{
		"swagger-ui-dist/package/swagger-ui-bundle.js": swaggerUIBundleSRI,
		"swagger-ui-dist/package/swagger-ui.css":       swaggerUICSSSRI,
		"redoc/package/bundles/redoc.standalone.js":    redocStandaloneSRI,
		"swagger-ui-dist/package/oauth2-redirect.js":   oauth2RedirectSRI(),
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		noErr(t, err)
		sum := sha512.Sum384(b)
		equal(t, "sha384-"+base64.StdEncoding.EncodeToString(sum[:]), want, file)
	}
}

// oauth2RedirectSRI is the hash of the embedded redirect script, so that
// TestDocsAssetIntegrity compares it with the package's file too.
func oauth2RedirectSRI() string {
	sum := sha512.Sum384([]byte(oauth2RedirectJS))
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}

// Both pages carry the hidden fallback message and show it when their
// script fails (onerror), when it has not run after the timeout, or when
// the global it defines is missing; the browser check in
// tests/browser/checks/docs.mjs proves it in Chromium.
func TestDocsPagesFallback(t *testing.T) {
	for name, page := range map[string][]byte{
		"swagger": SwaggerUIHTML(DocsConfig{}),
		"redoc":   RedocHTML(DocsConfig{}),
	} {
		contains(t, page,
			`<div id="brisk-docs-fallback" role="alert" style="display:none;`,
			`onerror="briskDocsFailed()"`,
			`var briskDocsTimer = setTimeout(briskDocsFailed, 10000);`,
			"clearTimeout(briskDocsTimer);",
			"This machine may have no internet access",
			"app := brisk.New(brisk.Config{DocsAssets: docsui.Assets})",
			`<a href="/openapi.json">/openapi.json</a>`,
		)
		// The message comes before the script, so the timer can show it
		// while the script's request still hangs.
		s := string(page)
		if strings.Index(s, "brisk-docs-fallback") > strings.Index(s, "<script src=") {
			t.Errorf("%s: the fallback message must precede the asset's script", name)
		}
	}
	contains(t, SwaggerUIHTML(DocsConfig{}), "The docs page could not load Swagger UI",
		"https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0</code>", `if (typeof SwaggerUIBundle === "undefined")`)
	contains(t, RedocHTML(DocsConfig{}), "The docs page could not load ReDoc",
		"https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles</code>", `if (typeof Redoc === "undefined")`)

	// Own assets: the message names them and has no docsui hint.
	page := SwaggerUIHTML(DocsConfig{SwaggerUIBaseURL: "/static/<x>", OpenAPIURL: "/o.json?a&b"})
	contains(t, page, "<code>/static/&lt;x&gt;</code>", "Check that the server serves the files there.",
		`<a href="/o.json?a&amp;b">/o.json?a&amp;b</a>`)
	if strings.Contains(string(page), "docsui") {
		t.Errorf("a page with its own assets must not suggest docsui:\n%s", page)
	}
}

func TestSwaggerUIOAuth2RedirectURL(t *testing.T) {
	if strings.Contains(string(SwaggerUIHTML(DocsConfig{})), "oauth2RedirectUrl") {
		t.Error("no redirect URL configured, yet the page sets oauth2RedirectUrl")
	}
	page := SwaggerUIHTML(DocsConfig{OAuth2RedirectURL: "/docs/oauth2-redirect?</script>"})
	contains(t, page, "  oauth2RedirectUrl: window.location.origin + \"/docs/oauth2-redirect?\\u003c/script\\u003e\",\n  presets:")
}

func TestOAuth2RedirectHTML(t *testing.T) {
	page := OAuth2RedirectHTML()
	contains(t, page, "<title>Swagger UI: OAuth2 Redirect</title>", "window.opener.swaggerUIRedirectOauth2",
		"window.close()", "</script>\n</body>")
	if strings.Count(string(page), "</script>") != 1 || strings.Contains(string(page), " src=") {
		t.Errorf("the redirect page must be one inline script, loading nothing:\n%s", page)
	}
}
