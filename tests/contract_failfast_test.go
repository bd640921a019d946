package tests

import (
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

// Issue 11: mistakes registration catches (items 1, 2, 3).

// Item 1: a provider registered after a route that took its type from the
// request panics, naming the provider, the type and the route's parameter.
func TestContractProviderAfterRoute(t *testing.T) {
	app, _ := quietApp()
	app.Get("/users", func(db *sql.DB) string { return "" })
	msg := panicText(func() { app.Provide(func() *sql.DB { return nil }) })
	assert.Contains(t, msg, "brisk: Provide: provider")
	assert.Contains(t, msg, "of *sql.DB is registered after the route that takes it: GET /users: handler")
	assert.Contains(t, msg, "parameter 0 (*sql.DB)")

	// On a group: the group's own routes count, a sibling's do not.
	app, _ = quietApp()
	a, b := app.Group("/a"), app.Group("/b")
	type Settings struct {
		Theme string `json:"theme"`
	}
	a.Post("/s", func(s Settings) string { return s.Theme })
	b.Provide(func() Settings { return Settings{} })
	assert.Contains(t, panicText(func() { app.Provide(func() Settings { return Settings{} }) }), "POST /a/s")

	// A named path scalar too.
	type UserID int64
	app, _ = quietApp()
	app.Get("/u/{id}", func(id UserID) int64 { return int64(id) })
	assert.Contains(t, panicText(func() { app.Provide(func() UserID { return 1 }) }), "GET /u/{id}")

	// Providers first is fine.
	app, _ = quietApp()
	app.Provide(func() *sql.DB { return nil })
	app.Get("/users", func(db *sql.DB) bool { return db == nil })
	assert.Equal(t, "true", send(t, serve(t, app), request{Path: "/users"}).Body)
}

// Item 2: a provider of a built-in type is refused, with the fix.
func TestContractProviderOfBuiltinType(t *testing.T) {
	app, _ := quietApp()
	for _, fn := range []any{
		func() string { return "token" },
		func() (int, error) { return 0, nil },
		func() []string { return nil },
		func() map[string]any { return nil },
	} {
		msg := panicText(func() { app.Provide(fn) })
		assert.Contains(t, msg, "a built-in type: it would replace every parameter of that type")
		assert.Contains(t, msg, "declare a named type")
	}
	type Token string
	app.Provide(func() Token { return "token-from-provider" })
	app.Get("/users/{user_id}", func(userID string, tok Token) string { return userID + " " + string(tok) })
	assert.Equal(t, `"42 token-from-provider"`, send(t, serve(t, app), request{Path: "/users/42"}).Body)
}

// Item 3: a near-miss source tag panics at registration, naming the field
// and the tag, instead of turning the struct into a required JSON body.
func TestContractNearMissTags(t *testing.T) {
	app, _ := quietApp()
	msg := panicText(func() {
		app.Get("/x", func(in struct {
			Q string `quary:"q"`
		}) string {
			return in.Q
		})
	})
	assert.Contains(t, msg, `field struct { Q string "quary:\"q\"" }.Q has the tag quary:"q", which Brisk does not read; did you mean query?`)
	for _, c := range []struct{ name, want string }{
		{"heder", "header"}, {"Query", "query"}, {"from", "query, path, header, cookie or form"},
		{"cookies", "cookie"}, {"pth", ""}, {"uri", "path"}, {"bdoy", "body"},
	} {
		got := panicText(func() { checkTagOn(app, c.name) })
		if c.want == "" {
			assert.Empty(t, got, c.name)
			continue
		}
		assert.Contains(t, got, "did you mean "+c.want+"?", c.name)
	}
	// In a request model beside real tags, and in a body's nested struct.
	type Inner struct {
		N int `json:"n" heder:"n"`
	}
	assert.Contains(t, panicText(func() {
		app.Post("/y", func(in struct {
			A string `query:"a"`
			B string `heder:"b"`
		}) string {
			return in.A
		})
	}), "tag heder")
	assert.Contains(t, panicText(func() {
		app.Post("/z", func(in struct {
			Items []Inner `json:"items"`
		}) string {
			return ""
		})
	}), "Inner.N has the tag heder")
	// Other libraries' tags are fine.
	app.Post("/ok", func(in struct {
		N int `json:"n" db:"n" yaml:"n" xml:"n" validate:"min=0" mapstructure:"n"`
	}) int {
		return in.N
	})
}

// checkTagOn registers a route whose model has one field tagged key.
func checkTagOn(app *brisk.App, key string) {
	switch key {
	case "heder":
		app.Get("/t1", func(in struct {
			X string `heder:"x"`
		}) string {
			return in.X
		})
	case "Query":
		app.Get("/t2", func(in struct {
			X string `Query:"x"`
		}) string {
			return in.X
		})
	case "from":
		app.Get("/t3", func(in struct {
			X string `from:"x"`
		}) string {
			return in.X
		})
	case "cookies":
		app.Get("/t4", func(in struct {
			X string `cookies:"x"`
		}) string {
			return in.X
		})
	case "pth": // too short to guess: a JSON body with an unknown tag
		app.Post("/t5", func(in struct {
			X string `pth:"x"`
		}) string {
			return in.X
		})
	case "uri":
		app.Get("/t6/{x}", func(in struct {
			X string `uri:"x"`
		}) string {
			return in.X
		})
	case "bdoy":
		app.Post("/t7", func(in struct {
			X string `bdoy:""`
		}) string {
			return in.X
		})
	}
}
