package tests

// End-to-end port of FastAPI's tests/test_dependency_contextmanager.py:
// yield dependencies become (T, func(), error) providers whose cleanup runs
// after the response and after the request's background tasks, on success,
// on errors and after a 422.

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
