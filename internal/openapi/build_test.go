package openapi

import (
	"reflect"
	"strings"
	"testing"
)

func TestBuildEmptyDocument(t *testing.T) {
	doc, err := Build(Info{}, nil)
	noErr(t, err)
	equal(t, string(doc), `{"openapi":"3.1.0","info":{"title":"Brisk","version":"0.1.0"},"paths":{}}`)

	doc, err = Build(Info{Title: "Shop <API>", Version: "2.0", Description: "Sells & ships."}, nil)
	noErr(t, err)
	equal(t, fragment(t, doc, "info"), `{"title":"Shop <API>","description":"Sells & ships.","version":"2.0"}`)
}

func TestTranslatePattern(t *testing.T) {
	tests := []struct {
		pattern, path string
		vars          []pathVar
	}{
		{"/", "/", nil},
		{"/items/{id}", "/items/{id}", []pathVar{{"id", "id", ""}}},
		{"/files/{id:[0-9]+}", "/files/{id}", []pathVar{{"id", "id", "^[0-9]+$"}}},
		{"/d/{day:^[0-9]{2}$}/x", "/d/{day}/x", []pathVar{{"day", "day", "^[0-9]{2}$"}}},
		{"/static/*", "/static/{wildcard}", []pathVar{{"wildcard", "*", ""}}},
		{"/w/{wildcard}/*", "/w/{wildcard}/{wildcard_}", []pathVar{{"wildcard", "wildcard", ""}, {"wildcard_", "*", ""}}},
		{"/{a}/{b:[a-z]+}.json", "/{a}/{b}.json", []pathVar{{"a", "a", ""}, {"b", "b", "^[a-z]+$"}}},
	}
	for _, tt := range tests {
		path, vars, err := translatePattern(tt.pattern)
		noErr(t, err)
		equal(t, path, tt.path, tt.pattern)
		equal(t, len(vars), len(tt.vars), tt.pattern)
		for i := range min(len(vars), len(tt.vars)) {
			equal(t, vars[i], tt.vars[i], tt.pattern)
		}
	}
	_, _, err := translatePattern("/items/{id")
	errContains(t, err, `pattern "/items/{id": unclosed '{'`)
	_, _, err = translatePattern("/items/{:[0-9]+}")
	errContains(t, err, "a parameter has no name")
}

func TestOperationIDsAndSummaries(t *testing.T) {
	ops := []Operation{
		{Method: "GET", Pattern: "/items/{item_id}", HandlerName: "example.com/app.read_item"},
		{Method: "GET", Pattern: "/users/{id:[0-9]+}", HandlerName: "example.com/app.getUser"},
		{Method: "POST", Pattern: "/users", HandlerName: "example.com/app.(*Service).CreateUser-fm"},
		{Method: "GET", Pattern: "/status", HandlerName: "example.com/app.getHTTPStatus[...]"},
		{Method: "GET", Pattern: "/anon/{x}", HandlerName: "example.com/app.main.func1"},
		{Method: "PUT", Pattern: "/anon/{x}", HandlerName: "example.com/app.main.func1.2"},
		{Method: "GET", Pattern: "/", HandlerName: ""},
		{Method: "GET", Pattern: "/static/*", HandlerName: "example.com/app.glob..func3"},
		// the derived ID of the first is taken by an explicit one below
		{Method: "DELETE", Pattern: "/users/{id}", HandlerName: "example.com/app.deleteUser"},
		{Method: "PATCH", Pattern: "/x", HandlerName: "example.com/app.f", OperationID: "delete_user_users__id__delete", Summary: "Explicit"},
		{Method: "HEAD", Pattern: "/users/{id}", HandlerName: "example.com/app.deleteUser"}, // same name, other method
		{Method: "OPTIONS", Pattern: "/dup", HandlerName: "example.com/app.dup"},
		{Method: "TRACE", Pattern: "/dup", HandlerName: "example.com/app.dup"},
	}
	doc := mustBuild(t, ops...)
	for _, tt := range []struct {
		path, method, want string
	}{
		{"/items/{item_id}", "get", `"summary":"Read Item","operationId":"read_item_items__item_id__get"`},
		{"/users/{id}", "get", `"summary":"Get User","operationId":"get_user_users__id__get"`},
		{"/users", "post", `"summary":"Create User","operationId":"create_user_users_post"`},
		{"/status", "get", `"summary":"Get HTTP Status","operationId":"get_http_status_status_get"`},
		{"/anon/{x}", "get", `{"operationId":"anon__x__get",`},
		{"/anon/{x}", "put", `{"operationId":"anon__x__put",`},
		{"/", "get", `{"operationId":"get",`},
		{"/static/{wildcard}", "get", `{"operationId":"static__wildcard__get",`},
		{"/users/{id}", "delete", `"operationId":"delete_user_users__id__delete_2"`},
		{"/x", "patch", `"summary":"Explicit","operationId":"delete_user_users__id__delete"`},
		{"/users/{id}", "head", `"operationId":"delete_user_users__id__head"`},
		{"/dup", "options", `"operationId":"dup_dup_options"`},
		{"/dup", "trace", `"operationId":"dup_dup_trace"`},
	} {
		got := fragment(t, doc, "paths", tt.path, tt.method)
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s %s: %s does not contain %s", tt.method, tt.path, got, tt.want)
		}
	}

	_, err := Build(Info{}, []Operation{
		{Method: "GET", Pattern: "/a", OperationID: "same"},
		{Method: "GET", Pattern: "/b", OperationID: "same"},
	})
	errContains(t, err, `operationId "same" is used by more than one route (GET /b among them)`)
}

func TestDerivedIDsAreUniqueAfterSuffixing(t *testing.T) {
	// "/a/" and "/a." both derive "f_a__get"; the second would get "_2", but
	// an explicit "f_a__get_2" has it, so it gets "_3".
	doc := mustBuild(t,
		Operation{Method: "GET", Pattern: "/a", HandlerName: "m.f"},
		Operation{Method: "GET", Pattern: "/a/", HandlerName: "m.f"},
		Operation{Method: "GET", Pattern: "/a.", HandlerName: "m.f"},
		Operation{Method: "GET", Pattern: "/b", OperationID: "f_a__get_2"},
	)
	equal(t, fragment(t, doc, "paths", "/a", "get", "operationId"), `"f_a_get"`)
	equal(t, fragment(t, doc, "paths", "/a/", "get", "operationId"), `"f_a__get"`)
	equal(t, fragment(t, doc, "paths", "/a.", "get", "operationId"), `"f_a__get_3"`)
}

func TestHandlerNameAndWords(t *testing.T) {
	for _, tt := range []struct {
		full, name string
		ok         bool
	}{
		{"main.readItem", "readItem", true},
		{"github.com/x/y.v2/api.ReadItem", "ReadItem", true},
		{"github.com/x/api.(*Svc).Get-fm", "Get", true},
		{"github.com/x/api.Svc.Get", "Get", true},
		{"github.com/x/api.handle[...]", "handle", true},
		{"main.main.func1", "", false},
		{"main.main.func1.3", "", false},
		{"main.init.0", "", false},
		{"readItem", "readItem", true},
		{"", "", false},
	} {
		name, ok := handlerName(tt.full)
		equal(t, name, tt.name, tt.full)
		equal(t, ok, tt.ok, tt.full)
	}
	equal(t, summaryOf("readItem"), "Read Item")
	equal(t, summaryOf("read_item"), "Read Item")
	equal(t, summaryOf("GetHTTPStatus2"), "Get HTTP Status2")
	equal(t, summaryOf("listV2Items"), "List V2 Items")
	equal(t, snake("GetHTTPStatus"), "get_http_status")
	equal(t, snake("ID"), "id")
}

func TestParameters(t *testing.T) {
	op := Operation{
		Method: "GET", Pattern: "/orgs/{org}/files/{id:[0-9]+}/*", HandlerName: "m.getFile",
		Params: []Param{
			{Name: "X-Token", In: "header", Type: reflect.TypeFor[string](), Required: true, Description: "Auth token."},
			{Name: "limit", In: "query", Type: reflect.TypeFor[int](), Default: "10", HasDefault: true, Validate: "min=1,max=100"},
			{Name: "id", In: "path", Type: reflect.TypeFor[int64]()},
			{Name: "tags", In: "query", Type: reflect.TypeFor[[]string](), Validate: "max=5,dive,alpha"},
			{Name: "sort", In: "query", Type: reflect.TypeFor[*string](), Validate: "omitempty,oneof=asc desc"},
			{Name: "session", In: "cookie", Type: reflect.TypeFor[string]()},
			{Name: "*", In: "path", Type: reflect.TypeFor[string](), Description: "File path."},
			{Name: "limit", In: "query", Type: reflect.TypeFor[string]()},                // duplicate: first wins
			{Name: "sort", In: "query", Type: reflect.TypeFor[string](), Required: true}, // duplicate: required wins
			{Name: "limit", In: "header", Type: reflect.TypeFor[bool]()},                 // another "in": kept
			{Name: "strict", In: "query", Type: reflect.TypeFor[bool](), Validate: "required"},
			{Name: "ratio", In: "query", Type: reflect.TypeFor[float64](), Default: "0.5", HasDefault: true},
			{Name: "ids", In: "query", Type: reflect.TypeFor[[]int](), Default: "1,2", HasDefault: true},
			{Name: "untyped", In: "query"},
		},
	}
	doc := mustBuild(t, op)
	equal(t, fragment(t, doc, "paths", "/orgs/{org}/files/{id}/{wildcard}", "get", "parameters"), `[`+
		`{"name":"org","in":"path","required":true,"schema":{"type":"string"}},`+
		`{"name":"id","in":"path","required":true,"schema":{"type":"integer","format":"int64"}},`+
		`{"name":"wildcard","in":"path","required":true,"description":"File path.","schema":{"type":"string"}},`+
		`{"name":"limit","in":"query","required":false,"schema":{"type":"integer","format":"int64","minimum":1,"maximum":100,"default":10}},`+
		`{"name":"tags","in":"query","required":false,"schema":{"type":"array","items":{"type":"string","pattern":"^[a-zA-Z]+$"},"maxItems":5}},`+
		`{"name":"sort","in":"query","required":true,"schema":{"type":"string","enum":["asc","desc"]}},`+
		`{"name":"strict","in":"query","required":true,"schema":{"type":"boolean"}},`+
		`{"name":"ratio","in":"query","required":false,"schema":{"type":"number","format":"double","default":0.5}},`+
		`{"name":"ids","in":"query","required":false,"schema":{"type":"array","items":{"type":"integer","format":"int64"},"default":[1,2]}},`+
		`{"name":"untyped","in":"query","required":false,"schema":{"type":"string"}},`+
		`{"name":"X-Token","in":"header","required":true,"description":"Auth token.","schema":{"type":"string"}},`+
		`{"name":"limit","in":"header","required":false,"schema":{"type":"boolean"}},`+
		`{"name":"session","in":"cookie","required":false,"schema":{"type":"string"}}]`)

	// A wildcard param without a declared Param still gets documented.
	doc = mustBuild(t, Operation{Method: "GET", Pattern: "/static/*"})
	equal(t, fragment(t, doc, "paths", "/static/{wildcard}", "get", "parameters"),
		`[{"name":"wildcard","in":"path","required":true,"description":"The rest of the path, after the prefix (chi's \"*\" wildcard).","schema":{"type":"string"}}]`)

	_, err := Build(Info{}, []Operation{{Method: "GET", Pattern: "/items/{id}", Params: []Param{{Name: "item_id", In: "path"}}}})
	errContains(t, err, `path parameter "item_id" is not in the pattern (route GET /items/{id})`)
	_, err = Build(Info{}, []Operation{{Method: "GET", Pattern: "/", Params: []Param{{Name: "q", In: "body"}}}})
	errContains(t, err, `parameter "q" is in "body"`)
	_, err = Build(Info{}, []Operation{{Method: "GET", Pattern: "/", Params: []Param{{Name: "n", In: "query", Type: reflect.TypeFor[int](), Default: "x", HasDefault: true}}}})
	errContains(t, err, `parameter "n": default "x" is not a valid int`)
	_, err = Build(Info{}, []Operation{{Method: "GET", Pattern: "/", Params: []Param{{Name: "n", In: "query", Type: reflect.TypeFor[int](), Validate: "min=x"}}}})
	errContains(t, err, `validate rule "min=x" on int`)
}

type Pet struct {
	Name string `json:"name"`
}

func TestRequestBody(t *testing.T) {
	doc := mustBuild(t,
		Operation{Method: "POST", Pattern: "/pets", Body: reflect.TypeFor[*Pet](), BodyRequired: true},
		Operation{Method: "PATCH", Pattern: "/pets", Body: reflect.TypeFor[map[string]any]()},
		Operation{Method: "PUT", Pattern: "/pets", Body: reflect.TypeFor[[]Pet](), BodyRequired: true},
	)
	equal(t, fragment(t, doc, "paths", "/pets", "post", "requestBody"),
		`{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Pet"}}},"required":true}`)
	equal(t, fragment(t, doc, "paths", "/pets", "patch", "requestBody"),
		`{"content":{"application/json":{"schema":{"type":"object","additionalProperties":{}}}},"required":false}`)
	equal(t, fragment(t, doc, "paths", "/pets", "put", "requestBody"),
		`{"content":{"application/json":{"schema":{"type":"array","items":{"$ref":"#/components/schemas/Pet"}}}},"required":true}`)
	equal(t, fragment(t, doc, "components", "schemas", "Pet"),
		`{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}`)
}

type Problem struct {
	Code string `json:"code"`
}

func TestResponses(t *testing.T) {
	doc := mustBuild(t,
		Operation{Method: "GET", Pattern: "/a", Response: reflect.TypeFor[*Pet]()},
		Operation{Method: "POST", Pattern: "/a", Status: 201, Response: reflect.TypeFor[Pet](), CanFail422: true},
		Operation{Method: "DELETE", Pattern: "/a", Status: 204, Response: reflect.TypeFor[Pet]()},
		Operation{Method: "PUT", Pattern: "/a"},
		Operation{Method: "PATCH", Pattern: "/a", Response: reflect.TypeFor[string](), CanFail422: true, Responses: []Response{
			{Status: 404},
			{Status: 409, Description: "Conflict!", Type: reflect.TypeFor[Problem]()},
			{Status: 422, Description: "Custom validation", Type: reflect.TypeFor[Problem]()},
			{Status: 304},
			{Status: 299},
		}},
		Operation{Method: "GET", Pattern: "/b", Status: 202, Response: reflect.TypeFor[[]int](), Responses: []Response{
			{Status: 202, Description: "Accepted for later", Type: reflect.TypeFor[Problem]()}, // overrides the success one
		}},
	)
	equal(t, fragment(t, doc, "paths", "/a", "get", "responses"),
		`{"200":{"description":"Successful Response","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Pet"}}}}}`)
	equal(t, fragment(t, doc, "paths", "/a", "post", "responses"),
		`{"201":{"description":"Successful Response","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Pet"}}}},`+
			`"422":{"description":"Validation Error","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPValidationError"}}}}}`)
	equal(t, fragment(t, doc, "paths", "/a", "delete", "responses"), `{"204":{"description":"Successful Response"}}`)
	equal(t, fragment(t, doc, "paths", "/a", "put", "responses"), `{"200":{"description":"Successful Response"}}`)
	equal(t, fragment(t, doc, "paths", "/a", "patch", "responses"),
		`{"200":{"description":"Successful Response","content":{"application/json":{"schema":{"type":"string"}}}},`+
			`"299":{"description":"Response 299","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPError"}}}},`+
			`"304":{"description":"Not Modified"},`+
			`"404":{"description":"Not Found","content":{"application/json":{"schema":{"$ref":"#/components/schemas/HTTPError"}}}},`+
			`"409":{"description":"Conflict!","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Problem"}}}},`+
			`"422":{"description":"Custom validation","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}}`)
	equal(t, fragment(t, doc, "paths", "/b", "get", "responses"),
		`{"202":{"description":"Accepted for later","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Problem"}}}}}`)

	// The 422 components, exactly FastAPI's.
	equal(t, fragment(t, doc, "components", "schemas", "HTTPValidationError"),
		`{"title":"HTTPValidationError","type":"object","properties":{"detail":{"title":"Detail","type":"array","items":{"$ref":"#/components/schemas/ValidationError"}}}}`)
	equal(t, fragment(t, doc, "components", "schemas", "ValidationError"),
		`{"title":"ValidationError","type":"object","properties":{`+
			`"loc":{"title":"Location","type":"array","items":{"anyOf":[{"type":"string"},{"type":"integer"}]}},`+
			`"msg":{"title":"Message","type":"string"},`+
			`"type":{"title":"Error Type","type":"string"},`+
			`"input":{"title":"Input"},`+
			`"ctx":{"title":"Context","type":"object"}},`+
			`"required":["loc","msg","type"]}`)
	equal(t, fragment(t, doc, "components", "schemas", "HTTPError"),
		`{"title":"HTTPError","type":"object","properties":{"detail":{"description":"What went wrong: the detail given to brisk.Error, usually a string."}},"required":["detail"]}`)

	_, err := Build(Info{}, []Operation{{Method: "GET", Pattern: "/", Responses: []Response{{Status: 0}}}})
	errContains(t, err, "declared response status 0 is not an HTTP status")
}

func TestComponentsOnlyWhenUsed(t *testing.T) {
	doc := mustBuild(t, Operation{Method: "GET", Pattern: "/", Response: reflect.TypeFor[[]string]()})
	if strings.Contains(string(doc), "components") {
		t.Errorf("no component is used, got %s", doc)
	}
	// A custom 422 instead of the default one: no HTTPValidationError.
	doc = mustBuild(t, Operation{Method: "GET", Pattern: "/", CanFail422: true, Responses: []Response{{Status: 422, Type: reflect.TypeFor[Problem]()}}})
	equal(t, fragment(t, doc, "components"), `{"schemas":{"Problem":{"type":"object","properties":{"code":{"type":"string"}},"required":["code"]}}}`)
}

func TestPathsAndMethodsKeepRegistrationOrder(t *testing.T) {
	doc := mustBuild(t,
		Operation{Method: "POST", Pattern: "/z"},
		Operation{Method: "GET", Pattern: "/a"},
		Operation{Method: "GET", Pattern: "/z"},
		Operation{Method: "CONNECT", Pattern: "/tunnel"},
		Operation{Method: "PROPFIND", Pattern: "/a"},
		Operation{Method: "delete", Pattern: "/a"},
	)
	equal(t, fragment(t, doc, "paths"), `{`+
		`"/z":{"post":{"operationId":"z_post","responses":{"200":{"description":"Successful Response"}}},`+
		`"get":{"operationId":"z_get","responses":{"200":{"description":"Successful Response"}}}},`+
		`"/a":{"get":{"operationId":"a_get","responses":{"200":{"description":"Successful Response"}}},`+
		`"delete":{"operationId":"a_delete","responses":{"200":{"description":"Successful Response"}}}}}`)

	_, err := Build(Info{}, []Operation{
		{Method: "GET", Pattern: "/f/{id:[0-9]+}"},
		{Method: "GET", Pattern: "/f/{id:[a-z]+}"},
	})
	errContains(t, err, "GET /f/{id:[a-z]+}: another route is documented as GET /f/{id}")
}

func TestOperationMetadata(t *testing.T) {
	doc := mustBuild(t, Operation{
		Method: "GET", Pattern: "/m", HandlerName: "m.handler",
		Summary: "Sum", Description: "Long <b>text</b>.", Tags: []string{"b", "a"}, Deprecated: true,
	})
	equal(t, fragment(t, doc, "paths", "/m", "get"),
		`{"tags":["b","a"],"summary":"Sum","description":"Long <b>text</b>.","operationId":"handler_m_get","deprecated":true,"responses":{"200":{"description":"Successful Response"}}}`)
}

func TestBuildIsDeterministic(t *testing.T) {
	first, err := Build(Info{}, exampleOperations())
	noErr(t, err)
	for range 20 {
		again, err := Build(Info{}, exampleOperations())
		noErr(t, err)
		if string(again) != string(first) {
			t.Fatal("Build output differs between runs")
		}
	}
}
