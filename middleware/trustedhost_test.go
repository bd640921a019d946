package middleware_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/briskgo/brisk/middleware"
	"github.com/stretchr/testify/assert"
)

var okHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.WriteString(w, "OK")
})

func hostRequest(host string) *http.Request {
	r := newRequest("GET", "/")
	r.Host = host
	return r
}

// Starlette's tests/middleware/test_trusted_host.py is ported, end to end
// through a Brisk app, in tests/conformance_trustedhost_test.go. The tests
// here drive the middleware alone.

func TestTrustedHostIPv6AndMalformedHosts(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{
		AllowedHosts: []string{"[::1]", "[v1.foo]", "api_service", "*.example.com"},
	})(okHandler)
	cases := []struct {
		host   string
		status int
	}{
		{"[::1]", 200},
		{"[::1]:8000", 200},
		{"[0:0:0:0:0:0:0:1]", 200}, // the same address, spelled out
		{"[v1.foo]", 200},
		{"[:::]", 400},
		{"[::ffff:999.999.999.999]", 400},
		{"[2001:db8::1]", 400},
		{"[fe80::1::2]", 400},
		{"[::1", 400},
		{"[::1]evil.example.com", 400},
		{"[::1]@attacker", 400},
		{"[::1].", 400},
		{"[::1]:evil", 400},
		{"[::1]:", 400},
		{"[::1]:99999", 400},
		{"api_service", 200},
		{"api_service:000080", 200},
		{"api_service:8000", 200},
		{"api_service:65535", 200},
		{"api_service:65536", 400},
		{"api_service:99999", 400},
		{"api_service:100000", 400},
		{"api_service:", 400},
		{"api_service/evil", 400},
		{"api_service?evil", 400},
		{"api_service#evil", 400},
		{"api_service@attacker", 400},
		{"api service", 400},
		{"api.example.com:8443", 200},
		{"api.example.com:99999", 400},
		{"api.example.com:abc", 400},
		{"a.b.example.com", 200},
		{"example.com", 400},
		{".example.com", 400},
		{"evil..example.com", 400},
		{"evilexample.com", 400},
		{"", 400},
	}
	for _, tc := range cases {
		t.Run(tc.host, func(t *testing.T) {
			assert.Equal(t, tc.status, record(h, hostRequest(tc.host)).StatusCode)
		})
	}
}

func TestTrustedHostIsCaseInsensitive(t *testing.T) {
	cases := []struct{ allowed, host string }{
		{"example.com", "EXAMPLE.com"},
		{"example.com", "Example.Com"},
		{"example.com", "EXAMPLE.COM"},
		{"example.com", "EXAMPLE.COM:8000"},
		{"Example.Com", "example.com"},
		{"*.example.com", "SUB.EXAMPLE.com"},
		{"*.Example.Com", "sub.example.com"},
		{"[::ABCD]", "[::abcd]"},
	}
	for _, tc := range cases {
		t.Run(tc.allowed+" "+tc.host, func(t *testing.T) {
			h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{tc.allowed}})(okHandler)
			assert.Equal(t, 200, record(h, hostRequest(tc.host)).StatusCode)
		})
	}
}

func TestTrustedHostWWWRedirectIsCaseInsensitive(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"www.example.com"}})(okHandler)

	resp := record(h, hostRequest("EXAMPLE.com"))
	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
	assert.Equal(t, "http://www.EXAMPLE.com/", resp.Header.Get("Location"))

	resp = record(h, hostRequest("WWW.EXAMPLE.com"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "OK", string(readBody(t, resp)))
}

func TestTrustedHostAgreesWithHostRouting(t *testing.T) {
	// A Host header refused by the middleware must not reach a handler that
	// routes on the host either.
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"api.example.com"}})(okHandler)
	for _, host := range []string{"api.example.com:abc", "api.example.com:99999", "[fe80::1::2]"} {
		resp := record(h, hostRequest(host))
		assert.Equal(t, 400, resp.StatusCode, host)
		assert.Equal(t, "Invalid host header", string(readBody(t, resp)), host)
	}
}

func TestTrustedHostWWWRedirectKeepsPortPathAndQuery(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"www.example.com"}})(okHandler)
	srv := liveServer(t, h)

	req, err := http.NewRequest("POST", srv.URL+"/a%2Fb/c%20d?q=1&r=%26", nil)
	assert.NoError(t, err)
	req.Host = "example.com:8443"
	resp, err := rawClient().Do(req)
	assert.NoError(t, err)
	defer resp.Body.Close()

	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
	assert.Equal(t, "http://www.example.com:8443/a%2Fb/c%20d?q=1&r=%26", resp.Header.Get("Location"))
}

func TestTrustedHostWWWRedirectSchemes(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"www.example.com"}})(okHandler)
	trusting := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"www.example.com"}, TrustForwardedProto: true})(okHandler)

	forwarded := hostRequest("example.com")
	forwarded.Header.Set("X-Forwarded-Proto", "https")
	assert.Equal(t, "http://www.example.com/", record(h, forwarded).Header.Get("Location"), "the header is ignored unless trusted")
	assert.Equal(t, "https://www.example.com/", record(trusting, forwarded).Header.Get("Location"))

	ws := hostRequest("example.com")
	ws.Header.Set("Connection", "Upgrade")
	ws.Header.Set("Upgrade", "websocket")
	assert.Equal(t, "ws://www.example.com/", record(h, ws).Header.Get("Location"))
}

func TestTrustedHostWWWRedirectCanBeDisabled(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"www.example.com"}, DisableWWWRedirect: true})(okHandler)

	resp := record(h, hostRequest("example.com"))

	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Invalid host header", string(readBody(t, resp)))
}

func TestTrustedHostWWWRedirectNeedsAnExactPattern(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"*.example.com"}})(okHandler)

	assert.Equal(t, 400, record(h, hostRequest("example.com")).StatusCode)
}

func TestTrustedHostAllowAny(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"example.com", "*"}})(okHandler)

	for _, host := range []string{"example.com", "anything.test", "[::1]:8000"} {
		assert.Equal(t, 200, record(h, hostRequest(host)).StatusCode, host)
	}
}

func TestTrustedHostTrailingDot(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"example.com", "*.example.org."}})(okHandler)

	assert.Equal(t, 200, record(h, hostRequest("example.com.")).StatusCode)
	assert.Equal(t, 200, record(h, hostRequest("example.com.:8000")).StatusCode)
	assert.Equal(t, 200, record(h, hostRequest("a.example.org")).StatusCode)
	assert.Equal(t, 400, record(h, hostRequest("example.com..")).StatusCode)
}

func TestTrustedHostIPv4(t *testing.T) {
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"127.0.0.1"}})(okHandler)

	assert.Equal(t, 200, record(h, hostRequest("127.0.0.1:8000")).StatusCode)
	assert.Equal(t, 400, record(h, hostRequest("127.0.0.2")).StatusCode)
}

// An IPv6 literal in AllowedHosts may be written without brackets: "::1"
// is "[::1]", in any spelling of the address (issue 10 item 16).
func TestTrustedHostUnbracketedIPv6Pattern(t *testing.T) {
	for _, pattern := range []string{"::1", "0:0:0:0:0:0:0:1", "[::1]"} {
		h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{pattern}})(okHandler)
		for _, host := range []string{"[::1]", "[::1]:8000", "[0::1]"} {
			assert.Equal(t, 200, record(h, hostRequest(host)).StatusCode, "pattern %q, host %q", pattern, host)
		}
		for _, host := range []string{"[::2]", "::1", "localhost", "[::1]evil.com"} {
			assert.Equal(t, 400, record(h, hostRequest(host)).StatusCode, "pattern %q, host %q", pattern, host)
		}
	}
	h := middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"2001:DB8::1", "::ffff:192.0.2.1"}})(okHandler)
	assert.Equal(t, 200, record(h, hostRequest("[2001:db8::1]:443")).StatusCode)
	assert.Equal(t, 200, record(h, hostRequest("[::ffff:192.0.2.1]")).StatusCode)
	assert.Equal(t, 400, record(h, hostRequest("192.0.2.1")).StatusCode, "an IPv4-mapped pattern is the IPv6 literal, not the IPv4 host")
}

func TestTrustedHostBadPatternsPanic(t *testing.T) {
	cases := map[string]string{
		"":              `middleware.TrustedHost: invalid host pattern "": it is empty`,
		"*.":            `middleware.TrustedHost: invalid host pattern "*.": a wildcard must be a leading "*." followed by a domain, like "*.example.com"`,
		"foo.*.com":     `middleware.TrustedHost: invalid host pattern "foo.*.com": a wildcard is only allowed as a leading "*.", like "*.example.com"`,
		"*example.com":  `middleware.TrustedHost: invalid host pattern "*example.com": a wildcard is only allowed as a leading "*.", like "*.example.com"`,
		"example.*":     `middleware.TrustedHost: invalid host pattern "example.*": a wildcard is only allowed as a leading "*.", like "*.example.com"`,
		"*.*.com":       `middleware.TrustedHost: invalid host pattern "*.*.com": a wildcard must be a leading "*." followed by a domain, like "*.example.com"`,
		"**":            `middleware.TrustedHost: invalid host pattern "**": a wildcard is only allowed as a leading "*.", like "*.example.com"`,
		"example.com:8": `middleware.TrustedHost: invalid host pattern "example.com:8": patterns match host names only; remove the port`,
		"[::1]:8000":    `middleware.TrustedHost: invalid host pattern "[::1]:8000": patterns match host names only; remove the port`,
		"[fe80::1::2]":  `middleware.TrustedHost: invalid host pattern "[fe80::1::2]": it is not a host name, IPv4 address or bracketed IPv6 address`,
		"fe80::1%eth0":  `middleware.TrustedHost: invalid host pattern "fe80::1%eth0": it is not a host name, IPv4 address or bracketed IPv6 address`,
		"[::1":          `middleware.TrustedHost: invalid host pattern "[::1": it is not a host name, IPv4 address or bracketed IPv6 address`,
		"exa mple.com":  `middleware.TrustedHost: invalid host pattern "exa mple.com": it is not a host name, IPv4 address or bracketed IPv6 address`,
	}
	for pattern, message := range cases {
		t.Run(pattern, func(t *testing.T) {
			assert.PanicsWithValue(t, message, func() {
				middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"ok.example.com", pattern}})
			})
		})
	}
}

func TestTrustedHostEmptyListPanics(t *testing.T) {
	assert.PanicsWithValue(t, `middleware.TrustedHost: AllowedHosts is empty; list the hosts to serve, or "*" to allow any`, func() {
		middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{}})
	})
}
