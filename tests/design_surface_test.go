package tests

// The public surface DESIGN.md fixes, checked by the compiler: each line
// names an export with the exact type the design gives it, so renaming or
// re-typing one breaks this file's build before any user's.

import (
	"context"
	"iter"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"testing"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/background"
	"github.com/briskgo/brisk/middleware"
)

func TestDesignSurface(t *testing.T) {
	// Part one.
	var (
		_ func(...brisk.Config) *brisk.App                                        = brisk.New
		_ http.Handler                                                            = (*brisk.App)(nil)
		_ func(*brisk.App, string, any, ...brisk.RouteOption)                     = (*brisk.App).Get
		_ func(*brisk.App, string, any, ...brisk.RouteOption)                     = (*brisk.App).Post
		_ func(*brisk.App, string, any, ...brisk.RouteOption)                     = (*brisk.App).Put
		_ func(*brisk.App, string, any, ...brisk.RouteOption)                     = (*brisk.App).Patch
		_ func(*brisk.App, string, any, ...brisk.RouteOption)                     = (*brisk.App).Delete
		_ func(*brisk.App, string, any, ...brisk.RouteOption)                     = (*brisk.App).Head
		_ func(*brisk.App, string, any, ...brisk.RouteOption)                     = (*brisk.App).Options
		_ func(*brisk.App, string, string, any, ...brisk.RouteOption)             = (*brisk.App).Handle
		_ func(*brisk.App, string, ...brisk.RouteOption) *brisk.Router            = (*brisk.App).Group
		_ func(*brisk.App, ...any)                                                = (*brisk.App).Provide
		_ func(*brisk.App, ...any)                                                = (*brisk.App).Override
		_ func(*brisk.App, ...func(http.Handler) http.Handler)                    = (*brisk.App).Use
		_ func(*brisk.App, brisk.MiddlewareFunc)                                  = (*brisk.App).Middleware
		_ brisk.MiddlewareFunc                                                    = func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) }
		_ func(*brisk.Response) http.Header                                       = (*brisk.Response).Header
		_ func(*brisk.Response) int                                               = (*brisk.Response).StatusCode
		_ func(*brisk.Response, int)                                              = (*brisk.Response).SetStatusCode
		_ func(int, any) *brisk.Response                                          = brisk.JSON
		_ func(int, string) *brisk.Response                                       = brisk.Text
		_ *background.Tasks                                                       = (*brisk.BackgroundTasks)(nil)
		_ func(int, any) *brisk.HTTPError                                         = brisk.Error
		_ error                                                                   = (*brisk.HTTPError)(nil)
		_ func(...any) brisk.RouteOption                                          = brisk.Dependencies
		_ func(int) brisk.RouteOption                                             = brisk.Status
		_ func(string) brisk.RouteOption                                          = brisk.Summary
		_ func(string) brisk.RouteOption                                          = brisk.Description
		_ func(...string) brisk.RouteOption                                       = brisk.Tags
		_ func(string) brisk.RouteOption                                          = brisk.OperationID
		_ func() brisk.RouteOption                                                = brisk.Deprecated
		_ func(*brisk.App, ...string) error                                       = (*brisk.App).Run
		_ func(*brisk.App, context.Context) error                                 = (*brisk.App).Shutdown
		_ func(*background.Tasks, any, ...any)                                    = (*background.Tasks).AddTask
		_ func(*background.Tasks, func(context.Context) error)                    = (*background.Tasks).Add
		_ func(...middleware.GZipConfig) func(http.Handler) http.Handler          = middleware.GZip
		_ func(middleware.TrustedHostConfig) func(http.Handler) http.Handler      = middleware.TrustedHost
		_ func(...middleware.HTTPSRedirectConfig) func(http.Handler) http.Handler = middleware.HTTPSRedirect
		_ func(middleware.CORSConfig) func(http.Handler) http.Handler             = middleware.CORS
	)
	_ = middleware.GZipConfig{MinimumSize: 1, CompressLevel: 5}
	_ = middleware.TrustedHostConfig{AllowedHosts: []string{"*"}}
	_ = middleware.CORSConfig{AllowOrigins: nil, AllowOriginRegex: "", AllowMethods: nil, AllowHeaders: nil,
		AllowCredentials: false, ExposeHeaders: nil, MaxAge: 0}
	r := (*brisk.Router)(nil)
	_ = []any{r.Get, r.Post, r.Put, r.Patch, r.Delete, r.Head, r.Options, r.Handle, r.Group, r.Use, r.Middleware, r.Provide}

	// Part two.
	var (
		_ func(int64) brisk.RouteOption                          = brisk.MaxBodyBytes
		_ func(*brisk.App, any)                                  = (*brisk.App).HandleError
		_ func(*brisk.Router, any)                               = (*brisk.Router).HandleError
		_ func() brisk.RouteOption                               = brisk.EventStream
		_ func(*brisk.App, string, any, ...brisk.RouteOption)    = (*brisk.App).WebSocket
		_ func(*brisk.Router, string, any, ...brisk.RouteOption) = (*brisk.Router).WebSocket
		_ func(*brisk.WebSocket, any) error                      = (*brisk.WebSocket).ReadJSON
		_ func(*brisk.WebSocket, any) error                      = (*brisk.WebSocket).WriteJSON
		_ func(*brisk.WebSocket) (string, error)                 = (*brisk.WebSocket).ReadText
		_ func(*brisk.WebSocket, string) error                   = (*brisk.WebSocket).WriteText
		_ func(*brisk.WebSocket, int, string) error              = (*brisk.WebSocket).Close
		_ func() brisk.RouteOption                               = brisk.Hidden
		_ func(*brisk.App, string, http.Handler)                 = (*brisk.App).Mount
		_ func(*brisk.App, func(context.Context) error)          = (*brisk.App).OnShutdown
		_ error                                                  = (*brisk.ValidationError)(nil)
		_ func(*brisk.UploadFile) string                         = (*brisk.UploadFile).ContentType
		_ func(*brisk.UploadFile) (multipart.File, error)        = (*brisk.UploadFile).Open
		_ func(*brisk.App, string, any, ...brisk.RouteOption)    = (*brisk.App).Get
		_ iter.Seq[int]                                          = nil
	)
	ws := (*brisk.WebSocket)(nil)
	_ = ws.Context
	_ = brisk.Config{RootPath: "/api"}
	u := brisk.UploadFile{Filename: "a.txt", Size: 1, Header: textproto.MIMEHeader{}}
	_ = u
	ve := brisk.ValidationError{Errors: []brisk.ErrorDetail{{Type: "missing", Loc: []any{"query", "q"}, Msg: "Field required", Input: nil, Ctx: map[string]any{}}}}
	_ = ve
	_ = brisk.ServerSentEvent{Event: "e", ID: "1", Data: 1}
}
