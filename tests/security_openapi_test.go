package tests

// Security schemes in the injection system and the document: two schemes of
// one kind, names that never collide, credentials never also parameters,
// groups and route dependencies, a scheme of one's own, per-request caching,
// mistakes found at registration.

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// Two API keys of one kind: told apart by type at run time, by name in the
// document (the second gets its credential type's name). A route needing
// both has one requirement naming both (OpenAPI's "and").
func TestSecurityTwoSchemesOfOneKind(t *testing.T) {
	type ClientKey string
	type AdminKey string
	app := brisk.New()
	app.Provide(security.APIKeyHeader[ClientKey]{Name: "X-Key"}, security.APIKeyHeader[AdminKey]{Name: "X-Admin-Key"})
	app.Get("/client", func(k ClientKey) string { return string(k) })
	app.Get("/admin", func(k AdminKey) string { return string(k) })
	app.Get("/both", func(c ClientKey, a AdminKey) []string { return []string{string(c), string(a)} })
	srv := serve(t, app)

	assertJSON(t, `"c"`, secGet(t, srv, "/client", "X-Key", "c", "X-Admin-Key", "a"))
	assertJSON(t, `"a"`, secGet(t, srv, "/admin", "X-Key", "c", "X-Admin-Key", "a"))
	assertNotAuthenticated(t, secGet(t, srv, "/admin", "X-Key", "c"), "APIKey")
	assertJSON(t, `["c","a"]`, secGet(t, srv, "/both", "X-Key", "c", "X-Admin-Key", "a"))

	doc := secDoc(t, srv)
	assertOperationSecurity(t, doc, "/client", "get", `[{"APIKeyHeader":[]}]`)
	assertOperationSecurity(t, doc, "/admin", "get", `[{"APIKeyHeader_AdminKey":[]}]`)
	assertOperationSecurity(t, doc, "/both", "get", `[{"APIKeyHeader":[],"APIKeyHeader_AdminKey":[]}]`)
	assertDocJSON(t, `{"APIKeyHeader":{"type":"apiKey","in":"header","name":"X-Key"},
		"APIKeyHeader_AdminKey":{"type":"apiKey","in":"header","name":"X-Admin-Key"}}`, docAt(t, doc, "components", "securitySchemes"))
}

// SchemeName names the scheme, as FastAPI's scheme_name; the same scheme
// used through two credential types is one scheme.
func TestSecuritySchemeName(t *testing.T) {
	type A string
	type B string
	app := brisk.New()
	app.Provide(security.HTTPBearer[A]{SchemeName: "jwt"}, security.HTTPBearer[B]{SchemeName: "jwt"})
	app.Get("/a", func(A) string { return "a" })
	app.Get("/b", func(B) string { return "b" })
	doc := secDoc(t, serve(t, app))
	assertOperationSecurity(t, doc, "/a", "get", `[{"jwt":[]}]`)
	assertOperationSecurity(t, doc, "/b", "get", `[{"jwt":[]}]`)
	assertDocJSON(t, `{"jwt":{"type":"http","scheme":"bearer"}}`, docAt(t, doc, "components", "securitySchemes"))
}

// A route that also declares the API key as a header, query or cookie field
// documents it once: as the scheme.
func TestSecurityCredentialIsNotAParameter(t *testing.T) {
	type HKey string
	type QKey string
	app := brisk.New()
	app.Provide(security.APIKeyHeader[HKey]{Name: "X-Key"}, security.APIKeyQuery[QKey]{Name: "key"})
	app.Get("/items", func(_ HKey, _ QKey, in struct {
		Key   string `header:"x_key" default:""`
		Q     string `query:"key" default:""`
		Other string `query:"other" default:""`
	}) string {
		return in.Key + in.Q
	})
	doc := secDoc(t, serve(t, app))
	assertDocJSON(t, `[{"name":"other","in":"query","required":false,"schema":{"type":"string","default":""}}]`,
		docAt(t, doc, "paths", "/items", "get", "parameters"))
	assertOperationSecurity(t, doc, "/items", "get", `[{"APIKeyHeader":[],"APIKeyQuery":[]}]`)
}

// A scheme reached through a group's provider and dependencies is required
// by every route of the group, not by the others.
func TestSecurityThroughGroupsAndDependencies(t *testing.T) {
	type token string
	type user string
	app := brisk.New()
	app.Get("/public", func() string { return "public" })
	api := app.Group("/api", brisk.Dependencies(func(user) {}))
	api.Provide(security.HTTPBearer[token]{})
	api.Provide(func(t token) (user, error) {
		if t != "good" {
			return "", brisk.Error(http.StatusUnauthorized, "Invalid token").WithHeader("WWW-Authenticate", "Bearer")
		}
		return "alice", nil
	})
	api.Get("/items", func() string { return "items" })
	srv := serve(t, app)
	assertJSON(t, `"public"`, secGet(t, srv, "/public"))
	assertNotAuthenticated(t, secGet(t, srv, "/api/items"), "Bearer")
	res := secGet(t, srv, "/api/items", "Authorization", "Bearer bad")
	assert.Equal(t, 401, res.Status)
	assertJSON(t, `{"detail":"Invalid token"}`, res)
	assertJSON(t, `"items"`, secGet(t, srv, "/api/items", "Authorization", "Bearer good"))
	doc := secDoc(t, srv)
	assertOperationSecurity(t, doc, "/public", "get", "")
	assertOperationSecurity(t, doc, "/api/items", "get", `[{"HTTPBearer":[]}]`)
}

// countingScheme is a scheme of one's own: a signed-header check.
type countingScheme struct{ calls *atomic.Int32 }

type signature string

func (s countingScheme) Provider() any {
	return func(r *http.Request) (signature, error) {
		s.calls.Add(1)
		if v := r.Header.Get("X-Signature"); v != "" {
			return signature(v), nil
		}
		return "", brisk.Error(http.StatusForbidden, "unsigned")
	}
}

func (countingScheme) SecurityScheme() brisk.SecurityScheme {
	return brisk.SecurityScheme{Name: "signature", Type: "apiKey", In: "header", ParamName: "X-Signature"}
}

// A SecurityProvider of one's own runs once per request, however many
// dependants (providers, route dependencies, the handler) ask for it.
func TestSecurityProviderCachedPerRequest(t *testing.T) {
	var calls atomic.Int32
	scheme := countingScheme{&calls}
	type checked string
	app := brisk.New()
	app.Provide(scheme)
	app.Provide(func(s signature) checked { return checked(s) })
	app.Get("/", func(s signature, c checked) string { return string(s) + string(c) }, brisk.Dependencies(scheme))
	srv := serve(t, app)
	assertJSON(t, `"abab"`, secGet(t, srv, "/", "X-Signature", "ab"))
	assert.Equal(t, int32(1), calls.Load())
	res := secGet(t, srv, "/")
	assert.Equal(t, 403, res.Status)
	assert.Equal(t, int32(2), calls.Load())
	assertOperationSecurity(t, secDoc(t, srv), "/", "get", `[{"signature":[]}]`)
}

// A scheme given only to Dependencies (not provided) runs for its effect.
func TestSecuritySchemeAsRouteDependency(t *testing.T) {
	type key string
	app := brisk.New()
	app.Get("/", func() string { return "ok" }, brisk.Dependencies(security.APIKeyQuery[key]{Name: "k"}))
	srv := serve(t, app)
	assertNotAuthenticated(t, secGet(t, srv, "/"), "APIKey")
	assertJSON(t, `"ok"`, secGet(t, srv, "/?k=1"))
	assertOperationSecurity(t, secDoc(t, srv), "/", "get", `[{"APIKeyQuery":[]}]`)
}

// Mistakes in a scheme's configuration panic at registration.
func TestSecuritySchemeMistakesPanic(t *testing.T) {
	type k string
	for name, p := range map[string]any{
		"APIKeyHeader: Name is required":                               security.APIKeyHeader[k]{},
		"APIKeyCookie: Name is required":                               security.APIKeyCookie[k]{},
		"APIKeyQuery: Name is required":                                security.APIKeyQuery[k]{},
		"OAuth2PasswordBearer: TokenURL is required":                   security.OAuth2PasswordBearer[k]{},
		`HTTPBasic: Realm "a\"b" holds a quote`:                        security.HTTPBasic[security.HTTPBasicCredentials]{Realm: `a"b`},
		"OAuth2AuthorizationCodeBearer: AuthorizationURL and TokenURL": security.OAuth2AuthorizationCodeBearer[k]{TokenURL: "t"},
	} {
		func() {
			defer func() {
				r := recover()
				assert.NotNil(t, r, name)
				assert.Contains(t, r, name)
			}()
			brisk.New().Provide(p)
		}()
	}
}

type badScheme struct{ s brisk.SecurityScheme }

func (b badScheme) Provider() any                        { return func() signature { return "" } }
func (b badScheme) SecurityScheme() brisk.SecurityScheme { return b.s }

// A scheme of one's own that OpenAPI could not describe panics at registration.
func TestSecuritySchemeOfOnesOwnChecked(t *testing.T) {
	for want, s := range map[string]brisk.SecurityScheme{
		`security scheme type "bearer"`:     {Type: "bearer"},
		"an http security scheme needs":     {Type: "http"},
		"an apiKey security scheme needs":   {Type: "apiKey", In: "body", ParamName: "k"},
		"an oauth2 security scheme needs":   {Type: "oauth2", Flows: &brisk.OAuthFlows{}},
		"an openIdConnect security scheme ": {Type: "openIdConnect"},
	} {
		func() {
			defer func() {
				r := recover()
				assert.NotNil(t, r, want)
				assert.Contains(t, r, want)
			}()
			brisk.New().Provide(badScheme{s})
		}()
	}
}

// Public documents a route as needing no credentials on purpose; a Public
// route that reads credentials is a mistake found at registration.
func TestSecurityPublic(t *testing.T) {
	type token string
	app := brisk.New()
	app.Provide(security.HTTPBearer[token]{})
	app.Post("/login", func() string { return "t" }, brisk.Public())
	app.Get("/other", func() string { return "o" })
	doc := secDoc(t, serve(t, app))
	assertOperationSecurity(t, doc, "/login", "post", `[]`)
	assertOperationSecurity(t, doc, "/other", "get", "")

	assert.PanicsWithValue(t,
		`brisk: GET /me: the route is Public, but its dependencies read credentials with the "HTTPBearer" security scheme`,
		func() {
			app := brisk.New()
			app.Provide(security.HTTPBearer[token]{})
			app.Get("/me", func(token) string { return "" }, brisk.Public())
		})
}

// Concurrent requests each get their own credential, through a scheme and
// through a plain provider of the same shape (both called without
// reflection, their results kept in the request's own memory).
func TestSecurityConcurrentCredentials(t *testing.T) {
	type token string
	type sessionID string
	app := brisk.New()
	app.Provide(security.HTTPBearer[token]{})
	app.Provide(func(r *http.Request) (sessionID, error) {
		if v := r.Header.Get("X-Session"); v != "" {
			return sessionID(v), nil
		}
		return "", brisk.Error(http.StatusBadRequest, "no session")
	})
	app.Get("/echo/{n}", func(n string, t token, s sessionID) []string { return []string{n, string(t), string(s)} })
	srv := serve(t, app)
	assert.Equal(t, 400, secGet(t, srv, "/echo/1", "Authorization", "Bearer x").Status)

	const requests = 64
	var wg sync.WaitGroup
	errs := make(chan string, requests)
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := strconv.Itoa(i)
			res := secGet(t, srv, "/echo/"+n, "Authorization", "Bearer tok-"+n, "X-Session", "s-"+n)
			if want := `["` + n + `","tok-` + n + `","s-` + n + `"]`; res.Status != 200 || res.Body != want {
				errs <- res.Body + " want " + want
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
