package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/briskgo/brisk/middleware"
)

// FuzzTrustedHost feeds TrustedHost (and HTTPSRedirect, which parses the
// Host header the same way) arbitrary Host headers under an arbitrary
// pattern, and checks every verdict against an oracle built on net/url and
// net/netip:
//
//   - a bad pattern panics at construction with TrustedHost's own message,
//     and nothing else panics;
//   - a request passes only when its Host is a well-formed authority (as
//     net/url reads it, nothing smuggled in userinfo or a path) whose name
//     the allowed list matches, and every such simple host passes;
//   - a refusal is 400 text/plain "Invalid host header";
//   - a www redirect is a 307 to "www." + the Host sent, same path and
//     query, and only for a name whose www form is allowed;
//   - HTTPSRedirect never refuses a Host that TrustedHost let through, and
//     its Location names the same host.
func FuzzTrustedHost(f *testing.F) {
	for _, s := range [][2]string{
		{"example.com", "example.com"}, {"example.com", "EXAMPLE.com:8080"}, {"example.com", "example.com."},
		{"*.example.com", "a.b.example.com"}, {"*.example.com", "example.com"}, {"*.example.com", "evilexample.com"},
		{"www.example.net", "example.net"}, {"www.example.net", "example.net:8443"}, {"[::1]", "[0:0::1]:80"},
		{"[::1]", "[::1]evil.com"}, {"127.0.0.1", "127.0.0.1:99999"}, {"127.0.0.1", "127.0.0.1:"}, {"*", "anything at all"},
		{"example.com", "example.com@evil.com"}, {"example.com", "evil.com/example.com"}, {"example.com", "example.com:80:80"},
		{"example.com", ""}, {"example.com", ":80"}, {"example.com", "[v1.x]"}, {"[v1.x]", "[V1.X]:1"}, {"example.com", "exa mple.com"},
		{"example.com", "example..com"}, {"example.com", "ex%41mple.com"}, {"[fe80::1]", "[fe80::1%25eth0]"}, {"foo.*.com", "foo.a.com"},
		{"*.", "x"}, {"", "x"}, {"example.com:80", "example.com"}, {"ex_ample.com", "EX_AMPLE.COM"}, {"1.2.3.4", "01.2.3.4"},
	} {
		f.Add(s[0], s[1])
	}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	redirectHTTPS := middleware.HTTPSRedirect()(ok)
	f.Fuzz(func(t *testing.T, pattern, host string) {
		allowed := []string{pattern, "example.com", "*.example.org", "www.example.net"}
		th, built := buildTrustedHost(t, allowed)
		if !built {
			return
		}
		h := th(ok)
		res := fzServe(h, host)
		body := res.Body.String()
		name, wellFormed := oracleHost(host)
		matches := wellFormed && oracleAllows(allowed, name)
		switch res.Code {
		case http.StatusOK:
			if pattern != "*" && !matches {
				t.Fatalf("pattern %q: Host %q passed, but the oracle says well-formed=%v name=%q", pattern, host, wellFormed, name)
			}
		case http.StatusBadRequest:
			if body != "Invalid host header" || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/plain") {
				t.Fatalf("Host %q: a refusal must be text/plain %q, got %q %q", host, "Invalid host header", res.Header().Get("Content-Type"), body)
			}
			if matches && simpleHost(host) {
				t.Fatalf("pattern %q: Host %q (name %q) is allowed, yet refused", pattern, host, name)
			}
		case http.StatusTemporaryRedirect:
			loc := res.Header().Get("Location")
			u, err := url.Parse(loc)
			switch {
			case err != nil || u.Host != "www."+host || u.RequestURI() != "/p?q=1":
				t.Fatalf("Host %q: bad www redirect %q (%v)", host, loc, err)
			case !wellFormed || matches || !oracleAllows(allowed, "www."+name):
				t.Fatalf("pattern %q: Host %q redirected to %q, but the oracle says well-formed=%v allowed=%v", pattern, host, loc, wellFormed, matches)
			}
		default:
			t.Fatalf("Host %q: status %d", host, res.Code)
		}

		// HTTPSRedirect parses the same header the same way.
		rr := fzServe(redirectHTTPS, host)
		switch {
		case rr.Code == http.StatusBadRequest && res.Code == http.StatusOK && pattern != "*":
			t.Fatalf("Host %q: TrustedHost let it through, HTTPSRedirect calls it invalid", host)
		case rr.Code == http.StatusTemporaryRedirect:
			authority := host
			if i := strings.LastIndexByte(host, ':'); i > strings.LastIndexByte(host, ']') {
				// Ports 80 and 443 (however many leading zeros) are dropped.
				if p := strings.TrimLeft(host[i+1:], "0"); p == "80" || p == "443" {
					authority = host[:i]
				}
			}
			if loc := rr.Header().Get("Location"); loc != "https://"+authority+"/p?q=1" {
				t.Fatalf("Host %q: bad https redirect %q", host, loc)
			}
			fallthrough
		case rr.Code == http.StatusBadRequest:
			if (rr.Code == http.StatusTemporaryRedirect) != wellFormed && simpleHost(host) {
				t.Fatalf("Host %q: HTTPSRedirect answered %d, the oracle says well-formed=%v", host, rr.Code, wellFormed)
			}
		default:
			t.Fatalf("Host %q: HTTPSRedirect answered %d", host, rr.Code)
		}
	})
}

// buildTrustedHost builds the middleware, reporting false when the
// patterns are refused, which must be TrustedHost's own panic.
func buildTrustedHost(t *testing.T, allowed []string) (mw func(http.Handler) http.Handler, built bool) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			if msg, ok := p.(string); !ok || !strings.HasPrefix(msg, "middleware.TrustedHost: invalid host pattern") {
				t.Fatalf("patterns %q: unexpected panic %v", allowed, p)
			}
		}
	}()
	return middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: allowed}), true
}

func fzServe(h http.Handler, host string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, "/p?q=1", nil)
	r.Host = host
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// oracleHost reads a Host header with net/url: the lowercased name without
// port or trailing dot (IP addresses canonical, bracketed when IPv6), and
// whether the header is nothing but an authority with a valid port.
func oracleHost(host string) (string, bool) {
	if m := ipvFuture.FindStringSubmatch(host); m != nil {
		// RFC 3986's IPvFuture, which net/url does not know.
		if !portInRange(m[2]) {
			return "", false
		}
		return "[" + strings.ToLower(m[1]) + "]", true
	}
	u, err := url.Parse("http://" + host + "/")
	if err != nil || u.Host != host || u.User != nil || u.Path != "/" || host == "" {
		return "", false
	}
	if !portInRange(u.Port()) {
		return "", false
	}
	if strings.HasSuffix(host, ":") {
		return "", false
	}
	name := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if name == "" {
		return "", false
	}
	if strings.HasPrefix(host, "[") {
		ip, err := netip.ParseAddr(u.Hostname())
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return name, false
		}
		return "[" + ip.String() + "]", true
	}
	return name, true
}

// portInRange reports whether a port of digits (leading zeros allowed, as
// RFC 3986 allows them) is at most 65535; "" is no port.
func portInRange(p string) bool {
	p = strings.TrimLeft(p, "0")
	return len(p) < 5 || len(p) == 5 && p <= "65535"
}

var ipvFuture = regexp.MustCompile(`^\[([vV][0-9a-fA-F]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\](?::([0-9]+))?$`)

// simpleHost reports a Host made only of what every parser agrees on: an
// IPv6 literal, or letters, digits, '-', '.', '_', '~' in non-empty labels,
// then maybe a port.
func simpleHost(host string) bool {
	if strings.HasPrefix(host, "[") {
		return true
	}
	name, _, _ := strings.Cut(host, ":")
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return false
	}
	for _, label := range strings.Split(name, ".") {
		if label == "" {
			return false
		}
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
			return false
		}
	}
	return true
}

// oracleAllows matches a name against the patterns as documented: "*" any,
// "*.d" any subdomain of d (not d), otherwise the same name.
func oracleAllows(patterns []string, name string) bool {
	for _, p := range patterns {
		switch {
		case p == "*":
			return true
		case strings.HasPrefix(p, "*."):
			if strings.HasSuffix(name, "."+strings.ToLower(strings.TrimSuffix(p[2:], "."))) {
				return true
			}
		default:
			if pn, ok := oracleHost(p); ok && pn == name {
				return true
			}
		}
	}
	return false
}
