// Config, the App's settings, and their defaults.

package brisk

import (
	"fmt"
	"io/fs"
	"log/slog"
	"time"
)

// Config configures an App. Its zero value means the documented defaults.
type Config struct {
	// Title, Version and Description fill the OpenAPI document's info
	// (defaults "Brisk", "0.1.0", "").
	Title       string
	Version     string
	Description string

	// The rest of the document's metadata (FastAPI's arguments of the same
	// names): info's summary, terms of service (a URL), contact and
	// license; the servers the API is reachable at; descriptions of the
	// tags routes use, in the order the docs pages show them; a link to
	// documentation elsewhere. See docs/openapi.md.
	Summary        string
	TermsOfService string
	Contact        *Contact
	License        *License
	Servers        []Server
	Tags           []Tag
	ExternalDocs   *ExternalDocs

	// RootPath is the path prefix a proxy in front of the app strips from
	// requests ("/api/v1"): routes are matched without it, while the
	// OpenAPI document lists it as its first server, the docs pages fetch
	// the document and their assets under it, and redirects keep it. See
	// docs/deployment.md.
	RootPath string
	// NoRootPathInServers keeps the root path out of the document's
	// servers (FastAPI's root_path_in_servers=False).
	NoRootPathInServers bool
	// TrustForwardedPrefix takes the root path of each request from its
	// X-Forwarded-Prefix header when it has one (a proxy that sets it and
	// strips that prefix). Off by default: only turn it on when every
	// request comes through such a proxy, since clients can send the
	// header themselves.
	TrustForwardedPrefix bool

	// OpenAPIURL, DocsURL and RedocURL are where the OpenAPI document, the
	// Swagger UI page and the ReDoc page are served (defaults
	// "/openapi.json", "/docs", "/redoc"); "-" turns one off. Without the
	// document, the pages are off too.
	OpenAPIURL string
	DocsURL    string
	RedocURL   string
	// SwaggerUIBaseURL and RedocBaseURL replace the pinned CDN the docs
	// pages load their assets from, for offline deployments.
	SwaggerUIBaseURL string
	RedocBaseURL     string
	// DocsAssets, when set, holds the docs pages' assets, which the app
	// then serves itself, so that /docs and /redoc work with no network.
	// The module github.com/briskgo/brisk/docsui has the pinned builds:
	// Config{DocsAssets: docsui.Assets}. The files in its root are served
	// at DocsURL+"/assets/" (RedocURL+"/assets/" when DocsURL is off),
	// outside the OpenAPI document; SwaggerUIBaseURL and RedocBaseURL, when
	// set, still win. It must hold swagger-ui-bundle.js, swagger-ui.css and
	// redoc.standalone.js (New panics otherwise).
	DocsAssets fs.FS
	// SwaggerUIOAuth2RedirectURL is where Swagger UI's OAuth2 redirect page
	// is served, the page an authorization server sends the browser back
	// to after "Authorize" (default "/docs/oauth2-redirect"; "-" turns it
	// off). It is served with the Swagger UI page, which names it as its
	// oauth2RedirectUrl.
	SwaggerUIOAuth2RedirectURL string

	// Logger receives Brisk's logs: panics, unexpected errors, failing
	// background tasks, startup and shutdown (default slog.Default()).
	Logger *slog.Logger

	// MaxBodyBytes caps request bodies of every kind Brisk reads (JSON,
	// urlencoded and multipart forms); larger bodies get 413 (default 1 MiB;
	// negative: no limit). The route option MaxBodyBytes overrides it.
	MaxBodyBytes int64

	// Forms bounds what form bodies may hold (see FormLimits).
	Forms FormLimits

	// ShutdownTimeout bounds how long Run waits, on SIGINT or SIGTERM, for
	// in-flight requests and background tasks (default 30s).
	ShutdownTimeout time.Duration

	// MaxConcurrentTasks bounds how many requests' background tasks run at
	// once; more are queued, never dropped (default: background's).
	MaxConcurrentTasks int

	// TaskTimeout bounds each background task: its context ends after
	// TaskTimeout, and a task still running a moment later is abandoned
	// (logged, left running) so that the tasks after it go on (default 0:
	// none; a task that never returns then holds one of the
	// MaxConcurrentTasks workers for good, while the others go on). See
	// background.RunnerConfig.TaskTimeout.
	TaskTimeout time.Duration

	// ReadHeaderTimeout and IdleTimeout configure the server Run starts
	// (defaults 10s and 120s).
	ReadHeaderTimeout time.Duration
	IdleTimeout       time.Duration

	// ReadBodyTimeout is the longest a request body read may wait for the
	// client to send data, on the server Run starts (default 20s; negative:
	// none). It is a deadline per read, moved forward as data arrives, so
	// an upload of any length passes while data keeps coming.
	ReadBodyTimeout time.Duration
	// MinReadBodyRate is the slowest a request body may arrive, in bytes
	// per second on average over the time spent waiting for it, after a
	// first ReadBodyTimeout of grace (default 1024; negative: none). Time
	// the handler spends between reads does not count.
	MinReadBodyRate int64
	// WriteTimeout is the longest a write to the client may block, on the
	// server Run starts (default 20s; negative: none). Unlike
	// http.Server.WriteTimeout it bounds each write of up to 64 KiB and
	// each flush, not the whole response, so streams and server-sent
	// events go on for as long as the client reads them, and a client
	// that stops reading is cut off.
	WriteTimeout time.Duration

	// DisableRedirectSlashes turns off redirecting "/items/" to "/items" (or
	// back) when only the other form is routed, which is on by default as in
	// FastAPI.
	DisableRedirectSlashes bool
}

// withDefaults returns c with its zero fields set to the documented
// defaults.
func (c Config) withDefaults() Config {
	if c.Title == "" {
		c.Title = "Brisk"
	}
	if c.Version == "" {
		c.Version = "0.1.0"
	}
	c.OpenAPIURL = defaultURL(c.OpenAPIURL, "/openapi.json")
	c.DocsURL = defaultURL(c.DocsURL, "/docs")
	c.RedocURL = defaultURL(c.RedocURL, "/redoc")
	c.SwaggerUIOAuth2RedirectURL = defaultURL(c.SwaggerUIOAuth2RedirectURL, "/docs/oauth2-redirect")
	if root := cleanRootPath(c.RootPath); root != "" || c.RootPath == "" || c.RootPath == "/" {
		c.RootPath = root
	} else {
		panic(fmt.Sprintf("brisk: Config.RootPath %q: want a path such as \"/api/v1\"", c.RootPath))
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = 1 << 20
	}
	c.Forms = c.Forms.withDefaults()
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
	if c.ReadHeaderTimeout <= 0 {
		c.ReadHeaderTimeout = 10 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 120 * time.Second
	}
	c.ReadBodyTimeout = defaultDuration(c.ReadBodyTimeout, 20*time.Second)
	c.WriteTimeout = defaultDuration(c.WriteTimeout, 20*time.Second)
	if c.MinReadBodyRate == 0 {
		c.MinReadBodyRate = 1024
	}
	return c
}

// defaultDuration is d, or def when d is 0; a negative d (off) stays.
func defaultDuration(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func defaultURL(u, def string) string {
	switch u {
	case "":
		return def
	case "-":
		return ""
	}
	return u
}
