package middleware_test

import (
	"net/http"
	"testing"

	"github.com/briskgo/brisk/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func redirectLocation(t *testing.T, h http.Handler, r *http.Request) string {
	t.Helper()
	resp := record(h, r)
	require.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
	assert.Empty(t, readBody(t, resp))
	return resp.Header.Get("Location")
}

// Starlette's tests/middleware/test_https_redirect.py is ported, end to
// end through a Brisk app, in tests/conformance_httpsredirect_test.go. The
// tests here drive the middleware alone.

func TestHTTPSRedirectKeepsPathAndQueryExactly(t *testing.T) {
	srv := liveServer(t, middleware.HTTPSRedirect()(okHandler))
	for _, target := range []string{
		"/a%2Fb/c%20d?q=1&r=%26",
		"/caf%C3%A9?x=%7E",
		"/a%7eb",
		"/search?",
		"/?a=1&a=2",
		"/x//double/./slash",
	} {
		t.Run(target, func(t *testing.T) {
			req, err := http.NewRequest("PUT", srv.URL, nil)
			require.NoError(t, err)
			req.URL.Opaque = target // sent as written, not re-escaped
			req.Host = "example.com:8080"
			resp, err := rawClient().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()

			assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
			assert.Equal(t, "https://example.com:8080"+target, resp.Header.Get("Location"))
		})
	}
}

func TestHTTPSRedirectWebSocket(t *testing.T) {
	h := middleware.HTTPSRedirect()(okHandler)
	r := newRequest("GET", "http://example.com:80/ws?room=1", "Connection", "Upgrade", "Upgrade", "websocket")

	assert.Equal(t, "wss://example.com/ws?room=1", redirectLocation(t, h, r))
}

func TestHTTPSRedirectSecureWebSocketPasses(t *testing.T) {
	h := middleware.HTTPSRedirect()(okHandler)
	r := newRequest("GET", "https://example.com/ws", "Connection", "Upgrade", "Upgrade", "websocket")
	r.TLS = tlsState()

	assert.Equal(t, 200, record(h, r).StatusCode)
}

func TestHTTPSRedirectKeepsOtherPortsAndCase(t *testing.T) {
	h := middleware.HTTPSRedirect()(okHandler)
	cases := map[string]string{
		"Example.COM:8443": "https://Example.COM:8443/",
		"example.com:080":  "https://example.com/",
		"example.com:0443": "https://example.com/",
		"[::1]:443":        "https://[::1]/",
		"127.0.0.1:8000":   "https://127.0.0.1:8000/",
	}
	for host, location := range cases {
		r := newRequest("GET", "/")
		r.Host = host
		assert.Equal(t, location, redirectLocation(t, h, r), host)
	}
}

func TestHTTPSRedirectForwardedProto(t *testing.T) {
	plain := middleware.HTTPSRedirect()(okHandler)
	trusting := middleware.HTTPSRedirect(middleware.HTTPSRedirectConfig{TrustForwardedProto: true})(okHandler)
	forwarded := func(value string) *http.Request {
		return newRequest("GET", "http://example.com/x", "X-Forwarded-Proto", value)
	}

	assert.Equal(t, http.StatusTemporaryRedirect, record(plain, forwarded("https")).StatusCode, "untrusted by default")
	assert.Equal(t, 200, record(trusting, forwarded("https")).StatusCode)
	assert.Equal(t, 200, record(trusting, forwarded("HTTPS")).StatusCode)
	assert.Equal(t, 200, record(trusting, forwarded("https, http")).StatusCode, "the first element counts")
	assert.Equal(t, http.StatusTemporaryRedirect, record(trusting, forwarded("http")).StatusCode)
	assert.Equal(t, http.StatusTemporaryRedirect, record(trusting, forwarded("http, https")).StatusCode)

	tlsButForwardedHTTP := forwarded("http")
	tlsButForwardedHTTP.TLS = tlsState()
	assert.Equal(t, http.StatusTemporaryRedirect, record(trusting, tlsButForwardedHTTP).StatusCode,
		"behind a TLS-speaking proxy, the client's scheme is the proxy's header")

	garbage := forwarded("gopher")
	garbage.TLS = tlsState()
	assert.Equal(t, 200, record(trusting, garbage).StatusCode, "an unknown value falls back to the connection")
}

func TestHTTPSRedirectKeepsMethodWith307(t *testing.T) {
	h := middleware.HTTPSRedirect()(okHandler)
	for _, method := range []string{"GET", "POST", "PUT", "DELETE", "HEAD"} {
		resp := record(h, newRequest(method, "http://example.com/"))
		assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode, method)
	}
}
