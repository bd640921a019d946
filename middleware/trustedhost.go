// TrustedHost: refusing requests addressed to hosts outside an allow-list,
// with the www redirect, and the compiled list of host patterns.

package middleware

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"
)

// TrustedHostConfig configures TrustedHost.
type TrustedHostConfig struct {
	// AllowedHosts lists the hosts requests may be addressed to, without
	// ports and case-insensitively: exact names ("example.com"), IP
	// addresses ("127.0.0.1", "[::1]", or "::1" for the same), wildcards ("*.example.com", any
	// subdomain at any depth, but not example.com itself), or "*" for any
	// host. A nil list (the zero config) means ["*"], Starlette's default;
	// an empty non-nil list panics, since it would refuse every request.
	AllowedHosts []string

	// DisableWWWRedirect turns off the redirect that sends a request for
	// "example.com" to "www.example.com" when only the latter is allowed.
	// The redirect is on by default, as in Starlette.
	DisableWWWRedirect bool

	// TrustForwardedProto makes the www redirect keep the scheme named by
	// X-Forwarded-Proto rather than the one of the connection. Set it only
	// behind a proxy that sets that header, since clients can forge it.
	TrustForwardedProto bool
}

// TrustedHost refuses requests whose Host header names a host outside
// AllowedHosts, closing off Host header attacks: poisoned password-reset
// links, cache poisoning, and DNS rebinding.
//
// A refused request gets 400 "Invalid host header" (text/plain). A request
// for "example.com" when only "www.example.com" is allowed gets a 307 to the
// www host instead, with the scheme, port, path and query kept, unless
// DisableWWWRedirect is set.
//
// The Host header must be well formed: a host name, IPv4 address or
// bracketed IP literal, then optionally ':' and a port of at most 65535.
// "[::1]evil.com", "example.com:99999" or a name holding '/' or '@' are
// refused even when a prefix of them is allowed. IPv6 literals are compared
// in canonical form, and a trailing dot on a name ("example.com.") is
// ignored, as DNS does.
//
// TrustedHost panics on an empty list and on a malformed pattern: an empty
// string, a port, a wildcard anywhere but a leading "*." ("foo.*.com",
// "*example.com", "*."), or an invalid IP literal.
func TrustedHost(cfg TrustedHostConfig) func(http.Handler) http.Handler {
	allowed := newHostSet(cfg.AllowedHosts)
	return func(next http.Handler) http.Handler {
		if allowed.any {
			return next
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			host, ok := parseHost(r.Host)
			switch {
			case ok && allowed.contains(host.name):
				next.ServeHTTP(w, r)
			case ok && !cfg.DisableWWWRedirect && allowed.exact["www."+host.name]:
				redirect(w, requestScheme(r, cfg.TrustForwardedProto)+"://www."+r.Host+requestTarget(r))
			default:
				plainText(w, http.StatusBadRequest, invalidHostBody)
			}
		})
	}
}

// hostSet is a compiled AllowedHosts list.
type hostSet struct {
	any      bool
	exact    map[string]bool
	suffixes []string // ".example.com" for "*.example.com"
}

func newHostSet(patterns []string) *hostSet {
	if patterns == nil {
		patterns = []string{"*"}
	}
	if len(patterns) == 0 {
		panic(`middleware.TrustedHost: AllowedHosts is empty; list the hosts to serve, or "*" to allow any`)
	}
	set := &hostSet{exact: map[string]bool{}}
	for _, pattern := range patterns {
		set.add(pattern)
	}
	return set
}

func (s *hostSet) add(pattern string) {
	switch {
	case pattern == "*":
		s.any = true
	case strings.HasPrefix(pattern, "*."):
		name, ok := normalizeRegName(pattern[2:])
		if !ok || strings.Contains(pattern[2:], "*") {
			panic(badHostPattern(pattern, `a wildcard must be a leading "*." followed by a domain, like "*.example.com"`))
		}
		s.suffixes = append(s.suffixes, "."+name)
	case strings.Contains(pattern, "*"):
		panic(badHostPattern(pattern, `a wildcard is only allowed as a leading "*.", like "*.example.com"`))
	default:
		s.exact[normalizeHostPattern(pattern)] = true
	}
}

// normalizeHostPattern validates an exact pattern and returns it in the form
// parseHost gives request hosts, so the two compare as plain strings.
func normalizeHostPattern(pattern string) string {
	literal := pattern
	if addr, err := netip.ParseAddr(pattern); err == nil && addr.Is6() && addr.Zone() == "" {
		// "::1" cannot be a host name or carry a port: it is the IPv6
		// literal that Host headers write as "[::1]".
		literal = "[" + pattern + "]"
	}
	host, ok := parseHost(literal)
	switch {
	case pattern == "":
		panic(badHostPattern(pattern, "it is empty"))
	case !ok:
		panic(badHostPattern(pattern, "it is not a host name, IPv4 address or bracketed IPv6 address"))
	case host.port != "" || strings.HasSuffix(pattern, ":"):
		panic(badHostPattern(pattern, "patterns match host names only; remove the port"))
	}
	return host.name
}

func badHostPattern(pattern, reason string) string {
	return fmt.Sprintf("middleware.TrustedHost: invalid host pattern %q: %s", pattern, reason)
}

func (s *hostSet) contains(host string) bool {
	if s.exact[host] {
		return true
	}
	for _, suffix := range s.suffixes {
		if strings.HasSuffix(host, suffix) {
			return true
		}
	}
	return false
}
