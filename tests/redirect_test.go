package tests

// The trailing-slash redirect (issue 10, item 2): it never sends the client
// to another host, whatever the request's path.

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// redirectApp routes paths whose first segment is a parameter, the shape
// that made "//evil.com/" match with an empty first segment; with slash, the
// routes end with a slash, so "//evil.com" is the one redirected.
func redirectApp(slash string) *brisk.App {
	app := brisk.New(brisk.Config{})
	app.Get("/{owner}/{repo}"+slash, func(owner, repo string) string { return owner + "/" + repo })
	app.Post("/{owner}/{repo}"+slash, func(owner, repo string) string { return owner + "/" + repo })
	app.Get("/{owner}/", func(owner string) string { return owner })
	app.Get("/items/", func() string { return "items" })
	return app
}

// assertSameHost checks that a response either is no redirect or
// redirects to a path whose resolution against the request's URL, as a
// browser resolves it (a backslash reads as a slash in http URLs), stays on
// host.
func assertSameHost(t *testing.T, res result, host string) {
	t.Helper()
	loc := res.Header.Get("Location")
	if res.Status/100 != 3 {
		assert.Empty(t, loc, "status %d", res.Status)
		return
	}
	require.Equal(t, 307, res.Status, "body: %s", res.Body)
	require.True(t, strings.HasPrefix(loc, "/"), "Location %q is a path", loc)
	asBrowser := strings.ReplaceAll(loc, `\`, "/")
	assert.False(t, strings.HasPrefix(asBrowser, "//"), "Location %q is protocol-relative", loc)
	base, err := url.Parse("http://" + host + "/a/b/")
	require.NoError(t, err)
	ref, err := url.Parse(asBrowser)
	require.NoError(t, err, "Location %q", loc)
	assert.Equal(t, host, base.ResolveReference(ref).Host, "Location %q", loc)
}

func TestRedirectSlashesStaysOnHost(t *testing.T) {
	plain, slashed := serve(t, redirectApp("")), serve(t, redirectApp("/"))
	for _, target := range []string{
		"//evil.com/",
		"//user@evil.com/",
		"//evil.com:8080/",
		"///evil.com/",
		`/\evil.com/`,
		`/\/evil.com/`,
		`/\\evil.com/`,
		"/%2Fevil.com/",
		"/%2fevil.com/",
		"/%5Cevil.com/",
		"/%5cevil.com/",
		"//%65vil.com/",
		"//evil.com/?next=/",
		"//evil.com",
		"//evil.com/x/",
		"/%2F%2Fevil.com/",
		"//evil.com/x",
		"//evil.com:8080/x",
		`/\evil.com/x`,
	} {
		for _, method := range []string{"GET", "POST"} {
			for _, srv := range []*httptest.Server{plain, slashed} {
				t.Run(method+" "+target, func(t *testing.T) {
					res := send(t, srv, request{Raw: true, Method: method, Path: target, Body: `{"a":1}`})
					assertSameHost(t, res, srv.Listener.Addr().String())
				})
			}
		}
	}
}

// A path that would redirect off the host gets the 404 an unrouted path
// gets, with FastAPI's body.
func TestRedirectSlashesOffHostIsNotFound(t *testing.T) {
	srv := serve(t, redirectApp(""))
	for _, target := range []string{"//evil.com/", "//user@evil.com/", "//evil.com:8080/"} {
		res := send(t, srv, request{Raw: true, Method: "POST", Path: target, Body: `{"a":1}`})
		assert.Equal(t, 404, res.Status, target)
		assert.Equal(t, `{"detail":"Not Found"}`, res.Body, target)
		assert.Empty(t, res.Header.Get("Location"), target)
	}
}

// The redirect still works for ordinary paths, keeps the query and, for a
// POST, answers 307 so the client replays the body to the same host.
func TestRedirectSlashesOrdinaryPaths(t *testing.T) {
	srv := serve(t, redirectApp(""))
	for _, c := range []struct{ method, target, want string }{
		{"GET", "/items", "/items/"},
		{"GET", "/octo/cat/", "/octo/cat"},
		{"GET", "/octo/cat/?x=1", "/octo/cat?x=1"},
		{"POST", "/octo/cat/", "/octo/cat"},
		{"GET", "/octo", "/octo/"},
	} {
		res := send(t, srv, request{Raw: true, Method: c.method, Path: c.target})
		assert.Equal(t, 307, res.Status, "%s %s", c.method, c.target)
		assert.Equal(t, c.want, res.Header.Get("Location"), "%s %s", c.method, c.target)
	}
}

// Behind a proxy whose X-Forwarded-Prefix is trusted, the prefix is put in
// front of the redirect's path; a forged prefix cannot turn it into
// another host's URL either.
func TestRedirectSlashesForwardedPrefixStaysOnHost(t *testing.T) {
	app := brisk.New(brisk.Config{TrustForwardedPrefix: true})
	app.Get("/items/", func() string { return "items" })
	srv := serve(t, app)
	host := srv.Listener.Addr().String()
	for _, prefix := range []string{"//evil.com", `/\evil.com`, "//evil.com/", "https://evil.com", `\\evil.com`, "/%2F/evil.com", "/api"} {
		res := send(t, srv, request{Raw: true, Path: "/items", Headers: []string{"X-Forwarded-Prefix", prefix}})
		assertSameHost(t, res, host)
		assert.Equal(t, 307, res.Status, prefix)
	}
	res := send(t, srv, request{Raw: true, Path: "/items", Headers: []string{"X-Forwarded-Prefix", "/api"}})
	assert.Equal(t, "/api/items/", res.Header.Get("Location"))
}
