package tests

// End-to-end ports of the OpenAPI parts of FastAPI's tutorial tests
// (tests/test_tutorial/test_path_params, test_query_params, test_body,
// test_background_tasks, test_dependencies, test_header_params,
// test_cookie_params, test_response_status_code,
// test_path_operation_configurations, test_metadata, test_conditional_openapi)
// and of tests/test_application.py's docs pages, through a Brisk app.
//
// FastAPI compares whole documents. Python's names are not Go's (a
// component is the Go type's name, parameter schemas are typed from Go
// types, results are documented from the handler's result type where
// FastAPI, without a response_model, writes {}), so these tests assert the
// structure FastAPI's documents have: each parameter's name, in, required
// and schema type; the request body's required flag and $ref; the success
// status; the 422 response and its HTTPValidationError/ValidationError
// components; summaries, operation IDs, tags, descriptions, deprecation.
//
// Handlers are methods of per-tutorial types (pathParams001{}.readItem),
// so that their names, and hence FastAPI's derived summaries and operation
// IDs ("Read Item", "read_item_items__item_id__get"), are those of the
// tutorials.

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// oaDoc is a decoded OpenAPI document.
type oaDoc map[string]any

// openAPIDoc fetches and decodes url (the app's document).
func openAPIDoc(t *testing.T, app *brisk.App, url ...string) oaDoc {
	t.Helper()
	u := "/openapi.json"
	if len(url) > 0 {
		u = url[0]
	}
	srv := serve(t, app)
	res := send(t, srv, request{Path: u})
	require.Equal(t, 200, res.Status, res.Body)
	require.Equal(t, "application/json", res.Header.Get("Content-Type"))
	var doc oaDoc
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc), res.Body)
	assert.Equal(t, "3.1.0", doc["openapi"])
	return doc
}

// obj follows keys through nested objects, failing the test if one is
// missing.
func obj(t *testing.T, v any, keys ...string) map[string]any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		require.True(t, ok, "not an object at %q: %v", k, v)
		v, ok = m[k]
		require.True(t, ok, "no %q in %v", k, keysOf(m))
	}
	m, ok := v.(map[string]any)
	require.True(t, ok, "not an object: %v", v)
	return m
}

func keysOf(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// op returns the operation of method on path.
func (d oaDoc) op(t *testing.T, path, method string) map[string]any {
	t.Helper()
	return obj(t, map[string]any(d), "paths", path, method)
}

// oaParam is what FastAPI's tests assert of a parameter.
type oaParam struct {
	Name     string
	In       string
	Required bool
	Type     any            // the schema's type ("string", "integer", …)
	Extra    map[string]any // other schema keywords to check (default, enum, …)
}

// assertParams checks an operation's parameters, in order.
func assertParams(t *testing.T, op map[string]any, want ...oaParam) {
	t.Helper()
	raw, _ := op["parameters"].([]any)
	if len(want) == 0 {
		assert.NotContains(t, op, "parameters", "an operation without parameters has no parameters list")
		return
	}
	require.Len(t, raw, len(want), "parameters: %v", raw)
	for i, w := range want {
		p := raw[i].(map[string]any)
		assert.Equal(t, w.Name, p["name"], "parameter %d", i)
		assert.Equal(t, w.In, p["in"], "parameter %s", w.Name)
		assert.Equal(t, w.Required, p["required"], "parameter %s: required", w.Name)
		s := obj(t, p, "schema")
		assert.Equal(t, w.Type, s["type"], "parameter %s: schema %v", w.Name, s)
		for k, v := range w.Extra {
			assert.Equal(t, v, s[k], "parameter %s: schema %v", w.Name, s)
		}
	}
}

// assertSuccess checks the success response: its status, FastAPI's
// description, and (when ref is not "") the $ref of its JSON schema.
func assertSuccess(t *testing.T, op map[string]any, status, ref string) {
	t.Helper()
	r := obj(t, op, "responses", status)
	assert.Equal(t, "Successful Response", r["description"])
	if ref != "" {
		assert.Equal(t, "#/components/schemas/"+ref, obj(t, r, "content", "application/json", "schema")["$ref"])
	}
}

// assert422 checks FastAPI's validation error response.
func assert422(t *testing.T, op map[string]any) {
	t.Helper()
	r := obj(t, op, "responses", "422")
	assert.Equal(t, "Validation Error", r["description"])
	assert.Equal(t, "#/components/schemas/HTTPValidationError",
		obj(t, r, "content", "application/json", "schema")["$ref"])
}

// assertValidationComponents checks FastAPI's HTTPValidationError and
// ValidationError components (FastAPI 0.115+ shape).
func assertValidationComponents(t *testing.T, doc oaDoc) {
	t.Helper()
	schemas := obj(t, map[string]any(doc), "components", "schemas")
	hve := obj(t, schemas, "HTTPValidationError")
	assert.Equal(t, "HTTPValidationError", hve["title"])
	assert.Equal(t, "object", hve["type"])
	detail := obj(t, hve, "properties", "detail")
	assert.Equal(t, "Detail", detail["title"])
	assert.Equal(t, "array", detail["type"])
	assert.Equal(t, map[string]any{"$ref": "#/components/schemas/ValidationError"}, detail["items"])

	ve := obj(t, schemas, "ValidationError")
	assert.Equal(t, "ValidationError", ve["title"])
	assert.Equal(t, "object", ve["type"])
	assert.Equal(t, []any{"loc", "msg", "type"}, ve["required"])
	props := obj(t, ve, "properties")
	assert.Equal(t, map[string]any{
		"title": "Location", "type": "array",
		"items": map[string]any{"anyOf": []any{map[string]any{"type": "string"}, map[string]any{"type": "integer"}}},
	}, props["loc"])
	assert.Equal(t, map[string]any{"title": "Message", "type": "string"}, props["msg"])
	assert.Equal(t, map[string]any{"title": "Error Type", "type": "string"}, props["type"])
	assert.Equal(t, map[string]any{"title": "Input"}, props["input"])
	assert.Equal(t, map[string]any{"title": "Context", "type": "object"}, props["ctx"])
}

// ---------------------------------------------------------------------------
// Path parameters

type pathParams001 struct{}

func (pathParams001) readItem(itemID string) map[string]string {
	return map[string]string{"item_id": itemID}
}

// FastAPI tests/test_tutorial/test_path_params/test_tutorial001.py::test_get_items
// and ::test_openapi_schema (item_id untyped in Python, a string here).
func TestFastAPIPathParamsTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", pathParams001{}.readItem)
	srv := serve(t, app)
	for _, id := range []string{"1", "alice"} {
		res := send(t, srv, request{Path: "/items/" + id})
		assert.Equal(t, 200, res.Status)
		assertJSON(t, `{"item_id":"`+id+`"}`, res)
	}

	doc := openAPIDoc(t, app)
	assert.Equal(t, map[string]any{"title": "Brisk", "version": "0.1.0"}, doc["info"])
	assert.Len(t, obj(t, map[string]any(doc), "paths"), 1)
	op := doc.op(t, "/items/{item_id}", "get")
	assert.Equal(t, "Read Item", op["summary"])
	assert.Equal(t, "read_item_items__item_id__get", op["operationId"])
	assertParams(t, op, oaParam{Name: "item_id", In: "path", Required: true, Type: "string"})
	assertSuccess(t, op, "200", "")
	assert422(t, op)
	assert.Len(t, obj(t, op, "responses"), 2)
	assertValidationComponents(t, doc)
}

type pathParams002 struct{}

func (pathParams002) readItem(itemID int) map[string]int { return map[string]int{"item_id": itemID} }

// FastAPI tests/test_tutorial/test_path_params/test_tutorial002.py::test_openapi_schema
// (and the requests of its other tests): item_id: int is an integer.
func TestFastAPIPathParamsTutorial002(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", pathParams002{}.readItem)
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/items/-10"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"item_id":-10}`, res)
	assert.Equal(t, 422, send(t, srv, request{Path: "/items/3.14"}).Status)

	doc := openAPIDoc(t, app)
	op := doc.op(t, "/items/{item_id}", "get")
	assert.Equal(t, "Read Item", op["summary"])
	assert.Equal(t, "read_item_items__item_id__get", op["operationId"])
	assertParams(t, op, oaParam{Name: "item_id", In: "path", Required: true, Type: "integer"})
	assertSuccess(t, op, "200", "")
	assert422(t, op)
	assertValidationComponents(t, doc)
}

type pathParams003 struct{}

func (pathParams003) readUserMe() map[string]string {
	return map[string]string{"user_id": "the current user"}
}

func (pathParams003) readUser(userID string) map[string]string {
	return map[string]string{"user_id": userID}
}

// FastAPI tests/test_tutorial/test_path_params/test_tutorial003.py::test_get_users
// and ::test_openapi_schema: /users/me, declared first, wins over
// /users/{user_id}; an operation without input has no parameters and no
// 422 response.
func TestFastAPIPathParamsTutorial003(t *testing.T) {
	app, _ := quietApp()
	app.Get("/users/me", pathParams003{}.readUserMe)
	app.Get("/users/{user_id}", pathParams003{}.readUser)
	srv := serve(t, app)
	assertJSON(t, `{"user_id":"the current user"}`, send(t, srv, request{Path: "/users/me"}))
	assertJSON(t, `{"user_id":"alice"}`, send(t, srv, request{Path: "/users/alice"}))

	doc := openAPIDoc(t, app)
	me := doc.op(t, "/users/me", "get")
	assert.Equal(t, "Read User Me", me["summary"])
	assert.Equal(t, "read_user_me_users_me_get", me["operationId"])
	assertParams(t, me)
	assertSuccess(t, me, "200", "")
	assert.NotContains(t, obj(t, me, "responses"), "422")

	user := doc.op(t, "/users/{user_id}", "get")
	assert.Equal(t, "Read User", user["summary"])
	assert.Equal(t, "read_user_users__user_id__get", user["operationId"])
	assertParams(t, user, oaParam{Name: "user_id", In: "path", Required: true, Type: "string"})
	assert422(t, user)
	assertValidationComponents(t, doc)
}

type pathParams004 struct{}

func (pathParams004) readFile(filePath string) map[string]string {
	return map[string]string{"file_path": filePath}
}

// FastAPI tests/test_tutorial/test_path_params/test_tutorial004.py: a path
// parameter holding a path. FastAPI's {file_path:path} is chi's "*"
// wildcard, documented as {wildcard}.
func TestFastAPIPathParamsTutorial004(t *testing.T) {
	app, _ := quietApp()
	app.Get("/files/*", pathParams004{}.readFile)
	srv := serve(t, app)
	assertJSON(t, `{"file_path":"home/johndoe/myfile.txt"}`, send(t, srv, request{Path: "/files/home/johndoe/myfile.txt"}))
	assertJSON(t, `{"file_path":"/home/johndoe/myfile.txt"}`, send(t, srv, request{Path: "/files//home/johndoe/myfile.txt"}))

	doc := openAPIDoc(t, app)
	op := doc.op(t, "/files/{wildcard}", "get")
	assert.Equal(t, "Read File", op["summary"])
	assert.Equal(t, "read_file_files__wildcard__get", op["operationId"])
	assertParams(t, op, oaParam{Name: "wildcard", In: "path", Required: true, Type: "string"})
	assertSuccess(t, op, "200", "")
	assert422(t, op)
}

type pathParams005 struct{}

// confModelName is the tutorial's ModelName enum: a string type whose
// values the request model's oneof rule lists.
type confModelName string

func (pathParams005) getModel(in struct {
	ModelName confModelName `path:"model_name" validate:"oneof=alexnet resnet lenet"`
}) map[string]any {
	msg := "Have some residuals"
	switch in.ModelName {
	case "alexnet":
		msg = "Deep Learning FTW!"
	case "lenet":
		msg = "LeCNN all the images"
	}
	return map[string]any{"model_name": in.ModelName, "message": msg}
}

// FastAPI tests/test_tutorial/test_path_params/test_tutorial005.py: the
// enum path parameter is documented with its values, and others are 422.
func TestFastAPIPathParamsTutorial005(t *testing.T) {
	app, _ := quietApp()
	app.Get("/models/{model_name}", pathParams005{}.getModel)
	srv := serve(t, app)
	assertJSON(t, `{"model_name":"alexnet","message":"Deep Learning FTW!"}`, send(t, srv, request{Path: "/models/alexnet"}))
	assertJSON(t, `{"model_name":"lenet","message":"LeCNN all the images"}`, send(t, srv, request{Path: "/models/lenet"}))
	res := send(t, srv, request{Path: "/models/foo"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"enum","loc":["path","model_name"],"msg":"Input should be 'alexnet', 'resnet' or 'lenet'","input":"foo","ctx":{"expected":"'alexnet', 'resnet' or 'lenet'"}}]}`, res)

	doc := openAPIDoc(t, app)
	op := doc.op(t, "/models/{model_name}", "get")
	assert.Equal(t, "Get Model", op["summary"])
	assert.Equal(t, "get_model_models__model_name__get", op["operationId"])
	assertParams(t, op, oaParam{Name: "model_name", In: "path", Required: true, Type: "string",
		Extra: map[string]any{"enum": []any{"alexnet", "resnet", "lenet"}}})
	assert422(t, op)
}

// ---------------------------------------------------------------------------
// Query parameters

type queryParams struct{}

func (queryParams) readItem(in struct {
	Skip  int `query:"skip" default:"0"`
	Limit int `query:"limit" default:"10"`
}) map[string]int {
	return map[string]int{"skip": in.Skip, "limit": in.Limit}
}

func (queryParams) readUserItem(itemID string, in struct {
	Needy string `query:"needy"`
	Skip  int    `query:"skip" default:"0"`
	Limit *int   `query:"limit"`
}) map[string]any {
	return map[string]any{"item_id": itemID, "needy": in.Needy, "skip": in.Skip, "limit": in.Limit}
}

func (queryParams) readUserItems(userID int, itemID string, in struct {
	Q     *string `query:"q"`
	Short bool    `query:"short" default:"false"`
}) map[string]any {
	return map[string]any{"item_id": itemID, "owner_id": userID}
}

// FastAPI tests/test_tutorial/test_query_params/test_tutorial001.py (skip
// and limit with defaults), test_tutorial004.py (two path parameters, an
// optional q and a bool short with a default), test_tutorial006.py (needy
// required, skip defaulted, limit optional): their parameters, in FastAPI's
// order (path, then query).
func TestFastAPIQueryParamsOpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", queryParams{}.readItem)
	app.Get("/items/{item_id}", queryParams{}.readUserItem)
	app.Get("/users/{user_id}/items/{item_id}", queryParams{}.readUserItems)
	srv := serve(t, app)
	assertJSON(t, `{"skip":0,"limit":10}`, send(t, srv, request{Path: "/items/"}))
	assertJSON(t, `{"item_id":"foo","needy":"very","skip":0,"limit":null}`, send(t, srv, request{Path: "/items/foo?needy=very"}))

	doc := openAPIDoc(t, app)

	op := doc.op(t, "/items/", "get")
	assert.Equal(t, "Read Item", op["summary"])
	assert.Equal(t, "read_item_items__get", op["operationId"])
	assertParams(t, op,
		oaParam{Name: "skip", In: "query", Required: false, Type: "integer", Extra: map[string]any{"default": 0.0}},
		oaParam{Name: "limit", In: "query", Required: false, Type: "integer", Extra: map[string]any{"default": 10.0}})
	assert422(t, op)

	op = doc.op(t, "/items/{item_id}", "get")
	assert.Equal(t, "read_user_item_items__item_id__get", op["operationId"])
	assertParams(t, op,
		oaParam{Name: "item_id", In: "path", Required: true, Type: "string"},
		oaParam{Name: "needy", In: "query", Required: true, Type: "string"},
		oaParam{Name: "skip", In: "query", Required: false, Type: "integer", Extra: map[string]any{"default": 0.0}},
		oaParam{Name: "limit", In: "query", Required: false, Type: "integer"})
	assert.NotContains(t, obj(t, op["parameters"].([]any)[3], "schema"), "default", "an optional parameter without a default has none")

	op = doc.op(t, "/users/{user_id}/items/{item_id}", "get")
	assert.Equal(t, "Read User Items", op["summary"])
	assertParams(t, op,
		oaParam{Name: "user_id", In: "path", Required: true, Type: "integer"},
		oaParam{Name: "item_id", In: "path", Required: true, Type: "string"},
		oaParam{Name: "q", In: "query", Required: false, Type: "string"},
		oaParam{Name: "short", In: "query", Required: false, Type: "boolean", Extra: map[string]any{"default": false}})
	assertValidationComponents(t, doc)
}

type queryStrValidations struct{}

func (queryStrValidations) readItems(in struct {
	Q *string `query:"item-query" validate:"omitempty,min=3,max=50" doc:"Query string for the items to search in the database that have a good match"`
}) map[string]any {
	return map[string]any{"q": in.Q}
}

func (queryStrValidations) readList(in struct {
	Q []string `query:"q"`
}) map[string][]string {
	return map[string][]string{"q": in.Q}
}

// FastAPI tests/test_tutorial/test_query_params_str_validations/:
// test_tutorial010 (an aliased, described query parameter with
// min_length=3 and max_length=50) and test_tutorial011 (q: list[str],
// repeated keys): the names on the wire, the lengths, the description, and
// an array of strings.
func TestFastAPIQueryParamsStrValidationsOpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", queryStrValidations{}.readItems)
	app.Get("/list/", queryStrValidations{}.readList)
	srv := serve(t, app)
	assertJSON(t, `{"q":"fixedquery"}`, send(t, srv, request{Path: "/items/?item-query=fixedquery"}))
	assertJSON(t, `{"q":["foo","bar"]}`, send(t, srv, request{Path: "/list/?q=foo&q=bar"}))
	res := send(t, srv, request{Path: "/items/?item-query=ab"})
	assert.Equal(t, 422, res.Status)
	assert.Contains(t, res.Body, `"loc":["query","item-query"]`)

	doc := openAPIDoc(t, app)
	op := doc.op(t, "/items/", "get")
	assertParams(t, op, oaParam{Name: "item-query", In: "query", Required: false, Type: "string",
		Extra: map[string]any{"minLength": 3.0, "maxLength": 50.0}})
	assert.Equal(t, "Query string for the items to search in the database that have a good match",
		op["parameters"].([]any)[0].(map[string]any)["description"])
	assert422(t, op)

	op = doc.op(t, "/list/", "get")
	assertParams(t, op, oaParam{Name: "q", In: "query", Required: false, Type: "array",
		Extra: map[string]any{"items": map[string]any{"type": "string"}}})
}

type pathNumericValidations struct{}

func (pathNumericValidations) readItems(in struct {
	ItemID int      `path:"item_id" validate:"gte=0,lte=1000" doc:"The ID of the item to get"`
	Q      string   `query:"q"`
	Size   *float64 `query:"size" validate:"omitempty,gt=0,lt=10.5"`
}) map[string]any {
	return map[string]any{"item_id": in.ItemID, "q": in.Q}
}

// FastAPI tests/test_tutorial/test_path_params_numeric_validations/
// (test_tutorial004-006: item_id with ge/le, size with gt/lt): the bounds
// are the schema's minimum/maximum and exclusiveMinimum/exclusiveMaximum,
// and a value outside them is 422.
func TestFastAPIPathParamsNumericValidationsOpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", pathNumericValidations{}.readItems)
	srv := serve(t, app)
	assertJSON(t, `{"item_id":42,"q":"foo"}`, send(t, srv, request{Path: "/items/42?q=foo&size=5"}))
	assert.Equal(t, 422, send(t, srv, request{Path: "/items/1001?q=foo"}).Status)
	assert.Equal(t, 422, send(t, srv, request{Path: "/items/42?q=foo&size=10.5"}).Status)

	doc := openAPIDoc(t, app)
	op := doc.op(t, "/items/{item_id}", "get")
	assertParams(t, op,
		oaParam{Name: "item_id", In: "path", Required: true, Type: "integer",
			Extra: map[string]any{"minimum": 0.0, "maximum": 1000.0}},
		oaParam{Name: "q", In: "query", Required: true, Type: "string"},
		oaParam{Name: "size", In: "query", Required: false, Type: "number",
			Extra: map[string]any{"exclusiveMinimum": 0.0, "exclusiveMaximum": 10.5}})
	assert.Equal(t, "The ID of the item to get", op["parameters"].([]any)[0].(map[string]any)["description"])
	assert422(t, op)
}

// ---------------------------------------------------------------------------
// Bodies

type bodyTutorial struct{}

func (bodyTutorial) createItem(it confBodyItem) confBodyItem { return it }

func (bodyTutorial) updateItem(itemID int, in struct {
	Q    *string      `query:"q"`
	Item confBodyItem `body:""`
}) map[string]any {
	return map[string]any{"item_id": itemID, "name": in.Item.Name}
}

// FastAPI tests/test_tutorial/test_body/test_tutorial001.py::test_openapi_schema
// (POST /items/: a required body referencing the Item component, whose
// name and price are required) and test_tutorial004.py (PUT
// /items/{item_id}: path, optional query q, and the body).
func TestFastAPIBodyOpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Post("/items/", bodyTutorial{}.createItem)
	app.Put("/items/{item_id}", bodyTutorial{}.updateItem)
	doc := openAPIDoc(t, app)

	op := doc.op(t, "/items/", "post")
	assert.Equal(t, "Create Item", op["summary"])
	assert.Equal(t, "create_item_items__post", op["operationId"])
	assertParams(t, op)
	rb := obj(t, op, "requestBody")
	assert.Equal(t, true, rb["required"])
	assert.Equal(t, "#/components/schemas/confBodyItem", obj(t, rb, "content", "application/json", "schema")["$ref"])
	assertSuccess(t, op, "200", "confBodyItem")
	assert422(t, op)

	item := obj(t, map[string]any(doc), "components", "schemas", "confBodyItem")
	assert.Equal(t, "object", item["type"])
	assert.Equal(t, []any{"name", "price"}, item["required"])
	props := obj(t, item, "properties")
	assert.Equal(t, []string{"description", "name", "price", "tax"}, sortedKeys(props))
	assert.Equal(t, "string", obj(t, props, "name")["type"])
	assert.Equal(t, "number", obj(t, props, "price")["type"])
	// Optional[str] = None: FastAPI's anyOf [string, null]; the same type
	// in 3.1's shorter form.
	assert.Equal(t, []any{"string", "null"}, obj(t, props, "description")["type"])
	assert.Equal(t, []any{"number", "null"}, obj(t, props, "tax")["type"])

	op = doc.op(t, "/items/{item_id}", "put")
	assert.Equal(t, "Update Item", op["summary"])
	assert.Equal(t, "update_item_items__item_id__put", op["operationId"])
	assertParams(t, op,
		oaParam{Name: "item_id", In: "path", Required: true, Type: "integer"},
		oaParam{Name: "q", In: "query", Required: false, Type: "string"})
	rb = obj(t, op, "requestBody")
	assert.Equal(t, true, rb["required"])
	assert.Equal(t, "#/components/schemas/confBodyItem", obj(t, rb, "content", "application/json", "schema")["$ref"])
	assertValidationComponents(t, doc)
}

func sortedKeys(m map[string]any) []string {
	out := keysOf(m)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

type optionalBody struct{}

func (optionalBody) createItem(it *confBodyItem) string { return "ok" }

// FastAPI's Optional body (tests/test_tutorial/test_body_multiple_params,
// item: Item | None = None): the request body is not required.
func TestFastAPIOptionalBodyIsNotRequired(t *testing.T) {
	app, _ := quietApp()
	app.Post("/items/", optionalBody{}.createItem)
	doc := openAPIDoc(t, app)
	rb := obj(t, doc.op(t, "/items/", "post"), "requestBody")
	assert.Equal(t, false, rb["required"])
	assert.Equal(t, "#/components/schemas/confBodyItem", obj(t, rb, "content", "application/json", "schema")["$ref"])
}

// ---------------------------------------------------------------------------
// Background tasks and dependencies

type backgroundTasks001 struct{}

func (backgroundTasks001) sendNotification(email string, bg *brisk.BackgroundTasks) confMessage {
	bg.AddTask(func(string) {}, email)
	return confMessage{Message: "Notification sent in the background"}
}

// FastAPI tests/test_tutorial/test_background_tasks/test_tutorial001.py
// (examples/background-tasks): *brisk.BackgroundTasks is not a parameter of
// the operation; email is.
func TestFastAPIBackgroundTasksTutorial001OpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Post("/send-notification/{email}", backgroundTasks001{}.sendNotification)
	doc := openAPIDoc(t, app)
	op := doc.op(t, "/send-notification/{email}", "post")
	assert.Equal(t, "Send Notification", op["summary"])
	assert.Equal(t, "send_notification_send_notification__email__post", op["operationId"])
	assertParams(t, op, oaParam{Name: "email", In: "path", Required: true, Type: "string"})
	assert.NotContains(t, op, "requestBody")
	assertSuccess(t, op, "200", "confMessage")
	assert422(t, op)
	msg := obj(t, map[string]any(doc), "components", "schemas", "confMessage")
	assert.Equal(t, []any{"message"}, msg["required"])
	assert.Equal(t, "string", obj(t, msg, "properties", "message")["type"])
}

// confDocsQuery is backgroundTasks002's provided type: the optional ?q.
type confDocsQuery string

type backgroundTasks002 struct{}

func (backgroundTasks002) sendNotification(email string, bg *brisk.BackgroundTasks, q confDocsQuery) confMessage {
	return confMessage{Message: "Message sent"}
}

// FastAPI tests/test_tutorial/test_background_tasks/test_tutorial002.py
// (examples/background-dependencies): the provider's query parameter q is
// documented on the route that depends on it.
func TestFastAPIBackgroundTasksTutorial002OpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Provide(func(bg *brisk.BackgroundTasks, in struct {
		Q string `query:"q"`
	}) confDocsQuery {
		return confDocsQuery(in.Q)
	})
	app.Post("/send-notification/{email}", backgroundTasks002{}.sendNotification)
	doc := openAPIDoc(t, app)
	op := doc.op(t, "/send-notification/{email}", "post")
	assertParams(t, op,
		oaParam{Name: "email", In: "path", Required: true, Type: "string"},
		oaParam{Name: "q", In: "query", Required: true, Type: "string"})
	assertSuccess(t, op, "200", "confMessage")
	assert422(t, op)
}

// confDocsCommons is common_parameters' result in FastAPI's
// docs_src/dependencies/tutorial001.py (q: str | None = None, skip: int = 0,
// limit: int = 100).
type confDocsCommons map[string]any

func confDocsCommonParameters(in struct {
	Q     *string `query:"q"`
	Skip  int     `query:"skip" default:"0"`
	Limit int     `query:"limit" default:"100"`
}) confDocsCommons {
	return confDocsCommons{"q": in.Q, "skip": in.Skip, "limit": in.Limit}
}

type dependencies001 struct{}

func (dependencies001) readItems(c confDocsCommons) confDocsCommons { return c }
func (dependencies001) readUsers(c confDocsCommons) confDocsCommons { return c }
func (dependencies001) readThings() string                          { return "ok" }

// FastAPI tests/test_tutorial/test_dependencies/test_tutorial001.py::test_openapi_schema:
// both routes document common_parameters' q, skip and limit, as does a
// route that runs it through dependencies=[…] (brisk.Dependencies).
func TestFastAPIDependenciesTutorial001OpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Provide(confDocsCommonParameters)
	app.Get("/items/", dependencies001{}.readItems)
	app.Get("/users/", dependencies001{}.readUsers)
	app.Get("/things/", dependencies001{}.readThings, brisk.Dependencies(confDocsCommonParameters))
	srv := serve(t, app)
	assertJSON(t, `{"q":null,"skip":0,"limit":100}`, send(t, srv, request{Path: "/items/"}))
	assertJSON(t, `{"q":"foo","skip":5,"limit":30}`, send(t, srv, request{Path: "/users/?q=foo&skip=5&limit=30"}))

	doc := openAPIDoc(t, app)
	for _, path := range []string{"/items/", "/users/", "/things/"} {
		op := doc.op(t, path, "get")
		assertParams(t, op,
			oaParam{Name: "q", In: "query", Required: false, Type: "string"},
			oaParam{Name: "skip", In: "query", Required: false, Type: "integer", Extra: map[string]any{"default": 0.0}},
			oaParam{Name: "limit", In: "query", Required: false, Type: "integer", Extra: map[string]any{"default": 100.0}})
		assert422(t, op)
	}
	assert.Equal(t, "Read Items", doc.op(t, "/items/", "get")["summary"])
	assert.Equal(t, "read_users_users__get", doc.op(t, "/users/", "get")["operationId"])
}

// ---------------------------------------------------------------------------
// Headers and cookies

type headerParams001 struct{}

func (headerParams001) readItems(in struct {
	UserAgent *string `header:"User-Agent"`
}) map[string]any {
	return map[string]any{"User-Agent": in.UserAgent}
}

type cookieParams001 struct{}

func (cookieParams001) readItems(in struct {
	AdsID *string `cookie:"ads_id"`
}) map[string]any {
	return map[string]any{"ads_id": in.AdsID}
}

// FastAPI tests/test_tutorial/test_header_params/test_tutorial001.py and
// test_cookie_params/test_tutorial001.py::test_openapi_schema: an optional
// header and an optional cookie.
func TestFastAPIHeaderAndCookieParamsOpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", headerParams001{}.readItems)
	app.Get("/cookies/", cookieParams001{}.readItems)
	srv := serve(t, app)
	assertJSON(t, `{"User-Agent":"FastAPI test"}`, send(t, srv, request{Path: "/items/", Headers: []string{"User-Agent", "FastAPI test"}}))
	assertJSON(t, `{"ads_id":"ads_track"}`, send(t, srv, request{Path: "/cookies/", Headers: []string{"Cookie", "ads_id=ads_track"}}))

	doc := openAPIDoc(t, app)
	op := doc.op(t, "/items/", "get")
	assert.Equal(t, "read_items_items__get", op["operationId"])
	assertParams(t, op, oaParam{Name: "User-Agent", In: "header", Required: false, Type: "string"})
	assert422(t, op)
	op = doc.op(t, "/cookies/", "get")
	assertParams(t, op, oaParam{Name: "ads_id", In: "cookie", Required: false, Type: "string"})
}

// ---------------------------------------------------------------------------
// Status codes and operation metadata

type responseStatusCode001 struct{}

func (responseStatusCode001) createItem(in struct {
	Name string `query:"name"`
}) map[string]string {
	return map[string]string{"name": in.Name}
}

// FastAPI tests/test_tutorial/test_response_status_code/test_tutorial001.py
// (status_code=201): the request answers 201, and the document's success
// response is under "201", not "200".
func TestFastAPIResponseStatusCodeTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Post("/items/", responseStatusCode001{}.createItem, brisk.Status(http.StatusCreated))
	srv := serve(t, app)
	res := send(t, srv, request{Method: "POST", Path: "/items/?name=foo"})
	assert.Equal(t, 201, res.Status)
	assertJSON(t, `{"name":"foo"}`, res)

	doc := openAPIDoc(t, app)
	op := doc.op(t, "/items/", "post")
	assert.Equal(t, "create_item_items__post", op["operationId"])
	responses := obj(t, op, "responses")
	assert.NotContains(t, responses, "200")
	assertSuccess(t, op, "201", "")
	assert422(t, op)
	assert.Len(t, responses, 2)
}

type noContent struct{}

func (noContent) deleteItem(itemID int) {}

type responseCodeNoBody struct{}

// confJSONAPIError is the JsonApiError model of FastAPI's
// tests/test_response_code_no_body.py.
type confJSONAPIError struct {
	Errors []struct {
		Status string `json:"status"`
		Title  string `json:"title"`
	} `json:"errors"`
}

func (responseCodeNoBody) a() {}
func (responseCodeNoBody) b() {}
func (responseCodeNoBody) c() map[string]string {
	return map[string]string{"message": "should not have a body"}
}

// FastAPI tests/test_response_code_no_body.py::test_get_response,
// ::test_get_response_205 and ::test_openapi_schema: a 204 has no body and
// no Content-Length, a 205 drops the handler's result, and neither has
// documented content; a declared 204 ("No Content") on a 200 route has
// none either.
func TestFastAPIResponseCodeNoBody(t *testing.T) {
	app, _ := quietApp()
	h := responseCodeNoBody{}
	app.Get("/a", h.a, brisk.Status(http.StatusNoContent), brisk.Responses(500, "Error", confJSONAPIError{}))
	app.Get("/b", h.b, brisk.Responses(http.StatusNoContent, "No Content", nil))
	app.Get("/c", h.c, brisk.Status(http.StatusResetContent))
	app.Delete("/items/{item_id}", noContent{}.deleteItem, brisk.Status(http.StatusNoContent))
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/a"})
	assert.Equal(t, 204, res.Status)
	assert.Empty(t, res.Header.Values("Content-Length"))
	assert.Empty(t, res.Body)
	res = send(t, srv, request{Path: "/c"})
	assert.Equal(t, 205, res.Status)
	assert.Empty(t, res.Body, "RFC 9110: a 205 has no content")
	res = send(t, srv, request{Method: "DELETE", Path: "/items/1"})
	assert.Equal(t, 204, res.Status)
	assert.Empty(t, res.Body)

	doc := openAPIDoc(t, app)
	a := doc.op(t, "/a", "get")
	assert.Equal(t, "A", a["summary"])
	assert.Equal(t, "a_a_get", a["operationId"])
	assert.Equal(t, map[string]any{"description": "Successful Response"}, obj(t, a, "responses", "204"))
	e := obj(t, a, "responses", "500")
	assert.Equal(t, "Error", e["description"])
	assert.Equal(t, "#/components/schemas/confJSONAPIError", obj(t, e, "content", "application/json", "schema")["$ref"])
	assert.Len(t, obj(t, a, "responses"), 2)

	b := doc.op(t, "/b", "get")
	assert.Equal(t, map[string]any{"description": "No Content"}, obj(t, b, "responses", "204"))
	assertSuccess(t, b, "200", "")
	assert.Len(t, obj(t, b, "responses"), 2)

	c := doc.op(t, "/c", "get")
	assert.Equal(t, "c_c_get", c["operationId"])
	assert.Equal(t, map[string]any{"205": map[string]any{"description": "Successful Response"}}, obj(t, c, "responses"))

	del := obj(t, doc.op(t, "/items/{item_id}", "delete"), "responses", "204")
	assert.Equal(t, map[string]any{"description": "Successful Response"}, del)

	jae := obj(t, map[string]any(doc), "components", "schemas", "confJSONAPIError")
	// errors: list[Error] is required in pydantic; a Go slice may be
	// absent (nil), so Brisk does not require it (docs/openapi.md).
	assert.NotContains(t, jae, "required")
	errs := obj(t, jae, "properties", "errors")
	assert.Equal(t, "array", errs["type"])
	assert.Equal(t, []any{"status", "title"}, obj(t, errs, "items")["required"])
}

type pathOperationConfig struct{}

func (pathOperationConfig) createItem(it confBodyItem) confBodyItem { return it }
func (pathOperationConfig) readItems() []map[string]any             { return nil }
func (pathOperationConfig) readUsers() []map[string]any             { return nil }
func (pathOperationConfig) readElements() []map[string]any          { return nil }

// FastAPI tests/test_tutorial/test_path_operation_configurations/:
// test_tutorial002 (tags), test_tutorial003 (summary and description),
// test_tutorial006 (deprecated), and
// test_path_operation_advanced_configuration/test_tutorial001.py (an
// explicit operation_id).
func TestFastAPIPathOperationConfigurations(t *testing.T) {
	app, _ := quietApp()
	cfg := pathOperationConfig{}
	app.Post("/items/", cfg.createItem, brisk.Tags("items"),
		brisk.Summary("Create an item"),
		brisk.Description("Create an item with all the information, name, description, price, tax and a set of unique tags"))
	app.Get("/items/", cfg.readItems, brisk.Tags("items"), brisk.OperationID("some_specific_id_you_define"))
	app.Get("/users/", cfg.readUsers, brisk.Tags("users"))
	app.Get("/elements/", cfg.readElements, brisk.Tags("items"), brisk.Deprecated())
	doc := openAPIDoc(t, app)

	op := doc.op(t, "/items/", "post")
	assert.Equal(t, []any{"items"}, op["tags"])
	assert.Equal(t, "Create an item", op["summary"])
	assert.Equal(t, "Create an item with all the information, name, description, price, tax and a set of unique tags", op["description"])
	assert.Equal(t, "create_item_items__post", op["operationId"])
	assert.NotContains(t, op, "deprecated")

	op = doc.op(t, "/items/", "get")
	assert.Equal(t, []any{"items"}, op["tags"])
	assert.Equal(t, "some_specific_id_you_define", op["operationId"])
	assert.Equal(t, "Read Items", op["summary"])
	assertSuccess(t, op, "200", "")
	assert.NotContains(t, obj(t, op, "responses"), "422")

	op = doc.op(t, "/users/", "get")
	assert.Equal(t, []any{"users"}, op["tags"])
	assert.Equal(t, "read_users_users__get", op["operationId"])

	op = doc.op(t, "/elements/", "get")
	assert.Equal(t, []any{"items"}, op["tags"])
	assert.Equal(t, true, op["deprecated"])
	assert.Equal(t, "Read Elements", op["summary"])
}

// Route options given to Group apply to every route of the group (FastAPI's
// APIRouter(tags=[…]) in tests/test_tutorial/test_bigger_applications).
func TestFastAPIRouterTagsApplyToItsRoutes(t *testing.T) {
	app, _ := quietApp()
	items := app.Group("/items", brisk.Tags("items"))
	items.Get("/", pathOperationConfig{}.readItems)
	items.Get("/deprecated", pathOperationConfig{}.readElements, brisk.Tags("custom"), brisk.Deprecated())
	doc := openAPIDoc(t, app)
	assert.Equal(t, []any{"items"}, doc.op(t, "/items/", "get")["tags"])
	op := doc.op(t, "/items/deprecated", "get")
	assert.Equal(t, []any{"items", "custom"}, op["tags"])
	assert.Equal(t, true, op["deprecated"])
}

// ---------------------------------------------------------------------------
// Metadata, docs pages, and turning them off

// FastAPI tests/test_tutorial/test_metadata/test_tutorial001.py: the
// document's info from the app's configuration (title, description,
// version; Brisk's Config has no terms of service, contact or license).
func TestFastAPIMetadataTutorial001(t *testing.T) {
	app, _ := quietApp(brisk.Config{Title: "ChimichangApp", Version: "0.0.1",
		Description: "ChimichangApp API helps you do awesome stuff. 🚀"})
	app.Get("/items/", func() []map[string]string { return []map[string]string{{"name": "Katana"}} })
	doc := openAPIDoc(t, app)
	assert.Equal(t, map[string]any{"title": "ChimichangApp", "version": "0.0.1",
		"description": "ChimichangApp API helps you do awesome stuff. 🚀"}, doc["info"])

	srv := serve(t, app)
	res := send(t, srv, request{Path: "/docs"})
	assert.Contains(t, res.Body, "<title>ChimichangApp - Swagger UI</title>")
	res = send(t, srv, request{Path: "/redoc"})
	assert.Contains(t, res.Body, "<title>ChimichangApp - ReDoc</title>")
}

// FastAPI tests/test_application.py::test_swagger_ui and ::test_redoc: the
// pages are HTML and load the document from the app's OpenAPI URL.
func TestFastAPIApplicationDocsPages(t *testing.T) {
	app, _ := quietApp()
	app.Get("/api_route", func() map[string]string { return map[string]string{"message": "Hello World"} })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/docs"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Contains(t, res.Body, "swagger-ui-dist")
	assert.Contains(t, res.Body, `url: "/openapi.json"`)
	assert.Contains(t, res.Body, `"dom_id": "#swagger-ui"`)

	res = send(t, srv, request{Path: "/redoc"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Contains(t, res.Body, "redoc@2")
	assert.Contains(t, res.Body, `<redoc spec-url="/openapi.json"></redoc>`)

	res = send(t, srv, request{Path: "/nonexistent"})
	assert.Equal(t, 404, res.Status)
	assertJSON(t, `{"detail":"Not Found"}`, res)
	assert.Equal(t, 405, send(t, srv, request{Method: "POST", Path: "/docs"}).Status)
}

// FastAPI tests/test_tutorial/test_metadata/test_tutorial002.py
// (openapi_url="/api/v1/openapi.json") and test_tutorial003.py
// (docs_url="/documentation", redoc_url=None): the pages follow the URLs.
func TestFastAPIMetadataCustomURLs(t *testing.T) {
	app, _ := quietApp(brisk.Config{OpenAPIURL: "/api/v1/openapi.json"})
	app.Get("/items/", func() []string { return nil })
	srv := serve(t, app)
	assert.Equal(t, 404, send(t, srv, request{Path: "/openapi.json"}).Status)
	doc := openAPIDoc(t, app, "/api/v1/openapi.json")
	assert.Contains(t, obj(t, map[string]any(doc), "paths"), "/items/")
	assert.Contains(t, send(t, srv, request{Path: "/docs"}).Body, `"/api/v1/openapi.json"`)
	assert.Contains(t, send(t, srv, request{Path: "/redoc"}).Body, `spec-url="/api/v1/openapi.json"`)

	app, _ = quietApp(brisk.Config{DocsURL: "/documentation", RedocURL: "-"})
	app.Get("/items/", func() []string { return nil })
	srv = serve(t, app)
	assert.Equal(t, 200, send(t, srv, request{Path: "/documentation"}).Status)
	assert.Equal(t, 404, send(t, srv, request{Path: "/docs"}).Status)
	assert.Equal(t, 404, send(t, srv, request{Path: "/redoc"}).Status)
	assert.Equal(t, 200, send(t, srv, request{Path: "/openapi.json"}).Status)
}

// FastAPI tests/test_tutorial/test_conditional_openapi/test_tutorial001.py
// (openapi_url=None): no document and no docs pages, and the API still
// serves.
func TestFastAPIConditionalOpenAPIDisabled(t *testing.T) {
	app, _ := quietApp(brisk.Config{OpenAPIURL: "-"})
	app.Get("/", func() map[string]string { return map[string]string{"message": "Hello World"} })
	srv := serve(t, app)
	for _, p := range []string{"/openapi.json", "/docs", "/redoc", "/docs/oauth2-redirect"} {
		res := send(t, srv, request{Path: p})
		assert.Equal(t, 404, res.Status, p)
		assertJSON(t, `{"detail":"Not Found"}`, res)
	}
	assertJSON(t, `{"message":"Hello World"}`, send(t, srv, request{Path: "/"}))
}

// The document follows the routes as registered on groups, with every
// HTTP method of a path under that one path (FastAPI's path items).
func TestFastAPIOpenAPIPathItemsGroupMethods(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", pathParams002{}.readItem)
	app.Put("/items/{item_id}", bodyTutorial{}.updateItem)
	app.Delete("/items/{item_id}", noContent{}.deleteItem, brisk.Status(204))
	doc := openAPIDoc(t, app)
	item := obj(t, map[string]any(doc), "paths", "/items/{item_id}")
	assert.Equal(t, []string{"delete", "get", "put"}, sortedKeys(item))
	assert.Equal(t, "delete_item_items__item_id__delete", doc.op(t, "/items/{item_id}", "delete")["operationId"])
}
