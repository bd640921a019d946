// Helpers the host-aware middleware share: parsing and validating Host
// headers, the request's scheme and target, 307 redirects, plain-text
// answers.

package middleware

import (
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// hostPort is a Host header taken apart: name is lowercased, an IPv6 literal
// keeps its brackets in canonical form, port is "" when the header has none.
type hostPort struct {
	name string
	port string
}

// parseHost splits and validates a Host header (RFC 9110 section 7.2).
// Anything that is not a host name, an IPv4 address or a bracketed IP literal,
// optionally followed by a decimal port of at most 65535, is refused, so that
// "[::1]evil.com" or "api:abc" can never pass for an allowed host.
func parseHost(header string) (hostPort, bool) {
	if strings.HasPrefix(header, "[") {
		return parseIPLiteralHost(header)
	}
	name, port, hasPort := strings.Cut(header, ":")
	if hasPort && !validPort(port) {
		return hostPort{}, false
	}
	name, ok := normalizeRegName(name)
	if !ok {
		return hostPort{}, false
	}
	return hostPort{name: name, port: port}, true
}

func parseIPLiteralHost(header string) (hostPort, bool) {
	end := strings.IndexByte(header, ']')
	if end < 0 {
		return hostPort{}, false
	}
	literal, ok := normalizeIPLiteral(header[1:end])
	if !ok {
		return hostPort{}, false
	}
	rest := header[end+1:]
	if rest == "" {
		return hostPort{name: literal}, true
	}
	if rest[0] != ':' || !validPort(rest[1:]) {
		return hostPort{}, false
	}
	return hostPort{name: literal, port: rest[1:]}, true
}

// normalizeIPLiteral returns the bracketed form of an IPv6 address (canonical,
// so "[0:0::1]" and "[::1]" compare equal) or of an IPvFuture literal.
func normalizeIPLiteral(inner string) (string, bool) {
	if addr, err := netip.ParseAddr(inner); err == nil && addr.Is6() && addr.Zone() == "" {
		return "[" + addr.String() + "]", true
	}
	if validIPvFuture(inner) {
		return "[" + strings.ToLower(inner) + "]", true
	}
	return "", false
}

// validIPvFuture reports whether s is "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ).
func validIPvFuture(s string) bool {
	if len(s) < 4 || (s[0] != 'v' && s[0] != 'V') {
		return false
	}
	version, rest, ok := strings.Cut(s[1:], ".")
	if !ok || version == "" || rest == "" {
		return false
	}
	for i := 0; i < len(version); i++ {
		if !isHex(version[i]) {
			return false
		}
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; !isUnreserved(c) && !isSubDelim(c) && c != ':' {
			return false
		}
	}
	return true
}

// normalizeRegName lowercases a host name or IPv4 address and drops one
// trailing dot ("example.com." is the same host in DNS). Only the characters
// that real host names use are accepted: letters, digits, '-', '.', '_', '~'.
func normalizeRegName(name string) (string, bool) {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return "", false
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" {
			return "", false
		}
	}
	for i := 0; i < len(name); i++ {
		if !isUnreserved(name[i]) {
			return "", false
		}
	}
	return strings.ToLower(name), true
}

// validPort accepts decimal digits (leading zeros allowed, as RFC 3986 does)
// whose value fits a TCP port.
func validPort(port string) bool {
	if port == "" {
		return false
	}
	for i := 0; i < len(port); i++ {
		if port[i] < '0' || port[i] > '9' {
			return false
		}
	}
	significant := strings.TrimLeft(port, "0")
	if len(significant) > 5 {
		return false
	}
	n, _ := strconv.Atoi("0" + significant)
	return n <= 65535
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

func isSubDelim(c byte) bool {
	return strings.IndexByte("!$&'()*+,;=", c) >= 0
}

// requestScheme is the scheme the client used: http, https, ws or wss.
// X-Forwarded-Proto is believed only when trustForwarded is set, because any
// client can send it; its first element is used, the one the proxy nearest the
// client wrote.
func requestScheme(r *http.Request, trustForwarded bool) string {
	secure := r.TLS != nil
	if trustForwarded {
		if proto, ok := forwardedProto(r); ok {
			secure = proto == "https" || proto == "wss"
		}
	}
	switch {
	case isWebSocketUpgrade(r) && secure:
		return "wss"
	case isWebSocketUpgrade(r):
		return "ws"
	case secure:
		return "https"
	default:
		return "http"
	}
}

func forwardedProto(r *http.Request) (string, bool) {
	value := r.Header.Get("X-Forwarded-Proto")
	first, _, _ := strings.Cut(value, ",")
	switch proto := strings.ToLower(strings.TrimSpace(first)); proto {
	case "http", "https", "ws", "wss":
		return proto, true
	default:
		return "", false
	}
}

// isWebSocketUpgrade reports whether r asks to switch to the WebSocket protocol.
func isWebSocketUpgrade(r *http.Request) bool {
	for _, value := range r.Header.Values("Upgrade") {
		for token := range strings.SplitSeq(value, ",") {
			if strings.EqualFold(strings.TrimSpace(token), "websocket") {
				return true
			}
		}
	}
	return false
}

// requestTarget is the path and query the client asked for, escaped exactly as
// it was sent, so a redirect reaches the same resource byte for byte.
func requestTarget(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		return r.RequestURI
	}
	if target := r.URL.RequestURI(); strings.HasPrefix(target, "/") {
		return target
	}
	return "/"
}

// redirect answers with a 307, which, unlike 301 and 302, obliges the client
// to repeat the method and body.
func redirect(w http.ResponseWriter, location string) {
	w.Header().Set("Location", location)
	w.WriteHeader(http.StatusTemporaryRedirect)
}

// plainText writes body without a trailing newline, unlike http.Error, so the
// wire bytes match Starlette's PlainTextResponse.
func plainText(w http.ResponseWriter, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

const invalidHostBody = "Invalid host header"
