// The docs pages' apps: one loading Swagger UI and ReDoc from the binary
// (docsui), one from the default CDN (which the checks keep offline).

package main

import (
	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/docsui"
)

func init() {
	register("docs-local", func() *brisk.App { return itemsApp(brisk.Config{DocsAssets: docsui.Assets}) })
	register("docs-cdn", func() *brisk.App { return itemsApp(brisk.Config{}) })
}

// Item is what GET /items/{item_id} answers.
type Item struct {
	ItemID int    `json:"item_id"`
	Q      string `json:"q,omitempty"`
}

// itemsApp has one GET route for Swagger UI's "Try it out".
func itemsApp(cfg brisk.Config) *brisk.App {
	cfg.Title = "Browser check"
	app := brisk.New(cfg)
	app.Get("/items/{item_id}", func(itemID int, in struct {
		Q string `query:"q" default:""`
	}) Item {
		return Item{ItemID: itemID, Q: in.Q}
	}, brisk.Summary("Read an item"), brisk.Tags("items"), brisk.OperationID("read_item"))
	return app
}
