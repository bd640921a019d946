package tests

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

type Message struct {
	Message string `json:"message"`
}

type Item struct {
	Name  string   `json:"name" validate:"required"`
	Price float64  `json:"price" validate:"gt=0"`
	Tags  []string `json:"tags"`
	Note  *string  `json:"note"`
}

type ListParams struct {
	Q     *string  `query:"q"`
	Limit int      `query:"limit" default:"10" validate:"lte=100"`
	Skip  int      `query:"skip" default:"0"`
	Tags  []string `query:"tag"`
	Token string   `header:"X-Token"`
}

func TestSeedRoute(t *testing.T) {
	app, _ := quietApp()
	app.Post("/send-notification/{email}", func(email string) Message {
		return Message{Message: "Notification sent to " + email}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/send-notification/foo@example.com"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assert.JSONEq(t, `{"message":"Notification sent to foo@example.com"}`, res.Body)
}

func TestPathScalarsOfEveryKind(t *testing.T) {
	app, _ := quietApp()
	app.Get("/int/{id}", func(id int) int { return id })
	app.Get("/float/{x}", func(x float64) float64 { return x })
	app.Get("/bool/{b}", func(b bool) bool { return b })
	app.Get("/uint8/{n}", func(n uint8) uint8 { return n })
	app.Get("/dur/{d}", func(d time.Duration) string { return d.String() })
	app.Get("/time/{t}", func(ts time.Time) string { return ts.UTC().Format(time.RFC3339) })
	app.Get("/two/{a}/{b}", func(a string, b int) string { return fmt.Sprintf("%s-%d", a, b) })
	app.Get("/re/{id:[0-9]+}", func(id int64) int64 { return id })
	app.Get("/static/*", func(rest string) string { return rest })
	srv := serve(t, app)

	assert.Equal(t, "42", send(t, srv, request{Path: "/int/42"}).Body)
	assert.Equal(t, "1.5", send(t, srv, request{Path: "/float/1.5"}).Body)
	assert.Equal(t, "true", send(t, srv, request{Path: "/bool/yes"}).Body)
	assert.Equal(t, "255", send(t, srv, request{Path: "/uint8/255"}).Body)
	assert.Equal(t, `"1m30s"`, send(t, srv, request{Path: "/dur/90s"}).Body)
	assert.Equal(t, `"2024-01-02T03:04:05Z"`, send(t, srv, request{Path: "/time/2024-01-02T03:04:05Z"}).Body)
	assert.Equal(t, `"x-7"`, send(t, srv, request{Path: "/two/x/7"}).Body)
	assert.Equal(t, "12", send(t, srv, request{Path: "/re/12"}).Body)
	assert.Equal(t, 404, send(t, srv, request{Path: "/re/abc"}).Status)
	assert.Equal(t, `"css/site.css"`, send(t, srv, request{Path: "/static/css/site.css"}).Body)

	res := send(t, srv, request{Path: "/int/foobar"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"int_parsing","loc":["path","id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"foobar"}]}`, res.Body)

	res = send(t, srv, request{Path: "/float/abc"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"float_parsing","loc":["path","x"],"msg":"Input should be a valid number, unable to parse string as a number","input":"abc"}]}`, res.Body)

	res = send(t, srv, request{Path: "/bool/maybe"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"bool_parsing","loc":["path","b"],"msg":"Input should be a valid boolean, unable to interpret input","input":"maybe"}]}`, res.Body)

	assert.Equal(t, 422, send(t, srv, request{Path: "/uint8/256"}).Status, "overflow is the client's mistake")
}

func TestEscapedPathParameterIsDecoded(t *testing.T) {
	app, _ := quietApp()
	app.Get("/files/{name}", func(name string) string { return name })
	srv := serve(t, app)
	assert.Equal(t, `"a/b c"`, send(t, srv, request{Path: "/files/a%2Fb%20c"}).Body)
}

func TestQueryHeaderCookieModel(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func(p ListParams) map[string]any {
		q := "<nil>"
		if p.Q != nil {
			q = *p.Q
		}
		return map[string]any{"q": q, "limit": p.Limit, "skip": p.Skip, "tags": p.Tags, "token": p.Token}
	})
	type Session struct {
		ID string `cookie:"session"`
	}
	app.Get("/agent", func(h struct {
		UserAgent string `header:"user_agent"`
	}) string {
		return h.UserAgent
	})
	app.Get("/me", func(s Session) string { return s.ID })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items?q=foo&limit=5&tag=a&tag=b", Headers: []string{"X-Token", "secret"}})
	require.Equal(t, 200, res.Status, res.Body)
	assert.JSONEq(t, `{"q":"foo","limit":5,"skip":0,"tags":["a","b"],"token":"secret"}`, res.Body)

	res = send(t, srv, request{Path: "/items?q=caf%C3%A9+au+lait", Headers: []string{"X-Token", "t"}})
	assert.JSONEq(t, `{"q":"café au lait","limit":10,"skip":0,"tags":[],"token":"t"}`, res.Body)

	// Every failing input is reported together, in wire names.
	res = send(t, srv, request{Path: "/items?limit=abc&skip=x"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[
		{"type":"int_parsing","loc":["query","limit"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"},
		{"type":"int_parsing","loc":["query","skip"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},
		{"type":"missing","loc":["header","X-Token"],"msg":"Field required","input":null}
	]}`, res.Body)

	res = send(t, srv, request{Path: "/items?limit=1000", Headers: []string{"X-Token", "t"}})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"less_than_equal","loc":["query","limit"],"msg":"Input should be less than or equal to 100","input":"1000","ctx":{"le":100}}]}`, res.Body)

	assert.Equal(t, `"probe/1.0"`, send(t, srv, request{Path: "/agent", Headers: []string{"User-Agent", "probe/1.0"}}).Body,
		"underscores in header names mean hyphens, as FastAPI's Header()")

	req, _ := http.NewRequest("GET", srv.URL+"/me", nil)
	req.AddCookie(&http.Cookie{Name: "session", Value: "abc"})
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	res = send(t, srv, request{Path: "/me"})
	assert.Equal(t, 422, res.Status)
	assert.Contains(t, res.Body, `"loc":["cookie","session"]`)
}

func TestJSONBody(t *testing.T) {
	app, _ := quietApp()
	app.Post("/items", func(it Item) Item { return it }, brisk.Status(201))
	app.Post("/maybe", func(it *Item) string {
		if it == nil {
			return "none"
		}
		return it.Name
	})
	app.Post("/list", func(items []Item) int { return len(items) })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name":"widget","price":9.5,"tags":["a","b"]}`})
	assert.Equal(t, 201, res.Status)
	assert.JSONEq(t, `{"name":"widget","price":9.5,"tags":["a","b"],"note":null}`, res.Body)

	res = send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name":"widget","price":-1}`})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":-1,"ctx":{"gt":0}}]}`, res.Body)

	res = send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name":"widget"}`})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["body","price"],"msg":"Field required","input":{"name":"widget"}}]}`, res.Body)

	res = send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name": "widget", "price": }`})
	assert.Equal(t, 422, res.Status)
	body := res.JSON(t).(map[string]any)["detail"].([]any)[0].(map[string]any)
	assert.Equal(t, "json_invalid", body["type"])
	assert.Equal(t, "body", body["loc"].([]any)[0])

	res = send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name":"widget","price":"cheap"}`})
	assert.Equal(t, 422, res.Status)
	assert.Contains(t, res.Body, `"loc":["body","price"]`)

	res = send(t, srv, request{Method: "POST", Path: "/items"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}`, res.Body)

	assert.Equal(t, `"none"`, send(t, srv, request{Method: "POST", Path: "/maybe"}).Body)
	assert.Equal(t, `"w"`, send(t, srv, request{Method: "POST", Path: "/maybe", JSON: `{"name":"w","price":1}`}).Body)

	res = send(t, srv, request{Method: "POST", Path: "/list", JSON: `[{"name":"a","price":1},{"price":2}]`})
	assert.Equal(t, 422, res.Status)
	assert.Contains(t, res.Body, `"loc":["body",1,"name"]`)

	// As FastAPI: a body sent as another content type is validated as the
	// text it is, which is not an object.
	res = send(t, srv, request{Method: "POST", Path: "/items", Body: `{"name":"x","price":1}`, Headers: []string{"Content-Type", "text/plain"}})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"name\":\"x\",\"price\":1}"}]}`, res.Body)
	res = send(t, srv, request{Method: "POST", Path: "/list", Body: `[{"name":"a","price":1}]`, Headers: []string{"Content-Type", "application/geo+json-seq"}})
	assert.Equal(t, 422, res.Status)
	assert.Contains(t, res.Body, `"type":"list_type"`)
	res = send(t, srv, request{Method: "POST", Path: "/items", Headers: []string{"Content-Type", "text/plain"}})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}`, res.Body)
}

func TestBodyLimit(t *testing.T) {
	app, _ := quietApp(brisk.Config{MaxBodyBytes: 64})
	app.Post("/items", func(it Item) string { return it.Name })
	srv := serve(t, app)

	big := `{"name":"` + strings.Repeat("x", 100) + `","price":1}`
	res := send(t, srv, request{Method: "POST", Path: "/items", JSON: big})
	assert.Equal(t, 413, res.Status)
	assert.JSONEq(t, `{"detail":"Request Entity Too Large"}`, res.Body)

	// A body without a declared length is cut at the limit too.
	req, _ := http.NewRequest("POST", srv.URL+"/items", chunkedBody(big))
	req.Header.Set("Content-Type", "application/json")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 413, resp.StatusCode)

	assert.Equal(t, 200, send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name":"ok","price":1}`}).Status)
}

func TestNotFoundMethodNotAllowedAndSlashes(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func() string { return "list" })
	app.Post("/items", func() string { return "made" })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/nope"})
	assert.Equal(t, 404, res.Status)
	assert.JSONEq(t, `{"detail":"Not Found"}`, res.Body)

	res = send(t, srv, request{Method: "DELETE", Path: "/items"})
	assert.Equal(t, 405, res.Status)
	assert.JSONEq(t, `{"detail":"Method Not Allowed"}`, res.Body)
	assert.Equal(t, "GET, HEAD, POST", res.Header.Get("Allow"))

	res = send(t, srv, request{Path: "/items/?x=1"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "/items?x=1", res.Header.Get("Location"))

	res = send(t, srv, request{Method: "HEAD", Path: "/items"})
	assert.Equal(t, 200, res.Status)
	assert.Empty(t, res.Body)
}

func TestHTTPErrorsAndPanics(t *testing.T) {
	app, logs := quietApp()
	app.Get("/items/{id}", func(id int) (Item, error) {
		if id == 0 {
			return Item{}, brisk.Error(404, "Item not found").WithHeader("X-Error", "There goes my error")
		}
		if id == 1 {
			return Item{}, fmt.Errorf("lookup: %w", brisk.Error(http.StatusTeapot, map[string]any{"code": 7}))
		}
		if id == 2 {
			return Item{}, errors.New("database on fire")
		}
		panic("boom")
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/0"})
	assert.Equal(t, 404, res.Status)
	assert.JSONEq(t, `{"detail":"Item not found"}`, res.Body)
	assert.Equal(t, "There goes my error", res.Header.Get("X-Error"))

	res = send(t, srv, request{Path: "/items/1"})
	assert.Equal(t, 418, res.Status)
	assert.JSONEq(t, `{"detail":{"code":7}}`, res.Body)

	res = send(t, srv, request{Path: "/items/2"})
	assert.Equal(t, 500, res.Status)
	assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body)
	assert.Contains(t, logs.String(), "database on fire")

	res = send(t, srv, request{Path: "/items/3"})
	assert.Equal(t, 500, res.Status)
	assert.JSONEq(t, `{"detail":"Internal Server Error"}`, res.Body)
	assert.Contains(t, logs.String(), "boom")
	assert.Contains(t, logs.String(), "goroutine", "the stack is logged")

	// The server keeps serving.
	assert.Equal(t, 404, send(t, srv, request{Path: "/items/0"}).Status)
	assert.JSONEq(t, `{"detail":"Not Found"}`, func() string {
		return send(t, srv, request{Path: "/x"}).Body
	}())
	_ = brisk.Error(404, nil)
	assert.Equal(t, "Not Found", brisk.Error(404, nil).Detail)
}

func TestResponsesAndStatuses(t *testing.T) {
	app, _ := quietApp()
	app.Delete("/items/{id}", func(id int) {}, brisk.Status(204))
	app.Get("/text", func() *brisk.Response {
		r := brisk.Text(202, "accepted")
		r.Header().Set("X-Custom", "1")
		return r
	})
	app.Get("/any", func() any { return brisk.JSON(201, map[string]int{"a": 1}) })
	app.Get("/none", func() {})
	app.Get("/html", func() string { return "<b>&</b>" })
	app.Get("/own", func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := range 3 {
			fmt.Fprintf(w, "data: %d\n\n", i)
			w.(http.Flusher).Flush()
		}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "DELETE", Path: "/items/3"})
	assert.Equal(t, 204, res.Status)
	assert.Empty(t, res.Body)

	res = send(t, srv, request{Path: "/text"})
	assert.Equal(t, 202, res.Status)
	assert.Equal(t, "accepted", res.Body)
	assert.Equal(t, "1", res.Header.Get("X-Custom"))
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))

	res = send(t, srv, request{Path: "/any"})
	assert.Equal(t, 201, res.Status)
	assert.JSONEq(t, `{"a":1}`, res.Body)

	assert.Equal(t, "null", send(t, srv, request{Path: "/none"}).Body)
	assert.Equal(t, `"<b>&</b>"`, send(t, srv, request{Path: "/html"}).Body, "no HTML escaping, as FastAPI")

	res = send(t, srv, request{Path: "/own"})
	assert.Equal(t, "data: 0\n\ndata: 1\n\ndata: 2\n\n", res.Body)
	assert.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
}

type DB struct{ Name string }
type User struct{ Name string }

func TestProvidersCachedChainedAndCleanedUp(t *testing.T) {
	app, logs := quietApp()
	var dbCalls atomic.Int32
	events := make(chan string, 16)
	app.Provide(func() (*DB, func(), error) {
		dbCalls.Add(1)
		events <- "open db"
		return &DB{Name: "main"}, func() { events <- "close db" }, nil
	})
	app.Provide(func(db *DB, h struct {
		Token string `header:"Authorization"`
	}) (User, func(), error) {
		if h.Token != "secret" {
			return User{}, nil, brisk.Error(401, "Not authenticated").WithHeader("WWW-Authenticate", "Bearer")
		}
		events <- "open user"
		return User{Name: "alice@" + db.Name}, func() { events <- "close user" }, nil
	})
	app.Get("/me", func(u User, db *DB) string { return u.Name + "/" + db.Name })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/me", Headers: []string{"Authorization", "secret"}})
	require.Equal(t, 200, res.Status, logs.String())
	assert.Equal(t, `"alice@main/main"`, res.Body)
	assert.Equal(t, int32(1), dbCalls.Load(), "one provider call per request")
	assert.Equal(t, []string{"open db", "open user", "close user", "close db"}, take(t, events, 4))

	res = send(t, srv, request{Path: "/me", Headers: []string{"Authorization", "wrong"}})
	assert.Equal(t, 401, res.Status)
	assert.Equal(t, "Bearer", res.Header.Get("WWW-Authenticate"))
	assert.JSONEq(t, `{"detail":"Not authenticated"}`, res.Body)
	assert.Equal(t, []string{"open db", "close db"}, take(t, events, 2), "cleanups run on errors too")
}

func take(t *testing.T, ch <-chan string, n int) []string {
	t.Helper()
	var out []string
	for range n {
		select {
		case s := <-ch:
			out = append(out, s)
		case <-time.After(5 * time.Second):
			t.Fatalf("waited for event %d of %d; got %v", len(out)+1, n, out)
		}
	}
	return out
}

func TestDependenciesOptionAndGroups(t *testing.T) {
	app, _ := quietApp()
	var order []string
	verify := func(h struct {
		Key string `header:"X-Key"`
	}) error {
		if h.Key != "k" {
			return brisk.Error(403, "bad key")
		}
		order = append(order, "verify")
		return nil
	}
	api := app.Group("/api", brisk.Dependencies(verify), brisk.Tags("api"))
	api.Provide(func() DB { return DB{Name: "group"} })
	v1 := api.Group("/v1")
	v1.Get("/ping/{n}", func(n int, db DB) string {
		order = append(order, "handler")
		return fmt.Sprintf("pong %d %s", n, db.Name)
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/api/v1/ping/3", Headers: []string{"X-Key", "k"}})
	require.Equal(t, 200, res.Status, res.Body)
	assert.Equal(t, `"pong 3 group"`, res.Body)
	assert.Equal(t, []string{"verify", "handler"}, order)

	res = send(t, srv, request{Path: "/api/v1/ping/3", Headers: []string{"X-Key", "nope"}})
	assert.Equal(t, 403, res.Status)

	// A provider registered on a group is not visible outside it.
	assert.Panics(t, func() { app.Get("/outside", func(db DB) string { return db.Name }) })
}

func TestOverrideAfterServing(t *testing.T) {
	app, _ := quietApp()
	app.Provide(func() DB { return DB{Name: "real"} })
	g := app.Group("/g")
	g.Provide(func() User { return User{Name: "real-user"} })
	app.Get("/db", func(db DB) string { return db.Name })
	g.Get("/user", func(u User) string { return u.Name })
	srv := serve(t, app)

	assert.Equal(t, `"real"`, send(t, srv, request{Path: "/db"}).Body)
	app.Override(func() DB { return DB{Name: "fake"} }, func(db DB) User { return User{Name: "fake-user-" + db.Name} })
	assert.Equal(t, `"fake"`, send(t, srv, request{Path: "/db"}).Body)
	assert.Equal(t, `"fake-user-fake"`, send(t, srv, request{Path: "/g/user"}).Body)
}

func TestRegistrationFailsFast(t *testing.T) {
	type Unknown struct{ X chan int }
	type A struct{}
	type B struct{}
	cases := map[string]struct {
		register func(app *brisk.App)
		want     []string
	}{
		"unknown parameter type": {
			func(app *brisk.App) { app.Get("/x", func(c chan int) string { return "" }) },
			[]string{"GET /x", "parameter 0", "chan int"},
		},
		"missing provider": {
			func(app *brisk.App) { app.Get("/x", func(u Unknown) string { return "" }) },
			[]string{"GET /x", "tests.Unknown"},
		},
		"provider cycle": {
			func(app *brisk.App) {
				app.Provide(func(b B) A { return A{} }, func(a A) B { return B{} })
				app.Get("/x", func(a A) string { return "" })
			},
			[]string{"cycle", "tests.A", "tests.B"},
		},
		"path parameter count": {
			func(app *brisk.App) { app.Get("/x/{a}/{b}", func(a string) string { return a }) },
			[]string{"GET /x/{a}/{b}", "1 path parameters", "names 2"},
		},
		"too many path scalars": {
			func(app *brisk.App) { app.Get("/x/{a}", func(a, b string) string { return a }) },
			[]string{"GET /x/{a}", "parameter 1"},
		},
		"bad results": {
			func(app *brisk.App) { app.Get("/x", func() (string, int) { return "", 0 }) },
			[]string{"GET /x", "(string, int)"},
		},
		"bad provider": {
			func(app *brisk.App) { app.Provide(func() {}) },
			[]string{"Provide", "nothing"},
		},
		"model field not in pattern": {
			func(app *brisk.App) {
				app.Get("/x/{id}", func(p struct {
					ID int `path:"item_id"`
				}) string {
					return ""
				})
			},
			[]string{"item_id", "/x/{id}"},
		},
		"two JSON bodies": {
			func(app *brisk.App) { app.Post("/x", func(a Item, b []Item) string { return "" }) },
			[]string{"POST /x", "second JSON body", "parameter 1"},
		},
		"duplicate route": {
			func(app *brisk.App) {
				app.Get("/x", func() string { return "" })
				app.Get("/x", func() string { return "" })
			},
			[]string{"GET /x", "already registered"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			app, _ := quietApp()
			var msg string
			func() {
				defer func() { msg = fmt.Sprint(recover()) }()
				tc.register(app)
			}()
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
			assert.Contains(t, msg, "core_test.go", "names the function's file")
		})
	}
}

func TestRegistrationAfterServingPanics(t *testing.T) {
	app, _ := quietApp()
	app.Get("/x", func() string { return "x" })
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	assert.PanicsWithValue(t, "brisk: Use called after the app started serving; register middleware and routes before the first request", func() {
		app.Use(func(h http.Handler) http.Handler { return h })
	})
}

func TestContextValuesAndChiCompatibility(t *testing.T) {
	type key struct{}
	app, _ := quietApp()
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), key{}, "from-mw")))
		})
	})
	app.Provide(func(ctx context.Context) User { return User{Name: ctx.Value(key{}).(string)} })
	app.Get("/items/{id}", func(u User, r *http.Request) string {
		return u.Name + " " + chi.URLParam(r, "id") + " " + r.PathValue("id") + " " + r.Pattern
	})
	srv := serve(t, app)
	assert.Equal(t, `"from-mw 7 7 /items/{id}"`, send(t, srv, request{Path: "/items/7"}).Body)
}

func TestPlainHTTPHandler(t *testing.T) {
	app, _ := quietApp()
	app.Handle("GET", "/raw/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "raw "+r.PathValue("id"))
	}))
	srv := serve(t, app)
	assert.Equal(t, "raw 5", send(t, srv, request{Path: "/raw/5"}).Body)
}

func TestRunAndShutdown(t *testing.T) {
	app, logs := quietApp()
	app.Get("/ping", func() string { return "pong" })
	ln := freeAddr(t)
	done := make(chan error, 1)
	go func() { done <- app.Run(ln) }()
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + ln + "/ping")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, 5*time.Second, 10*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, app.Shutdown(ctx))
	require.NoError(t, <-done)
	assert.Contains(t, logs.String(), `"routes":1`)
	assert.Contains(t, logs.String(), ln)
}
