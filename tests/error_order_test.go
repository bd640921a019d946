package tests

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

type orderItem struct {
	Name  string   `json:"name" validate:"min=2"`
	Price float64  `json:"price" validate:"gt=0"`
	Tags  []string `json:"tags,omitempty" validate:"max=2"`
}

// TestValidationErrorsInFastAPIOrder: clients compare the whole detail list,
// so its order is FastAPI's: path, query, header, cookie, then body errors,
// and inside a body the model's field order — whatever order Brisk found
// them in (type errors while decoding, rule failures after).
func TestValidationErrorsInFastAPIOrder(t *testing.T) {
	app, _ := quietApp()
	app.Post("/items", func(it orderItem) orderItem { return it })
	app.Get("/model/{id}", func(in struct {
		Q      int    `query:"q"`
		Token  string `header:"x-token"`
		ID     int    `path:"id"`
		Sessio string `cookie:"session"`
	}) string {
		return "ok"
	})
	srv := serve(t, app)

	// A rule failure on the first field, a type error on the second.
	res := send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"name":"a","price":"x"}`})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[
		{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 2 characters","input":"a","ctx":{"min_length":2}},
		{"type":"float_parsing","loc":["body","price"],"msg":"Input should be a valid number, unable to parse string as a number","input":"x"}]}`, res.Body)

	// Rule failures on a later field and a nested list come after earlier ones.
	res = send(t, srv, request{Method: "POST", Path: "/items", JSON: `{"tags":["a","b","c"],"price":-1,"name":"x"}`})
	assert.Equal(t, 422, res.Status)
	got := res.JSON(t).(map[string]any)["detail"].([]any)
	var locs []any
	for _, it := range got {
		locs = append(locs, it.(map[string]any)["loc"])
	}
	assert.Equal(t, []any{
		[]any{"body", "name"}, []any{"body", "price"}, []any{"body", "tags"},
	}, locs)

	// Model fields are reported by source, not declaration order.
	res = send(t, srv, request{Path: "/model/abc?q=x"})
	assert.Equal(t, 422, res.Status)
	locs = nil
	for _, it := range res.JSON(t).(map[string]any)["detail"].([]any) {
		locs = append(locs, it.(map[string]any)["loc"])
	}
	assert.Equal(t, []any{
		[]any{"path", "id"}, []any{"query", "q"}, []any{"header", "x-token"}, []any{"cookie", "session"},
	}, locs)
}

// TestModelBodyErrorsReportedOnce: a request model's body that fails
// reports its own errors only — not those of the zero value left in its
// place — and a missing body is one "missing" at ["body"].
func TestModelBodyErrorsReportedOnce(t *testing.T) {
	app, _ := quietApp()
	app.Put("/items/{id}", func(id int, in struct {
		Q    *string `query:"q"`
		Body orderItem
	}) string {
		return "ok"
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "PUT", Path: "/items/3", JSON: `{"name":"ab","price":-1}`})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":-1,"ctx":{"gt":0}}]}`, res.Body)

	res = send(t, srv, request{Method: "PUT", Path: "/items/3"})
	assert.Equal(t, 422, res.Status)
	assert.JSONEq(t, `{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}`, res.Body)

	res = send(t, srv, request{Method: "PUT", Path: "/items/3?q=x", JSON: `{"name":"ab","price":2}`})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, `"ok"`, res.Body)
}
