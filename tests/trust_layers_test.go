package tests

// Correctness under every mix of layers: WebSocket upgrades through any
// stack, headers across plain and call-next layers with net/http's rules,
// and layers that run next on another goroutine (http.TimeoutHandler).

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// plainAdd is a plain layer that adds name: value before calling next.
func plainAdd(name, value string) func(http.Handler) http.Handler {
	return func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add(name, value)
			h.ServeHTTP(w, r)
		})
	}
}

// nextAdd is a call-next layer that adds name: value to next's response.
func nextAdd(name, value string) brisk.MiddlewareFunc {
	return func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Add(name, value)
		return resp
	}
}

// nextSet is a call-next layer that sets name: value on next's response.
func nextSet(name, value string) brisk.MiddlewareFunc {
	return func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set(name, value)
		return resp
	}
}

// stackSpec is the layers of one level (app or group), in the order they
// are added: 'p' a plain layer, 'c' a call-next layer.
var stackSpecs = []string{"", "p", "c", "pc", "cp", "cc", "pcp"}

// addLayers adds the layers of spec to a router (app or group), each adding
// X-Layer: <level><index><kind>.
func addLayers(use func(...func(http.Handler) http.Handler), mw func(brisk.MiddlewareFunc), level, spec string) {
	for i, k := range spec {
		name := fmt.Sprintf("%s%d%c", level, i, k)
		if k == 'p' {
			use(plainAdd("X-Layer", name))
		} else {
			mw(nextAdd("X-Layer", name))
		}
	}
}

// echo is a WebSocket handler (coder/websocket) that echoes one message.
func echo(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx, cancel := context.WithTimeout(r.Context(), guard)
	defer cancel()
	typ, msg, err := c.Read(ctx)
	if err != nil {
		return
	}
	if err := c.Write(ctx, typ, append([]byte("echo: "), msg...)); err != nil {
		return
	}
	c.Close(websocket.StatusNormalClosure, "")
}

// A coder/websocket handshake and echo work through every stack of app and
// group layers, plain and call-next, over real TCP; the handler is a raw
// http.Handler or a typed handler that takes the writer. The handshake's
// 101 carries the headers the plain layers set before next.
func TestWebSocketThroughEveryStack(t *testing.T) {
	handlers := map[string]any{
		"raw":   http.HandlerFunc(echo),
		"typed": func(w http.ResponseWriter, r *http.Request) { echo(w, r) },
	}
	for _, appSpec := range stackSpecs {
		for _, groupSpec := range stackSpecs {
			for hname, handler := range handlers {
				t.Run(fmt.Sprintf("app=%q/group=%q/%s", appSpec, groupSpec, hname), func(t *testing.T) {
					app, _ := quietApp()
					addLayers(app.Use, app.Middleware, "a", appSpec)
					g := app.Group("/g")
					addLayers(g.Use, g.Middleware, "g", groupSpec)
					g.Get("/ws", handler)
					srv := serve(t, app)

					ctx, cancel := context.WithTimeout(context.Background(), guard)
					defer cancel()
					c, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/g/ws", nil)
					require.NoError(t, err)
					defer c.CloseNow()
					require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
					var plain []string
					for i, k := range appSpec {
						if k == 'p' {
							plain = append(plain, fmt.Sprintf("a%d%c", i, k))
						}
					}
					for i, k := range groupSpec {
						if k == 'p' {
							plain = append(plain, fmt.Sprintf("g%d%c", i, k))
						}
					}
					// Plain layers run outermost-last-added first.
					got := resp.Header.Values("X-Layer")
					assert.ElementsMatch(t, plain, got, "the 101 carries the plain layers' headers")

					require.NoError(t, c.Write(ctx, websocket.MessageText, []byte("hi")))
					typ, msg, err := c.Read(ctx)
					require.NoError(t, err)
					assert.Equal(t, websocket.MessageText, typ)
					assert.Equal(t, "echo: hi", string(msg))
					_, _, err = c.Read(ctx)
					assert.Equal(t, websocket.StatusNormalClosure, websocket.CloseStatus(err))
				})
			}
		}
	}
}
