package tests

// End-to-end ports of Starlette's tests/middleware/test_trusted_host.py
// (github.com/Kludex/starlette), through a Brisk app: the one home of that
// suite. middleware/trustedhost_test.go drives the middleware alone.

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// trustedHostApp serves "OK" at "/" behind TrustedHost(cfg).
func trustedHostApp(t *testing.T, cfg middleware.TrustedHostConfig) *brisk.App {
	t.Helper()
	app, _ := quietApp()
	app.Use(middleware.TrustedHost(cfg))
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "OK") })
	app.Get("/items/{id}", func(id int) int { return id })
	return app
}

func assertInvalidHost(t *testing.T, res result, host string) {
	t.Helper()
	assert.Equal(t, 400, res.Status, "host %q", host)
	assert.Equal(t, "Invalid host header", res.Body, "host %q", host)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"), "host %q", host)
}

// Starlette tests/middleware/test_trusted_host.py::test_trusted_host_middleware
func TestStarletteTrustedHostMiddleware(t *testing.T) {
	srv := serve(t, trustedHostApp(t, middleware.TrustedHostConfig{AllowedHosts: []string{"testserver", "*.testserver"}}))

	res := send(t, srv, request{Path: "/", Host: "testserver"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)

	res = send(t, srv, request{Path: "/", Host: "subdomain.testserver"})
	assert.Equal(t, 200, res.Status)

	res = send(t, srv, request{Path: "/", Host: "invalidhost"})
	assertInvalidHost(t, res, "invalidhost")

	// The check runs before routing: an unknown route on a bad host is 400 too.
	res = send(t, srv, request{Path: "/nowhere", Host: "invalidhost"})
	assertInvalidHost(t, res, "invalidhost")

	// Wildcards do not match the bare domain's look-alikes.
	for _, host := range []string{"eviltestserver", "testserver.evil.com"} {
		assertInvalidHost(t, send(t, srv, request{Path: "/", Host: host}), host)
	}
	// Case-insensitive, with or without a port.
	for _, host := range []string{"TESTSERVER", "Sub.TestServer:8080", "testserver:80"} {
		assert.Equal(t, 200, send(t, srv, request{Path: "/", Host: host}).Status, host)
	}
}

// Starlette tests/middleware/test_trusted_host.py::test_default_allowed_hosts
// (Starlette's default is ["*"]; in Brisk the zero config means the same).
func TestStarletteTrustedHostDefaultAllowedHosts(t *testing.T) {
	srv := serve(t, trustedHostApp(t, middleware.TrustedHostConfig{}))
	for _, host := range []string{"testserver", "anything.example", "127.0.0.1:9999", "[::1]"} {
		res := send(t, srv, request{Path: "/", Host: host})
		assert.Equal(t, 200, res.Status, host)
		assert.Equal(t, "OK", res.Body, host)
	}

	srv = serve(t, trustedHostApp(t, middleware.TrustedHostConfig{AllowedHosts: []string{"*"}}))
	assert.Equal(t, 200, send(t, srv, request{Path: "/", Host: "whatever.test"}).Status)
}

// Starlette tests/middleware/test_trusted_host.py::test_www_redirect
func TestStarletteTrustedHostWWWRedirect(t *testing.T) {
	app := trustedHostApp(t, middleware.TrustedHostConfig{AllowedHosts: []string{"www.example.com"}})
	srv := serveTLS(t, app)

	res := send(t, srv, request{Path: "/", Host: "example.com"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "https://www.example.com/", res.Header.Get("Location"))

	res = send(t, srv, request{Path: "/", Host: "www.example.com"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)

	// Port, path and query are kept.
	res = send(t, srv, request{Path: "/items/5?q=a%26b", Host: "example.com:8443"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "https://www.example.com:8443/items/5?q=a%26b", res.Header.Get("Location"))

	// Over plain HTTP the scheme stays http.
	plain := serve(t, trustedHostApp(t, middleware.TrustedHostConfig{AllowedHosts: []string{"www.example.com"}}))
	res = send(t, plain, request{Path: "/?x=1", Host: "example.com"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "http://www.example.com/?x=1", res.Header.Get("Location"))

	// Another host is refused, not redirected.
	assertInvalidHost(t, send(t, plain, request{Path: "/", Host: "other.com"}), "other.com")
}

// Starlette tests/middleware/test_trusted_host.py::test_trusted_host_middleware_ipv6
func TestStarletteTrustedHostMiddlewareIPv6(t *testing.T) {
	srv := serve(t, trustedHostApp(t, middleware.TrustedHostConfig{AllowedHosts: []string{"[::1]"}}))

	for _, host := range []string{"[::1]", "[::1]:8000"} {
		res := send(t, srv, request{Raw: true, Path: "/", Host: host})
		assert.Equal(t, 200, res.Status, host)
		assert.Equal(t, "OK", res.Body, host)
	}

	assertInvalidHost(t, send(t, srv, request{Raw: true, Path: "/", Host: "[2001:db8::1]"}), "[2001:db8::1]")

	for _, host := range []string{
		"[::1",
		"[::1]evil.com",
		"[::1]@attacker",
		"[::1].",
		"[::1]:evil",
		"[::1]evil.example.com",
		"[::1]:\xb2",
	} {
		// net/http itself refuses some of these with its own 400.
		assert.Equal(t, 400, send(t, srv, request{Raw: true, Path: "/", Host: host}).Status, "host %q", host)
	}
}
