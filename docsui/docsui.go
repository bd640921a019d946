// Package docsui holds pinned builds of Swagger UI and ReDoc, embedded, so
// that a Brisk app serves its docs pages' assets itself and /docs and
// /redoc work on a machine with no internet:
//
//	app := brisk.New(brisk.Config{DocsAssets: docsui.Assets})
//
// It is a module of its own (github.com/briskgo/brisk/docsui) so that apps
// that load the assets from the CDN do not carry the ~3 MB of JavaScript.
//
// The files are the npm packages' (swagger-ui-dist's swagger-ui-bundle.js
// and swagger-ui.css, redoc's bundles/redoc.standalone.js), with their
// licenses, at the versions the core pins for its CDN copies; ReDoc's
// bundle has one change: the sidebar's logo, which it fetches from ReDoc's
// CDN, is an empty data: URL (the image then hides itself). refresh.sh in
// this folder fetches them anew.
package docsui

import (
	"embed"
	"io/fs"
)

// The versions of the embedded builds (npm swagger-ui-dist and redoc).
const (
	SwaggerUIVersion = "5.35.0"
	RedocVersion     = "2.5.4"
)

//go:embed assets
var files embed.FS

// Assets holds swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js and
// their licenses in its root: give it to brisk.Config.DocsAssets.
var Assets fs.FS = mustSub(files, "assets")

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // dir is a constant embedded above
	}
	return sub
}
