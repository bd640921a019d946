package tests

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// Tasks run after the close handshake (the connection is closed when they
// run), then the providers' cleanups; an error answer drops the tasks.
func TestWebSocketTasksAfterClose(t *testing.T) {
	type conn struct{ name string }
	var ev bgEvents
	done := make(chan struct{}, 2)
	app := brisk.New()
	app.Provide(func() (*conn, func(), error) {
		return &conn{name: "db"}, func() { ev.add("cleanup"); done <- struct{}{} }, nil
	})
	app.WebSocket("/ok", func(ws *brisk.WebSocket, c *conn, bg *brisk.BackgroundTasks) error {
		bg.Add(func(context.Context) error {
			ev.add("task, connection closed: " + boolText(ws.WriteText("late") != nil))
			return nil
		})
		ev.add("handler uses " + c.name)
		return ws.WriteText("hi")
	})
	app.WebSocket("/fail", func(ws *brisk.WebSocket, c *conn, bg *brisk.BackgroundTasks) error {
		bg.Add(func(context.Context) error { ev.add("dropped task"); return nil })
		return brisk.Error(409, "busy")
	})
	srv := serve(t, app)
	c := wsConnect(t, srv, "/ok")
	assert.Equal(t, "hi", wsReadText(t, c))
	assert.Equal(t, websocket.StatusNormalClosure, wsClosed(t, c).Code)
	bgRecv(t, done, "the cleanup")
	assert.Equal(t, []string{"handler uses db", "task, connection closed: true", "cleanup"}, ev.get())

	ce := wsClosed(t, wsConnect(t, srv, "/fail"))
	assert.Equal(t, websocket.StatusInternalError, ce.Code)
	assert.Equal(t, "busy", ce.Reason)
	bgRecv(t, done, "the second cleanup")
	assert.NotContains(t, ev.get(), "dropped task")
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// JSON, bytes, subprotocols, the read limit, and the context ending when
// the client leaves.
func TestWebSocketMessages(t *testing.T) {
	type point struct {
		X int `json:"x"`
		Y int `json:"y"`
	}
	left := make(chan error, 1)
	app := brisk.New()
	app.WebSocket("/json", func(ws *brisk.WebSocket) error {
		var p point
		if err := ws.ReadJSON(&p); err != nil {
			return err
		}
		return ws.WriteJSON(point{X: p.Y, Y: p.X})
	})
	app.WebSocket("/bytes", func(ws *brisk.WebSocket) error {
		b, err := ws.ReadBytes()
		if err != nil {
			return err
		}
		return ws.WriteBytes(append(b, '!'))
	})
	app.WebSocket("/proto", func(ws *brisk.WebSocket) error { return ws.WriteText("chose " + ws.Subprotocol()) },
		brisk.WebSocketOptions(brisk.WebSocketConfig{Subprotocols: []string{"v2", "v1"}}))
	app.WebSocket("/small", func(ws *brisk.WebSocket) error {
		_, err := ws.ReadText()
		return err
	}, brisk.WebSocketOptions(brisk.WebSocketConfig{ReadLimit: 8}))
	app.WebSocket("/wait", func(ws *brisk.WebSocket) error {
		_, err := ws.ReadText()
		<-ws.Context().Done()
		left <- err
		return err
	})
	srv := serve(t, app)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	c := wsConnect(t, srv, "/json")
	require.NoError(t, c.Write(ctx, websocket.MessageText, []byte(`{"x":1,"y":2}`)))
	assert.JSONEq(t, `{"x":2,"y":1}`, wsReadText(t, c))

	c = wsConnect(t, srv, "/bytes")
	require.NoError(t, c.Write(ctx, websocket.MessageBinary, []byte("hey")))
	typ, b, err := c.Read(ctx)
	require.NoError(t, err)
	assert.Equal(t, websocket.MessageBinary, typ)
	assert.Equal(t, "hey!", string(b))

	c, _, err = websocket.Dial(ctx, wsURL(srv, "/proto"), &websocket.DialOptions{Subprotocols: []string{"v1", "v2"}})
	require.NoError(t, err)
	defer c.CloseNow()
	assert.Equal(t, "v2", c.Subprotocol())
	assert.Equal(t, "chose v2", wsReadText(t, c))

	c = wsConnect(t, srv, "/small")
	require.NoError(t, c.Write(ctx, websocket.MessageText, []byte("much too long")))
	assert.Equal(t, websocket.StatusMessageTooBig, wsClosed(t, c).Code)

	c = wsConnect(t, srv, "/wait")
	require.NoError(t, c.CloseNow())
	assert.Error(t, bgRecv(t, left, "the handler seeing the client leave"))
}

// A panic closes the connection with 1011 and is logged; the server goes
// on serving.
func TestWebSocketHandlerPanic(t *testing.T) {
	app, logs := quietApp()
	app.WebSocket("/p", func(ws *brisk.WebSocket) error { panic("kaboom") })
	app.Get("/alive", func() string { return "yes" })
	srv := serve(t, app)
	ce := wsClosed(t, wsConnect(t, srv, "/p"))
	assert.Equal(t, websocket.StatusInternalError, ce.Code)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "kaboom") }, 5*time.Second, 5*time.Millisecond)
	assert.Equal(t, `"yes"`, send(t, srv, request{Method: "GET", Path: "/alive", JSON: ""}).Body)
}

// The Origin check: same origin and no Origin pass; another origin gets
// 403 before any dependency runs, unless a pattern allows it.
func TestWebSocketOrigin(t *testing.T) {
	var ran bgEvents
	app := brisk.New()
	hello := func(ws *brisk.WebSocket) error { return ws.WriteText("hello") }
	dep := brisk.Dependencies(func(r *http.Request) { ran.add(r.URL.Path) })
	app.WebSocket("/strict", hello, dep)
	app.WebSocket("/partners", hello, dep, brisk.WebSocketOptions(brisk.WebSocketConfig{OriginPatterns: []string{"*.example.com", "https://app.test"}}))
	app.WebSocket("/open", hello, brisk.WebSocketOptions(brisk.WebSocketConfig{InsecureSkipOriginCheck: true}))
	srv := serve(t, app)
	host := strings.TrimPrefix(srv.URL, "http://")

	assert.Equal(t, "hello", wsReadText(t, wsConnect(t, srv, "/strict")))
	assert.Equal(t, "hello", wsReadText(t, wsConnect(t, srv, "/strict", "Origin", "http://"+host)))
	_, resp, err := wsDial(t, srv, "/strict", "Origin", "https://evil.example")
	require.Error(t, err)
	assert.Equal(t, 403, resp.StatusCode)
	assert.Equal(t, []string{"/strict", "/strict"}, ran.get(), "the dependency never ran for the refused origin")

	assert.Equal(t, "hello", wsReadText(t, wsConnect(t, srv, "/partners", "Origin", "https://chat.example.com")))
	assert.Equal(t, "hello", wsReadText(t, wsConnect(t, srv, "/partners", "Origin", "https://app.test")))
	_, resp, err = wsDial(t, srv, "/partners", "Origin", "http://app.test")
	require.Error(t, err)
	assert.Equal(t, 403, resp.StatusCode)
	assert.Equal(t, "hello", wsReadText(t, wsConnect(t, srv, "/open", "Origin", "https://anywhere.example")))
}

// A plain request to a WebSocket route is refused as coder/websocket
// refuses it; the route is not in the document.
func TestWebSocketPlainRequestAndDocument(t *testing.T) {
	app := brisk.New()
	app.WebSocket("/ws", func(ws *brisk.WebSocket) error { return nil })
	app.Get("/items", func() []string { return nil })
	srv := serve(t, app)
	res := send(t, srv, request{Method: "GET", Path: "/ws", JSON: ""})
	assert.Equal(t, http.StatusUpgradeRequired, res.Status)
	assert.Equal(t, "websocket", res.Header.Get("Upgrade"))
	paths := send(t, srv, request{Method: "GET", Path: "/openapi.json", JSON: ""}).JSON(t).(map[string]any)["paths"].(map[string]any)
	assert.Contains(t, paths, "/items")
	assert.NotContains(t, paths, "/ws")
}

// Registration refuses what a WebSocket route cannot do.
func TestWebSocketRegistrationErrors(t *testing.T) {
	type body struct {
		Name string `json:"name"`
	}
	app := brisk.New()
	for name, register := range map[string]func(){
		"body": func() { app.WebSocket("/a", func(ws *brisk.WebSocket, b body) error { return nil }) },
		"form": func() {
			app.WebSocket("/b", func(in struct {
				Name string `form:"name"`
			}) {
			})
		},
		"raw body":    func() { app.WebSocket("/h", func(r io.Reader) {}) },
		"writer":      func() { app.WebSocket("/c", func(w http.ResponseWriter) {}) },
		"value":       func() { app.WebSocket("/d", func() string { return "" }) },
		"http route":  func() { app.Get("/e", func(ws *brisk.WebSocket) {}) },
		"options":     func() { app.Get("/f", func() {}, brisk.WebSocketOptions(brisk.WebSocketConfig{})) },
		"bad pattern": func() { brisk.WebSocketOptions(brisk.WebSocketConfig{OriginPatterns: []string{"[a"}}) },
	} {
		assert.Panics(t, register, name)
	}
	msg := panicText(func() { app.WebSocket("/g", func(ws *brisk.WebSocket, b body) error { return nil }) })
	assert.Contains(t, msg, "brisk: WebSocket /g: handler ")
	assert.Contains(t, msg, "takes a request body")
}

// Under every middleware stack the upgrade goes through and messages flow.
func TestWebSocketUnderMiddlewareStacks(t *testing.T) {
	stacks := map[string]func(*brisk.App){
		"plain":                       streamStacks["plain"],
		"call-next":                   streamStacks["call-next"],
		"call-next, plain, call-next": streamStacks["two call-next around plain"],
		"everything": func(app *brisk.App) {
			app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
			app.Use(middleware.GZip(middleware.GZipConfig{MinimumSize: 1}))
			streamStacks["trusted-host"](app)
			streamStacks["cors"](app)
			app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
		},
		"gzip":         func(app *brisk.App) { app.Use(middleware.GZip(middleware.GZipConfig{MinimumSize: 1})) },
		"trusted-host": streamStacks["trusted-host"],
		"cors":         streamStacks["cors"],
	}
	for name, stack := range stacks {
		t.Run(name, func(t *testing.T) {
			app := brisk.New()
			app.WebSocket("/deny", func(ws *brisk.WebSocket) error { return nil },
				brisk.Dependencies(func() error { return brisk.Error(401, "Not authenticated") }))
			group := app.Group("/g")
			group.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response { return next(r) })
			group.WebSocket("/echo", func(ws *brisk.WebSocket) error { return ws.WriteText("group") })
			app.WebSocket("/echo", func(ws *brisk.WebSocket) error {
				for {
					s, err := ws.ReadText()
					if err != nil {
						return err
					}
					if err := ws.WriteText(s); err != nil {
						return err
					}
				}
			})
			stack(app)
			srv := serve(t, app)
			c := wsConnect(t, srv, "/echo", "Accept-Encoding", "gzip")
			wsSendText(t, c, "ping")
			assert.Equal(t, "ping", wsReadText(t, c))
			require.NoError(t, c.Close(websocket.StatusNormalClosure, "bye"))
			assert.Equal(t, "group", wsReadText(t, wsConnect(t, srv, "/g/echo")))
			ce := wsClosed(t, wsConnect(t, srv, "/deny"))
			assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
			assert.Equal(t, "Not authenticated", ce.Reason)
		})
	}
}

// CloseStatus tells a handler why a read failed.
func TestWebSocketCloseStatus(t *testing.T) {
	got := make(chan int, 1)
	app := brisk.New()
	app.WebSocket("/ws", func(ws *brisk.WebSocket) error {
		_, err := ws.ReadText()
		got <- brisk.CloseStatus(err)
		return err
	})
	srv := serve(t, app)
	c := wsConnect(t, srv, "/ws")
	require.NoError(t, c.Close(websocket.StatusGoingAway, "tab closed"))
	assert.Equal(t, 1001, bgRecv(t, got, "the handler's read error"))
	assert.Equal(t, -1, brisk.CloseStatus(errors.New("other")))
}

// Connections dropped by their clients (no close frame) leave no goroutine
// behind: the handler's read fails, the connection is closed, the count
// returns to what it was.
func TestWebSocketDroppedLeaveNoGoroutines(t *testing.T) {
	if testing.Short() {
		t.Skip("200 connections")
	}
	var ended sync.WaitGroup
	app := brisk.New()
	app.WebSocket("/ws", func(ws *brisk.WebSocket) error {
		defer ended.Done()
		if err := ws.WriteText("hi"); err != nil {
			return err
		}
		_, err := ws.ReadText()
		return err
	})
	srv := serve(t, app)
	drop := func() {
		ended.Add(1)
		c := wsConnect(t, srv, "/ws")
		assert.Equal(t, "hi", wsReadText(t, c))
		require.NoError(t, c.CloseNow())
	}
	for range 20 { // warm up
		drop()
	}
	ended.Wait()
	runtime.GC()
	before := runtime.NumGoroutine()
	for range 200 {
		drop()
	}
	ended.Wait()
	after := runtime.NumGoroutine()
	for deadline := time.Now().Add(10 * time.Second); after > before && time.Now().Before(deadline); {
		runtime.Gosched()
		runtime.GC()
		after = runtime.NumGoroutine()
	}
	if after > before {
		var sb strings.Builder
		_ = pprof.Lookup("goroutine").WriteTo(&sb, 1)
		t.Fatalf("goroutines before %d, after %d:\n%s", before, after, sb.String())
	}
	t.Logf("goroutines before %d, after 200 dropped connections: %d", before, after)
}
