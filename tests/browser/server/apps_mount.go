// An app mounted in another (App.Mount): its docs pages, with docsui's
// assets, work under the mount prefix.

package main

import (
	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/docsui"
)

func init() {
	register("docs-mounted", func() *brisk.App {
		parent := brisk.New()
		parent.Mount("/sub", itemsApp(brisk.Config{DocsAssets: docsui.Assets}))
		return parent
	})
}
