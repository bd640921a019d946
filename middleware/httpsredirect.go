// HTTPSRedirect: sending plain-HTTP (and ws) requests to their https (wss)
// address with a 307.

package middleware

import (
	"net/http"
	"strconv"
)

// HTTPSRedirectConfig configures HTTPSRedirect. Its zero value trusts only
// the connection itself.
type HTTPSRedirectConfig struct {
	// TrustForwardedProto makes a request count as secure when
	// X-Forwarded-Proto says "https" (or "wss"), as it does behind a proxy
	// that terminates TLS. Off by default: without such a proxy any client
	// could send the header and skip the redirect.
	TrustForwardedProto bool
}

// HTTPSRedirect sends every plain-HTTP request to its HTTPS address with a
// 307, which keeps the method and body, unlike 301 or 302. WebSocket
// handshakes go from ws to wss the same way. Ports 80 and 443 are dropped,
// other ports kept; the path and query are kept exactly as the client sent
// them, escaping included.
//
// A request is already secure when it came over TLS (r.TLS is set), or, with
// TrustForwardedProto, when X-Forwarded-Proto names https or wss.
//
// A request whose Host header is malformed (a bad port, a broken IPv6
// literal) gets 400 "Invalid host header": there is no sound address to
// redirect it to. Starlette falls back to the server's own address instead.
func HTTPSRedirect(cfg ...HTTPSRedirectConfig) func(http.Handler) http.Handler {
	var c HTTPSRedirectConfig
	if len(cfg) > 0 {
		c = cfg[0]
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			scheme := requestScheme(r, c.TrustForwardedProto)
			if scheme == "https" || scheme == "wss" {
				next.ServeHTTP(w, r)
				return
			}
			host, ok := parseHost(r.Host)
			if !ok {
				plainText(w, http.StatusBadRequest, invalidHostBody)
				return
			}
			redirect(w, secureScheme(scheme)+"://"+secureAuthority(r.Host, host)+requestTarget(r))
		})
	}
}

func secureScheme(scheme string) string {
	if scheme == "ws" {
		return "wss"
	}
	return "https"
}

// secureAuthority is the Host header as sent, less a port of 80 or 443: the
// first is http's default and wrong for https, the second https's default.
func secureAuthority(header string, host hostPort) string {
	if port, _ := strconv.Atoi(host.port); host.port != "" && (port == 80 || port == 443) {
		return header[:len(header)-len(host.port)-1]
	}
	return header
}
