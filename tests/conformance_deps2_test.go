package tests

// End-to-end ports of FastAPI's dependency tutorials
// (tests/test_tutorial/test_dependencies: tutorial001, 004, 005, 006, 012)
// and of tests/test_dependency_contextmanager.py, with Go's provider forms:
// classes become provider funcs returning structs, yield dependencies
// become (T, func(), error) providers whose cleanup runs after the
// response and after the request's background tasks.

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// confCMState is test_dependency_contextmanager.py's state dict.
type confCMState struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *confCMState) get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[k]
}

func (s *confCMState) set(k, v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = v
}

func (s *confCMState) copy() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := make(map[string]string, len(s.m))
	for k, v := range s.m {
		c[k] = v
	}
	return c
}

// The results of the contextmanager test's dependencies.
type (
	confGenState      string            // generator_state
	confGenStateTry   string            // generator_state_try
	confContextA      *confCMState      // context_a
	confContextB      *confCMState      // context_b
	confOtherDepError struct{ error }   // OtherDependencyError
	confCMStateMap    map[string]string // a copy, for JSON
)

// confContextManagerApp is tests/test_dependency_contextmanager.py's app,
// with (T, func(), error) providers for the yield dependencies. Its
// middleware copies the state into x-state after the handler, as the
// upstream one does.
func confContextManagerApp(t *testing.T) (*brisk.App, *confCMState) {
	t.Helper()
	state := &confCMState{m: map[string]string{
		"/sync":       "generator not started",
		"/sync_raise": "generator raise not started",
		"context_a":   "not started a",
		"context_b":   "not started b",
		"bg":          "not set",
	}}
	app, _ := quietApp()
	app.Provide(func() *confCMState { return state }) // get_state
	app.Provide(func(s *confCMState) (confGenState, func(), error) {
		s.set("/sync", "generator started")
		return confGenState(s.get("/sync")), func() { s.set("/sync", "generator completed") }, nil
	})
	app.Provide(func(s *confCMState) (confGenStateTry, func(), error) {
		s.set("/sync_raise", "generator raise started")
		return confGenStateTry(s.get("/sync_raise")), func() { s.set("/sync_raise", "generator raise finalized") }, nil
	})
	app.Provide(func(s *confCMState) (confContextA, func(), error) {
		s.set("context_a", "started a")
		return s, func() { s.set("context_a", "finished a") }, nil
	})
	app.Provide(func(a confContextA) (confContextB, func(), error) {
		s := (*confCMState)(a)
		s.set("context_b", "started b")
		return s, func() { s.set("context_b", "finished b with a: "+s.get("context_a")) }, nil
	})
	app.Get("/sync", func(s confGenState) string { return string(s) })
	app.Get("/sync_raise_other", func(s confGenStateTry) (string, error) {
		if s != "generator raise started" {
			return "", fmt.Errorf("unexpected state %q", s)
		}
		return "", confOtherDepError{errors.New("other dependency error")}
	})
	app.Get("/sync_raise_http", func(s confGenStateTry) (string, error) {
		return "", brisk.Error(418, "teapot")
	})
	app.Get("/context_b", func(s confContextB) confCMStateMap { return (*confCMState)(s).copy() })
	app.Get("/context_b_raise", func(s confContextB) (confCMStateMap, error) {
		st := (*confCMState)(s)
		if st.get("context_b") != "started b" || st.get("context_a") != "started a" {
			return nil, fmt.Errorf("unexpected state %v", st.copy())
		}
		return nil, confOtherDepError{errors.New("other dependency error")}
	})
	app.Get("/context_b_bg", func(bg *brisk.BackgroundTasks, s confContextB) confCMStateMap {
		st := (*confCMState)(s)
		bg.AddTask(func(st *confCMState) {
			st.set("bg", "bg set - b: "+st.get("context_b")+" - a: "+st.get("context_a"))
		}, st)
		return st.copy()
	})
	// A cleanup also runs when a later input of the request is invalid.
	app.Get("/context_b_invalid", func(s confContextB, in struct {
		N int `query:"n"`
	}) int {
		return in.N
	})
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		b, err := json.Marshal(state.copy())
		if err != nil {
			panic(err)
		}
		resp.Header().Set("X-State", string(b))
		return resp
	})
	return app, state
}

// xState decodes the middleware's x-state header.
func xState(t *testing.T, res result) map[string]string {
	t.Helper()
	var m map[string]string
	require.NoError(t, json.Unmarshal([]byte(res.Header.Get("X-State")), &m), "x-state: %q", res.Header.Get("X-State"))
	return m
}

// FastAPI tests/test_dependency_contextmanager.py::test_sync_state (and
// test_async_state, test_sync_sync_state): the cleanup runs after the
// response — the middleware still sees "started" — and before Shutdown
// returns.
func TestFastAPIDependencyContextmanagerSyncState(t *testing.T) {
	app, state := confContextManagerApp(t)
	srv := serve(t, app)
	assert.Equal(t, "generator not started", state.get("/sync"))
	res := send(t, srv, request{Path: "/sync"})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `"generator started"`, res)
	assert.Equal(t, "generator started", xState(t, res)["/sync"])
	confDrain(t, app)
	assert.Equal(t, "generator completed", state.get("/sync"))
}

// FastAPI tests/test_dependency_contextmanager.py::test_sync_raise_other
// and ::test_sync_raise_server_error: the handler fails (500), the cleanup
// still runs. (The upstream dependency also sees the handler's exception;
// a Go cleanup does not.)
func TestFastAPIDependencyContextmanagerSyncRaiseOther(t *testing.T) {
	app, state := confContextManagerApp(t)
	srv := serve(t, app)
	assert.Equal(t, "generator raise not started", state.get("/sync_raise"))
	res := send(t, srv, request{Path: "/sync_raise_other"})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	assert.Equal(t, "generator raise started", xState(t, res)["/sync_raise"])
	confDrain(t, app)
	assert.Equal(t, "generator raise finalized", state.get("/sync_raise"))
}

// The same with an HTTPError from the handler: its response, then the
// cleanup.
func TestFastAPIDependencyContextmanagerSyncRaiseHTTPError(t *testing.T) {
	app, state := confContextManagerApp(t)
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/sync_raise_http"})
	assert.Equal(t, 418, res.Status)
	assertJSON(t, `{"detail":"teapot"}`, res)
	confDrain(t, app)
	assert.Equal(t, "generator raise finalized", state.get("/sync_raise"))
}

// FastAPI tests/test_dependency_contextmanager.py::test_context_b (and
// test_sync_context_b): b depends on a; cleanups run newest first, so b's
// sees a still started.
func TestFastAPIDependencyContextmanagerContextB(t *testing.T) {
	app, state := confContextManagerApp(t)
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/context_b"})
	assert.Equal(t, 200, res.Status, res.Body)
	data := res.JSON(t).(map[string]any)
	assert.Equal(t, "started b", data["context_b"])
	assert.Equal(t, "started a", data["context_a"])
	confDrain(t, app)
	assert.Equal(t, "finished b with a: started a", state.get("context_b"))
	assert.Equal(t, "finished a", state.get("context_a"))
}

// FastAPI tests/test_dependency_contextmanager.py::test_context_b_raise
// (and test_sync_context_b_raise).
func TestFastAPIDependencyContextmanagerContextBRaise(t *testing.T) {
	app, state := confContextManagerApp(t)
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/context_b_raise"})
	assert.Equal(t, 500, res.Status)
	assertJSON(t, `{"detail":"Internal Server Error"}`, res)
	confDrain(t, app)
	assert.Equal(t, "finished b with a: started a", state.get("context_b"))
	assert.Equal(t, "finished a", state.get("context_a"))
}

// FastAPI tests/test_dependency_contextmanager.py::test_background_tasks
// (and test_sync_background_tasks): the task runs after the response and
// before the cleanups, seeing both dependencies still started.
func TestFastAPIDependencyContextmanagerBackgroundTasks(t *testing.T) {
	app, state := confContextManagerApp(t)
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/context_b_bg"})
	assert.Equal(t, 200, res.Status, res.Body)
	data := res.JSON(t).(map[string]any)
	assert.Equal(t, "started b", data["context_b"])
	assert.Equal(t, "started a", data["context_a"])
	assert.Equal(t, "not set", data["bg"])
	mw := xState(t, res)
	assert.Equal(t, "started b", mw["context_b"])
	assert.Equal(t, "started a", mw["context_a"])
	assert.Equal(t, "not set", mw["bg"])
	confDrain(t, app)
	assert.Equal(t, "finished b with a: started a", state.get("context_b"))
	assert.Equal(t, "finished a", state.get("context_a"))
	assert.Equal(t, "bg set - b: started b - a: started a", state.get("bg"))
}

// A request that fails validation after the providers ran (422): their
// cleanups still run, newest first.
func TestFastAPIDependencyContextmanagerCleanupAfterValidationError(t *testing.T) {
	app, state := confContextManagerApp(t)
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/context_b_invalid?n=x"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"int_parsing","loc":["query","n"],"msg":"`+confIntParsing+`","input":"x"}]}`, res)
	confDrain(t, app)
	assert.Equal(t, "finished b with a: started a", state.get("context_b"))
	assert.Equal(t, "finished a", state.get("context_a"))
}

// A provider that fails after an earlier one made a cleanup: the request
// stops with its error and the earlier cleanup runs; the failing
// provider's dependants are not called.
func TestFastAPIDependencyContextmanagerProviderError(t *testing.T) {
	type Conn string
	type Session string
	var mu sync.Mutex
	var events []string
	log := func(e string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}
	app, _ := quietApp()
	app.Provide(func() (Conn, func(), error) {
		log("open conn")
		return "conn", func() { log("close conn") }, nil
	})
	app.Provide(func(c Conn, h struct {
		User string `header:"X-User"`
	}) (Session, func(), error) {
		if h.User == "" {
			return "", nil, brisk.Error(401, "Not authenticated").WithHeader("WWW-Authenticate", "Bearer")
		}
		log("open session")
		return Session(h.User), func() { log("close session") }, nil
	})
	app.Get("/me", func(s Session) string {
		log("handler")
		return string(s)
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/me", Headers: []string{"X-User", ""}})
	assert.Equal(t, 401, res.Status)
	assert.Equal(t, "Bearer", res.Header.Get("WWW-Authenticate"))
	assertJSON(t, `{"detail":"Not authenticated"}`, res)
	confDrain(t, app)
	mu.Lock()
	assert.Equal(t, []string{"open conn", "close conn"}, events)
	events = nil
	mu.Unlock()

	res = send(t, srv, request{Path: "/me", Headers: []string{"X-User", "ann"}})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `"ann"`, res)
	confDrain(t, app)
	mu.Lock()
	assert.Equal(t, []string{"open conn", "open session", "handler", "close session", "close conn"}, events)
	mu.Unlock()
}

// A yield dependency in dependencies=[Depends(...)]: a route dependency
// may return (T, func(), error); its cleanup runs after the response and
// the background tasks, newest first with the providers' cleanups.
func TestFastAPIDependencyContextmanagerInRouteDependencies(t *testing.T) {
	type DB string
	var mu sync.Mutex
	var events []string
	log := func(e string) {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, e)
	}
	app, _ := quietApp()
	app.Provide(func() (DB, func(), error) {
		log("open db")
		return "db", func() { log("close db") }, nil
	})
	audit := func(db DB) (string, func(), error) {
		log("start audit")
		return "audit", func() { log("end audit") }, nil
	}
	app.Get("/items/", func(db DB, bg *brisk.BackgroundTasks) string {
		log("handler")
		bg.AddTask(func() { log("task") })
		return string(db)
	}, brisk.Dependencies(audit))
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/"})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `"db"`, res)
	confDrain(t, app)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"open db", "start audit", "handler", "task", "end audit", "close db"}, events)
}
