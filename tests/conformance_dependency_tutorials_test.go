package tests

// End-to-end ports of FastAPI's dependency tutorials
// (tests/test_tutorial/test_dependencies: tutorial001, 004, 005, 006, 012),
// with Go's provider forms: classes become provider funcs returning
// structs; and the order of group and route dependencies.

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

// confCommonQuery is common_parameters' result in docs_src/dependencies.
type confCommonQuery struct {
	Q     *string `json:"q"`
	Skip  int     `json:"skip"`
	Limit int     `json:"limit"`
}

func confCommonQueryParams(in struct {
	Q     *string `query:"q"`
	Skip  int     `query:"skip" default:"0"`
	Limit int     `query:"limit" default:"100"`
}) confCommonQuery {
	return confCommonQuery{Q: in.Q, Skip: in.Skip, Limit: in.Limit}
}

// FastAPI tests/test_tutorial/test_dependencies/test_tutorial001.py: a
// function dependency shared by two routes.
func TestFastAPIDependenciesTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Provide(confCommonQueryParams)
	app.Get("/items", func(c confCommonQuery) confCommonQuery { return c })
	app.Get("/users", func(c confCommonQuery) confCommonQuery { return c })
	var cases []confCase
	for _, p := range []string{"/items", "/users"} {
		cases = append(cases,
			confCase{p, 200, `{"q":null,"skip":0,"limit":100}`},
			confCase{p + "?q=foo", 200, `{"q":"foo","skip":0,"limit":100}`},
			confCase{p + "?q=foo&skip=5", 200, `{"q":"foo","skip":5,"limit":100}`},
			confCase{p + "?q=foo&skip=5&limit=30", 200, `{"q":"foo","skip":5,"limit":30}`},
			confCase{p + "?skip=x", 422, `{"detail":[{"type":"int_parsing","loc":["query","skip"],"msg":"` + confIntParsing + `","input":"x"}]}`},
		)
	}
	confRunCases(t, app, cases)
}

// FastAPI tests/test_tutorial/test_dependencies/test_tutorial004.py (and
// tutorial002/003): the class CommonQueryParams as a provider of a struct.
func TestFastAPIDependenciesTutorial004(t *testing.T) {
	type CommonQueryParams struct {
		Q     *string
		Skip  int
		Limit int
	}
	db := []map[string]string{{"item_name": "Foo"}, {"item_name": "Bar"}, {"item_name": "Baz"}}
	app, _ := quietApp()
	app.Provide(func(in struct {
		Q     *string `query:"q"`
		Skip  int     `query:"skip" default:"0"`
		Limit int     `query:"limit" default:"100"`
	}) CommonQueryParams {
		return CommonQueryParams(in)
	})
	app.Get("/items/", func(c CommonQueryParams) map[string]any {
		res := map[string]any{}
		if c.Q != nil {
			res["q"] = *c.Q
		}
		end := min(c.Skip+c.Limit, len(db))
		res["items"] = db[min(c.Skip, end):end]
		return res
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, `{"items":[{"item_name":"Foo"},{"item_name":"Bar"},{"item_name":"Baz"}]}`},
		{"/items/?q=foo", 200, `{"items":[{"item_name":"Foo"},{"item_name":"Bar"},{"item_name":"Baz"}],"q":"foo"}`},
		{"/items/?q=foo&skip=1", 200, `{"items":[{"item_name":"Bar"},{"item_name":"Baz"}],"q":"foo"}`},
		{"/items/?q=bar&limit=2", 200, `{"items":[{"item_name":"Foo"},{"item_name":"Bar"}],"q":"bar"}`},
		{"/items/?q=bar&skip=1&limit=1", 200, `{"items":[{"item_name":"Bar"}],"q":"bar"}`},
		{"/items/?limit=1&q=bar&skip=1", 200, `{"items":[{"item_name":"Bar"}],"q":"bar"}`},
	})
}

// FastAPI tests/test_tutorial/test_dependencies/test_tutorial005.py:
// sub-dependencies — the query, or the cookie when there is none.
func TestFastAPIDependenciesTutorial005(t *testing.T) {
	type Query *string
	type QueryOrCookie *string
	app, _ := quietApp()
	app.Provide(func(in struct {
		Q *string `query:"q"`
	}) Query {
		return in.Q
	})
	app.Provide(func(q Query, in struct {
		LastQuery *string `cookie:"last_query"`
	}) QueryOrCookie {
		if q == nil {
			return in.LastQuery
		}
		return QueryOrCookie(q)
	})
	app.Get("/items/", func(q QueryOrCookie) map[string]any {
		return map[string]any{"q_or_cookie": (*string)(q)}
	})
	confRunCasesH(t, app, []confCaseH{
		{"/items/", nil, 200, `{"q_or_cookie":null}`},
		{"/items/?q=foo", nil, 200, `{"q_or_cookie":"foo"}`},
		{"/items/", []string{"Cookie", "last_query=towel"}, 200, `{"q_or_cookie":"towel"}`},
		{"/items/?q=foo", []string{"Cookie", "last_query=towel"}, 200, `{"q_or_cookie":"foo"}`},
	})
}

// verify_token and verify_key of docs_src/dependencies/tutorial006.py.
func confVerifyToken(h struct {
	XToken string `header:"x_token"`
}) error {
	if h.XToken != "fake-super-secret-token" {
		return brisk.Error(400, "X-Token header invalid")
	}
	return nil
}

func confVerifyKey(h struct {
	XKey string `header:"x_key"`
}) (string, error) {
	if h.XKey != "fake-super-secret-key" {
		return "", brisk.Error(400, "X-Key header invalid")
	}
	return h.XKey, nil
}

// confVerifyCases are tutorial006's and tutorial012's requests against
// path.
func confVerifyCases(path, ok string) []confCaseH {
	return []confCaseH{
		// test_get_no_headers: both dependencies' errors, in order.
		{path, nil, 422, `{"detail":[
			{"type":"missing","loc":["header","x-token"],"msg":"Field required","input":null},
			{"type":"missing","loc":["header","x-key"],"msg":"Field required","input":null}]}`},
		// test_get_invalid_one_header
		{path, []string{"X-Token", "invalid"}, 400, `{"detail":"X-Token header invalid"}`},
		// test_get_invalid_second_header
		{path, []string{"X-Token", "fake-super-secret-token", "X-Key", "invalid"}, 400, `{"detail":"X-Key header invalid"}`},
		// test_get_valid_headers
		{path, []string{"X-Token", "fake-super-secret-token", "X-Key", "fake-super-secret-key"}, 200, ok},
	}
}

// FastAPI tests/test_tutorial/test_dependencies/test_tutorial006.py:
// dependencies=[Depends(verify_token), Depends(verify_key)] in the path
// operation decorator — Dependencies(...) in the route's options.
func TestFastAPIDependenciesTutorial006(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func() []map[string]string {
		return []map[string]string{{"item": "Foo"}, {"item": "Bar"}}
	}, brisk.Dependencies(confVerifyToken, confVerifyKey))
	confRunCasesH(t, app, confVerifyCases("/items/", `[{"item":"Foo"},{"item":"Bar"}]`))
}

// FastAPI tests/test_tutorial/test_dependencies/test_tutorial012.py:
// global dependencies (FastAPI(dependencies=[...])) — a Group's options
// apply them to each of its routes.
func TestFastAPIDependenciesTutorial012(t *testing.T) {
	app, _ := quietApp()
	api := app.Group("", brisk.Dependencies(confVerifyToken, confVerifyKey))
	api.Get("/items/", func() []map[string]string {
		return []map[string]string{{"item": "Portal Gun"}, {"item": "Plumbus"}}
	})
	api.Get("/users/", func() []map[string]string {
		return []map[string]string{{"username": "Rick"}, {"username": "Morty"}}
	})
	app.Get("/public", func() string { return "open" })
	confRunCasesH(t, app, append(
		confVerifyCases("/items/", `[{"item":"Portal Gun"},{"item":"Plumbus"}]`),
		append(confVerifyCases("/users/", `[{"username":"Rick"},{"username":"Morty"}]`),
			confCaseH{"/public", nil, 200, `"open"`})...))
}

// Group dependencies run before the route's own, nested groups' after
// their parents', each once; a dependency's errors come before the
// handler's.
func TestFastAPIDependenciesGroupAndRouteOrder(t *testing.T) {
	var mu sync.Mutex
	var calls []string
	record := func(name string) func() {
		return func() {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, name)
		}
	}
	app, _ := quietApp()
	outer := app.Group("/a", brisk.Dependencies(record("app-group")))
	inner := outer.Group("/b", brisk.Dependencies(record("inner-group")))
	inner.Get("/c", func(in struct {
		N int `query:"n"`
	}) int {
		return in.N
	}, brisk.Dependencies(record("route"), func(h struct {
		Key string `header:"X-Key"`
	}) {
	}))
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/a/b/c?n=3", Headers: []string{"X-Key", "k"}})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `3`, res)
	mu.Lock()
	assert.Equal(t, []string{"app-group", "inner-group", "route"}, calls)
	mu.Unlock()

	res = send(t, srv, request{Path: "/a/b/c?n=x"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["header","X-Key"],"msg":"Field required","input":null},
		{"type":"int_parsing","loc":["query","n"],"msg":"`+confIntParsing+`","input":"x"}]}`, res)
}
