// The docs pages' assets served by the app itself (Config.DocsAssets), so
// that /docs and /redoc need no network: one route per file, each with an
// ETag, none in the OpenAPI document.

package brisk

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// docsAssetFiles are the files the docs pages load from their base URL.
var docsAssetFiles = []string{"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"}

// checkDocsAssets panics, at New, when fsys lacks a file the pages load.
func checkDocsAssets(fsys fs.FS) {
	if fsys == nil {
		return
	}
	for _, name := range docsAssetFiles {
		if st, err := fs.Stat(fsys, name); err != nil || !st.Mode().IsRegular() {
			panic(fmt.Sprintf("brisk: Config.DocsAssets has no file %s in its root; use docsui.Assets (module github.com/briskgo/brisk/docsui)", name))
		}
	}
}

// docsAssetsURL is the path the assets are served under: beside the
// Swagger UI page, or the ReDoc page when that one is off.
func (a *App) docsAssetsURL() string {
	page := a.cfg.DocsURL
	if page == "" {
		page = a.cfg.RedocURL
	}
	if page == "" {
		return ""
	}
	return strings.TrimSuffix(page, "/") + "/assets"
}

// addDocsAssets routes every regular file in Config.DocsAssets' root (but
// names with chi's pattern characters) and
// returns the base URL the pages load them from ("" when there is none).
func (a *App) addDocsAssets() string {
	fsys := a.cfg.DocsAssets
	base := a.docsAssetsURL()
	if fsys == nil || base == "" {
		return ""
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		panic(fmt.Sprintf("brisk: reading Config.DocsAssets: %v", err))
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.ContainsAny(e.Name(), "{}*") {
			continue // a folder, or a name chi would read as a pattern
		}
		etag, err := fileETag(fsys, e.Name())
		if err != nil {
			panic(fmt.Sprintf("brisk: reading Config.DocsAssets: %v", err))
		}
		a.addRaw(base+"/"+e.Name(), docsAsset{fsys: fsys, name: e.Name(), etag: etag})
	}
	return base
}

// fileETag is a strong ETag from the file's content: a new build of the
// assets (a docsui upgrade) is fetched again, an unchanged one answers 304.
func fileETag(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`, nil
}

// docsAsset serves one file of Config.DocsAssets. The browser revalidates
// it on each load (no-cache) and gets 304 while the ETag matches.
type docsAsset struct {
	fsys fs.FS
	name string
	etag string
}

func (d docsAsset) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	content, closeFile, err := d.open()
	if err != nil { // the file was readable at startup: the FS broke
		writeStatus(w, newEncoder(), http.StatusInternalServerError)
		return
	}
	defer closeFile()
	h := w.Header()
	h.Set("ETag", d.etag)
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, d.name, time.Time{}, content)
}

// open opens the file for http.ServeContent, which needs to seek.
func (d docsAsset) open() (io.ReadSeeker, func() error, error) {
	f, err := d.fsys.Open(d.name)
	if err != nil {
		return nil, nil, err
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		return rs, f.Close, nil
	}
	defer f.Close()
	b, err := io.ReadAll(f) // an fs.FS whose files cannot seek: serve a copy
	if err != nil {
		return nil, nil, err
	}
	return bytes.NewReader(b), func() error { return nil }, nil
}
