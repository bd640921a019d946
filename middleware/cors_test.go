package middleware_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/briskgo/brisk/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var homepage = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.WriteString(w, "Homepage")
})

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
	srv := liveServer(t, middleware.CORS(middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowCredentials: true, InsecureAllowAnyOriginWithCredentials: true,
	})(handler), next)

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
		"any origin with credentials": {
			middleware.CORSConfig{AllowOrigins: []string{"https://example.org", "*"}, AllowCredentials: true},
			`middleware.CORS: AllowOrigins "*" with AllowCredentials would let every website read its visitors' ` +
				`credentialed responses; list the allowed origins, or set InsecureAllowAnyOriginWithCredentials if that is really intended`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			assert.PanicsWithValue(t, tc.message, func() { middleware.CORS(tc.cfg) })
		})
	}
}

// "*" with credentials is refused at construction (above); with the loudly
// named opt-in it echoes every origin with credentials, as Starlette does.
func TestCORSAnyOriginWithCredentialsOptIn(t *testing.T) {
	assert.NotPanics(t, func() { middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"*"}}) }, "no credentials")
	assert.NotPanics(t, func() {
		middleware.CORS(middleware.CORSConfig{AllowOrigins: []string{"https://example.org"}, AllowCredentials: true})
	}, "listed origins")

	h := middleware.CORS(middleware.CORSConfig{
		AllowOrigins: []string{"*"}, AllowCredentials: true, InsecureAllowAnyOriginWithCredentials: true,
	})(homepage)
	resp := record(h, newRequest("GET", "/", "Origin", "https://evil.example", "Cookie", "sid=1"))
	assert.Equal(t, "https://evil.example", resp.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", resp.Header.Get("Access-Control-Allow-Credentials"))
	assertVary(t, resp, "Origin")
}
