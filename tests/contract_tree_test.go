package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 11: what the server and the document agree on (item 8) and every
// error of the dependency tree reported together (item 12).

// Item 8: validate:"required" on numbers and bools means "present", as the
// document's required list says: 0 and false are values; an absent key is
// missing; ne=0 / eq=true ask for non-zero and true.
func TestContractRequiredMeansPresent(t *testing.T) {
	type Counter struct {
		Count   int     `json:"count" validate:"required"`
		Flag    bool    `json:"flag" validate:"required"`
		Ratio   float64 `json:"ratio,omitempty" validate:"required"`
		NonZero int     `json:"non_zero" validate:"ne=0"`
		Yes     bool    `json:"yes" validate:"eq=true"`
	}
	app, _ := quietApp()
	app.Post("/c", func(c Counter) Counter { return c })
	app.Get("/q", func(in struct {
		N      int  `query:"n" validate:"required"`
		Strict bool `query:"strict" validate:"required"`
	}) int {
		return in.N
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/c", JSON: `{"count":0,"flag":false,"ratio":0,"non_zero":1,"yes":true}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assert.JSONEq(t, `{"count":0,"flag":false,"non_zero":1,"yes":true}`, res.Body)

	res = send(t, srv, request{Method: "POST", Path: "/c", JSON: `{"non_zero":0,"yes":false}`})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[
		{"type":"missing","loc":["body","count"],"msg":"Field required","input":{"non_zero":0,"yes":false}},
		{"type":"missing","loc":["body","flag"],"msg":"Field required","input":{"non_zero":0,"yes":false}},
		{"type":"missing","loc":["body","ratio"],"msg":"Field required","input":{"non_zero":0,"yes":false}},
		{"type":"ne","loc":["body","non_zero"],"msg":"Value error, failed on the 'ne=0' rule","input":0},
		{"type":"eq","loc":["body","yes"],"msg":"Value error, failed on the 'eq=true' rule","input":false}]}`, res.Body)

	assert.Equal(t, "0", send(t, srv, request{Path: "/q?n=0&strict=false"}).Body)

	doc := fetchDoc(t, app)
	assert.Equal(t, []any{"count", "flag", "ratio", "non_zero", "yes"}, docAt(t, doc, "components", "schemas", "Counter", "required"))
}

// Item 12: a dependency's failing input and the handler's are reported
// together, the dependency's first, as FastAPI does.
func TestContractWholeTreeValidated(t *testing.T) {
	type Session string
	type Page struct {
		Limit int `query:"limit" validate:"min=1"`
	}
	app, _ := quietApp()
	app.Provide(func(in struct {
		Token string `header:"x_token"`
	}) Session {
		return Session(in.Token)
	})
	app.Get("/items", func(s Session, p Page) int { return p.Limit })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items?limit=0"})
	require.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[
		{"type":"missing","loc":["header","x-token"],"msg":"Field required","input":null},
		{"type":"greater_than_equal","loc":["query","limit"],"msg":"Input should be greater than or equal to 1","input":"0","ctx":{"ge":1}}]}`, res.Body)
	assert.Equal(t, "5", send(t, srv, request{Path: "/items?limit=5", Headers: []string{"X-Token", "t"}}).Body)
}
