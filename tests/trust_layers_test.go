package tests

// Correctness under every mix of layers: WebSocket upgrades through any
// stack, headers across plain and call-next layers with net/http's rules,
// and layers that run next on another goroutine (http.TimeoutHandler).

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// Headers a plain layer sets before next meet those inner call-next layers
// set as on one http.ResponseWriter: an inner Add appends, an inner Set
// replaces; at app level, through nested groups, and with Set-Cookie.
func TestHeadersAcrossPlainAndCallNextLayers(t *testing.T) {
	t.Run("app: inner Add appends", func(t *testing.T) {
		app, _ := quietApp()
		app.Middleware(nextAdd("X-L", "cn"))
		app.Use(plainAdd("X-L", "outer"))
		app.Get("/", func() string { return "ok" })
		res := send(t, serve(t, app), request{Method: "GET", Path: "/", JSON: ""})
		assert.Equal(t, []string{"outer", "cn"}, res.Header.Values("X-L"))
	})
	t.Run("app: inner Set replaces", func(t *testing.T) {
		app, _ := quietApp()
		app.Middleware(nextSet("X-L", "cn"))
		app.Use(plainAdd("X-L", "outer"))
		app.Get("/", func() string { return "ok" })
		res := send(t, serve(t, app), request{Method: "GET", Path: "/", JSON: ""})
		assert.Equal(t, []string{"cn"}, res.Header.Values("X-L"))
	})
	t.Run("nested groups", func(t *testing.T) {
		app, _ := quietApp()
		v1 := app.Group("/v1")
		v1.Use(plainAdd("X-L", "v1"))
		users := v1.Group("/users")
		users.Middleware(nextAdd("X-L", "users"))
		users.Get("/", func() string { return "ok" })
		res := send(t, serve(t, app), request{Method: "GET", Path: "/v1/users/", JSON: ""})
		assert.Equal(t, []string{"v1", "users"}, res.Header.Values("X-L"))
	})
	t.Run("app plain, group call-next, app call-next", func(t *testing.T) {
		app, _ := quietApp()
		app.Middleware(nextAdd("X-L", "app-cn"))
		app.Use(plainAdd("X-L", "app-plain"))
		g := app.Group("/g")
		g.Middleware(nextAdd("X-L", "g-cn"))
		g.Use(plainAdd("X-L", "g-plain"))
		g.Get("/x", func() string { return "ok" })
		res := send(t, serve(t, app), request{Method: "GET", Path: "/g/x", JSON: ""})
		assert.Equal(t, []string{"app-plain", "g-plain", "g-cn", "app-cn"}, res.Header.Values("X-L"))
	})
}

// sessionCookie is a plain layer that sets the session cookie before next,
// as session middleware does.
func sessionCookie(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "s1"})
		h.ServeHTTP(w, r)
	})
}

// The session cookie a plain layer sets is never lost to cookies set
// inside it: by a call-next layer, by a handler's *Response, by an
// HTTPError; a call-next layer's own response replaces the inner response's
// headers but keeps the session's.
func TestSessionCookieSurvivesInnerCookies(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		if r.URL.Query().Has("deny") {
			next(r)
			resp := brisk.Text(http.StatusForbidden, "denied")
			resp.Header().Add("Set-Cookie", "denied=1")
			return resp
		}
		resp := next(r)
		resp.Header().Add("Set-Cookie", "csrf=c1")
		return resp
	})
	app.Use(sessionCookie)
	app.Get("/typed", func() string { return "ok" })
	app.Get("/response", func() *brisk.Response {
		resp := brisk.Text(http.StatusOK, "ok")
		resp.Header().Add("Set-Cookie", "theme=dark")
		resp.Header().Set("X-Handler", "1")
		return resp
	})
	app.Get("/error", func() (string, error) {
		return "", brisk.Error(http.StatusUnauthorized, nil).WithHeader("Set-Cookie", "err=1")
	})
	srv := serve(t, app)

	assert.Equal(t, []string{"sid=s1", "csrf=c1"}, send(t, srv, request{Method: "GET", Path: "/typed", JSON: ""}).Header.Values("Set-Cookie"))
	assert.Equal(t, []string{"sid=s1", "theme=dark", "csrf=c1"}, send(t, srv, request{Method: "GET", Path: "/response", JSON: ""}).Header.Values("Set-Cookie"))
	assert.Equal(t, []string{"sid=s1", "err=1", "csrf=c1"}, send(t, srv, request{Method: "GET", Path: "/error", JSON: ""}).Header.Values("Set-Cookie"))
	res := send(t, srv, request{Method: "GET", Path: "/response?deny", JSON: ""})
	assert.Equal(t, http.StatusForbidden, res.Status)
	assert.Equal(t, "denied", res.Body)
	assert.Equal(t, []string{"sid=s1", "denied=1"}, res.Header.Values("Set-Cookie"))
	assert.Empty(t, res.Header.Get("X-Handler"), "the replaced response's headers are gone")
	assert.Equal(t, "6", res.Header.Get("Content-Length"))

	// Without a call-next layer, the same rules.
	plain, _ := quietApp()
	plain.Use(sessionCookie)
	plain.Get("/response", func() *brisk.Response {
		resp := brisk.Text(http.StatusOK, "ok")
		resp.Header().Add("Set-Cookie", "theme=dark")
		return resp
	})
	plain.Get("/error", func() (string, error) {
		return "", brisk.Error(http.StatusUnauthorized, nil).WithHeader("Set-Cookie", "err=1")
	})
	psrv := serve(t, plain)
	assert.Equal(t, []string{"sid=s1", "theme=dark"}, send(t, psrv, request{Method: "GET", Path: "/response", JSON: ""}).Header.Values("Set-Cookie"))
	assert.Equal(t, []string{"sid=s1", "err=1"}, send(t, psrv, request{Method: "GET", Path: "/error", JSON: ""}).Header.Values("Set-Cookie"))
}

// timedConn is a provider's value with a cleanup, counted.
type timedConn struct{ user string }

// timedQuery is the input of the TimeoutHandler test's route.
type timedQuery struct {
	User string `query:"user" validate:"required"`
	N    int    `query:"n"`
}

// A layer that runs next on another goroutine (http.TimeoutHandler, here
// with a timeout short enough that many requests time out while their plan
// still runs) never lets a request see another's state: every response is
// the timeout's 503 or the right answer for its own input (a 200, or a 422
// naming its own bad input), at app level, in a group, and under a
// call-next layer, under -race; and every provider cleanup runs.
func TestTimeoutHandlerNeverSharesState(t *testing.T) {
	timeout := func(h http.Handler) http.Handler { return http.TimeoutHandler(h, time.Millisecond, "timed out") }
	stacks := map[string]func(app *brisk.App) *brisk.Router{
		"app": func(app *brisk.App) *brisk.Router {
			app.Use(timeout)
			return app.Group("/g")
		},
		"group": func(app *brisk.App) *brisk.Router {
			g := app.Group("/g")
			g.Use(timeout)
			return g
		},
		"call-next outside": func(app *brisk.App) *brisk.Router {
			app.Use(timeout)
			app.Middleware(nextAdd("X-Outer", "1"))
			g := app.Group("/g")
			g.Middleware(nextAdd("X-Inner", "1"))
			g.Use(timeout)
			return g
		},
	}
	for name, stack := range stacks {
		t.Run(name, func(t *testing.T) {
			app, _ := quietApp()
			var made, cleaned atomic.Int64
			cleanedOne := make(chan struct{}, 1024)
			app.Provide(func(q timedQuery) (timedConn, func(), error) {
				made.Add(1)
				return timedConn{user: q.User}, func() {
					cleaned.Add(1)
					cleanedOne <- struct{}{}
				}, nil
			})
			g := stack(app)
			g.Get("/items/{id}", func(id int, q timedQuery, c timedConn, bg *brisk.BackgroundTasks) map[string]any {
				bg.Add(func(context.Context) error { return nil })
				return map[string]any{"id": id, "user": q.User, "conn": c.user, "n": q.N}
			})
			srv := serve(t, app)
			client := srv.Client()
			var mu sync.Mutex
			var bad []string
			var answered atomic.Int64
			concurrently(600, func(i int) {
				user := "u" + strconv.Itoa(i)
				n := strconv.Itoa(i)
				if i%3 == 0 {
					n = "x" + n // a 422 naming this input
				}
				code, _, body, err := getURL(client, fmt.Sprintf("%s/g/items/%d?user=%s&n=%s", srv.URL, i, user, n))
				ok := err == nil
				switch {
				case !ok:
				case code == http.StatusServiceUnavailable:
					ok = body == "timed out"
				case i%3 == 0:
					ok = code == http.StatusUnprocessableEntity &&
						body == fmt.Sprintf(`{"detail":[{"type":"int_parsing","loc":["query","n"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"%s"}]}`, n)
				default:
					ok = code == http.StatusOK && body == fmt.Sprintf(`{"conn":"%s","id":%d,"n":%d,"user":"%s"}`, user, i, i, user)
				}
				if code == http.StatusOK || code == http.StatusUnprocessableEntity {
					answered.Add(1)
				}
				if !ok {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("%d: %d %q %v", i, code, body, err))
					mu.Unlock()
				}
			})
			assert.Empty(t, bad)
			t.Logf("%d of 600 answered before the timeout", answered.Load())
			// Every cleanup of a provider that ran runs, the late plans' too.
			for cleaned.Load() < made.Load() {
				within(t, cleanedOne, "a provider cleanup")
			}
		})
	}
}

// A plain layer that answers and leaves next running on another goroutine
// (the run outlives ServeHTTP): the run keeps its own request's state until
// it ends, its provider's cleanup runs once it does, and a request served
// meanwhile gets its own answer. A run that only starts once its request
// is over is refused: the handler never runs.
func TestRunOutlivingServeHTTP(t *testing.T) {
	app, _ := quietApp()
	unblock, started := make(chan struct{}), make(chan struct{})
	lateDone := make(chan struct{})
	cleanedUp := make(chan string, 4)
	var ran atomic.Int64
	app.Provide(func(q timedQuery) (timedConn, func(), error) {
		return timedConn{user: q.User}, func() { cleanedUp <- q.User }, nil
	})
	g := app.Group("/g")
	g.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Query().Get("mode") {
			case "outlive": // run next, answer once it started, before it ends
				go func() {
					defer close(lateDone)
					next.ServeHTTP(httptest.NewRecorder(), r)
				}()
				<-started
				w.WriteHeader(http.StatusAccepted)
			case "late": // answer, then start next once the request is over
				w.WriteHeader(http.StatusAccepted)
				go func() {
					<-r.Context().Done()
					next.ServeHTTP(httptest.NewRecorder(), r)
					lateDone <- struct{}{}
				}()
			default:
				next.ServeHTTP(w, r)
			}
		})
	})
	g.Get("/items", func(r *http.Request, q timedQuery, c timedConn) map[string]any {
		ran.Add(1)
		if r.URL.Query().Get("mode") == "outlive" {
			close(started)
			<-unblock
		}
		return map[string]any{"user": q.User, "conn": c.user}
	})
	srv := serve(t, app)

	assert.Equal(t, http.StatusAccepted, send(t, srv, request{Method: "GET", Path: "/g/items?mode=outlive&user=first&n=0", JSON: ""}).Status)
	// While the first run is blocked, other requests take pooled states.
	for i := range 20 {
		user := "u" + strconv.Itoa(i)
		res := send(t, srv, request{Method: "GET", Path: "/g/items?n=0&user=" + user, JSON: ""})
		assert.Equal(t, fmt.Sprintf(`{"conn":"%s","user":"%s"}`, user, user), res.Body)
		assert.Equal(t, user, within(t, cleanedUp, "a cleanup"))
	}
	close(unblock)
	within(t, lateDone, "the outliving run")
	assert.Equal(t, "first", within(t, cleanedUp, "the outliving run's cleanup"))

	lateDone = make(chan struct{}, 1)
	before := ran.Load()
	assert.Equal(t, http.StatusAccepted, send(t, srv, request{Method: "GET", Path: "/g/items?mode=late&user=late&n=0", JSON: ""}).Status)
	within(t, lateDone, "the late run")
	assert.Equal(t, before, ran.Load(), "a run that starts after its request is over is refused")
	res := send(t, srv, request{Method: "GET", Path: "/g/items?n=0&user=after", JSON: ""})
	assert.Equal(t, `{"conn":"after","user":"after"}`, res.Body)
}
