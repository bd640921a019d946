// The forms and files checks' app: a multipart route with a file and a
// text field, for Swagger UI's "Try it out" upload.

package main

import (
	"io"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/docsui"
)

func init() {
	register("upload", func() *brisk.App {
		app := brisk.New(brisk.Config{Title: "Upload check", DocsAssets: docsui.Assets})
		app.Post("/files", func(in struct {
			File brisk.UploadFile `form:"file"`
			Note string           `form:"note" default:""`
		}) (map[string]any, error) {
			rd, err := in.File.Open()
			if err != nil {
				return nil, err
			}
			b, err := io.ReadAll(rd)
			if err != nil {
				return nil, err
			}
			return map[string]any{"filename": in.File.Filename, "size": in.File.Size,
				"content_type": in.File.ContentType(), "content": string(b), "note": in.Note}, nil
		}, brisk.Summary("Upload a file"), brisk.OperationID("upload_file"))
		return app
	})
}
