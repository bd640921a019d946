package docsui_test

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/docsui"
	"github.com/briskgo/brisk/internal/openapi"
)

// The embedded builds are the ones the core's CDN pages pin, so a page
// looks the same with either.
func TestVersionsMatchTheCore(t *testing.T) {
	if docsui.SwaggerUIVersion != openapi.SwaggerUIVersion || docsui.RedocVersion != openapi.RedocVersion {
		t.Fatalf("docsui has swagger-ui-dist %s and redoc %s, the core pins %s and %s: run docsui/refresh.sh",
			docsui.SwaggerUIVersion, docsui.RedocVersion, openapi.SwaggerUIVersion, openapi.RedocVersion)
	}
	b, err := fs.ReadFile(docsui.Assets, "VERSIONS")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"swagger-ui-dist " + docsui.SwaggerUIVersion + "\n", "redoc " + docsui.RedocVersion + " "} {
		if !strings.Contains(string(b), want) {
			t.Errorf("VERSIONS (written by refresh.sh) lacks %q:\n%s", want, b)
		}
	}
}

// Nothing the pages load reaches for a CDN: ReDoc's sidebar logo was the
// one such URL, replaced by refresh.sh.
func TestAssetsLoadNothingFromACDN(t *testing.T) {
	for _, name := range []string{"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"} {
		b, err := fs.ReadFile(docsui.Assets, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) < 100_000 {
			t.Errorf("%s is only %d bytes: not a bundle", name, len(b))
		}
		for _, cdn := range []string{"https://cdn.", "fonts.googleapis.com", "fonts.gstatic.com"} {
			if strings.Contains(string(b), cdn) {
				t.Errorf("%s loads from %s", name, cdn)
			}
		}
	}
	for _, name := range []string{"swagger-ui-dist.LICENSE", "swagger-ui-dist.NOTICE", "redoc.LICENSE",
		"swagger-ui-bundle.js.LICENSE.txt", "redoc.standalone.js.LICENSE.txt"} {
		if _, err := fs.Stat(docsui.Assets, name); err != nil {
			t.Errorf("license file missing: %v", err)
		}
	}
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// The one-line setup: the pages load the embedded files from the app, the
// files are served with their types and ETags, and the document has no
// operation for them.
func TestServedByTheApp(t *testing.T) {
	app := brisk.New(brisk.Config{DocsAssets: docsui.Assets})
	app.Get("/items/{id}", func(id int) map[string]int { return map[string]int{"id": id} })
	srv := httptest.NewServer(app)
	defer srv.Close()

	_, page := get(t, srv.URL+"/docs")
	for _, want := range []string{`onload="this.media='all'" href="/docs/assets/swagger-ui.css">`, `<script src="/docs/assets/swagger-ui-bundle.js" onerror=`} {
		if !strings.Contains(page, want) {
			t.Errorf("/docs lacks %s:\n%s", want, page)
		}
	}
	_, page = get(t, srv.URL+"/redoc")
	if !strings.Contains(page, `<script src="/docs/assets/redoc.standalone.js" onerror=`) {
		t.Errorf("/redoc does not load the local bundle:\n%s", page)
	}
	for _, p := range []string{"/docs", "/redoc"} {
		if _, page := get(t, srv.URL+p); strings.Contains(page, "cdn.") {
			t.Errorf("%s still loads from the CDN", p)
		}
	}

	for name, ctype := range map[string]string{
		"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
		"swagger-ui.css":       "text/css; charset=utf-8",
		"redoc.standalone.js":  "text/javascript; charset=utf-8",
	} {
		want, _ := fs.ReadFile(docsui.Assets, name)
		res, body := get(t, srv.URL+"/docs/assets/"+name)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != ctype || body != string(want) {
			t.Errorf("%s: %d %q, %d bytes; want 200 %q, %d bytes", name, res.StatusCode,
				res.Header.Get("Content-Type"), len(body), ctype, len(want))
		}
		etag := res.Header.Get("ETag")
		if again, _ := get(t, srv.URL+"/docs/assets/"+name, "If-None-Match", etag); etag == "" || again.StatusCode != 304 {
			t.Errorf("%s: revalidation with ETag %q gave %d, want 304", name, etag, again.StatusCode)
		}
	}

	_, doc := get(t, srv.URL+"/openapi.json")
	var d struct{ Paths map[string]any }
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Paths) != 1 || d.Paths["/items/{id}"] == nil {
		t.Errorf("the document's paths are %v, want only /items/{id}", d.Paths)
	}
}
