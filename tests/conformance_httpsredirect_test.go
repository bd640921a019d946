package tests

// End-to-end ports of Starlette's tests/middleware/test_https_redirect.py
// (github.com/Kludex/starlette), through a Brisk app: the one home of that
// suite. middleware/httpsredirect_test.go drives the middleware alone.

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

func httpsRedirectApp(t *testing.T) *brisk.App {
	t.Helper()
	app, _ := quietApp()
	app.Use(middleware.HTTPSRedirect())
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "OK") })
	app.Post("/items", func(it map[string]any) map[string]any { return it })
	return app
}

// Starlette tests/middleware/test_https_redirect.py::test_https_redirect_middleware
func TestStarletteHTTPSRedirectMiddleware(t *testing.T) {
	secure := serveTLS(t, httpsRedirectApp(t))
	res := send(t, secure, request{Path: "/", Host: "testserver"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)

	srv := serve(t, httpsRedirectApp(t))
	for host, location := range map[string]string{
		"testserver":        "https://testserver/",
		"testserver:80":     "https://testserver/",
		"testserver:443":    "https://testserver/",
		"testserver:123":    "https://testserver:123/",
		"testserver:000080": "https://testserver/",
	} {
		res := send(t, srv, request{Path: "/", Host: host})
		assert.Equal(t, 307, res.Status, host)
		assert.Equal(t, location, res.Header.Get("Location"), host)
	}

	// Unknown routes are redirected too: the middleware runs before routing.
	res = send(t, srv, request{Path: "/nowhere", Host: "testserver"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "https://testserver/nowhere", res.Header.Get("Location"))

	// Path and query are kept exactly; 307 keeps the method.
	res = send(t, srv, request{Method: "POST", Path: "/a%2Fb?x=%26&y=1", Host: "testserver:8080", Body: `{}`})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "https://testserver:8080/a%2Fb?x=%26&y=1", res.Header.Get("Location"))
}

// Starlette tests/middleware/test_https_redirect.py::test_https_redirect_middleware_ipv6_default_port
func TestStarletteHTTPSRedirectMiddlewareIPv6DefaultPort(t *testing.T) {
	srv := serve(t, httpsRedirectApp(t))
	for _, port := range []string{"80", "443"} {
		res := send(t, srv, request{Raw: true, Path: "/", Host: "[::1]:" + port})
		assert.Equal(t, 307, res.Status, port)
		assert.Equal(t, "https://[::1]/", res.Header.Get("Location"), port)
	}
	res := send(t, srv, request{Raw: true, Path: "/", Host: "[::1]:8443"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "https://[::1]:8443/", res.Header.Get("Location"))
}

// Starlette tests/middleware/test_https_redirect.py::test_https_redirect_middleware_without_server
// Brisk always answers a malformed Host as Starlette does when it has no
// server address to fall back to (docs/middleware.md).
func TestStarletteHTTPSRedirectMiddlewareWithoutServer(t *testing.T) {
	srv := serve(t, httpsRedirectApp(t))
	for _, host := range []string{"testserver:65536", "testserver:99999", "testserver:abc", "[:::]", "[fe80::1::2]"} {
		res := send(t, srv, request{Raw: true, Path: "/", Host: host})
		assert.Equal(t, 400, res.Status, host)
		assert.Equal(t, "Invalid host header", res.Body, host)
	}
}

// ws -> wss for a WebSocket handshake over plain HTTP (Starlette's
// HTTPSRedirectMiddleware maps the scheme {"http": "https", "ws": "wss"}).
func TestStarletteHTTPSRedirectWebSocket(t *testing.T) {
	srv := serve(t, httpsRedirectApp(t))
	res := send(t, srv, request{
		Raw: true, Path: "/ws?token=1", Host: "testserver:80",
		Headers: []string{"Upgrade", "websocket", "Connection", "Upgrade",
			"Sec-WebSocket-Version", "13", "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
	})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "wss://testserver/ws?token=1", res.Header.Get("Location"))
}
