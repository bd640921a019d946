package tests

// Nothing shared between users: no response shares a header map, a header
// value slice or a buffer user code can reach with another response, and
// headers Brisk is asked to send are checked before they go out.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// concurrently runs fn(i) for i in [0, n) on a few goroutines at once and
// waits for all of them.
func concurrently(n int, fn func(i int)) {
	const workers = 16
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			for i := range next {
				fn(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// getURL sends a GET and returns status, headers and body, without testify's
// require (it runs on many goroutines).
func getURL(client *http.Client, url string) (int, http.Header, string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b), err
}

// sessionLayers are the two ways a layer adds a cookie after the handler's
// headers are in the writer's map: a call-next layer adding it to next's
// response, and a plain layer whose writer adds it when the status is
// written (as session middleware saving on write does).
var sessionLayers = map[string]func(app *brisk.App){
	"call-next": func(app *brisk.App) {
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			resp := next(r)
			resp.Header().Add("Set-Cookie", "sid="+r.URL.Query().Get("u"))
			return resp
		})
	},
	"plain": func(app *brisk.App) {
		app.Use(func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(&cookieOnWrite{ResponseWriter: w, sid: r.URL.Query().Get("u")}, r)
			})
		})
	},
}

// cookieOnWrite adds its session cookie when the status is written.
type cookieOnWrite struct {
	http.ResponseWriter
	sid   string
	wrote bool
}

func (w *cookieOnWrite) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		http.SetCookie(w.ResponseWriter, &http.Cookie{Name: "sid", Value: w.sid})
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *cookieOnWrite) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(p)
}

// assertOwnCookies checks that n concurrent requests, user i asking with
// ?u=user<i>, each got the shared cookies and its own session cookie only.
func assertOwnCookies(t *testing.T, srv *httptest.Server, path string, status int, shared []string) {
	t.Helper()
	const n = 400
	var mu sync.Mutex
	var bad []string
	client := srv.Client()
	concurrently(n, func(i int) {
		user := "user" + strconv.Itoa(i)
		code, h, _, err := getURL(client, srv.URL+path+"?u="+user)
		want := append(append([]string{}, shared...), "sid="+user)
		if err != nil || code != status || !assert.ObjectsAreEqual(want, h.Values("Set-Cookie")) {
			mu.Lock()
			bad = append(bad, fmt.Sprintf("%s: %d %v %v", user, code, h.Values("Set-Cookie"), err))
			mu.Unlock()
		}
	})
	assert.Empty(t, bad, "responses with another user's cookies")
}

// logout is a package-level error, built once with three cookies, that
// every request returns.
var logout = brisk.Error(http.StatusUnauthorized, "logged out").
	WithHeader("Set-Cookie", "a=1").WithHeader("Set-Cookie", "b=2").WithHeader("Set-Cookie", "c=3")

// A package-level *HTTPError's header values are never shared with a
// response: a layer adding a cookie to one response adds it to that
// response only, under -race.
func TestSharedHTTPErrorHeadersStayOwn(t *testing.T) {
	for name, add := range sessionLayers {
		t.Run(name, func(t *testing.T) {
			app, _ := quietApp()
			add(app)
			app.Get("/logout", func() (string, error) { return "", logout })
			srv := serve(t, app)
			assertOwnCookies(t, srv, "/logout", http.StatusUnauthorized, []string{"a=1", "b=2", "c=3"})
			assert.Equal(t, []string{"a=1", "b=2", "c=3"}, logout.Headers.Values("Set-Cookie"), "the error itself is unchanged")
		})
	}
}

// bye is a package-level *Response with three cookies.
var bye = func() *brisk.Response {
	r := brisk.Text(http.StatusOK, "bye")
	for _, c := range []string{"a=1", "b=2", "c=3"} {
		r.Header().Add("Set-Cookie", c)
	}
	return r
}()

// A package-level *Response's header values are never shared with a
// response, under -race.
func TestSharedResponseHeadersStayOwn(t *testing.T) {
	for name, add := range sessionLayers {
		t.Run(name, func(t *testing.T) {
			app, _ := quietApp()
			add(app)
			app.Get("/bye", func() *brisk.Response { return bye })
			srv := serve(t, app)
			assertOwnCookies(t, srv, "/bye", http.StatusOK, []string{"a=1", "b=2", "c=3"})
			assert.Equal(t, []string{"a=1", "b=2", "c=3"}, bye.Header().Values("Set-Cookie"), "the response itself is unchanged")
		})
	}
}

// scribbler is a plain layer that, once the status is out, writes over the
// values of the Content-Type and Content-Length in the writer's map and
// appends to them: were those value slices shared, every other response
// would carry the change.
func scribbler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&scribbleOnWrite{ResponseWriter: w}, r)
	})
}

type scribbleOnWrite struct {
	http.ResponseWriter
	done bool
}

func (w *scribbleOnWrite) scribble() {
	if w.done {
		return
	}
	w.done = true
	h := w.ResponseWriter.Header()
	for _, k := range []string{"Content-Type", "Content-Length"} {
		if v := h[k]; len(v) > 0 {
			v[0] = "scribbled"
			h[k] = append(v, "more")
		}
	}
}

func (w *scribbleOnWrite) WriteHeader(code int) {
	w.ResponseWriter.WriteHeader(code)
	w.scribble()
}

func (w *scribbleOnWrite) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.scribble()
	return n, err
}

// numQuery is a request's ?n=.
type numQuery struct {
	N int `query:"n"`
}

// Brisk's own Content-Type and Content-Length values are each response's
// own: a layer that writes over them in one response changes no other, on
// every path (typed results, a *Response, an error, a 422, a 404), with and
// without a call-next layer, under -race.
func TestContentHeadersStayOwn(t *testing.T) {
	for _, callNext := range []bool{false, true} {
		t.Run(fmt.Sprintf("call-next=%v", callNext), func(t *testing.T) {
			app, _ := quietApp()
			if callNext {
				app.Middleware(passThrough)
			}
			app.Use(scribbler)
			app.Get("/typed", func(q numQuery) map[string]int { return map[string]int{"n": q.N} })
			app.Get("/response", func(q numQuery) *brisk.Response { return brisk.JSON(http.StatusOK, map[string]int{"n": q.N}) })
			app.Get("/error", func(q numQuery) (string, error) { return "", brisk.Error(http.StatusTeapot, q.N) })
			srv := serve(t, app)
			paths := []string{"/typed?n=%d", "/response?n=%d", "/error?n=%d", "/typed?n=x%d", "/missing%d"}
			var mu sync.Mutex
			var bad []string
			client := srv.Client()
			concurrently(400, func(i int) {
				path := fmt.Sprintf(paths[i%len(paths)], i)
				code, h, body, err := getURL(client, srv.URL+path)
				var v any
				if err != nil || h.Get("Content-Type") != "application/json" || len(h.Values("Content-Type")) != 1 ||
					h.Get("Content-Length") != strconv.Itoa(len(body)) || json.Unmarshal([]byte(body), &v) != nil || code == 0 {
					mu.Lock()
					bad = append(bad, fmt.Sprintf("%s: %d %v %q %v", path, code, h, body, err))
					mu.Unlock()
				}
			})
			assert.Empty(t, bad)
		})
	}
}

// Changing the value slices of a response a handler made changes that
// response only: brisk.JSON's Content-Type is its own.
func TestJSONResponseContentTypeIsItsOwn(t *testing.T) {
	problem := brisk.JSON(http.StatusBadRequest, map[string]string{"detail": "bad"})
	problem.Header()["Content-Type"][0] = "application/problem+json"
	app, _ := quietApp()
	app.Get("/problem", func() *brisk.Response { return problem })
	app.Get("/json", func() *brisk.Response { return brisk.JSON(http.StatusOK, 1) })
	app.Get("/typed", func() int { return 1 })
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		if r.URL.Path == "/typed" {
			resp.Header()["Content-Type"][0] = "application/vnd.one+json"
		}
		return resp
	})
	srv := serve(t, app)
	for range 2 {
		assert.Equal(t, "application/problem+json", send(t, srv, request{Method: "GET", Path: "/problem", JSON: ""}).Header.Get("Content-Type"))
		assert.Equal(t, "application/json", send(t, srv, request{Method: "GET", Path: "/json", JSON: ""}).Header.Get("Content-Type"))
		assert.Equal(t, "application/vnd.one+json", send(t, srv, request{Method: "GET", Path: "/typed", JSON: ""}).Header.Get("Content-Type"))
		assert.Equal(t, "application/json", brisk.JSON(http.StatusOK, 1).Header().Get("Content-Type"))
		assert.Equal(t, "text/plain; charset=utf-8", brisk.Text(http.StatusOK, "").Header().Get("Content-Type"))
	}
}

// A call-next layer may keep the body of next's response (a cache, say):
// the bytes are never reused for another response.
func TestKeptBodyIsNeverReused(t *testing.T) {
	app, _ := quietApp()
	var mu sync.Mutex
	kept := map[string][]byte{}
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		mu.Lock()
		kept[r.URL.Query().Get("u")] = resp.Body()
		mu.Unlock()
		return resp
	})
	app.Get("/me", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "I am "+r.URL.Query().Get("u"))
	})
	srv := serve(t, app)
	concurrently(300, func(i int) { _, _, _, _ = getURL(srv.Client(), srv.URL+"/me?u=user"+strconv.Itoa(i)) })
	require.Len(t, kept, 300)
	for u, b := range kept {
		assert.Equal(t, "I am "+u, string(b))
	}
}

// WithHeader refuses, at the call, a name that is not a token, a value with
// a control character and Transfer-Encoding.
func TestWithHeaderRefusesInvalidHeaders(t *testing.T) {
	for _, kv := range [][2]string{
		{"X-Bad", "a\x00b"}, {"X-Bad", "a\r\nSet-Cookie: evil=1"}, {"X-Bad", "a\nb"},
		{"Bad Name", "v"}, {"X-Bad:", "v"}, {"", "v"}, {"Transfer-Encoding", "chunked"}, {"transfer-encoding", "gzip"},
	} {
		assert.Panics(t, func() { brisk.Error(http.StatusBadRequest, nil).WithHeader(kv[0], kv[1]) }, "%q", kv)
	}
	assert.NotPanics(t, func() { brisk.Error(http.StatusBadRequest, nil).WithHeader("X-Ok", "tab\tand obs-text \xe9") })
}

// rawGet sends a GET over a fresh connection and returns the response's
// head as it came over the wire.
func rawGet(t *testing.T, srv *httptest.Server, path string) string {
	t.Helper()
	c, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer c.Close()
	_, err = fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path)
	require.NoError(t, err)
	var head strings.Builder
	br := bufio.NewReader(c)
	for {
		line, err := br.ReadString('\n')
		head.WriteString(line)
		if err != nil || line == "\r\n" {
			break
		}
	}
	return head.String()
}

// A response whose headers break the rules (a control character in a
// value, a name that is not a token, Transfer-Encoding) is never sent:
// whether a handler's *Response, an HTTPError whose Headers were filled
// directly, or next's response changed by a call-next layer, the request
// gets a logged 500 with none of it on the wire.
func TestInvalidResponseHeadersBecomeA500(t *testing.T) {
	bad := map[string][2]string{
		"nul":               {"X-Bad", "a\x00b"},
		"newline":           {"X-Bad", "a\r\nSet-Cookie: evil=1"},
		"name":              {"Bad Name", "v"},
		"transfer-encoding": {"Transfer-Encoding", "chunked"},
	}
	for what, kv := range bad {
		t.Run(what, func(t *testing.T) {
			app, logs := quietApp()
			app.Get("/response", func() *brisk.Response {
				r := brisk.Text(http.StatusOK, "body")
				r.Header()[kv[0]] = []string{kv[1]}
				return r
			})
			app.Get("/error", func() (string, error) {
				return "", &brisk.HTTPError{Status: http.StatusForbidden, Detail: "no", Headers: http.Header{kv[0]: {kv[1]}}}
			})
			g := app.Group("/layer")
			g.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
				resp := next(r)
				resp.Header()[kv[0]] = []string{kv[1]}
				return resp
			})
			g.Get("/typed", func() string { return "body" })
			srv := serve(t, app)
			for _, path := range []string{"/response", "/error", "/layer/typed"} {
				head := rawGet(t, srv, path)
				assert.True(t, strings.HasPrefix(head, "HTTP/1.1 500 "), "%s: %q", path, head)
				assert.NotContains(t, head, "evil", path)
				assert.NotContains(t, head, "\x00", path)
				assert.NotContains(t, head, "Bad Name", path)
				assert.NotContains(t, head, "chunked", path)
			}
			assert.Contains(t, logs.String(), "panic serving request")
		})
	}
}
