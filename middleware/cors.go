// CORS: Cross-Origin Resource Sharing with Starlette's options, its
// configuration checks, preflight answers and the writer that adds the
// allow headers to other responses.

package middleware

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// CORSConfig configures CORS with Starlette's options. Its zero value allows
// no cross-origin request, as Starlette's defaults do.
type CORSConfig struct {
	// AllowOrigins lists the origins ("https://example.org", scheme, host
	// and port, no path) whose pages may read responses, or "*" for any.
	// Compared case-insensitively. "null" (sandboxed frames, file: pages)
	// is allowed only when listed, or with "*" and no credentials, when
	// the answer is "*" anyway. Entries that are not origins panic, so
	// "https://example.org/" is caught at startup instead of never matching.
	AllowOrigins []string

	// AllowOriginRegex also allows origins that match it in full (it is
	// anchored at both ends). Go's RE2 syntax; an invalid one panics.
	AllowOriginRegex string

	// AllowMethods lists the methods a preflight may ask for, compared
	// case-sensitively. Empty means GET; "*" means DELETE, GET, HEAD,
	// OPTIONS, PATCH, POST and PUT.
	AllowMethods []string

	// AllowHeaders lists the request headers a preflight may ask for,
	// case-insensitively, on top of the CORS-safelisted Accept,
	// Accept-Language, Content-Language and Content-Type; "*" allows any.
	AllowHeaders []string

	// AllowCredentials lets pages send cookies and authorization. Origins
	// are then always echoed, never answered with "*", which browsers
	// reject on credentialed requests. With AllowOrigins "*" it panics
	// unless InsecureAllowAnyOriginWithCredentials is set.
	AllowCredentials bool

	// InsecureAllowAnyOriginWithCredentials permits AllowOrigins "*" with
	// AllowCredentials, which otherwise panics: every origin is then echoed
	// with credentials allowed, so any website its users visit can read
	// their logged-in responses. Only for APIs whose credentialed answers
	// are not private to the user.
	InsecureAllowAnyOriginWithCredentials bool

	// ExposeHeaders lists the response headers scripts may read beyond the
	// safelisted ones.
	ExposeHeaders []string

	// MaxAge is how long, in seconds, a browser may cache a preflight
	// result. Zero means 600; a negative value sends 0, so that every
	// request is preflighted.
	MaxAge int

	// AllowPrivateNetwork answers Private Network Access preflights
	// (Access-Control-Request-Private-Network: true), with which Chrome
	// asks before a public page reaches a private address. Without it such
	// preflights are refused, as in Starlette.
	AllowPrivateNetwork bool
}

// CORS implements Cross-Origin Resource Sharing as Starlette's
// CORSMiddleware does.
//
// A preflight (OPTIONS with Origin and Access-Control-Request-Method) is
// answered here, without calling the next handler: 200 "OK" with the allowed
// origin, methods, headers and max age, or 400 naming what was refused, as
// "Disallowed CORS origin, method, headers". Other requests with an Origin go
// to the next handler, and an allowed origin gets Access-Control-Allow-Origin
// ("*" when any origin is allowed without credentials, the origin itself
// otherwise), Access-Control-Allow-Credentials and
// Access-Control-Expose-Headers on the response, overriding the handler's.
//
// Whenever the answer depends on the request's Origin, every response,
// including those to requests without an Origin, carries Vary: Origin, so a
// shared cache cannot serve one origin's answer to another. WebSocket
// handshakes pass through untouched, as in Starlette.
//
// Unlike Starlette, the credential and expose headers are only sent to
// allowed origins, and with "*" and no credentials the "null" origin gets "*"
// like any other, which keeps those responses the same for every origin and
// so safe to cache without Vary.
func CORS(cfg CORSConfig) func(http.Handler) http.Handler {
	p := newCORSPolicy(cfg)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			origin, hasOrigin := firstValue(r.Header, "Origin")
			_, hasRequestMethod := r.Header["Access-Control-Request-Method"]
			switch {
			case isWebSocketUpgrade(r) || (!hasOrigin && !p.varyOrigin):
				next.ServeHTTP(w, r)
			case hasOrigin && r.Method == http.MethodOptions && hasRequestMethod:
				p.preflight(w, r, origin)
			default:
				cw := &corsWriter{ResponseWriter: w, policy: p, origin: origin, hasOrigin: hasOrigin}
				next.ServeHTTP(cw, r)
				cw.commit()
			}
		})
	}
}

// firstValue returns the first value of a header and whether it is present;
// an empty value still counts as present, as Starlette counts it.
func firstValue(h http.Header, name string) (string, bool) {
	if values := h[name]; len(values) > 0 {
		return values[0], true
	}
	return "", false
}

// corsPolicy is CORS's compiled configuration.
type corsPolicy struct {
	allowAllOrigins bool
	origins         map[string]bool // lowercased
	originRegex     *regexp.Regexp
	methods         []string
	allowAllHeaders bool
	headers         map[string]bool // lowercased, safelisted included
	credentials     bool
	privateNetwork  bool
	varyOrigin      bool // Access-Control-Allow-Origin echoes the origin

	allowMethods  string
	allowHeaders  string
	maxAge        string
	exposeHeaders string
	preflightVary []string
}

func newCORSPolicy(cfg CORSConfig) *corsPolicy {
	p := &corsPolicy{
		origins:        map[string]bool{},
		headers:        map[string]bool{},
		credentials:    cfg.AllowCredentials,
		privateNetwork: cfg.AllowPrivateNetwork,
		exposeHeaders:  strings.Join(cfg.ExposeHeaders, ", "),
	}
	p.compileOrigins(cfg.AllowOrigins, cfg.AllowOriginRegex)
	if p.allowAllOrigins && p.credentials && !cfg.InsecureAllowAnyOriginWithCredentials {
		panic(`middleware.CORS: AllowOrigins "*" with AllowCredentials would let every website read ` +
			`its visitors' credentialed responses; list the allowed origins, or set ` +
			`InsecureAllowAnyOriginWithCredentials if that is really intended`)
	}
	p.compileMethods(cfg.AllowMethods)
	p.compileHeaders(cfg.AllowHeaders)
	p.maxAge = strconv.Itoa(max(cfg.MaxAge, 0))
	if cfg.MaxAge == 0 {
		p.maxAge = "600"
	}
	p.varyOrigin = !p.allowAllOrigins || p.credentials
	p.preflightVary = []string{"Access-Control-Request-Headers", "Access-Control-Request-Private-Network"}
	if !slices.Contains(cfg.AllowMethods, "*") {
		p.preflightVary = append(p.preflightVary, "Access-Control-Request-Method")
	}
	if p.varyOrigin {
		p.preflightVary = append(p.preflightVary, "Origin")
	}
	return p
}

func (p *corsPolicy) compileOrigins(origins []string, pattern string) {
	for _, origin := range origins {
		switch {
		case origin == "*":
			p.allowAllOrigins = true
		case origin == "null":
			p.origins[origin] = true
		default:
			checkOrigin(origin)
			p.origins[strings.ToLower(origin)] = true
		}
	}
	if pattern != "" {
		re, err := regexp.Compile(`^(?:` + pattern + `)$`)
		if err != nil {
			panic(fmt.Sprintf("middleware.CORS: AllowOriginRegex %q does not compile: %v", pattern, err))
		}
		p.originRegex = re
	}
}

// checkOrigin panics unless origin is scheme://host[:port] and nothing else:
// browsers send exactly that, so anything more never matches.
func checkOrigin(origin string) {
	u, err := url.Parse(origin)
	switch {
	case err != nil || u.Scheme == "" || u.Host == "" || u.User != nil || u.Opaque != "":
		panic(fmt.Sprintf("middleware.CORS: AllowOrigins entry %q is not an origin like \"https://example.org\"", origin))
	case u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		panic(fmt.Sprintf("middleware.CORS: AllowOrigins entry %q has a path, query or fragment; browsers send %q", origin, u.Scheme+"://"+u.Host))
	case strings.Contains(u.Host, "*"):
		panic(fmt.Sprintf("middleware.CORS: AllowOrigins entry %q has a wildcard; use AllowOriginRegex for patterns", origin))
	}
}

func (p *corsPolicy) compileMethods(methods []string) {
	switch {
	case slices.Contains(methods, "*"):
		p.methods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
	case len(methods) == 0:
		p.methods = []string{"GET"}
	default:
		p.methods = slices.Clone(methods)
	}
	p.allowMethods = strings.Join(p.methods, ", ")
}

func (p *corsPolicy) compileHeaders(headers []string) {
	names := []string{"Accept", "Accept-Language", "Content-Language", "Content-Type"}
	for _, h := range headers {
		if h == "*" {
			p.allowAllHeaders = true
			continue
		}
		names = append(names, http.CanonicalHeaderKey(strings.TrimSpace(h)))
	}
	slices.Sort(names)
	names = slices.Compact(names)
	for _, name := range names {
		p.headers[strings.ToLower(name)] = true
	}
	if !p.allowAllHeaders {
		p.allowHeaders = strings.Join(names, ", ")
	}
}

func (p *corsPolicy) allowsOrigin(origin string) bool {
	switch {
	case p.origins[strings.ToLower(origin)]:
		return true
	case origin == "null":
		// Any document can make itself "null", so echoing it is as good as
		// allowing everyone; only "*" without credentials already does.
		return p.allowAllOrigins && !p.credentials
	default:
		return p.allowAllOrigins || p.originRegex != nil && p.originRegex.MatchString(origin)
	}
}

func (p *corsPolicy) allowOriginValue(origin string) string {
	if p.varyOrigin {
		return origin
	}
	return "*"
}

// preflight answers an OPTIONS preflight request in full, naming every
// refusal in the body, as Starlette does, to help whoever debugs the client.
func (p *corsPolicy) preflight(w http.ResponseWriter, r *http.Request, origin string) {
	h := w.Header()
	var failures []string
	if p.allowsOrigin(origin) {
		h.Set("Access-Control-Allow-Origin", p.allowOriginValue(origin))
	} else {
		failures = append(failures, "origin")
	}
	if !slices.Contains(p.methods, r.Header.Get("Access-Control-Request-Method")) {
		failures = append(failures, "method")
	}
	if !p.answerHeaders(h, r) {
		failures = append(failures, "headers")
	}
	if !p.answerPrivateNetwork(h, r) {
		failures = append(failures, "private-network")
	}
	p.setPreflightHeaders(h)
	if len(failures) > 0 {
		plainText(w, http.StatusBadRequest, "Disallowed CORS "+strings.Join(failures, ", "))
		return
	}
	plainText(w, http.StatusOK, "OK")
}

// answerHeaders sets Access-Control-Allow-Headers and reports whether every
// requested header is allowed. With "*" the request is echoed: browsers
// ignore a literal "*" on credentialed requests.
func (p *corsPolicy) answerHeaders(h http.Header, r *http.Request) bool {
	values, requested := r.Header["Access-Control-Request-Headers"]
	if p.allowAllHeaders {
		if requested {
			h.Set("Access-Control-Allow-Headers", strings.Join(values, ", "))
		}
		return true
	}
	h.Set("Access-Control-Allow-Headers", p.allowHeaders)
	for _, value := range values {
		for name := range strings.SplitSeq(value, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "" && !p.headers[name] {
				return false
			}
		}
	}
	return true
}

// answerPrivateNetwork handles Private Network Access and reports whether
// the preflight may go on.
func (p *corsPolicy) answerPrivateNetwork(h http.Header, r *http.Request) bool {
	if !strings.EqualFold(r.Header.Get("Access-Control-Request-Private-Network"), "true") {
		return true
	}
	if p.privateNetwork {
		h.Set("Access-Control-Allow-Private-Network", "true")
	}
	return p.privateNetwork
}

func (p *corsPolicy) setPreflightHeaders(h http.Header) {
	h.Set("Access-Control-Allow-Methods", p.allowMethods)
	h.Set("Access-Control-Max-Age", p.maxAge)
	if p.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	for _, token := range p.preflightVary {
		addVary(h, token)
	}
}

// decorate adds the CORS headers to a non-preflight response.
func (p *corsPolicy) decorate(h http.Header, origin string, hasOrigin bool) {
	if hasOrigin && p.allowsOrigin(origin) {
		h.Set("Access-Control-Allow-Origin", p.allowOriginValue(origin))
		if p.credentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if p.exposeHeaders != "" {
			h.Set("Access-Control-Expose-Headers", p.exposeHeaders)
		}
	}
	if p.varyOrigin {
		addVary(h, "Origin")
	}
}

// corsWriter adds the CORS headers when the response is committed, so a
// handler that replaces Vary or sets its own Access-Control-* headers cannot
// undo them.
type corsWriter struct {
	http.ResponseWriter
	policy    *corsPolicy
	origin    string
	hasOrigin bool
	committed bool
}

func (c *corsWriter) commit() {
	if !c.committed {
		c.committed = true
		c.policy.decorate(c.Header(), c.origin, c.hasOrigin)
	}
}

func (c *corsWriter) WriteHeader(status int) {
	if !informational(status) {
		c.commit()
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *corsWriter) Write(b []byte) (int, error) {
	c.commit()
	return c.ResponseWriter.Write(b)
}

// ReadFrom keeps the underlying writer's io.ReaderFrom (sendfile) usable.
func (c *corsWriter) ReadFrom(r io.Reader) (int64, error) {
	c.commit()
	return io.Copy(c.ResponseWriter, r)
}

// Flush implements http.Flusher.
func (c *corsWriter) Flush() { _ = c.FlushError() }

// FlushError commits the headers and flushes the writers underneath.
func (c *corsWriter) FlushError() error {
	c.commit()
	return http.NewResponseController(c.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the writers underneath.
func (c *corsWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }
