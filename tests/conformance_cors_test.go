package tests

// End-to-end ports of Starlette's tests/middleware/test_cors.py
// (github.com/Kludex/starlette, the 1.x behaviour Brisk follows), through a
// Brisk app: the one home of that suite. middleware/cors_test.go holds the
// Brisk-only cases. Starlette allows "*" with credentials; Brisk needs
// InsecureAllowAnyOriginWithCredentials for it (docs/middleware.md).

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// corsApp serves "Homepage" at "/" (every method) behind CORS(cfg). The
// handler of a route Starlette marks "pragma: no cover" must not run for a
// preflight; ran counts the calls.
func corsApp(t *testing.T, cfg middleware.CORSConfig, handlerHeaders ...string) (*brisk.App, *int) {
	t.Helper()
	app, _ := quietApp()
	app.Use(middleware.CORS(cfg))
	ran := new(int)
	home := func(r *http.Request) *brisk.Response {
		*ran++
		resp := brisk.Text(200, "Homepage")
		for i := 0; i+1 < len(handlerHeaders); i += 2 {
			resp.Header().Set(handlerHeaders[i], handlerHeaders[i+1])
		}
		return resp
	}
	for _, m := range []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"} {
		app.Handle(m, "/", home)
	}
	return app, ran
}

func preflight(origin, method string, more ...string) request {
	h := []string{"Origin", origin, "Access-Control-Request-Method", method}
	return request{Method: "OPTIONS", Path: "/", Headers: append(h, more...)}
}

func simple(origin string, more ...string) request {
	return request{Path: "/", Headers: append([]string{"Origin", origin}, more...)}
}

var allMethods = map[string]bool{"DELETE": true, "GET": true, "HEAD": true, "OPTIONS": true, "PATCH": true, "POST": true, "PUT": true}

// Starlette tests/middleware/test_cors.py::test_cors_allow_all
func TestStarletteCORSAllowAll(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"},
		ExposeHeaders: []string{"X-Status"}, AllowCredentials: true, InsecureAllowAnyOriginWithCredentials: true,
	})
	srv := serve(t, app)

	res := send(t, srv, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Example"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Example", res.Header.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Origin")
	assert.Equal(t, allMethods, tokenSet(res.Header.Get("Access-Control-Allow-Methods")))

	res = send(t, srv, simple("https://example.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Status", res.Header.Get("Access-Control-Expose-Headers"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Origin")

	// The credentialed and Authorization variants of Starlette 0.x's test:
	// the origin is echoed whatever the request carries.
	for _, extra := range [][]string{{"Cookie", "star_cookie=sugar"}, {"Authorization", "Some_token"}} {
		res = send(t, srv, simple("https://example.org", extra...))
		assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"), extra[0])
		assert.Equal(t, "X-Status", res.Header.Get("Access-Control-Expose-Headers"), extra[0])
		assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"), extra[0])
	}

	res = send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
}

// Starlette tests/middleware/test_cors.py::test_cors_allow_all_except_credentials
func TestStarletteCORSAllowAllExceptCredentials(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"},
		ExposeHeaders: []string{"X-Status"},
	})
	srv := serve(t, app)

	res := send(t, srv, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Example"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Example", res.Header.Get("Access-Control-Allow-Headers"))
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")

	res = send(t, srv, simple("https://example.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Status", res.Header.Get("Access-Control-Expose-Headers"))
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))
	assertVary(t, res)

	res = send(t, srv, request{Path: "/"})
	assert.Equal(t, "Homepage", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
}

// Starlette tests/middleware/test_cors.py::test_cors_allow_specific_origin
func TestStarletteCORSAllowSpecificOrigin(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"https://example.org"}, AllowHeaders: []string{"X-Example", "Content-Type"},
	})
	srv := serve(t, app)

	res := send(t, srv, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Example, Content-Type"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Accept, Accept-Language, Content-Language, Content-Type, X-Example", res.Header.Get("Access-Control-Allow-Headers"))
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")
	assert.Equal(t, "GET", res.Header.Get("Access-Control-Allow-Methods"))
	assert.Equal(t, "600", res.Header.Get("Access-Control-Max-Age"))

	res = send(t, srv, simple("https://example.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Origin")

	res = send(t, srv, simple("https://another.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res, "Origin")

	res = send(t, srv, request{Path: "/"})
	assert.Equal(t, "Homepage", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res, "Origin") // the answer depends on Origin, so caches must know
}

// Starlette tests/middleware/test_cors.py::test_cors_disallowed_preflight
func TestStarletteCORSDisallowedPreflight(t *testing.T) {
	app, ran := corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"https://example.org"}, AllowHeaders: []string{"X-Example"},
	})
	srv := serve(t, app)

	res := send(t, srv, preflight("https://another.org", "POST", "Access-Control-Request-Headers", "X-Nope"))
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "Disallowed CORS origin, method, headers", res.Body)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")

	res = send(t, srv, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Nope-1, X-Nope-2"))
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "Disallowed CORS headers", res.Body)

	res = send(t, srv, preflight("https://example.org", "DELETE"))
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "Disallowed CORS method", res.Body)

	assert.Zero(t, *ran, "a preflight never reaches the handler")
}

// Starlette (0.x) tests/middleware/test_cors.py::test_preflight_allows_request_origin_if_origins_wildcard_and_credentials_allowed
func TestStarletteCORSPreflightAllowsRequestOriginIfOriginsWildcardAndCredentialsAllowed(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowMethods: []string{"POST"}, AllowCredentials: true, InsecureAllowAnyOriginWithCredentials: true,
	})
	srv := serve(t, app)

	res := send(t, srv, preflight("https://example.org", "POST"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assert.True(t, varySet(res.Header)["Origin"], "Vary: %q", res.Header.Values("Vary"))
}

// Starlette tests/middleware/test_cors.py::test_cors_preflight_allow_all_methods
func TestStarletteCORSPreflightAllowAllMethods(t *testing.T) {
	app, ran := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}})
	srv := serve(t, app)

	for m := range allMethods {
		res := send(t, srv, preflight("https://example.org", m))
		assert.Equal(t, 200, res.Status, m)
		assert.Equal(t, allMethods, tokenSet(res.Header.Get("Access-Control-Allow-Methods")), m)
	}
	assert.Zero(t, *ran)
}

// Starlette tests/middleware/test_cors.py::test_cors_allow_all_methods
func TestStarletteCORSAllowAllMethods(t *testing.T) {
	app, ran := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}})
	srv := serve(t, app)

	for _, m := range []string{"PATCH", "POST", "PUT"} {
		res := send(t, srv, request{Method: m, Path: "/", Body: "{}", Headers: []string{"Origin", "https://example.org", "Content-Type", "application/json"}})
		assert.Equal(t, 200, res.Status, m)
		assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"), m)
	}
	for _, m := range []string{"DELETE", "GET", "HEAD", "OPTIONS"} {
		res := send(t, srv, request{Method: m, Path: "/", Headers: []string{"Origin", "https://example.org"}})
		assert.Equal(t, 200, res.Status, m)
	}
	assert.Equal(t, 7, *ran, "OPTIONS without Access-Control-Request-Method is not a preflight")
}

// Starlette tests/middleware/test_cors.py::test_cors_allow_origin_regex
func TestStarletteCORSAllowOriginRegex(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{
		AllowHeaders: []string{"X-Example", "Content-Type"}, AllowOriginRegex: "https://.*", AllowCredentials: true,
	})
	srv := serve(t, app)

	for _, extra := range [][]string{nil, {"Cookie", "star_cookie=sugar"}} {
		res := send(t, srv, simple("https://example.org", extra...))
		assert.Equal(t, 200, res.Status)
		assert.Equal(t, "Homepage", res.Body)
		assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
		assertVary(t, res, "Origin")
	}

	res := send(t, srv, simple("http://example.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res, "Origin")

	res = send(t, srv, preflight("https://another.com", "GET", "Access-Control-Request-Headers", "X-Example, content-type"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "https://another.com", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Accept, Accept-Language, Content-Language, Content-Type, X-Example", res.Header.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")

	res = send(t, srv, preflight("http://another.com", "GET", "Access-Control-Request-Headers", "X-Example"))
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "Disallowed CORS origin", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
}

// Starlette tests/middleware/test_cors.py::test_cors_allow_origin_regex_fullmatch
func TestStarletteCORSAllowOriginRegexFullmatch(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{
		AllowHeaders: []string{"X-Example", "Content-Type"}, AllowOriginRegex: `https://.*\.example.org`,
	})
	srv := serve(t, app)

	res := send(t, srv, simple("https://subdomain.example.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "https://subdomain.example.org", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Origin")

	res = send(t, srv, simple("https://subdomain.example.org.hacker.com"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res, "Origin")

	// An alternation is anchored as a whole, not only its first branch.
	app, _ = corsApp(t, middleware.CORSConfig{AllowOriginRegex: `https://a\.org|https://b\.org`})
	srv = serve(t, app)
	assert.Empty(t, send(t, srv, simple("https://a.org.evil.com")).Header.Values("Access-Control-Allow-Origin"))
	assert.Equal(t, "https://b.org", send(t, srv, simple("https://b.org")).Header.Get("Access-Control-Allow-Origin"))
}

// Starlette tests/middleware/test_cors.py::test_cors_vary_header_behavior
func TestStarletteCORSVaryHeaderBehavior(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}}, "Vary", "Accept-Encoding")
	srv := serve(t, app)
	res := send(t, srv, simple("https://example.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, res, "Accept-Encoding", "Origin")

	app, _ = corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}}, "Vary", "Accept-Encoding")
	srv = serve(t, app)
	res = send(t, srv, simple("https://someplace.org"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, res, "Accept-Encoding")

	app, _ = corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowCredentials: true, InsecureAllowAnyOriginWithCredentials: true,
	}, "Vary", "Accept-Encoding")
	srv = serve(t, app)
	res = send(t, srv, simple("https://someplace.org", "Cookie", "foo=bar"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "https://someplace.org", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, res, "Accept-Encoding", "Origin")
}

// Starlette tests/middleware/test_cors.py::test_cors_preflight_vary_with_wildcard_origins_specific_methods
func TestStarletteCORSPreflightVaryWithWildcardOriginsSpecificMethods(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"GET", "POST"}})
	res := send(t, serve(t, app), preflight("https://example.org", "POST"))
	assert.Equal(t, 200, res.Status)
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method")
}

// Starlette tests/middleware/test_cors.py::test_cors_preflight_vary_with_specific_origins_wildcard_methods
func TestStarletteCORSPreflightVaryWithSpecificOriginsWildcardMethods(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}, AllowMethods: []string{"*"}})
	res := send(t, serve(t, app), preflight("https://example.org", "POST"))
	assert.Equal(t, 200, res.Status)
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Origin")
}

// Starlette tests/middleware/test_cors.py::test_cors_allowed_origin_does_not_leak_between_credentialed_requests
func TestStarletteCORSAllowedOriginDoesNotLeakBetweenCredentialedRequests(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"}, AllowCredentials: true,
		InsecureAllowAnyOriginWithCredentials: true,
	})
	srv := serve(t, app)
	for _, c := range []struct {
		origin string
		extra  []string
	}{{"https://first.example", nil}, {"https://second.example", []string{"Cookie", "foo=bar"}}, {"https://first.example", nil}} {
		res := send(t, srv, simple(c.origin, c.extra...))
		assert.Equal(t, c.origin, res.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Credentials"))
	}

	// The same with listed origins: a refused origin in between changes
	// nothing for the next allowed one.
	app, _ = corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}})
	srv = serve(t, app)
	for _, c := range []struct{ origin, want string }{
		{"https://example.org", "https://example.org"}, {"https://other.org", ""}, {"https://example.org", "https://example.org"},
	} {
		assert.Equal(t, c.want, send(t, srv, simple(c.origin)).Header.Get("Access-Control-Allow-Origin"), c.origin)
	}
}

// Starlette (0.x) tests/middleware/test_cors.py::test_cors_credentialed_requests_return_specific_origin
// Brisk follows Starlette 1.x: with "*" and no credentials the answer is
// "*" for everyone, cookies or not.
func TestStarletteCORSCredentialedRequestsReturnSpecificOrigin(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}})
	res := send(t, serve(t, app), simple("https://example.org", "Cookie", "star_cookie=sugar"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Credentials"))
}

// Starlette tests/middleware/test_cors.py::test_cors_private_network_access_allowed
func TestStarletteCORSPrivateNetworkAccessAllowed(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowPrivateNetwork: true})
	srv := serve(t, app)

	res := send(t, srv, preflight("https://example.org", "GET", "Access-Control-Request-Private-Network", "true"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "true", res.Header.Get("Access-Control-Allow-Private-Network"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")

	res = send(t, srv, preflight("https://example.org", "GET"))
	assert.Equal(t, 200, res.Status)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Private-Network"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")

	res = send(t, srv, simple("https://example.org", "Access-Control-Request-Method", "GET", "Access-Control-Request-Private-Network", "true"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Homepage", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Private-Network"))
	assert.NotEmpty(t, res.Header.Values("Access-Control-Allow-Origin"))
}

// Starlette tests/middleware/test_cors.py::test_cors_private_network_access_disallowed
func TestStarletteCORSPrivateNetworkAccessDisallowed(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}})
	srv := serve(t, app)

	res := send(t, srv, preflight("https://example.org", "GET"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Private-Network"))

	res = send(t, srv, preflight("https://example.org", "GET", "Access-Control-Request-Private-Network", "true"))
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "Disallowed CORS private-network", res.Body)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Private-Network"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")
}

// Starlette tests/middleware/test_cors.py::test_cors_null_origin_rejection
// Brisk differs where DESIGN's "better than Starlette" applies: with "*"
// and no credentials, Origin: null gets "*" like every origin
// (docs/middleware.md). A regex never admits null.
func TestStarletteCORSNullOriginRejection(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}})
	srv := serve(t, app)
	res := send(t, srv, preflight("null", "GET"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	res = send(t, srv, simple("null"))
	assert.Equal(t, "*", res.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, res)

	// With credentials, echoing "null" would let any sandboxed document
	// read credentialed responses: refused even with the opt-in.
	app, _ = corsApp(t, middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowCredentials: true, InsecureAllowAnyOriginWithCredentials: true,
	})
	srv = serve(t, app)
	assert.Equal(t, 400, send(t, srv, preflight("null", "GET")).Status)
	assert.Empty(t, send(t, srv, simple("null")).Header.Values("Access-Control-Allow-Origin"))

	for _, re := range []string{`.*`, `null|https://.*`} {
		app, _ := corsApp(t, middleware.CORSConfig{AllowOriginRegex: re})
		srv := serve(t, app)
		res := send(t, srv, preflight("null", "GET"))
		assert.Equal(t, 400, res.Status, re)
		assert.Contains(t, res.Body, "origin", re)
		res = send(t, srv, simple("null"))
		assert.Equal(t, 200, res.Status, re)
		assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"), re)
		res = send(t, srv, simple("https://example.org"))
		assert.Equal(t, "https://example.org", res.Header.Get("Access-Control-Allow-Origin"), re)
	}
}

// Starlette tests/middleware/test_cors.py::test_cors_null_origin_explicitly_allowed
func TestStarletteCORSNullOriginExplicitlyAllowed(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"null", "https://example.org"}})
	srv := serve(t, app)
	res := send(t, srv, preflight("null", "GET"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "null", res.Header.Get("Access-Control-Allow-Origin"))
	res = send(t, srv, simple("null"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "null", res.Header.Get("Access-Control-Allow-Origin"))
}

// Starlette tests/middleware/test_cors.py::test_cors_method_case_sensitive
func TestStarletteCORSMethodCaseSensitive(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}, AllowMethods: []string{"POST"}})
	srv := serve(t, app)
	assert.Equal(t, 200, send(t, srv, preflight("https://example.org", "POST")).Status)
	res := send(t, srv, preflight("https://example.org", "post"))
	assert.Equal(t, 400, res.Status)
	assert.Equal(t, "Disallowed CORS method", res.Body)
}

// Starlette tests/middleware/test_cors.py::test_cors_empty_origins_list
func TestStarletteCORSEmptyOriginsList(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{}})
	srv := serve(t, app)
	res := send(t, srv, preflight("https://example.org", "GET"))
	assert.Equal(t, 400, res.Status)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")

	res = send(t, srv, simple("https://example.org"))
	assert.Equal(t, 200, res.Status)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res, "Origin")
}

// Starlette tests/middleware/test_cors.py::test_cors_origins_list_and_regex_both_accepted
func TestStarletteCORSOriginsListAndRegexBothAccepted(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}, AllowOriginRegex: `https://.*\.trusted\.com`})
	srv := serve(t, app)
	assert.Equal(t, "https://example.org", send(t, srv, simple("https://example.org")).Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "https://api.trusted.com", send(t, srv, simple("https://api.trusted.com")).Header.Get("Access-Control-Allow-Origin"))
	res := send(t, srv, simple("https://evil.com"))
	assert.Equal(t, 200, res.Status)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
}

// Starlette tests/middleware/test_cors.py::test_cors_max_age_header
func TestStarletteCORSMaxAgeHeader(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}})
	res := send(t, serve(t, app), preflight("https://example.org", "GET"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "600", res.Header.Get("Access-Control-Max-Age"))

	app, _ = corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, MaxAge: 7200})
	res = send(t, serve(t, app), preflight("https://example.org", "GET"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "7200", res.Header.Get("Access-Control-Max-Age"))

	// Brisk: a negative MaxAge sends 0, so that every request is preflighted.
	app, _ = corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, MaxAge: -1})
	res = send(t, serve(t, app), preflight("https://example.org", "GET"))
	assert.Equal(t, "0", res.Header.Get("Access-Control-Max-Age"))
}

// Starlette tests/middleware/test_cors.py::test_cors_no_origin_header_no_cors_processing
func TestStarletteCORSNoOriginHeaderNoCORSProcessing(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}})
	res := send(t, serve(t, app), request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))
	assertVary(t, res)
}

// Starlette tests/middleware/test_cors.py::test_cors_header_name_case_insensitive
func TestStarletteCORSHeaderNameCaseInsensitive(t *testing.T) {
	app, _ := corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowHeaders: []string{"X-Custom-Header"}})
	res := send(t, serve(t, app), preflight("https://example.org", "GET", "Access-Control-Request-Headers", "x-custom-header"))
	assert.Equal(t, 200, res.Status)

	app, _ = corsApp(t, middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowHeaders: []string{"x-custom-header", "content-type"}})
	res = send(t, serve(t, app), preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-CUSTOM-HEADER"))
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "Accept, Accept-Language, Content-Language, Content-Type, X-Custom-Header", res.Header.Get("Access-Control-Allow-Headers"),
		"names are listed once each, canonically")
}

// FastAPI tests/test_tutorial/test_cors/test_tutorial001.py::test_cors: the
// tutorial's CORSMiddleware on a FastAPI app, through routing, a typed
// handler and the 404 of an unknown route.
func TestFastAPICORSTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Use(middleware.CORS(middleware.CORSConfig{
		AllowOrigins:     []string{"http://localhost.tiangolo.com", "https://localhost.tiangolo.com", "http://localhost", "http://localhost:8080"},
		AllowCredentials: true, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"},
	}))
	app.Get("/", func() map[string]string { return map[string]string{"message": "Hello World"} })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "OPTIONS", Path: "/", Headers: []string{
		"Origin", "http://localhost:8080", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "X-Example",
	}})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "OK", res.Body)
	assert.Equal(t, "http://localhost:8080", res.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Example", res.Header.Get("Access-Control-Allow-Headers"))

	res = send(t, srv, simple("http://localhost:8080"))
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"message": "Hello World"}`, res)
	assert.Equal(t, "http://localhost:8080", res.Header.Get("Access-Control-Allow-Origin"))

	res = send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"message": "Hello World"}`, res)
	assert.Empty(t, res.Header.Values("Access-Control-Allow-Origin"))

	res = send(t, srv, request{Path: "/nowhere", Headers: []string{"Origin", "http://localhost:8080"}})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"Not Found"}`, res)
	assert.Equal(t, "http://localhost:8080", res.Header.Get("Access-Control-Allow-Origin"))
}
