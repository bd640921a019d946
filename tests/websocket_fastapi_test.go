package tests

// Ported from FastAPI: tests/test_ws_router.py, tests/test_ws_dependencies.py,
// tests/test_dependency_after_yield_websockets.py and the websockets
// tutorials (docs_src/websockets_, tests/test_tutorial/test_websockets),
// over real TCP with github.com/coder/websocket's client.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// wsURL is the ws:// address of path on srv.
func wsURL(srv *httptest.Server, path string) string {
	return "ws" + strings.TrimPrefix(srv.URL, "http") + path
}

// wsConnect dials path; the connection is closed with the test.
func wsConnect(t *testing.T, srv *httptest.Server, path string, header ...string) *websocket.Conn {
	t.Helper()
	c, resp, err := wsDial(t, srv, path, header...)
	require.NoError(t, err, "response: %v", resp)
	return c
}

// wsDial dials path with header pairs set on the handshake.
func wsDial(t *testing.T, srv *httptest.Server, path string, header ...string) (*websocket.Conn, *http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	c, resp, err := websocket.Dial(ctx, wsURL(srv, path), &websocket.DialOptions{HTTPHeader: h})
	if err == nil {
		t.Cleanup(func() { c.CloseNow() })
	}
	return c, resp, err
}

// wsReadText reads a text message, giving up after 10s.
func wsReadText(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	typ, b, err := c.Read(ctx)
	require.NoError(t, err)
	require.Equal(t, websocket.MessageText, typ)
	return string(b)
}

// wsSendText sends a text message.
func wsSendText(t *testing.T, c *websocket.Conn, s string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.Write(ctx, websocket.MessageText, []byte(s)))
}

// wsClosed reads until the server closes the connection and returns its
// close frame (FastAPI's WebSocketDisconnect).
func wsClosed(t *testing.T, c *websocket.Conn) websocket.CloseError {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := c.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		require.True(t, errors.As(err, &ce), "want a close frame, got %v", err)
		return ce
	}
}

type wsSocketDependency string

func wsRouterApp() *brisk.App {
	app := brisk.New()
	app.WebSocket("/", func(ws *brisk.WebSocket) error { return ws.WriteText("Hello, world!") })
	router := app.Group("")
	router.WebSocket("/router", func(ws *brisk.WebSocket) error { return ws.WriteText("Hello, router!") })
	router.WebSocket("/router2", func(ws *brisk.WebSocket) error { return ws.WriteText("Hello, router!") })
	app.Group("/prefix").WebSocket("/", func(ws *brisk.WebSocket) error { return ws.WriteText("Hello, router with prefix!") })
	app.Group("/native").WebSocket("/", func(ws *brisk.WebSocket) error {
		return ws.WriteText("Hello, router with native prefix!")
	})
	router.WebSocket("/router/*", func(ws *brisk.WebSocket, pathparam string, in struct {
		Queryparam string `query:"queryparam"`
	}) error {
		if err := ws.WriteText(pathparam); err != nil {
			return err
		}
		return ws.WriteText(in.Queryparam)
	})
	router.Provide(func() wsSocketDependency { return "Socket Dependency" })
	router.WebSocket("/router-ws-depends/", func(ws *brisk.WebSocket, data wsSocketDependency) error {
		return ws.WriteText(string(data))
	})
	router.WebSocket("/depends-err/", func(ws *brisk.WebSocket) error { return nil },
		brisk.Dependencies(func() error { return errors.New("NotImplementedError") }))
	router.WebSocket("/depends-validate/", func(ws *brisk.WebSocket) error { return nil },
		brisk.Dependencies(func(in struct {
			XMissing string `header:"x-missing"`
		}) {
		}))
	router.WebSocket("/custom_error/", func(ws *brisk.WebSocket) error {
		return &brisk.WebSocketError{Code: 1002, Reason: "foo"}
	})
	return app
}

func TestWebSocketRouterFastAPI(t *testing.T) {
	app := wsRouterApp()
	srv := serve(t, app)
	for path, want := range map[string]string{
		"/":                   "Hello, world!",
		"/router":             "Hello, router!",
		"/prefix/":            "Hello, router with prefix!",
		"/native/":            "Hello, router with native prefix!",
		"/router2":            "Hello, router!",
		"/router-ws-depends/": "Socket Dependency",
	} {
		c := wsConnect(t, srv, path)
		assert.Equal(t, want, wsReadText(t, c), path)
		assert.Equal(t, websocket.StatusNormalClosure, wsClosed(t, c).Code, path)
	}

	c := wsConnect(t, srv, "/router/path/to/file?queryparam=a_query_param")
	assert.Equal(t, "path/to/file", wsReadText(t, c))
	assert.Equal(t, "a_query_param", wsReadText(t, c))

	app.Override(func() wsSocketDependency { return "Override" })
	c = wsConnect(t, srv, "/router-ws-depends/")
	assert.Equal(t, "Override", wsReadText(t, c))
}

// FastAPI closes a WebSocket to an unknown path (1000); net/http has no
// route to accept it, so the handshake gets the 404 answer.
func TestWebSocketWrongURI(t *testing.T) {
	srv := serve(t, wsRouterApp())
	_, resp, err := wsDial(t, srv, "/no-router/")
	require.Error(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, 404, resp.StatusCode)
}

func TestWebSocketDependencyFailures(t *testing.T) {
	srv := serve(t, wsRouterApp())

	c := wsConnect(t, srv, "/depends-validate/")
	ce := wsClosed(t, c)
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
	assert.Equal(t, "header.x-missing: Field required", ce.Reason)

	c = wsConnect(t, srv, "/depends-err/")
	ce = wsClosed(t, c)
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
	assert.Equal(t, "Internal Server Error", ce.Reason)

	c = wsConnect(t, srv, "/custom_error/")
	ce = wsClosed(t, c)
	assert.Equal(t, websocket.StatusCode(1002), ce.Code)
	assert.Equal(t, "foo", ce.Reason)
}

// test_ws_dependencies.py: group and route dependencies run in order,
// outermost first, and share the request's provider result.
func TestWebSocketDependenciesOrder(t *testing.T) {
	type depList struct{ names []string }
	dep := func(name string) any { return func(d *depList) { d.names = append(d.names, name) } }
	app := brisk.New()
	app.Provide(func() *depList { return &depList{} })
	root := app.Group("", brisk.Dependencies(dep("app")))
	send := func(ws *brisk.WebSocket, d *depList) error {
		b, _ := json.Marshal(d.names)
		return ws.WriteText(string(b))
	}
	root.WebSocket("/", send, brisk.Dependencies(dep("index")))
	router := root.Group("", brisk.Dependencies(dep("router2")), brisk.Dependencies(dep("router")))
	router.WebSocket("/router", send, brisk.Dependencies(dep("routerindex")))
	prefix := root.Group("/prefix", brisk.Dependencies(dep("prefix_router2")), brisk.Dependencies(dep("prefix_router")))
	prefix.WebSocket("/", send, brisk.Dependencies(dep("routerprefixindex")))
	srv := serve(t, app)
	assert.JSONEq(t, `["app","index"]`, wsReadText(t, wsConnect(t, srv, "/")))
	assert.JSONEq(t, `["app","router2","router","routerindex"]`, wsReadText(t, wsConnect(t, srv, "/router")))
	assert.JSONEq(t, `["app","prefix_router2","prefix_router","routerprefixindex"]`, wsReadText(t, wsConnect(t, srv, "/prefix/")))
}

// test_dependency_after_yield_websockets.py: a provider's cleanup runs
// after the handler is done with what it opened; a closed session makes
// the handler fail (1011).
func TestWebSocketDependencyAfterYield(t *testing.T) {
	type session struct {
		data []string
		open bool
	}
	type brokenSession struct{ *session }
	iterate := func(ws *brisk.WebSocket, s *session) error {
		for _, item := range s.data {
			if !s.open {
				return errors.New("Session closed")
			}
			if err := ws.WriteText(item); err != nil {
				return err
			}
		}
		return nil
	}
	app, logs := quietApp()
	app.Provide(func() (*session, func(), error) {
		s := &session{data: []string{"foo", "bar", "baz"}, open: true}
		return s, func() { s.open = false }, nil
	})
	app.Provide(func() (brokenSession, func(), error) {
		s := &session{data: []string{"foo", "bar", "baz"}}
		return brokenSession{s}, func() { s.open = false }, nil
	})
	app.WebSocket("/ws", iterate)
	app.WebSocket("/ws-broken", func(ws *brisk.WebSocket, s brokenSession) error { return iterate(ws, s.session) })
	srv := serve(t, app)

	c := wsConnect(t, srv, "/ws")
	for _, want := range []string{"foo", "bar", "baz"} {
		assert.Equal(t, want, wsReadText(t, c))
	}
	assert.Equal(t, websocket.StatusNormalClosure, wsClosed(t, c).Code)

	c = wsConnect(t, srv, "/ws-broken")
	ce := wsClosed(t, c)
	assert.Equal(t, websocket.StatusInternalError, ce.Code)
	assert.Equal(t, "Internal Server Error", ce.Reason)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "Session closed") }, 5*time.Second, 5*time.Millisecond)
}

// docs_src/websockets_/tutorial001: an echo.
func TestWebSocketTutorial001(t *testing.T) {
	app := brisk.New()
	app.Get("/", func() *brisk.Response { return brisk.HTML(200, "<!DOCTYPE html><title>Chat</title>") })
	app.WebSocket("/ws", func(ws *brisk.WebSocket) error {
		for {
			data, err := ws.ReadText()
			if err != nil {
				return err
			}
			if err := ws.WriteText("Message text was: " + data); err != nil {
				return err
			}
		}
	})
	srv := serve(t, app)
	assert.Contains(t, send(t, srv, request{Method: "GET", Path: "/", JSON: ""}).Body, "<!DOCTYPE html>")
	c := wsConnect(t, srv, "/ws")
	for _, msg := range []string{"Message one", "Message two"} {
		wsSendText(t, c, msg)
		assert.Equal(t, "Message text was: "+msg, wsReadText(t, c))
	}
	require.NoError(t, c.Close(websocket.StatusNormalClosure, ""))
}

// docs_src/websockets_/tutorial002: path, query, cookie and a dependency
// closing with 1008 when there is no credential.
func tutorial002App() *brisk.App {
	type cookieOrToken string
	app := brisk.New()
	app.Provide(func(in struct {
		Session *string `cookie:"session"`
		Token   *string `query:"token"`
	}) (cookieOrToken, error) {
		switch {
		case in.Session != nil:
			return cookieOrToken(*in.Session), nil
		case in.Token != nil:
			return cookieOrToken(*in.Token), nil
		}
		return "", &brisk.WebSocketError{Code: 1008}
	})
	app.WebSocket("/items/{item_id}/ws", func(ws *brisk.WebSocket, itemID string, in struct {
		Q *int `query:"q"`
	}, cot cookieOrToken) error {
		for {
			data, err := ws.ReadText()
			if err != nil {
				return err
			}
			if err := ws.WriteText("Session cookie or query token value is: " + string(cot)); err != nil {
				return err
			}
			if in.Q != nil {
				if err := ws.WriteText(fmt.Sprintf("Query parameter q is: %d", *in.Q)); err != nil {
					return err
				}
			}
			if err := ws.WriteText(fmt.Sprintf("Message text was: %s, for item ID: %s", data, itemID)); err != nil {
				return err
			}
		}
	})
	return app
}

func TestWebSocketTutorial002(t *testing.T) {
	srv := serve(t, tutorial002App())
	talk := func(c *websocket.Conn, token, itemID string, q bool) {
		for _, msg := range []string{"Message one", "Message two"} {
			wsSendText(t, c, msg)
			assert.Equal(t, "Session cookie or query token value is: "+token, wsReadText(t, c))
			if q {
				assert.Equal(t, "Query parameter q is: 3", wsReadText(t, c))
			}
			assert.Equal(t, fmt.Sprintf("Message text was: %s, for item ID: %s", msg, itemID), wsReadText(t, c))
		}
	}
	talk(wsConnect(t, srv, "/items/foo/ws", "Cookie", "session=fakesession"), "fakesession", "foo", false)
	talk(wsConnect(t, srv, "/items/bar/ws?token=some-token"), "some-token", "bar", false)
	talk(wsConnect(t, srv, "/items/2/ws?q=3&token=some-token"), "some-token", "2", true)

	ce := wsClosed(t, wsConnect(t, srv, "/items/foo/ws"))
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code, "no credentials")
	ce = wsClosed(t, wsConnect(t, srv, "/items/foo/ws?q=bar&token=some-token"))
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code, "invalid data")
	assert.Equal(t, "query.q: Input should be a valid integer, unable to parse string as an integer", ce.Reason)
}

// docs_src/websockets_/tutorial003: a connection manager broadcasting to
// every client, and a client leaving.
func TestWebSocketTutorial003(t *testing.T) {
	var mu sync.Mutex
	active := map[*brisk.WebSocket]bool{}
	broadcast := func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		for ws := range active {
			_ = ws.WriteText(msg)
		}
	}
	joined := make(chan struct{}, 2)
	app := brisk.New()
	app.WebSocket("/ws/{client_id}", func(ws *brisk.WebSocket, clientID int) error {
		mu.Lock()
		active[ws] = true
		mu.Unlock()
		joined <- struct{}{}
		for {
			data, err := ws.ReadText()
			if err != nil {
				mu.Lock()
				delete(active, ws)
				mu.Unlock()
				broadcast(fmt.Sprintf("Client #%d left the chat", clientID))
				return err
			}
			if err := ws.WriteText("You wrote: " + data); err != nil {
				return err
			}
			broadcast(fmt.Sprintf("Client #%d says: %s", clientID, data))
		}
	})
	srv := serve(t, app)
	one := wsConnect(t, srv, "/ws/1234")
	bgRecv(t, joined, "the first client")
	two := wsConnect(t, srv, "/ws/5678")
	bgRecv(t, joined, "the second client")
	wsSendText(t, one, "Hello from 1234")
	assert.Equal(t, "You wrote: Hello from 1234", wsReadText(t, one))
	assert.Equal(t, "Client #1234 says: Hello from 1234", wsReadText(t, two))
	assert.Equal(t, "Client #1234 says: Hello from 1234", wsReadText(t, one))
	require.NoError(t, two.Close(websocket.StatusNormalClosure, ""))
	assert.Equal(t, "Client #5678 left the chat", wsReadText(t, one))
}
