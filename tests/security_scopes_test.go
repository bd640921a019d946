package tests

// Scopes through the dependency tree: ports of FastAPI's
// tests/test_security_scopes*.py, test_dependency_security_overrides.py and
// test_security_oauth2_authorization_code_bearer_scopes_openapi.py.

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// test_security_scopes_dont_propagate.py: each dependency sees the scopes
// on its own path, not its sibling's.
func TestSecurityScopesDontPropagate(t *testing.T) {
	type scopes1 []string
	type scopes2 []string
	type dep3 struct {
		Dep1 scopes1 `json:"dep1"`
		Dep2 scopes2 `json:"dep2"`
	}
	app := brisk.New()
	app.Provide(brisk.Scoped(func(s security.SecurityScopes) scopes1 { return s.Scopes }, "scope1"))
	app.Provide(brisk.Scoped(func(s security.SecurityScopes) scopes2 { return s.Scopes }, "scope2"))
	app.Provide(brisk.Scoped(func(a scopes1, b scopes2) dep3 { return dep3{a, b} }, "scope3"))
	app.Get("/scopes", func(d dep3) dep3 { return d })
	res := secGet(t, serve(t, app), "/scopes")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"dep1":["scope3","scope1"],"dep2":["scope3","scope2"]}`, res)
}

// test_security_scopes.py: a dependency shared by a scoped one and the
// handler runs once.
func TestSecurityScopesDependencyCalledOnce(t *testing.T) {
	type db string
	type user string
	var calls atomic.Int32
	app := brisk.New()
	app.Provide(func() db { return db("db_" + string(rune('0'+calls.Add(1)))) })
	app.Provide(brisk.Scoped(func(db) user { return "user" }, "read"))
	app.Get("/", func(d db, _ user) map[string]db { return map[string]db{"db": d} })
	res := secGet(t, serve(t, app), "/")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"db":"db_1"}`, res)
	assert.Equal(t, int32(1), calls.Load())
}

// test_security_scopes_sub_dependency.py, as Brisk caches: FastAPI runs
// get_current_user once per distinct scope set (twice here); Brisk runs
// every provider once per request, and that run sees the scopes of every
// path to it.
func TestSecurityScopesSubDependencyOnce(t *testing.T) {
	type session string
	type currentUser struct {
		Scopes  []string `json:"scopes"`
		Session session  `json:"db_session"`
	}
	type userMe struct {
		Current currentUser `json:"current_user"`
	}
	type userItems struct {
		Me userMe `json:"user_me"`
	}
	var sessions, users, mes, items atomic.Int32
	app := brisk.New()
	app.Provide(func() session { sessions.Add(1); return "db_session_1" })
	app.Provide(brisk.Scoped(func(s security.SecurityScopes, db session) currentUser {
		users.Add(1)
		return currentUser{Scopes: s.Scopes, Session: db}
	}, "me"))
	app.Provide(func(u currentUser) userMe { mes.Add(1); return userMe{u} })
	app.Provide(brisk.Scoped(func(m userMe) userItems { items.Add(1); return userItems{m} }, "items"))
	app.Get("/", func(m userMe, i userItems) map[string]any { return map[string]any{"user_me": m, "user_items": i} })
	res := secGet(t, serve(t, app), "/")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"user_me":{"current_user":{"scopes":["me","items"],"db_session":"db_session_1"}},
		"user_items":{"user_me":{"current_user":{"scopes":["me","items"],"db_session":"db_session_1"}}}}`, res)
	assert.Equal(t, []int32{1, 1, 1, 1}, []int32{sessions.Load(), users.Load(), mes.Load(), items.Load()})
}

// test_dependency_security_overrides.py: an override keeps the scopes the
// replaced provider was registered with.
func TestSecurityScopesKeptByOverride(t *testing.T) {
	type userData struct {
		User   string   `json:"user"`
		Scopes []string `json:"scopes"`
	}
	type data []int
	app := brisk.New()
	app.Provide(brisk.Scoped(func(s brisk.SecurityScopes) userData { return userData{"john", s.Scopes} }, "foo", "bar"))
	app.Provide(func() data { return data{1, 2, 3} })
	app.Get("/user", func(u userData, d data) map[string]any {
		return map[string]any{"user": u.User, "scopes": u.Scopes, "data": d}
	})
	srv := serve(t, app)
	assertJSON(t, `{"user":"john","scopes":["foo","bar"],"data":[1,2,3]}`, secGet(t, srv, "/user"))

	app.Override(func(s brisk.SecurityScopes) userData { return userData{"alice", s.Scopes} })
	assertJSON(t, `{"user":"alice","scopes":["foo","bar"],"data":[1,2,3]}`, secGet(t, srv, "/user"))
	app.Override(func() data { return data{3, 4, 5} })
	assertJSON(t, `{"user":"alice","scopes":["foo","bar"],"data":[3,4,5]}`, secGet(t, srv, "/user"))
}

// test_security_oauth2_authorization_code_bearer_scopes_openapi.py: scopes
// given on a group, a route and a route dependency reach the document's
// requirements; the scheme without scopes requires none.
func TestSecurityScopesOpenAPI(t *testing.T) {
	type token string
	type gotToken string
	scheme := security.OAuth2AuthorizationCodeBearer[token]{
		AuthorizationURL: "authorize", TokenURL: "token",
		Scopes: map[string]string{"read": "Read access", "write": "Write access"},
	}
	app := brisk.New()
	app.Provide(scheme)
	getToken := func(t token) gotToken { return gotToken(t) }
	app.Provide(getToken)
	root := app.Group("", brisk.Dependencies(getToken))
	root.Get("/", func() map[string]string { return map[string]string{"message": "Hello World"} })
	app.Get("/with-oauth2-scheme", func() map[string]string { return map[string]string{"message": "Admin Access"} },
		brisk.Dependencies(brisk.Scoped(scheme, "read", "write")))
	app.Get("/with-get-token", func() map[string]string { return map[string]string{"message": "Admin Access"} },
		brisk.Dependencies(brisk.Scoped(getToken, "read", "write")))
	items := app.Group("", brisk.Dependencies(brisk.Scoped(scheme, "read")))
	items.Get("/items/", func(t token) map[string]token { return map[string]token{"token": t} })
	items.Post("/items/", func(t token) map[string]token { return map[string]token{"token": t} }, brisk.Scopes("read", "write"))
	srv := serve(t, app)

	bearer := []string{"Authorization", "Bearer testtoken"}
	assertJSON(t, `{"message":"Hello World"}`, secGet(t, srv, "/", bearer...))
	assertJSON(t, `{"message":"Admin Access"}`, secGet(t, srv, "/with-oauth2-scheme", bearer...))
	assertJSON(t, `{"message":"Admin Access"}`, secGet(t, srv, "/with-get-token", bearer...))
	assertJSON(t, `{"token":"testtoken"}`, secGet(t, srv, "/items/", bearer...))
	assertJSON(t, `{"token":"testtoken"}`, send(t, srv, request{Method: "POST", Path: "/items/", Headers: bearer}))
	assertNotAuthenticated(t, secGet(t, srv, "/"), "Bearer")

	doc := secDoc(t, srv)
	assertOperationSecurity(t, doc, "/", "get", `[{"OAuth2AuthorizationCodeBearer":[]}]`)
	assertOperationSecurity(t, doc, "/with-oauth2-scheme", "get", `[{"OAuth2AuthorizationCodeBearer":["read","write"]}]`)
	assertOperationSecurity(t, doc, "/with-get-token", "get", `[{"OAuth2AuthorizationCodeBearer":["read","write"]}]`)
	assertOperationSecurity(t, doc, "/items/", "get", `[{"OAuth2AuthorizationCodeBearer":["read"]}]`)
	assertOperationSecurity(t, doc, "/items/", "post", `[{"OAuth2AuthorizationCodeBearer":["read","write"]}]`)
	assertDocJSON(t, `{"OAuth2AuthorizationCodeBearer":{"type":"oauth2","flows":{"authorizationCode":{
		"scopes":{"read":"Read access","write":"Write access"},"authorizationUrl":"authorize","tokenUrl":"token"}}}}`,
		docAt(t, doc, "components", "securitySchemes"))
}
