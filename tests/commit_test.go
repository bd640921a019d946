package tests

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// outbox is a Committer: what a request stores before it answers.
type outbox struct {
	name string
	ev   *events
	err  error
	msgs []string
}

func (o *outbox) Commit(context.Context) error {
	o.ev.add(o.name + " commit " + joinMsgs(o.msgs))
	return o.err
}

func joinMsgs(m []string) string {
	s := ""
	for i, x := range m {
		if i > 0 {
			s += ","
		}
		s += x
	}
	return "[" + s + "]"
}

// second is another Committer type, to check their order.
type second struct{ *outbox }

// recordWrites marks when the response's header is written.
func recordWrites(ev *events) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(&headerMark{ResponseWriter: w, ev: ev}, r)
		})
	}
}

type headerMark struct {
	http.ResponseWriter
	ev    *events
	wrote bool
}

func (h *headerMark) WriteHeader(code int) {
	if !h.wrote {
		h.wrote = true
		h.ev.add("write header")
	}
	h.ResponseWriter.WriteHeader(code)
}

func (h *headerMark) Write(b []byte) (int, error) {
	if !h.wrote {
		h.WriteHeader(http.StatusOK)
	}
	return h.ResponseWriter.Write(b)
}

func TestCommitterRunsAfterTheHandlerBeforeTheResponse(t *testing.T) {
	ev := &events{}
	app := brisk.New()
	app.Use(recordWrites(ev))
	app.Provide(func() *outbox { return &outbox{name: "outbox", ev: ev} })
	app.Post("/orders", func(o *outbox) map[string]string {
		ev.add("handler")
		o.msgs = append(o.msgs, "order-created")
		return map[string]string{"status": "stored"}
	}, brisk.Status(201))
	srv := httptest.NewServer(app)
	defer srv.Close()

	res := send(t, srv, request{Method: "POST", Path: "/orders"})
	assert.Equal(t, 201, res.Status)
	assert.JSONEq(t, `{"status":"stored"}`, res.Body)
	assert.Equal(t, []string{"handler", "outbox commit [order-created]", "write header"}, ev.get())
}

func TestCommitterErrorIsTheAnswerAndDropsTasks(t *testing.T) {
	ev := &events{}
	app := brisk.New()
	fail := brisk.Error(503, "queue unavailable")
	app.Provide(func() *outbox { return &outbox{name: "outbox", ev: ev, err: fail} })
	app.Post("/orders", func(o *outbox, bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error { ev.add("task ran"); return nil })
		return "ok"
	})
	app.Post("/plain", func(o *outbox) string { return "ok" })
	srv := httptest.NewServer(app)
	defer srv.Close()

	res := send(t, srv, request{Method: "POST", Path: "/orders"})
	assert.Equal(t, 503, res.Status)
	assert.JSONEq(t, `{"detail":"queue unavailable"}`, res.Body)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
	assert.Equal(t, []string{"outbox commit []"}, ev.get(), "the task of a request whose commit failed must not run")
}

func TestCommitterUnexpectedErrorIs500(t *testing.T) {
	ev := &events{}
	app := brisk.New()
	app.Provide(func() *outbox { return &outbox{name: "outbox", ev: ev, err: errors.New("disk full")} })
	app.Get("/x", func(o *outbox) string { return "ok" })
	srv := httptest.NewServer(app)
	defer srv.Close()

	res := send(t, srv, request{Path: "/x"})
	assert.Equal(t, 500, res.Status)
	assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body)
}

func TestCommitterNotCalledWhenTheRequestFails(t *testing.T) {
	ev := &events{}
	app := brisk.New()
	app.Provide(func() *outbox { return &outbox{name: "outbox", ev: ev} })
	app.Get("/fails", func(o *outbox) error { return brisk.Error(409, "conflict") })
	app.Get("/invalid", func(o *outbox, in struct {
		Limit int `query:"limit" validate:"min=1"`
	}) string {
		return "ok"
	})
	srv := httptest.NewServer(app)
	defer srv.Close()

	assert.Equal(t, 409, send(t, srv, request{Path: "/fails"}).Status)
	assert.Equal(t, 422, send(t, srv, request{Path: "/invalid?limit=0"}).Status)
	assert.Empty(t, ev.get())
}

func TestCommittersRunInProviderOrderAndStopAtTheFirstError(t *testing.T) {
	ev := &events{}
	app := brisk.New()
	app.Provide(func() *outbox { return &outbox{name: "first", ev: ev, err: brisk.Error(503, "first failed")} })
	app.Provide(func(o *outbox) second { return second{&outbox{name: "second", ev: ev}} })
	// The route takes second, whose provider needs *outbox: *outbox runs first.
	app.Get("/both", func(s second) string { return "ok" })
	// A committer reached only through Dependencies is committed too.
	ev2 := &events{}
	dep := brisk.New()
	dep.Provide(func() *outbox { return &outbox{name: "dep", ev: ev2} })
	dep.Get("/dep", func() string { return "ok" }, brisk.Dependencies(func(o *outbox) {}))
	srv := httptest.NewServer(app)
	defer srv.Close()
	srv2 := httptest.NewServer(dep)
	defer srv2.Close()

	res := send(t, srv, request{Path: "/both"})
	assert.Equal(t, 503, res.Status)
	assert.Equal(t, []string{"first commit []"}, ev.get())

	assert.Equal(t, 200, send(t, srv2, request{Path: "/dep"}).Status)
	assert.Equal(t, []string{"dep commit []"}, ev2.get())
}
