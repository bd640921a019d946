package tests

// End-to-end ports of FastAPI's dependency tests (tests/test_dependency_cache.py,
// tests/test_dependency_overrides.py), through a Brisk app.

import (
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

// FastAPI tests/test_dependency_cache.py::test_normal_counter and
// ::test_sub_counter: a dependency asked for twice in one request (directly
// and through a sub-dependency) runs once; each request runs it afresh.
func TestFastAPIDependencyCache(t *testing.T) {
	var counter atomic.Int64
	type Count int64
	type SubCount int64
	app, _ := quietApp()
	app.Provide(func() Count { return Count(counter.Add(1)) })
	app.Provide(func(c Count) SubCount { return SubCount(c) }) // super_dep
	app.Get("/counter/", func(c Count) map[string]int64 { return map[string]int64{"counter": int64(c)} })
	app.Get("/sub-counter/", func(sub SubCount, c Count) map[string]int64 {
		return map[string]int64{"counter": int64(c), "subcounter": int64(sub)}
	})
	// dependencies=[Depends(dep_counter)] alongside the parameter: still once.
	var deco atomic.Int64
	type Deco int64
	decoProvider := func() Deco { return Deco(deco.Add(1)) }
	app.Provide(decoProvider)
	app.Get("/decorator-counter/", func(d Deco) map[string]int64 { return map[string]int64{"counter": int64(d)} },
		brisk.Dependencies(decoProvider))
	srv := serve(t, app)

	// test_normal_counter
	counter.Store(0)
	res := send(t, srv, request{Path: "/counter/"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"counter": 1}`, res)
	res = send(t, srv, request{Path: "/counter/"})
	assertJSON(t, `{"counter": 2}`, res)

	// test_sub_counter
	counter.Store(0)
	res = send(t, srv, request{Path: "/sub-counter/"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"counter": 1, "subcounter": 1}`, res)
	res = send(t, srv, request{Path: "/sub-counter/"})
	assertJSON(t, `{"counter": 2, "subcounter": 2}`, res)

	res = send(t, srv, request{Path: "/decorator-counter/"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"counter": 1}`, res)
	res = send(t, srv, request{Path: "/decorator-counter/"})
	assertJSON(t, `{"counter": 2}`, res)
	assert.Equal(t, int64(2), deco.Load(), "the provider ran once per request")
}

// Commons is common_parameters' result in FastAPI's dependency-override tests.
type confCommons map[string]any

type confCommonsQuery struct {
	Q     string `query:"q"`
	Skip  int    `query:"skip" default:"0"`
	Limit int    `query:"limit" default:"100"`
}

func confCommonParameters(in confCommonsQuery) confCommons {
	return confCommons{"q": in.Q, "skip": in.Skip, "limit": in.Limit}
}

func confOverriderSimple(in struct {
	Q *string `query:"q"`
}) confCommons {
	return confCommons{"q": in.Q, "skip": 5, "limit": 10}
}

type confSubMsg map[string]any

func confOverriderSubDependency(in struct {
	K string `query:"k"`
}) confSubMsg {
	return confSubMsg{"k": in.K}
}

func confOverriderWithSub(msg confSubMsg) confCommons { return confCommons(msg) }

// confOverridesApp is tests/test_dependency_overrides.py's app: the
// dependency as a parameter and in dependencies=[...], on the app and on a
// router.
func confOverridesApp(t *testing.T) *brisk.App {
	t.Helper()
	app, _ := quietApp()
	app.Provide(confCommonParameters)
	app.Get("/main-depends/", func(c confCommons) map[string]any {
		return map[string]any{"in": "main-depends", "params": c}
	})
	app.Get("/decorator-depends/", func() map[string]any {
		return map[string]any{"in": "decorator-depends"}
	}, brisk.Dependencies(confCommonParameters))
	router := app.Group("")
	router.Get("/router-depends/", func(c confCommons) map[string]any {
		return map[string]any{"in": "router-depends", "params": c}
	})
	router.Get("/router-decorator-depends/", func() map[string]any {
		return map[string]any{"in": "router-decorator-depends"}
	}, brisk.Dependencies(confCommonParameters))
	return app
}

const confMissingQ = `{"detail":[{"type":"missing","loc":["query","q"],"msg":"Field required","input":null}]}`
const confMissingK = `{"detail":[{"type":"missing","loc":["query","k"],"msg":"Field required","input":null}]}`

type confCase struct {
	url    string
	status int
	want   string
}

func confRunCases(t *testing.T, app *brisk.App, cases []confCase) {
	t.Helper()
	srv := serve(t, app)
	for _, c := range cases {
		res := send(t, srv, request{Path: c.url})
		assert.Equal(t, c.status, res.Status, c.url)
		assertJSON(t, c.want, res)
	}
}

// FastAPI tests/test_dependency_overrides.py::test_normal_app
func TestFastAPIDependencyOverridesNormalApp(t *testing.T) {
	confRunCases(t, confOverridesApp(t), []confCase{
		{"/main-depends/", 422, confMissingQ},
		{"/main-depends/?q=foo", 200, `{"in":"main-depends","params":{"q":"foo","skip":0,"limit":100}}`},
		{"/main-depends/?q=foo&skip=100&limit=200", 200, `{"in":"main-depends","params":{"q":"foo","skip":100,"limit":200}}`},
		{"/decorator-depends/", 422, confMissingQ},
		{"/decorator-depends/?q=foo", 200, `{"in":"decorator-depends"}`},
		{"/decorator-depends/?q=foo&skip=100&limit=200", 200, `{"in":"decorator-depends"}`},
		{"/router-depends/", 422, confMissingQ},
		{"/router-depends/?q=foo", 200, `{"in":"router-depends","params":{"q":"foo","skip":0,"limit":100}}`},
		{"/router-depends/?q=foo&skip=100&limit=200", 200, `{"in":"router-depends","params":{"q":"foo","skip":100,"limit":200}}`},
		{"/router-decorator-depends/", 422, confMissingQ},
		{"/router-decorator-depends/?q=foo", 200, `{"in":"router-decorator-depends"}`},
		{"/router-decorator-depends/?q=foo&skip=100&limit=200", 200, `{"in":"router-decorator-depends"}`},
	})
}

// FastAPI tests/test_dependency_overrides.py::test_override_simple
func TestFastAPIDependencyOverridesOverrideSimple(t *testing.T) {
	app := confOverridesApp(t)
	app.Override(confOverriderSimple)
	confRunCases(t, app, []confCase{
		{"/main-depends/", 200, `{"in":"main-depends","params":{"q":null,"skip":5,"limit":10}}`},
		{"/main-depends/?q=foo", 200, `{"in":"main-depends","params":{"q":"foo","skip":5,"limit":10}}`},
		{"/main-depends/?q=foo&skip=100&limit=200", 200, `{"in":"main-depends","params":{"q":"foo","skip":5,"limit":10}}`},
		{"/decorator-depends/", 200, `{"in":"decorator-depends"}`},
		{"/router-depends/", 200, `{"in":"router-depends","params":{"q":null,"skip":5,"limit":10}}`},
		{"/router-depends/?q=foo", 200, `{"in":"router-depends","params":{"q":"foo","skip":5,"limit":10}}`},
		{"/router-depends/?q=foo&skip=100&limit=200", 200, `{"in":"router-depends","params":{"q":"foo","skip":5,"limit":10}}`},
		{"/router-decorator-depends/", 200, `{"in":"router-decorator-depends"}`},
	})
}

// FastAPI tests/test_dependency_overrides.py::test_override_with_sub
func TestFastAPIDependencyOverridesOverrideWithSub(t *testing.T) {
	app := confOverridesApp(t)
	app.Provide(confOverriderSubDependency)
	app.Override(confOverriderWithSub)
	confRunCases(t, app, []confCase{
		{"/main-depends/", 422, confMissingK},
		{"/main-depends/?q=foo", 422, confMissingK},
		{"/main-depends/?k=bar", 200, `{"in":"main-depends","params":{"k":"bar"}}`},
		{"/decorator-depends/", 422, confMissingK},
		{"/decorator-depends/?q=foo", 422, confMissingK},
		{"/decorator-depends/?k=bar", 200, `{"in":"decorator-depends"}`},
		{"/router-depends/", 422, confMissingK},
		{"/router-depends/?q=foo", 422, confMissingK},
		{"/router-depends/?k=bar", 200, `{"in":"router-depends","params":{"k":"bar"}}`},
		{"/router-decorator-depends/", 422, confMissingK},
		{"/router-decorator-depends/?q=foo", 422, confMissingK},
		{"/router-decorator-depends/?k=bar", 200, `{"in":"router-decorator-depends"}`},
	})
}

// FastAPI tests/test_dependency_overrides.py: `app.dependency_overrides = {}`
// restores the original; in Brisk, overriding with the original does.
func TestFastAPIDependencyOverridesRestore(t *testing.T) {
	app := confOverridesApp(t)
	app.Override(confOverriderSimple)
	app.Override(confCommonParameters)
	confRunCases(t, app, []confCase{
		{"/main-depends/", 422, confMissingQ},
		{"/decorator-depends/", 422, confMissingQ},
		{"/router-decorator-depends/?q=foo", 200, `{"in":"router-decorator-depends"}`},
	})
}

// A dependency that is another closure of a provider's code (a factory
// called with other arguments) is not that provider: it runs on its own.
func TestFastAPIDependencyDecoratorClosureIsNotTheProvider(t *testing.T) {
	type Role string
	var calls atomic.Int64
	requireRole := func(role string) func(h struct {
		Role string `header:"X-Role"`
	}) (Role, error) {
		return func(h struct {
			Role string `header:"X-Role"`
		}) (Role, error) {
			calls.Add(1)
			if h.Role != role {
				return "", brisk.Error(403, "need "+role)
			}
			return Role(role), nil
		}
	}
	app, _ := quietApp()
	app.Provide(requireRole("user"))
	app.Get("/admin", func(r Role) string { return string(r) }, brisk.Dependencies(requireRole("admin")))
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/admin", Headers: []string{"X-Role", "user"}})
	assert.Equal(t, 403, res.Status)
	assertJSON(t, `{"detail":"need admin"}`, res)
	res = send(t, srv, request{Path: "/admin", Headers: []string{"X-Role", "admin"}})
	assert.Equal(t, 403, res.Status, "the handler's Role comes from the user provider")
	assertJSON(t, `{"detail":"need user"}`, res)
}
