package tests

// End-to-end ports of FastAPI's validation tests: tests/test_path.py,
// tests/test_query.py, tests/test_multi_body_errors.py and the tutorials
// tests/test_tutorial/test_body/test_tutorial001.py,
// test_query_params/test_tutorial005.py and test_tutorial006.py, through a
// Brisk app. Error items are compared whole, as FastAPI's tests compare
// them (without pydantic's "url", which FastAPI itself drops).

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

// FastAPI tests/main.py's path routes, as Brisk handlers.
type confPathMin struct {
	ID string `path:"item_id" validate:"min=3"`
}
type confPathMax struct {
	ID string `path:"item_id" validate:"max=3"`
}
type confPathMinMax struct {
	ID string `path:"item_id" validate:"min=2,max=3"`
}
type confPathGt struct {
	ID float64 `path:"item_id" validate:"gt=3"`
}
type confPathGt0 struct {
	ID float64 `path:"item_id" validate:"gt=0"`
}
type confPathGe struct {
	ID float64 `path:"item_id" validate:"gte=3"`
}
type confPathLt struct {
	ID float64 `path:"item_id" validate:"lt=3"`
}
type confPathLt0 struct {
	ID float64 `path:"item_id" validate:"lt=0"`
}
type confPathLe struct {
	ID float64 `path:"item_id" validate:"lte=3"`
}
type confPathLtGt struct {
	ID float64 `path:"item_id" validate:"gt=1,lt=3"`
}
type confPathLeGe struct {
	ID float64 `path:"item_id" validate:"gte=1,lte=3"`
}
type confPathLtInt struct {
	ID int `path:"item_id" validate:"lt=3"`
}
type confPathGtInt struct {
	ID int `path:"item_id" validate:"gt=3"`
}
type confPathLeInt struct {
	ID int `path:"item_id" validate:"lte=3"`
}
type confPathGeInt struct {
	ID int `path:"item_id" validate:"gte=3"`
}

func confPathApp(t *testing.T) *brisk.App {
	t.Helper()
	app, _ := quietApp()
	app.Get("/text", func() string { return "Hello World" })
	app.Get("/path/{item_id}", func(id string) string { return id })
	app.Get("/path/str/{item_id}", func(id string) string { return id })
	app.Get("/path/int/{item_id}", func(id int) int { return id })
	app.Get("/path/float/{item_id}", func(id float64) float64 { return id })
	app.Get("/path/bool/{item_id}", func(id bool) bool { return id })
	app.Get("/path/param/{item_id}", func(id string) string { return id })
	app.Get("/path/param-minlength/{item_id}", func(p confPathMin) string { return p.ID })
	app.Get("/path/param-maxlength/{item_id}", func(p confPathMax) string { return p.ID })
	app.Get("/path/param-min_maxlength/{item_id}", func(p confPathMinMax) string { return p.ID })
	app.Get("/path/param-gt/{item_id}", func(p confPathGt) float64 { return p.ID })
	app.Get("/path/param-gt0/{item_id}", func(p confPathGt0) float64 { return p.ID })
	app.Get("/path/param-ge/{item_id}", func(p confPathGe) float64 { return p.ID })
	app.Get("/path/param-lt/{item_id}", func(p confPathLt) float64 { return p.ID })
	app.Get("/path/param-lt0/{item_id}", func(p confPathLt0) float64 { return p.ID })
	app.Get("/path/param-le/{item_id}", func(p confPathLe) float64 { return p.ID })
	app.Get("/path/param-lt-gt/{item_id}", func(p confPathLtGt) float64 { return p.ID })
	app.Get("/path/param-le-ge/{item_id}", func(p confPathLeGe) float64 { return p.ID })
	app.Get("/path/param-lt-int/{item_id}", func(p confPathLtInt) int { return p.ID })
	app.Get("/path/param-gt-int/{item_id}", func(p confPathGtInt) int { return p.ID })
	app.Get("/path/param-le-int/{item_id}", func(p confPathLeInt) int { return p.ID })
	app.Get("/path/param-ge-int/{item_id}", func(p confPathGeInt) int { return p.ID })
	return app
}

// confPathErr is one 422 item at ["path","item_id"].
func confPathErr(typ, msg, input, ctx string) string {
	s := `{"detail":[{"type":"` + typ + `","loc":["path","item_id"],"msg":"` + msg + `","input":"` + input + `"`
	if ctx != "" {
		s += `,"ctx":` + ctx
	}
	return s + `}]}`
}

const (
	confIntParsing   = "Input should be a valid integer, unable to parse string as an integer"
	confFloatParsing = "Input should be a valid number, unable to parse string as a number"
	confBoolParsing  = "Input should be a valid boolean, unable to interpret input"
)

// FastAPI tests/test_path.py (every test_path_* and test_text_get,
// test_nonexistent).
func TestFastAPIPath(t *testing.T) {
	srv := serve(t, confPathApp(t))
	for _, c := range []confCase{
		{"/text", 200, `"Hello World"`},
		{"/nonexistent", 404, `{"detail":"Not Found"}`},
		{"/path/foobar", 200, `"foobar"`},
		{"/path/str/foobar", 200, `"foobar"`},
		{"/path/str/42", 200, `"42"`},
		{"/path/str/True", 200, `"True"`},
		{"/path/int/foobar", 422, confPathErr("int_parsing", confIntParsing, "foobar", "")},
		{"/path/int/True", 422, confPathErr("int_parsing", confIntParsing, "True", "")},
		{"/path/int/42", 200, `42`},
		{"/path/int/42.5", 422, confPathErr("int_parsing", confIntParsing, "42.5", "")},
		{"/path/float/foobar", 422, confPathErr("float_parsing", confFloatParsing, "foobar", "")},
		{"/path/float/True", 422, confPathErr("float_parsing", confFloatParsing, "True", "")},
		{"/path/float/42", 200, `42`},
		{"/path/float/42.5", 200, `42.5`},
		{"/path/bool/foobar", 422, confPathErr("bool_parsing", confBoolParsing, "foobar", "")},
		{"/path/bool/True", 200, `true`},
		{"/path/bool/42", 422, confPathErr("bool_parsing", confBoolParsing, "42", "")},
		{"/path/bool/42.5", 422, confPathErr("bool_parsing", confBoolParsing, "42.5", "")},
		{"/path/bool/1", 200, `true`},
		{"/path/bool/0", 200, `false`},
		{"/path/bool/true", 200, `true`},
		{"/path/bool/False", 200, `false`},
		{"/path/bool/false", 200, `false`},
		{"/path/param/foo", 200, `"foo"`},
		{"/path/param-minlength/foo", 200, `"foo"`},
		{"/path/param-minlength/fo", 422, confPathErr("string_too_short", "String should have at least 3 characters", "fo", `{"min_length":3}`)},
		{"/path/param-maxlength/foo", 200, `"foo"`},
		{"/path/param-maxlength/foobar", 422, confPathErr("string_too_long", "String should have at most 3 characters", "foobar", `{"max_length":3}`)},
		{"/path/param-min_maxlength/foo", 200, `"foo"`},
		{"/path/param-min_maxlength/foobar", 422, confPathErr("string_too_long", "String should have at most 3 characters", "foobar", `{"max_length":3}`)},
		{"/path/param-min_maxlength/f", 422, confPathErr("string_too_short", "String should have at least 2 characters", "f", `{"min_length":2}`)},
		{"/path/param-gt/42", 200, `42`},
		{"/path/param-gt/2", 422, confPathErr("greater_than", "Input should be greater than 3", "2", `{"gt":3.0}`)},
		{"/path/param-gt0/0.05", 200, `0.05`},
		{"/path/param-gt0/0", 422, confPathErr("greater_than", "Input should be greater than 0", "0", `{"gt":0.0}`)},
		{"/path/param-ge/42", 200, `42`},
		{"/path/param-ge/3", 200, `3`},
		{"/path/param-ge/2", 422, confPathErr("greater_than_equal", "Input should be greater than or equal to 3", "2", `{"ge":3.0}`)},
		{"/path/param-lt/42", 422, confPathErr("less_than", "Input should be less than 3", "42", `{"lt":3.0}`)},
		{"/path/param-lt/2", 200, `2`},
		{"/path/param-lt0/-1", 200, `-1`},
		{"/path/param-lt0/0", 422, confPathErr("less_than", "Input should be less than 0", "0", `{"lt":0.0}`)},
		{"/path/param-le/42", 422, confPathErr("less_than_equal", "Input should be less than or equal to 3", "42", `{"le":3.0}`)},
		{"/path/param-le/3", 200, `3`},
		{"/path/param-le/2", 200, `2`},
		{"/path/param-lt-gt/2", 200, `2`},
		{"/path/param-lt-gt/4", 422, confPathErr("less_than", "Input should be less than 3", "4", `{"lt":3.0}`)},
		{"/path/param-lt-gt/0", 422, confPathErr("greater_than", "Input should be greater than 1", "0", `{"gt":1.0}`)},
		{"/path/param-le-ge/2", 200, `2`},
		{"/path/param-le-ge/1", 200, `1`},
		{"/path/param-le-ge/3", 200, `3`},
		{"/path/param-le-ge/4", 422, confPathErr("less_than_equal", "Input should be less than or equal to 3", "4", `{"le":3.0}`)},
		{"/path/param-lt-int/2", 200, `2`},
		{"/path/param-lt-int/42", 422, confPathErr("less_than", "Input should be less than 3", "42", `{"lt":3}`)},
		{"/path/param-lt-int/2.7", 422, confPathErr("int_parsing", confIntParsing, "2.7", "")},
		{"/path/param-gt-int/42", 200, `42`},
		{"/path/param-gt-int/2", 422, confPathErr("greater_than", "Input should be greater than 3", "2", `{"gt":3}`)},
		{"/path/param-gt-int/2.7", 422, confPathErr("int_parsing", confIntParsing, "2.7", "")},
		{"/path/param-le-int/42", 422, confPathErr("less_than_equal", "Input should be less than or equal to 3", "42", `{"le":3}`)},
		{"/path/param-le-int/3", 200, `3`},
		{"/path/param-le-int/2", 200, `2`},
		{"/path/param-le-int/2.7", 422, confPathErr("int_parsing", confIntParsing, "2.7", "")},
		{"/path/param-ge-int/42", 200, `42`},
		{"/path/param-ge-int/3", 200, `3`},
		{"/path/param-ge-int/2", 422, confPathErr("greater_than_equal", "Input should be greater than or equal to 3", "2", `{"ge":3}`)},
		{"/path/param-ge-int/2.7", 422, confPathErr("int_parsing", confIntParsing, "2.7", "")},
	} {
		res := send(t, srv, request{Path: c.url})
		assert.Equal(t, c.status, res.Status, c.url)
		assertJSON(t, c.want, res)
		if c.status == 422 {
			assert.Equal(t, "application/json", res.Header.Get("Content-Type"), c.url)
		}
	}
}

// FastAPI tests/test_query.py, tests/main.py's query routes.
func TestFastAPIQuery(t *testing.T) {
	app, _ := quietApp()
	app.Get("/query", func(in struct {
		Query string `query:"query"`
	}) string {
		return "foo bar " + in.Query
	})
	app.Get("/query/optional", func(in struct {
		Query *string `query:"query"`
	}) string {
		if in.Query == nil {
			return "foo bar"
		}
		return "foo bar " + *in.Query
	})
	app.Get("/query/int", func(in struct {
		Query int `query:"query"`
	}) int {
		return in.Query
	})
	app.Get("/query/int/default", func(in struct {
		Query int `query:"query" default:"10"`
	}) int {
		return in.Query
	})
	app.Get("/query/list", func(in struct {
		Device []int `query:"device"`
	}) []int {
		return in.Device
	})
	srv := serve(t, app)

	const missing = `{"detail":[{"type":"missing","loc":["query","query"],"msg":"Field required","input":null}]}`
	intErr := func(input string) string {
		return `{"detail":[{"type":"int_parsing","loc":["query","query"],"msg":"` + confIntParsing + `","input":"` + input + `"}]}`
	}
	for _, c := range []confCase{
		{"/query", 422, missing},
		{"/query?query=baz", 200, `"foo bar baz"`},
		{"/query?not_declared=baz", 422, missing},
		{"/query/optional", 200, `"foo bar"`},
		{"/query/optional?query=baz", 200, `"foo bar baz"`},
		{"/query/optional?not_declared=baz", 200, `"foo bar"`},
		{"/query/int", 422, missing},
		{"/query/int?query=42", 200, `42`},
		{"/query/int?query=42.5", 422, intErr("42.5")},
		{"/query/int?query=baz", 422, intErr("baz")},
		{"/query/int?not_declared=baz", 422, missing},
		{"/query/int/default", 200, `10`},
		{"/query/int/default?query=50", 200, `50`},
		{"/query/int/default?query=foo", 422, intErr("foo")},
		// test_query_list / test_query_list_empty
		{"/query/list?device=1&device=2", 200, `[1,2]`},
		{"/query/list?device=1&device=x", 422, `{"detail":[{"type":"int_parsing","loc":["query","device",1],"msg":"` + confIntParsing + `","input":"x"}]}`},
	} {
		res := send(t, srv, request{Path: c.url})
		assert.Equal(t, c.status, res.Status, c.url)
		assertJSON(t, c.want, res)
	}
}

// FastAPI tests/test_tutorial/test_query_params/test_tutorial005.py and
// test_tutorial006.py: a required query parameter beside optional ones,
// and every failing one listed, in declaration order.
func TestFastAPIQueryParamsTutorial005And006(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", func(in struct {
		ItemID string `path:"item_id"`
		Needy  string `query:"needy"`
		Skip   int    `query:"skip" default:"0"`
		Limit  *int   `query:"limit"`
	}) map[string]any {
		return map[string]any{"item_id": in.ItemID, "needy": in.Needy, "skip": in.Skip, "limit": in.Limit}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/foo?needy=very"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item_id":"foo","needy":"very","skip":0,"limit":null}`, res)

	res = send(t, srv, request{Path: "/items/foo"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["query","needy"],"msg":"Field required","input":null}]}`, res)

	res = send(t, srv, request{Path: "/items/foo?skip=a&limit=b"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["query","needy"],"msg":"Field required","input":null},
		{"type":"int_parsing","loc":["query","skip"],"msg":"`+confIntParsing+`","input":"a"},
		{"type":"int_parsing","loc":["query","limit"],"msg":"`+confIntParsing+`","input":"b"}]}`, res)
}

// The Item of FastAPI's docs_src/body/tutorial001.py.
type confBodyItem struct {
	Name        string   `json:"name"`
	Description *string  `json:"description"`
	Price       float64  `json:"price"`
	Tax         *float64 `json:"tax"`
}

func confBodyApp(t *testing.T) *brisk.App {
	t.Helper()
	app, _ := quietApp()
	app.Post("/items/", func(it confBodyItem) confBodyItem { return it })
	return app
}

// FastAPI tests/test_tutorial/test_body/test_tutorial001.py: every test
// with a JSON body.
func TestFastAPIBodyTutorial001(t *testing.T) {
	srv := serve(t, confBodyApp(t))
	post := func(body string, headers ...string) result {
		return send(t, srv, request{Method: "POST", Path: "/items/", Body: body, Headers: headers})
	}
	json := []string{"Content-Type", "application/json"}

	// test_body_float
	res := post(`{"name": "Foo", "price": 50.5}`, json...)
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"name":"Foo","price":50.5,"description":null,"tax":null}`, res)

	// test_post_with_str_float (pydantic's lax mode)
	res = post(`{"name": "Foo", "price": "50.5"}`, json...)
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"name":"Foo","price":50.5,"description":null,"tax":null}`, res)

	// test_post_with_str_float_description
	res = post(`{"name": "Foo", "price": "50.5", "description": "Some Foo"}`, json...)
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"name":"Foo","price":50.5,"description":"Some Foo","tax":null}`, res)

	// test_post_with_str_float_description_tax
	res = post(`{"name": "Foo", "price": "50.5", "description": "Some Foo", "tax": 0.3}`, json...)
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"name":"Foo","price":50.5,"description":"Some Foo","tax":0.3}`, res)

	// test_post_with_only_name
	res = post(`{"name": "Foo"}`, json...)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","price"],"msg":"Field required","input":{"name":"Foo"}}]}`, res)

	// test_post_with_only_name_price
	res = post(`{"name": "Foo", "price": "twenty"}`, json...)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"float_parsing","loc":["body","price"],"msg":"`+confFloatParsing+`","input":"twenty"}]}`, res)

	// test_post_with_no_data
	res = post(`{}`, json...)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body","name"],"msg":"Field required","input":{}},
		{"type":"missing","loc":["body","price"],"msg":"Field required","input":{}}]}`, res)

	// test_post_with_none
	res = post(`null`, json...)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}`, res)
	res = send(t, srv, request{Method: "POST", Path: "/items/"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body"],"msg":"Field required","input":null}]}`, res)

	// test_post_broken_body
	res = post(`{some broken json}`, json...)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"json_invalid","loc":["body",1],"msg":"JSON decode error","input":{},
		"ctx":{"error":"Expecting property name enclosed in double quotes"}}]}`, res)

	// test_explicit_content_type, test_geo_json, test_no_content_type_is_json
	for _, ct := range []string{"application/json", "application/geo+json", ""} {
		var h []string
		if ct != "" {
			h = []string{"Content-Type", ct}
		}
		res = post(`{"name": "Foo", "price": 50.5}`, h...)
		assert.Equal(t, 200, res.Status, ct)
		assertJSON(t, `{"name":"Foo","price":50.5,"description":null,"tax":null}`, res)
	}

	// A JSON value of the wrong kind.
	res = post(`"name=Foo&price=50.5"`, json...)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"name=Foo&price=50.5"}]}`, res)
}

// FastAPI tests/test_tutorial/test_body/test_tutorial001.py::test_post_form_for_json
// and ::test_wrong_headers: a body that is not JSON by its content type is
// validated as the raw text (422 model_attributes_type), not refused.
func TestFastAPIBodyTutorial001WrongHeaders(t *testing.T) {
	srv := serve(t, confBodyApp(t))
	data := `{"name": "Foo", "price": 50.5}`
	for _, ct := range []string{"text/plain", "application/geo+json-seq", "application/not-really-json"} {
		res := send(t, srv, request{Method: "POST", Path: "/items/", Body: data, Headers: []string{"Content-Type", ct}})
		assert.Equal(t, 422, res.Status, ct)
		assertJSON(t, `{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":`+
			`"{\"name\": \"Foo\", \"price\": 50.5}"}]}`, res)
	}
	res := send(t, srv, request{Method: "POST", Path: "/items/", Body: "name=Foo&price=50.5", Headers: []string{"Content-Type", "application/x-www-form-urlencoded"}})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"name=Foo&price=50.5"}]}`, res)
}

// FastAPI tests/test_multi_body_errors.py (Item.age a float here: Go has
// no Decimal, so "five" is float_parsing where pydantic says decimal_parsing).
func TestFastAPIMultiBodyErrors(t *testing.T) {
	type Item struct {
		Name string  `json:"name"`
		Age  float64 `json:"age" validate:"gt=0"`
	}
	app, _ := quietApp()
	app.Post("/items/", func(items []Item) map[string][]Item { return map[string][]Item{"item": items} })
	srv := serve(t, app)

	// test_put_correct_body
	res := send(t, srv, request{Method: "POST", Path: "/items/", Body: `[{"name": "Foo", "age": 5}]`})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item":[{"name":"Foo","age":5}]}`, res)

	// test_jsonable_encoder_requiring_error
	res = send(t, srv, request{Method: "POST", Path: "/items/", Body: `[{"name": "Foo", "age": -1.0}]`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"greater_than","loc":["body",0,"age"],"msg":"Input should be greater than 0","input":-1.0,"ctx":{"gt":0}}]}`, res)

	// test_put_incorrect_body_multiple
	res = send(t, srv, request{Method: "POST", Path: "/items/", Body: `[{"age": "five"}, {"age": "six"}]`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body",0,"name"],"msg":"Field required","input":{"age":"five"}},
		{"type":"float_parsing","loc":["body",0,"age"],"msg":"`+confFloatParsing+`","input":"five"},
		{"type":"missing","loc":["body",1,"name"],"msg":"Field required","input":{"age":"six"}},
		{"type":"float_parsing","loc":["body",1,"age"],"msg":"`+confFloatParsing+`","input":"six"}]}`, res)
}

// FastAPI tests/test_tutorial/test_header_params and test_cookie_params:
// headers by their hyphenated names, cookies by name, missing ones listed
// with every other failure.
func TestFastAPIHeaderAndCookieParams(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		UserAgent *string `header:"user_agent"`
		XToken    string  `header:"x-token"`
		AdsID     *string `cookie:"ads_id"`
		Session   string  `cookie:"session"`
	}) map[string]any {
		return map[string]any{"User-Agent": in.UserAgent, "ads_id": in.AdsID}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/", Headers: []string{"User-Agent", "testclient", "X-Token", "t", "Cookie", "ads_id=ads_track; session=s"}})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"User-Agent":"testclient","ads_id":"ads_track"}`, res)

	res = send(t, srv, request{Path: "/items/", Headers: []string{"User-Agent", "testclient"}})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["header","x-token"],"msg":"Field required","input":null},
		{"type":"missing","loc":["cookie","session"],"msg":"Field required","input":null}]}`, res)
}

// FastAPI's (Starlette's) 404 and 405 bodies: tests/test_path.py::test_nonexistent
// and Starlette tests/test_routing.py's method-not-allowed cases.
func TestFastAPINotFoundAndMethodNotAllowed(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{id}", func(id int) int { return id })
	app.Post("/items/{id}", func(id int) int { return id })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/nonexistent"})
	assert.Equal(t, 404, res.Status)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assertJSON(t, `{"detail":"Not Found"}`, res)

	res = send(t, srv, request{Method: http.MethodDelete, Path: "/items/1"})
	assert.Equal(t, 405, res.Status)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assertJSON(t, `{"detail":"Method Not Allowed"}`, res)
	assert.Equal(t, map[string]bool{"GET": true, "HEAD": true, "POST": true}, tokenSet(res.Header.Get("Allow")))
}

// FastAPI docs_src/handling_errors/tutorial001.py and tutorial002.py
// (tests/test_tutorial/test_handling_errors): HTTPException's detail and
// headers.
func TestFastAPIHandlingErrorsTutorial001And002(t *testing.T) {
	items := map[string]string{"foo": "The Foo Wrestlers"}
	app, _ := quietApp()
	app.Get("/items/{item_id}", func(id string) (map[string]string, error) {
		item, ok := items[id]
		if !ok {
			return nil, brisk.Error(404, "Item not found")
		}
		return map[string]string{"item": item}, nil
	})
	app.Get("/items-header/{item_id}", func(id string) (map[string]string, error) {
		item, ok := items[id]
		if !ok {
			return nil, brisk.Error(404, "Item not found").WithHeader("X-Error", "There goes my error")
		}
		return map[string]string{"item": item}, nil
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/foo"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item":"The Foo Wrestlers"}`, res)
	res = send(t, srv, request{Path: "/items/bar"})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"Item not found"}`, res)
	res = send(t, srv, request{Path: "/items-header/bar"})
	assert.Equal(t, 404, res.Status)
	assert.Equal(t, "There goes my error", res.Header.Get("X-Error"))
	assertJSON(t, `{"detail":"Item not found"}`, res)
}

// pydantic's lax mode, which FastAPI bodies use (pydantic's conversion
// table): numbers in strings, integral floats for ints, boolean strings and
// 0/1 for bools, nested and in request-model bodies too; strings stay
// strict, and errors show the values as sent.
func TestFastAPIBodyLaxScalars(t *testing.T) {
	type Inner struct {
		Count int  `json:"count"`
		On    bool `json:"on"`
	}
	type Payload struct {
		Ints  []int   `json:"ints"`
		Inner Inner   `json:"inner"`
		Ratio float32 `json:"ratio"`
		Name  string  `json:"name"`
		Small int8    `json:"small"`
	}
	app, _ := quietApp()
	app.Put("/items/{id}", func(in struct {
		ID   int     `path:"id"`
		Body Payload `body:""`
	}) Payload {
		return in.Body
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "PUT", Path: "/items/1",
		Body: `{"ints":["1", 2.0, " 3 "],"inner":{"count":"42","on":"yes"},"ratio":"0.5","name":"n","small":1}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"ints":[1,2,3],"inner":{"count":42,"on":true},"ratio":0.5,"name":"n","small":1}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/1",
		Body: `{"ints":[],"inner":{"count":1,"on":0},"ratio":1,"name":5,"small":"300"}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"string_type","loc":["body","name"],"msg":"Input should be a valid string","input":5},
		{"type":"less_than_equal","loc":["body","small"],"msg":"Input should be less than or equal to 127","input":"300","ctx":{"le":127}}]}`, res)
}
