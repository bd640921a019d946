package middleware_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/briskgo/brisk/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var homepage = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.WriteString(w, "Homepage")
})

// mustNotRun stands for a handler a preflight must never reach.
func mustNotRun(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("the preflight reached the handler")
	})
}

// listSet splits a comma list header into a set.
func listSet(value string) []string {
	var items []string
	for item := range strings.SplitSeq(value, ",") {
		if item = strings.TrimSpace(item); item != "" {
			items = append(items, item)
		}
	}
	sort.Strings(items)
	return items
}

func sorted(items ...string) []string {
	sort.Strings(items)
	return items
}

// assertVary checks the set of Vary tokens; nil means no Vary at all.
func assertVary(t *testing.T, resp *http.Response, want ...string) {
	t.Helper()
	got := varyTokens(resp.Header)
	if len(want) == 0 {
		assert.Empty(t, got, "Vary")
		return
	}
	wantSet := map[string]int{}
	for _, token := range want {
		wantSet[token] = 1
	}
	assert.Equal(t, wantSet, got, "Vary")
}

func preflight(origin, method string, extra ...string) *http.Request {
	return newRequest("OPTIONS", "/", append([]string{"Origin", origin, "Access-Control-Request-Method", method}, extra...)...)
}

var allMethods = sorted("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")

// --- Ported from Starlette's tests/middleware/test_cors.py ---

func TestCORSAllowAll(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins:     []string{"*"},
		AllowHeaders:     []string{"*"},
		AllowMethods:     []string{"*"},
		ExposeHeaders:    []string{"X-Status"},
		AllowCredentials: true,
	})(homepage)

	// Preflight.
	resp := record(h, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Example"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "OK", string(readBody(t, resp)))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Example", resp.Header.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Origin")
	assert.Equal(t, allMethods, listSet(resp.Header.Get("Access-Control-Allow-Methods")))

	// Standard response.
	resp = record(h, newRequest("GET", "/", "Origin", "https://example.org"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Status", resp.Header.Get("Access-Control-Expose-Headers"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Origin")

	// Standard credentialed response.
	resp = record(h, newRequest("GET", "/", "Origin", "https://example.org", "Cookie", "star_cookie=sugar"))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Status", resp.Header.Get("Access-Control-Expose-Headers"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))

	// Non-CORS response.
	resp = record(h, newRequest("GET", "/"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSAllowAllExceptCredentials(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins:  []string{"*"},
		AllowHeaders:  []string{"*"},
		AllowMethods:  []string{"*"},
		ExposeHeaders: []string{"X-Status"},
	})(homepage)

	resp := record(h, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Example"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "OK", string(readBody(t, resp)))
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Example", resp.Header.Get("Access-Control-Allow-Headers"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")

	resp = record(h, newRequest("GET", "/", "Origin", "https://example.org"))
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "X-Status", resp.Header.Get("Access-Control-Expose-Headers"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp)

	resp = record(h, newRequest("GET", "/"))
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp)
}

func TestCORSAllowSpecificOrigin(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins: []string{"https://example.org"},
		AllowHeaders: []string{"X-Example", "Content-Type"},
	})(homepage)

	resp := record(h, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Example, Content-Type"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "OK", string(readBody(t, resp)))
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Accept, Accept-Language, Content-Language, Content-Type, X-Example", resp.Header.Get("Access-Control-Allow-Headers"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")
	assert.Equal(t, "GET", resp.Header.Get("Access-Control-Allow-Methods"))

	resp = record(h, newRequest("GET", "/", "Origin", "https://example.org"))
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Origin")

	resp = record(h, newRequest("GET", "/", "Origin", "https://another.org"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Origin")

	resp = record(h, newRequest("GET", "/"))
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Origin") // the answer depends on Origin, so caches must know
}

func TestCORSDisallowedPreflight(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins: []string{"https://example.org"},
		AllowHeaders: []string{"X-Example"},
	})(mustNotRun(t))

	resp := record(h, preflight("https://another.org", "POST", "Access-Control-Request-Headers", "X-Nope"))
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Disallowed CORS origin, method, headers", string(readBody(t, resp)))
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")

	// Several disallowed headers are reported once (Starlette PR 1199).
	resp = record(h, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-Nope-1, X-Nope-2"))
	assert.Equal(t, "Disallowed CORS headers", string(readBody(t, resp)))
}

func TestCORSPreflightAllowsRequestOriginIfWildcardAndCredentials(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins:     []string{"*"},
		AllowMethods:     []string{"POST"},
		AllowCredentials: true,
	})(mustNotRun(t))

	resp := record(h, preflight("https://example.org", "POST"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assert.Contains(t, varyTokens(resp.Header), "Origin")
}

func TestCORSPreflightAllowAllMethods(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}})(mustNotRun(t))

	for _, method := range allMethods {
		resp := record(h, preflight("https://example.org", method))
		assert.Equal(t, 200, resp.StatusCode, method)
		assert.Equal(t, allMethods, listSet(resp.Header.Get("Access-Control-Allow-Methods")))
	}
}

func TestCORSAllowAllMethods(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}})(homepage)

	for _, method := range allMethods {
		resp := record(h, newRequest(method, "/", "Origin", "https://example.org"))
		assert.Equal(t, 200, resp.StatusCode, method)
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"), method)
	}
}

func TestCORSAllowOriginRegex(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowHeaders:     []string{"X-Example", "Content-Type"},
		AllowOriginRegex: "https://.*",
		AllowCredentials: true,
	})(homepage)

	resp := record(h, newRequest("GET", "/", "Origin", "https://example.org"))
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Origin")

	resp = record(h, newRequest("GET", "/", "Origin", "https://example.org", "Cookie", "star_cookie=sugar"))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))

	// Enforcement is the browser's: a disallowed origin just gets no
	// Access-Control-Allow-Origin.
	resp = record(h, newRequest("GET", "/", "Origin", "http://example.org"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Origin")

	resp = record(h, preflight("https://another.com", "GET", "Access-Control-Request-Headers", "X-Example, content-type"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "OK", string(readBody(t, resp)))
	assert.Equal(t, "https://another.com", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Accept, Accept-Language, Content-Language, Content-Type, X-Example", resp.Header.Get("Access-Control-Allow-Headers"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")

	resp = record(h, preflight("http://another.com", "GET", "Access-Control-Request-Headers", "X-Example"))
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Disallowed CORS origin", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSAllowOriginRegexFullMatch(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowHeaders:     []string{"X-Example", "Content-Type"},
		AllowOriginRegex: `https://.*\.example.org`,
	})(homepage)

	resp := record(h, newRequest("GET", "/", "Origin", "https://subdomain.example.org"))
	assert.Equal(t, "https://subdomain.example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Origin")

	resp = record(h, newRequest("GET", "/", "Origin", "https://subdomain.example.org.hacker.com"))
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Origin")

	// An alternation is anchored as a whole, not only its first branch.
	h = middleware.CORS(middleware.CORSConfig{AllowOriginRegex: `https://a\.org|https://b\.org`})(homepage)
	resp = record(h, newRequest("GET", "/", "Origin", "https://a.org.evil.com"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	resp = record(h, newRequest("GET", "/", "Origin", "https://b.org"))
	assert.Equal(t, "https://b.org", resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSVaryHeaderBehaviour(t *testing.T) {
	withVary := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Encoding")
		_, _ = io.WriteString(w, "Homepage")
	})

	// Specific origins add Vary: Origin.
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}})(withVary)
	resp := record(h, newRequest("GET", "/", "Origin", "https://example.org"))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Accept-Encoding", "Origin")

	// A wildcard without credentials does not.
	h = middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}})(withVary)
	resp = record(h, newRequest("GET", "/", "Origin", "https://someplace.org"))
	assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Accept-Encoding")

	// A wildcard with credentials does.
	h = middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowCredentials: true})(withVary)
	resp = record(h, newRequest("GET", "/", "Cookie", "foo=bar", "Origin", "https://someplace.org"))
	assert.Equal(t, "https://someplace.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Accept-Encoding", "Origin")
}

func TestCORSPreflightVaryWithWildcardOriginsSpecificMethods(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"GET", "POST"}})(mustNotRun(t))

	resp := record(h, preflight("https://example.org", "POST"))
	assert.Equal(t, 200, resp.StatusCode)
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method")
}

func TestCORSPreflightVaryWithSpecificOriginsWildcardMethods(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}, AllowMethods: []string{"*"}})(mustNotRun(t))

	resp := record(h, preflight("https://example.org", "POST"))
	assert.Equal(t, 200, resp.StatusCode)
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Origin")
}

func TestCORSAllowedOriginDoesNotLeakBetweenRequests(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowHeaders: []string{"*"}, AllowMethods: []string{"*"}, AllowCredentials: true,
	})(homepage)

	resp := record(h, newRequest("GET", "/", "Origin", "https://first.example"))
	assert.Equal(t, "https://first.example", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))

	resp = record(h, newRequest("GET", "/", "Cookie", "foo=bar", "Origin", "https://second.example"))
	assert.Equal(t, "https://second.example", resp.Header.Get("Access-Control-Allow-Origin"))

	resp = record(h, newRequest("GET", "/", "Origin", "https://first.example"))
	assert.Equal(t, "https://first.example", resp.Header.Get("Access-Control-Allow-Origin"))

	specific := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}})(homepage)
	assert.Equal(t, "https://example.org", record(specific, newRequest("GET", "/", "Origin", "https://example.org")).Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, record(specific, newRequest("GET", "/", "Origin", "https://other.org")).Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "https://example.org", record(specific, newRequest("GET", "/", "Origin", "https://example.org")).Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSPrivateNetworkAccessAllowed(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowPrivateNetwork: true,
	})(homepage)
	pna := []string{"Access-Control-Request-Private-Network", "true"}

	resp := record(h, preflight("https://example.org", "GET", pna...))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "OK", string(readBody(t, resp)))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Private-Network"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")

	resp = record(h, preflight("https://example.org", "GET"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Private-Network"))

	// Only preflights are answered with it.
	resp = record(h, newRequest("GET", "/", append([]string{"Origin", "https://example.org"}, pna...)...))
	assert.Equal(t, "Homepage", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Private-Network"))
	assert.NotEmpty(t, resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSPrivateNetworkAccessDisallowed(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}})(mustNotRun(t))

	resp := record(h, preflight("https://example.org", "GET"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Private-Network"))

	resp = record(h, preflight("https://example.org", "GET", "Access-Control-Request-Private-Network", "true"))
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Disallowed CORS private-network", string(readBody(t, resp)))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Private-Network"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network")
}

func TestCORSNullOrigin(t *testing.T) {
	t.Run("rejected with a regex matching everything", func(t *testing.T) {
		h := middleware.CORS(middleware.CORSConfig{AllowOriginRegex: ".*"})(homepage)
		resp := record(h, preflight("null", "GET"))
		assert.Equal(t, 400, resp.StatusCode)
		assert.Contains(t, strings.ToLower(string(readBody(t, resp))), "origin")
	})
	t.Run("rejected even when the regex names it", func(t *testing.T) {
		h := middleware.CORS(middleware.CORSConfig{AllowOriginRegex: `null|https://.*`})(homepage)
		resp := record(h, preflight("null", "GET"))
		assert.Equal(t, 400, resp.StatusCode)
		assert.Empty(t, record(h, newRequest("GET", "/", "Origin", "null")).Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "https://example.org", record(h, newRequest("GET", "/", "Origin", "https://example.org")).Header.Get("Access-Control-Allow-Origin"))
	})
	t.Run("rejected with a wildcard and credentials", func(t *testing.T) {
		h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowCredentials: true})(homepage)
		assert.Equal(t, 400, record(h, preflight("null", "GET")).StatusCode)
		assert.Empty(t, record(h, newRequest("GET", "/", "Origin", "null")).Header.Get("Access-Control-Allow-Origin"))
	})
	t.Run("a wildcard without credentials answers it like any origin", func(t *testing.T) {
		// Starlette refuses it here; but then a response cached for a
		// "null" request (no Vary) would lack the header for everyone.
		h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}})(homepage)
		resp := record(h, preflight("null", "GET"))
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
		resp = record(h, newRequest("GET", "/", "Origin", "null"))
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
		assertVary(t, resp)
	})
	t.Run("allowed when listed", func(t *testing.T) {
		h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"null", "https://example.org"}})(homepage)
		resp := record(h, preflight("null", "GET"))
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, "null", resp.Header.Get("Access-Control-Allow-Origin"))
		assert.Equal(t, "null", record(h, newRequest("GET", "/", "Origin", "null")).Header.Get("Access-Control-Allow-Origin"))
	})
}

func TestCORSMethodsAreCaseSensitive(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}, AllowMethods: []string{"POST"}})(mustNotRun(t))

	assert.Equal(t, 200, record(h, preflight("https://example.org", "POST")).StatusCode)
	resp := record(h, preflight("https://example.org", "post"))
	assert.Equal(t, 400, resp.StatusCode)
	assert.Equal(t, "Disallowed CORS method", string(readBody(t, resp)))
}

func TestCORSEmptyOriginsList(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{})(homepage)

	resp := record(h, preflight("https://example.org", "GET"))
	assert.Equal(t, 400, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Access-Control-Request-Headers", "Access-Control-Request-Private-Network", "Access-Control-Request-Method", "Origin")

	resp = record(h, newRequest("GET", "/", "Origin", "https://example.org"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Origin")
}

func TestCORSOriginsListAndRegexBothAccepted(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins:     []string{"https://example.org"},
		AllowOriginRegex: `https://.*\.trusted\.com`,
	})(homepage)

	assert.Equal(t, "https://example.org", record(h, newRequest("GET", "/", "Origin", "https://example.org")).Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "https://api.trusted.com", record(h, newRequest("GET", "/", "Origin", "https://api.trusted.com")).Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, record(h, newRequest("GET", "/", "Origin", "https://evil.com")).Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSMaxAge(t *testing.T) {
	cases := []struct {
		maxAge int
		want   string
	}{{0, "600"}, {7200, "7200"}, {-1, "0"}}
	for _, tc := range cases {
		h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, MaxAge: tc.maxAge})(mustNotRun(t))
		resp := record(h, preflight("https://example.org", "GET"))
		assert.Equal(t, 200, resp.StatusCode)
		assert.Equal(t, tc.want, resp.Header.Get("Access-Control-Max-Age"), "MaxAge %d", tc.maxAge)
	}
}

func TestCORSNoOriginNoProcessing(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}})(homepage)

	resp := record(h, newRequest("GET", "/"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp)
}

func TestCORSHeaderNamesAreCaseInsensitive(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowHeaders: []string{"X-Custom-Header"}})(mustNotRun(t))

	resp := record(h, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "x-custom-header"))
	assert.Equal(t, 200, resp.StatusCode)

	h = middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowHeaders: []string{"x-custom-header", "content-type"}})(mustNotRun(t))
	resp = record(h, preflight("https://example.org", "GET", "Access-Control-Request-Headers", "X-CUSTOM-HEADER"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Accept, Accept-Language, Content-Language, Content-Type, X-Custom-Header", resp.Header.Get("Access-Control-Allow-Headers"),
		"names are listed once each, canonically")
}

func TestCORSOptionsWithoutOriginReachesTheHandler(t *testing.T) {
	options := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "Application OPTIONS")
	})
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://allowed.example"}})(options)

	resp := record(h, newRequest("OPTIONS", "/", "Access-Control-Request-Method", "GET"))
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "Application OPTIONS", string(readBody(t, resp)))
	assertVary(t, resp, "Origin")
}

func TestCORSWithGZip(t *testing.T) {
	withVary := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Accept-Language")
		_, _ = io.WriteString(w, strings.Repeat("Homepage", 100))
	})
	cors := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://allowed.example"}})
	gz := middleware.GZip(middleware.GZipConfig{MinimumSize: 1})
	stacks := map[string]http.Handler{
		"cors outermost": cors(gz(withVary)),
		"gzip outermost": gz(cors(withVary)),
	}
	for name, h := range stacks {
		t.Run(name, func(t *testing.T) {
			resp := record(h, newRequest("GET", "/", "Origin", "https://allowed.example", "Accept-Encoding", "gzip"))

			assert.Equal(t, strings.Repeat("Homepage", 100), gunzip(t, readBody(t, resp)))
			assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
			assert.Equal(t, "https://allowed.example", resp.Header.Get("Access-Control-Allow-Origin"))
			assertVary(t, resp, "Accept-Language", "Accept-Encoding", "Origin")
		})
	}
}

// --- Beyond Starlette's suite ---

func TestCORSDisallowedOriginGetsNoCORSHeaders(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins: []string{"https://example.org"}, AllowCredentials: true, ExposeHeaders: []string{"X-Status"},
	})(homepage)

	resp := record(h, newRequest("GET", "/", "Origin", "https://evil.example"))

	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, resp.Header.Get("Access-Control-Allow-Credentials"))
	assert.Empty(t, resp.Header.Get("Access-Control-Expose-Headers"))
	assertVary(t, resp, "Origin")
}

func TestCORSOriginsCompareCaseInsensitively(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://Example.ORG"}})(homepage)

	resp := record(h, newRequest("GET", "/", "Origin", "https://example.org"))
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"), "the request's origin is echoed")
}

func TestCORSHeadersSurviveHandlerChanges(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Vary", "Cookie")
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.WriteHeader(http.StatusCreated)
	}))

	resp := record(h, newRequest("POST", "/", "Origin", "https://example.org"))

	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	assertVary(t, resp, "Cookie", "Origin")
}

func TestCORSEmptyHandlerResponse(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}})(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))

	resp := record(h, newRequest("GET", "/", "Origin", "https://example.org"))

	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
}

func TestCORSStreamingResponse(t *testing.T) {
	next := newGate()
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "tick\n")
		_ = http.NewResponseController(w).Flush()
		next.wait()
	})
	srv := liveServer(t, middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}, AllowCredentials: true})(handler), next)

	resp := get(t, srv, "Origin", "https://example.org")
	defer resp.Body.Close()
	assert.Equal(t, "https://example.org", resp.Header.Get("Access-Control-Allow-Origin"))
	got := make([]byte, len("tick\n"))
	_, err := io.ReadFull(resp.Body, got)
	require.NoError(t, err)
	assert.Equal(t, "tick\n", string(got))
}

func TestCORSWebSocketHandshakePassesThrough(t *testing.T) {
	h := middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, ok := w.(http.Hijacker)
		assert.True(t, ok, "the connection can still be hijacked")
	}))
	rec := hijackableRecorder{httptest.NewRecorder()}

	h.ServeHTTP(rec, newRequest("GET", "/ws", "Origin", "https://evil.example", "Connection", "Upgrade", "Upgrade", "websocket"))

	assert.Empty(t, rec.Header().Values("Vary"))
}

// hijackableRecorder is a recorder that claims to support hijacking.
type hijackableRecorder struct{ *httptest.ResponseRecorder }

func (hijackableRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("not a real connection")
}

func TestCORSBadConfigPanics(t *testing.T) {
	cases := map[string]struct {
		cfg     middleware.CORSConfig
		message string
	}{
		"regex": {
			middleware.CORSConfig{AllowOriginRegex: "https://(.*"},
			"middleware.CORS: AllowOriginRegex \"https://(.*\" does not compile: error parsing regexp: missing closing ): `^(?:https://(.*)$`",
		},
		"trailing slash": {
			middleware.CORSConfig{AllowOrigins: []string{"https://example.org/"}},
			`middleware.CORS: AllowOrigins entry "https://example.org/" has a path, query or fragment; browsers send "https://example.org"`,
		},
		"no scheme": {
			middleware.CORSConfig{AllowOrigins: []string{"example.org"}},
			`middleware.CORS: AllowOrigins entry "example.org" is not an origin like "https://example.org"`,
		},
		"wildcard": {
			middleware.CORSConfig{AllowOrigins: []string{"https://*.example.org"}},
			`middleware.CORS: AllowOrigins entry "https://*.example.org" has a wildcard; use AllowOriginRegex for patterns`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			assert.PanicsWithValue(t, tc.message, func() { middleware.CORS(tc.cfg) })
		})
	}
}
