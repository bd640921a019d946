package tests

// The order layers run in: last added, first called, across Use and
// Middleware, apps and groups.

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

func TestStackIsLIFOAcrossUseAndMiddleware(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Use(plainLayer(ev, "A"))           // first added: innermost
	app.Middleware(callNextLayer(ev, "B")) //
	app.Use(plainLayer(ev, "C"), plainLayer(ev, "D"))
	app.Middleware(callNextLayer(ev, "E")) // last added: outermost
	app.Get("/", func() string { ev.add("handler"); return "ok" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	require.Equal(t, 200, res.Status)
	assert.Equal(t, `"ok"`, res.Body)
	// Use(C, D) is Use(C); Use(D): D was added last, so it is outside C.
	assert.Equal(t, []string{
		"in:E", "in:D", "in:C", "in:B", "in:A",
		"handler",
		"out:A", "out:B", "out:C", "out:D", "out:E",
	}, ev.take())
	// The response phase runs in reverse: B sees the response before E.
	assert.Equal(t, []string{"B", "E"}, res.Header.Values("X-Order"))
}

// Starlette's test_multiple_middlewares_stacked_client_disconnected, order part.
func TestTenCallNextLayersStartAndCompleteInOrder(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	for i := 10; i >= 1; i-- { // added 10..1, so 1 is outermost
		v := strconv.Itoa(i)
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			ev.add(v + ":STARTED")
			resp := next(r)
			ev.add(v + ":COMPLETED")
			return resp
		})
	}
	app.Get("/", func() *brisk.Response { return brisk.Text(200, "") })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "0", res.Header.Get("Content-Length"))
	var want []string
	for i := 1; i <= 10; i++ {
		want = append(want, strconv.Itoa(i)+":STARTED")
	}
	for i := 10; i >= 1; i-- {
		want = append(want, strconv.Itoa(i)+":COMPLETED")
	}
	assert.Equal(t, want, ev.take())
}

func TestGroupStacks(t *testing.T) {
	ev := &recorder{}
	app, _ := quietApp()
	app.Use(plainLayer(ev, "app"))
	g1 := app.Group("/g1")
	g1.Use(plainLayer(ev, "g1.use"))
	g1.Middleware(callNextLayer(ev, "g1.mw"))
	g2 := app.Group("/g2")
	inner := g1.Group("/inner")
	inner.Use(plainLayer(ev, "inner.use"))
	inner.Middleware(callNextLayer(ev, "inner.mw"))
	peer := g1.Group("/peer")
	peer.Middleware(callNextLayer(ev, "peer.mw"))
	app.Middleware(callNextLayer(ev, "app.mw"))

	h := func(name string) func() string { return func() string { ev.add("handler"); return name } }
	app.Get("/root", h("root"))
	g1.Get("/a", h("a"))
	g2.Get("/b", h("b"))
	inner.Get("/c", h("c"))
	peer.Get("/d", h("d"))
	g2.Middleware(callNextLayer(ev, "g2.mw")) // after its route: still applies
	srv := serve(t, app)

	cases := []struct {
		path  string
		want  []string
		order []string
	}{
		{"/root", []string{"in:app.mw", "in:app", "handler", "out:app", "out:app.mw"}, []string{"app.mw"}},
		{"/g1/a", []string{
			"in:app.mw", "in:app", "in:g1.mw", "in:g1.use", "handler",
			"out:g1.use", "out:g1.mw", "out:app", "out:app.mw",
		}, []string{"g1.mw", "app.mw"}},
		{"/g2/b", []string{
			"in:app.mw", "in:app", "in:g2.mw", "handler", "out:g2.mw", "out:app", "out:app.mw",
		}, []string{"g2.mw", "app.mw"}},
		{"/g1/inner/c", []string{
			"in:app.mw", "in:app", "in:g1.mw", "in:g1.use", "in:inner.mw", "in:inner.use", "handler",
			"out:inner.use", "out:inner.mw", "out:g1.use", "out:g1.mw", "out:app", "out:app.mw",
		}, []string{"inner.mw", "g1.mw", "app.mw"}},
		{"/g1/peer/d", []string{
			"in:app.mw", "in:app", "in:g1.mw", "in:g1.use", "in:peer.mw", "handler",
			"out:peer.mw", "out:g1.use", "out:g1.mw", "out:app", "out:app.mw",
		}, []string{"peer.mw", "g1.mw", "app.mw"}},
		// Unmatched: only the app's stack runs, group layers are after routing.
		{"/g1/nothing", []string{"in:app.mw", "in:app", "out:app", "out:app.mw"}, []string{"app.mw"}},
	}
	for _, c := range cases {
		res := send(t, srv, request{Path: c.path})
		assert.Equal(t, c.want, ev.take(), c.path)
		assert.Equal(t, c.order, res.Header.Values("X-Order"), c.path)
	}
}
