package openapi

import (
	"reflect"
	"testing"
	"time"
)

type orderUUID [16]byte

func (o *orderUUID) UnmarshalText([]byte) error { return nil }
func (o orderUUID) MarshalText() ([]byte, error) {
	return []byte("00000000-0000-0000-0000-000000000000"), nil
}

type hash16 [16]byte // a 16-byte text type that is no UUID

func (h hash16) MarshalText() ([]byte, error) { return []byte("00"), nil }

// Numbers carry the format that holds them, UUID types "format": "uuid",
// durations are seconds.
func TestFormats(t *testing.T) {
	for _, tt := range []struct {
		typ  reflect.Type
		want string
	}{
		{reflect.TypeFor[int32](), `{"type":"integer","format":"int32"}`},
		{reflect.TypeFor[int64](), `{"type":"integer","format":"int64"}`},
		{reflect.TypeFor[uint32](), `{"type":"integer","format":"int64","minimum":0,"maximum":4294967295}`},
		{reflect.TypeFor[uint64](), `{"type":"integer","minimum":0}`},
		{reflect.TypeFor[float64](), `{"type":"number","format":"double"}`},
		{reflect.TypeFor[float32](), `{"type":"number","format":"float"}`},
		{reflect.TypeFor[orderUUID](), `{"type":"string","format":"uuid"}`},
		{reflect.TypeFor[hash16](), `{"type":"string"}`},
		{reflect.TypeFor[time.Duration](), `{"type":"number"}`},
	} {
		got, _ := schemaJSON(t, tt.typ, "")
		equal(t, got, tt.want, tt.typ.String())
	}
	got, _ := schemaJSON(t, reflect.TypeFor[time.Duration](), "min=1s,max=1m30s")
	equal(t, got, `{"type":"number","minimum":1,"maximum":90}`)
	got, _ = schemaJSON(t, reflect.TypeFor[int8](), "gt=0")
	equal(t, got, `{"type":"integer","format":"int32","exclusiveMinimum":0,"maximum":127}`)
}

// An integer path parameter with a chi expression is described by its
// type (a pattern applies to strings only); a string one keeps the pattern.
func TestPathPatternOnStringsOnly(t *testing.T) {
	doc := mustBuild(t, Operation{Method: "GET", Pattern: "/a/{id:[0-9]+}/{slug:[a-z]+}", Params: []Param{
		{Name: "id", In: "path", Type: reflect.TypeFor[int]()},
		{Name: "slug", In: "path", Type: reflect.TypeFor[string]()},
	}})
	equal(t, fragment(t, doc, "paths", "/a/{id}/{slug}", "get", "parameters"),
		`[{"name":"id","in":"path","required":true,"schema":{"type":"integer","format":"int64"}},`+
			`{"name":"slug","in":"path","required":true,"schema":{"type":"string","pattern":"^[a-z]+$"}}]`)
}

// Accept, Content-Type and Authorization are never header parameters.
func TestReservedHeadersLeftOut(t *testing.T) {
	doc := mustBuild(t, Operation{Method: "GET", Pattern: "/", Params: []Param{
		{Name: "Authorization", In: "header", Required: true},
		{Name: "content-type", In: "header"},
		{Name: "Accept", In: "header"},
		{Name: "X-Key", In: "header"},
	}})
	equal(t, fragment(t, doc, "paths", "/", "get", "parameters"), `[{"name":"X-Key","in":"header","required":false,"schema":{"type":"string"}}]`)
}

// A request model written as JSON keeps its query field's default as the
// parameter reads it (comma-separated), not as JSON.
func TestSourceTaggedDefault(t *testing.T) {
	type Filter struct {
		Tags  []string `query:"tags" default:"foo,bar" example:"a,b"`
		Limit int      `query:"limit" default:"10"`
	}
	_, comps := schemaJSON(t, reflect.TypeFor[Filter](), "")
	equal(t, comps["Filter"], `{"type":"object","properties":{`+
		`"Tags":{"type":"array","items":{"type":"string"},"default":["foo","bar"],"examples":[["a","b"]]},`+
		`"Limit":{"type":"integer","format":"int64","default":10}}}`)
}

// `example` tags and route options put examples in the document; an
// example for something the route lacks is an error.
func TestExamples(t *testing.T) {
	type Item struct {
		Name  string  `json:"name" example:"Widget"`
		Price float64 `json:"price" example:"9.5"`
	}
	op := Operation{
		Method: "POST", Pattern: "/items/{id}", Body: reflect.TypeFor[Item](), BodyRequired: true,
		Response: reflect.TypeFor[Item](),
		Params: []Param{
			{Name: "id", In: "path", Type: reflect.TypeFor[int](), Example: "7", HasExample: true},
			{Name: "when", In: "query", Type: reflect.TypeFor[time.Time](), Example: "2024-01-02", HasExample: true},
		},
		Examples: []Example{
			{In: "body", Value: Item{Name: "Gadget", Price: 1}},
			{In: "response", Value: Item{Name: "Gadget", Price: 1}},
		},
		Responses: []Response{{Status: 404, Description: "Not found", Headers: []Header{{Name: "x-trace", Description: "Trace ID."}}}},
	}
	doc := mustBuild(t, op)
	equal(t, fragment(t, doc, "paths", "/items/{id}", "post", "parameters"),
		`[{"name":"id","in":"path","required":true,"schema":{"type":"integer","format":"int64"},"example":7},`+
			`{"name":"when","in":"query","required":false,"schema":{"type":"string","format":"date-time"},"example":"2024-01-02"}]`)
	equal(t, fragment(t, doc, "paths", "/items/{id}", "post", "requestBody", "content", "application/json", "example"), `{"name":"Gadget","price":1}`)
	equal(t, fragment(t, doc, "paths", "/items/{id}", "post", "responses", "200", "content", "application/json", "example"), `{"name":"Gadget","price":1}`)
	equal(t, fragment(t, doc, "paths", "/items/{id}", "post", "responses", "404", "headers"), `{"X-Trace":{"description":"Trace ID.","schema":{"type":"string"}}}`)
	equal(t, fragment(t, doc, "components", "schemas", "Item"), `{"type":"object","properties":{`+
		`"name":{"type":"string","examples":["Widget"]},"price":{"type":"number","format":"double","examples":[9.5]}},"required":["name","price"]}`)

	for _, ex := range []Example{{In: "query", Name: "nope", Value: 1}, {In: "response", Status: 500, Value: 1}, {In: "cookie", Name: "x", Value: 1}} {
		_, err := Build(Info{}, []Operation{{Method: "GET", Pattern: "/", Examples: []Example{ex}}})
		errContains(t, err, "example")
	}
}

// A declared response may have another media type: text is a string, other
// bytes have no schema, a JSON type keeps its schema.
func TestResponseContentTypes(t *testing.T) {
	doc := mustBuild(t, Operation{Method: "GET", Pattern: "/", Responses: []Response{
		{Status: 200, ContentType: "text/html"},
		{Status: 201, ContentType: "image/png", Type: reflect.TypeFor[[]byte]()},
		{Status: 202, ContentType: "application/problem+json", Type: reflect.TypeFor[struct {
			Title string `json:"title"`
		}]()},
	}})
	equal(t, fragment(t, doc, "paths", "/", "get", "responses", "200", "content"), `{"text/html":{"schema":{"type":"string"}}}`)
	equal(t, fragment(t, doc, "paths", "/", "get", "responses", "201", "content"), `{"image/png":{}}`)
	equal(t, fragment(t, doc, "paths", "/", "get", "responses", "202", "content"),
		`{"application/problem+json":{"schema":{"type":"object","properties":{"title":{"type":"string"}},"required":["title"]}}}`)
}
