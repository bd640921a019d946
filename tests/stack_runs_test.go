package tests

// Runs of adjacent call-next layers share one capture: the semantics of
// separate layers hold inside a run.

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// forbidden is a response a layer shares between requests.
var forbidden = brisk.Text(http.StatusForbidden, "forbidden")

// A layer in the middle of a run may replace the response, or answer
// without calling next; the layers outside see its response, and a shared
// response is never changed by them.
func TestRunLayerInTheMiddleAnswersForItself(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Middleware(callNextLayer(ev, "inner"))
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		switch r.URL.Path {
		case "/replace":
			resp := next(r)
			out := brisk.JSON(http.StatusAccepted, map[string]string{"was": string(resp.Body())})
			out.Header().Set("X-Replaced", "yes")
			return out
		case "/shared":
			return forbidden
		case "/copy": // a copy of next's response shares its header map
			c := *next(r)
			c.Header().Set("X-Copy", "yes")
			return &c
		}
		return next(r)
	})
	app.Middleware(callNextLayer(ev, "outer"))
	app.Get("/{p}", func(w http.ResponseWriter) {
		w.Header().Set("X-Handler", "yes")
		_, _ = io.WriteString(w, "handled")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/replace"})
	assert.Equal(t, http.StatusAccepted, res.Status)
	assert.JSONEq(t, `{"was":"handled"}`, res.Body)
	assert.Equal(t, "yes", res.Header.Get("X-Replaced"))
	assert.Empty(t, res.Header.Get("X-Handler"), "the replacement's headers only")
	assert.Equal(t, []string{"outer"}, res.Header.Values("X-Order"), "inner's header went with the replaced response")
	assert.Equal(t, []string{"in:outer", "in:inner", "out:inner", "out:outer"}, ev.take())

	for range 2 {
		res = send(t, srv, request{Path: "/shared"})
		assert.Equal(t, http.StatusForbidden, res.Status)
		assert.Equal(t, "forbidden", res.Body)
		assert.Equal(t, []string{"outer"}, res.Header.Values("X-Order"))
		assert.Equal(t, []string{"in:outer", "out:outer"}, ev.take(), "the inner layer never ran")
	}
	assert.Empty(t, forbidden.Header().Values("X-Order"), "the shared response is unchanged")

	res = send(t, srv, request{Path: "/copy"})
	assert.Equal(t, "handled", res.Body)
	assert.Equal(t, "yes", res.Header.Get("X-Copy"))
	assert.Equal(t, "yes", res.Header.Get("X-Handler"))
	assert.Equal(t, []string{"inner", "outer"}, res.Header.Values("X-Order"))
}

// Misuse in the middle of a run is reported as it is for a single layer.
func TestRunMisuseInTheMiddle(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(passThrough)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		switch r.URL.Path {
		case "/twice":
			_ = next(r)
			return next(r)
		case "/nil-without-next":
			return nil
		}
		_ = next(r)
		return nil // next's response
	})
	app.Middleware(callNextLayer(&recorder{}, "outer"))
	app.Get("/{p}", func() string { return "ok" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/nil-after-next"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, `"ok"`, res.Body)
	assert.Equal(t, []string{"outer"}, res.Header.Values("X-Order"))

	for path, reason := range map[string]string{
		"/twice":            "called next twice",
		"/nil-without-next": "returned a nil *Response without calling next",
	} {
		res = send(t, srv, request{Path: path})
		assert.Equal(t, 500, res.Status, path)
		assert.Contains(t, logs.String(), reason, path)
	}
}

// Each layer of a run may pass on a request of its own; the next layer and
// the handler get it.
func TestRunPassesEachLayersRequestOn(t *testing.T) {
	app, _ := quietApp()
	for _, name := range []string{"a", "b", "c"} {
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			seen, _ := r.Context().Value(stackKey("path")).(string)
			resp := next(r.WithContext(context.WithValue(r.Context(), stackKey("path"), seen+name)))
			resp.Header().Add("X-Seen", name+"<"+seen)
			return resp
		})
	}
	app.Get("/", func(ctx context.Context) string { return ctx.Value(stackKey("path")).(string) })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, `"cba"`, res.Body)
	assert.Equal(t, []string{"a<cb", "b<c", "c<"}, res.Header.Values("X-Seen"))
}

// A run under a group and the group's parent's run fuse across the groups
// and keep their order; the app's own run stays outside routing.
func TestRunsAcrossNestedGroups(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Middleware(callNextLayer(ev, "app"))
	g := app.Group("/g")
	g.Middleware(callNextLayer(ev, "g1"))
	g.Middleware(callNextLayer(ev, "g2"))
	h := g.Group("/h")
	h.Middleware(callNextLayer(ev, "h"))
	h.Get("/x", func() string { ev.add("handler"); return "x" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/g/h/x"})
	assert.Equal(t, `"x"`, res.Body)
	assert.Equal(t, []string{"in:app", "in:g2", "in:g1", "in:h", "handler", "out:h", "out:g1", "out:g2", "out:app"}, ev.take())
	assert.Equal(t, []string{"h", "g1", "g2", "app"}, res.Header.Values("X-Order"))
}

// The response a run's layers see holds the headers of the writer's map, as
// a plain http.ResponseWriter's Header() does: those a plain layer outside
// the run set before calling next (and the server's) are part of it, and
// still go out.
func TestRunLayersSeeTheWritersHeaders(t *testing.T) {
	app, _ := quietApp()
	seen := make(chan []string, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		var keys []string
		for k := range resp.Header() {
			keys = append(keys, k)
		}
		seen <- keys
		return resp
	})
	app.Middleware(passThrough)
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Outside", "yes")
			next.ServeHTTP(w, r)
		})
	})
	app.Get("/", func(w http.ResponseWriter) {
		w.Header().Set("X-Handler", "yes")
		_, _ = io.WriteString(w, "ok")
	})

	for _, outside := range []bool{false, true} {
		rec := httptest.NewRecorder()
		if outside {
			rec.Header().Set("X-Server", "set before") // the writer's map is not empty
		}
		app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		assert.Equal(t, "ok", rec.Body.String())
		want := []string{"X-Handler", "X-Outside"}
		if outside {
			want = append(want, "X-Server")
		}
		assert.ElementsMatch(t, want, within(t, seen, "the layer"))
		assert.Equal(t, "yes", rec.Result().Header.Get("X-Outside"))
		assert.Equal(t, "yes", rec.Result().Header.Get("X-Handler"))
		// The writer's own map keeps the headers after the request.
		assert.Equal(t, "yes", rec.Header().Get("X-Handler"))
	}
}

// A run that ends in a panic leaves none of the failed response's headers
// for the 500, whether a layer or the handler set them.
func TestRunPanicLeavesNoHeaders(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-Layer", "yes")
		if r.URL.Path == "/layer" {
			panic("layer")
		}
		return resp
	})
	app.Middleware(passThrough)
	app.Get("/{p}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Handler", "yes")
		w.Header().Set("Content-Type", "text/csv")
		if r.URL.Path == "/handler" {
			panic("handler")
		}
		_, _ = io.WriteString(w, "a,b")
	})
	srv := serve(t, app)

	for _, path := range []string{"/handler", "/layer"} {
		res := send(t, srv, request{Path: path})
		assert.Equal(t, 500, res.Status, path)
		assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body, path)
		assert.Equal(t, "application/json", res.Header.Get("Content-Type"), path)
		assert.Empty(t, res.Header.Get("X-Handler"), path)
		assert.Empty(t, res.Header.Get("X-Layer"), path)
	}
	res := send(t, srv, request{Path: "/ok"})
	assert.Equal(t, "a,b", res.Body)
	assert.Equal(t, "yes", res.Header.Get("X-Layer"))
}

// Headers a layer sets after a streamed response do not reach the client,
// not even as trailers the handler declared.
func TestRunHeadersAfterAStreamAreNotTrailers(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		resp.Header().Set("X-Sum", "from the layer")
		resp.Header().Set("X-Seen", strconv.Quote(resp.Header().Get("X-Before")))
		return resp
	})
	app.Middleware(passThrough)
	app.Get("/", func(w http.ResponseWriter) {
		w.Header().Set("Trailer", "X-Sum, X-Seen")
		w.Header().Set("X-Before", "yes")
		_, _ = io.WriteString(w, "chunk")
		w.(http.Flusher).Flush()
	})
	srv := serve(t, app)

	resp := open(t, srv, request{Path: "/"})
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "chunk", string(b))
	assert.Equal(t, "yes", resp.Header.Get("X-Before"))
	assert.Empty(t, resp.Trailer.Get("X-Sum"))
	assert.Empty(t, resp.Trailer.Get("X-Seen"))
}
