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
		`<link type="text/css" rel="stylesheet" href="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0/swagger-ui.css" integrity="sha384-WlYgdmXYOOBWL5apwjDEZwN+U3HmXSSu5R6V5aGxEcf7z+KuRNwBhoxKVN1i3D5I" crossorigin="anonymous">`,
		`<script src="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.35.0/swagger-ui-bundle.js" integrity="sha384-gjRm0bEPMeTmMh5jT2cHccIwCUZSTd8YC+j0d0sXw0MdGEfScduGpSyF3ZSSLkX9" crossorigin="anonymous"></script>`,
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
		`<link type="text/css" rel="stylesheet" href="/assets/swagger/swagger-ui.css">`,
		`<script src="/assets/swagger/swagger-ui-bundle.js"></script>`,
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
		`<script src="https://cdn.jsdelivr.net/npm/redoc@2.5.4/bundles/redoc.standalone.js" integrity="sha384-w447zOpYfw/1Tv/5AK9NfHTlQIqE3RVR6KY62jCyy9zNDgO64cMwGGP1Fj0zJVf5" crossorigin="anonymous"></script>`,
	)
	if strings.Contains(string(page), "fonts.googleapis.com") {
		t.Error("the page must not load Google Fonts")
	}

	page = RedocHTML(DocsConfig{Title: "A&B", OpenAPIURL: `/o.json?a=1&b="2"`, RedocBaseURL: "https://cdn.example.com/redoc"})
	contains(t, page,
		`<title>A&amp;B - ReDoc</title>`,
		`<redoc spec-url="/o.json?a=1&amp;b=&#34;2&#34;"></redoc>`,
		`<script src="https://cdn.example.com/redoc/redoc.standalone.js"></script>`,
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
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		noErr(t, err)
		sum := sha512.Sum384(b)
		equal(t, "sha384-"+base64.StdEncoding.EncodeToString(sum[:]), want, file)
	}
}
