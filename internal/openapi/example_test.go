package openapi

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/briskgo/brisk/internal/openapi/internal/other"
)

// The example API: the document the CI scripts lint with Redocly and turn
// into TypeScript (testdata/ts/client.ts is written against it).

// Item is an item for sale.
type Item struct {
	ID          int64             `json:"id"`
	Name        string            `json:"name" validate:"required,min=1,max=100" doc:"The display name."`
	Description *string           `json:"description,omitempty" validate:"omitempty,max=300"`
	Price       float64           `json:"price" validate:"gt=0"`
	Tax         *float64          `json:"tax" validate:"omitempty,gte=0,lte=100"`
	Tags        []string          `json:"tags" validate:"max=10,unique,dive,min=1,max=20"`
	Size        string            `json:"size" default:"M" validate:"oneof=S M L XL"`
	Quantity    uint              `json:"quantity" validate:"lte=1000"`
	Created     time.Time         `json:"created"`
	TTL         time.Duration     `json:"ttl,omitempty"`
	Owner       *User             `json:"owner,omitempty"`
	Attrs       map[string]string `json:"attrs,omitempty"`
	Thumbnail   []byte            `json:"thumbnail,omitempty"`
	Extra       json.RawMessage   `json:"extra,omitempty"`
	//lint:ignore U1000 unexported fields are not documented
	internal int
}

// User owns items.
type User struct {
	ID      string  `json:"id" validate:"required,uuid"`
	Email   string  `json:"email" validate:"required,email"`
	Website string  `json:"website,omitempty" validate:"omitempty,url"`
	Friends []*User `json:"friends,omitempty"`
}

// Audit is embedded, and flattened as encoding/json does.
type Audit struct {
	CreatedBy string    `json:"created_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ItemWithAudit embeds Item and Audit.
type ItemWithAudit struct {
	Item
	Audit
	Note any `json:"note"`
}

// Page is a generic page of results.
type Page[T any] struct {
	Items []T     `json:"items"`
	Total int     `json:"total"`
	Next  *string `json:"next"`
}

// Node is a recursive tree.
type Node struct {
	Name     string  `json:"name"`
	Children []*Node `json:"children"`
}

// Message is a simple reply.
type Message struct {
	Message string `json:"message"`
}

func exampleOperations() []Operation {
	typ := reflect.TypeFor[int]()
	return []Operation{
		{
			Method: "GET", Pattern: "/items", HandlerName: "example.com/shop.listItems",
			Tags: []string{"items"},
			Params: []Param{
				{Name: "limit", In: "query", Type: typ, Default: "10", HasDefault: true, Validate: "min=1,max=100", Description: "Page size."},
				{Name: "offset", In: "query", Type: typ, Default: "0", HasDefault: true, Validate: "gte=0"},
				{Name: "q", In: "query", Type: reflect.TypeFor[*string](), Validate: "omitempty,min=3"},
				{Name: "tag", In: "query", Type: reflect.TypeFor[[]string]()},
				{Name: "X-Request-ID", In: "header", Type: reflect.TypeFor[*string](), Validate: "omitempty,uuid"},
				{Name: "session", In: "cookie", Type: reflect.TypeFor[*string]()},
				{Name: "limit", In: "query", Type: typ}, // declared again by a dependency
			},
			Response:   reflect.TypeFor[Page[Item]](),
			CanFail422: true,
		},
		{
			Method: "POST", Pattern: "/items", HandlerName: "example.com/shop.createItem",
			Tags: []string{"items"}, Status: 201,
			Body: reflect.TypeFor[Item](), BodyRequired: true,
			Response:   reflect.TypeFor[Item](),
			CanFail422: true,
			Responses:  []Response{{Status: 409, Description: "Item already exists"}},
		},
		{
			Method: "GET", Pattern: "/items/{item_id:[0-9]+}", HandlerName: "example.com/shop.readItem",
			Tags:       []string{"items"},
			Params:     []Param{{Name: "item_id", In: "path", Type: reflect.TypeFor[int64]()}},
			Response:   reflect.TypeFor[ItemWithAudit](),
			CanFail422: true,
			Responses:  []Response{{Status: 404, Description: "Item not found"}},
		},
		{
			Method: "PUT", Pattern: "/items/{item_id:[0-9]+}", HandlerName: "example.com/shop.(*Service).Replace-fm",
			OperationID: "replaceItem", Summary: "Replace an item", Description: "Replaces the whole item.",
			Tags:   []string{"items"},
			Params: []Param{{Name: "item_id", In: "path", Type: reflect.TypeFor[int64]()}},
			Body:   reflect.TypeFor[*Item](), BodyRequired: true,
			Response: reflect.TypeFor[*Item](), CanFail422: true,
		},
		{
			Method: "DELETE", Pattern: "/items/{item_id:[0-9]+}", HandlerName: "example.com/shop.deleteItem",
			Tags: []string{"items"}, Deprecated: true, Status: 204,
			Params:     []Param{{Name: "item_id", In: "path", Type: reflect.TypeFor[int64]()}},
			CanFail422: true,
		},
		{
			Method: "GET", Pattern: "/users/{id}/friends", HandlerName: "example.com/shop.main.func3",
			Response: reflect.TypeFor[[]User](),
		},
		{
			Method: "GET", Pattern: "/tree", HandlerName: "example.com/shop.tree",
			Response: reflect.TypeFor[Node](),
		},
		{
			Method: "GET", Pattern: "/legacy/items", HandlerName: "example.com/shop.legacyItems",
			Response:  reflect.TypeFor[map[string]other.Item](),
			Responses: []Response{{Status: 400, Description: "Bad input", Type: reflect.TypeFor[other.ValidationError]()}},
		},
		{
			Method: "GET", Pattern: "/static/*", HandlerName: "example.com/shop.main.func4",
			Response: reflect.TypeFor[Message](),
		},
	}
}

// BRISK_OPENAPI_OUT=path writes the example document there (the CI scripts
// lint it and compile TypeScript against it); -update rewrites the golden
// file.
var update = flag.Bool("update", false, "rewrite testdata/example.openapi.json")

func TestExampleDocument(t *testing.T) {
	doc, err := Build(Info{Title: "Shop", Version: "1.2.3", Description: "An example shop."}, exampleOperations())
	noErr(t, err)
	again, err := Build(Info{Title: "Shop", Version: "1.2.3", Description: "An example shop."}, exampleOperations())
	noErr(t, err)
	equal(t, string(again), string(doc), "Build must be deterministic")

	var pretty bytes.Buffer
	noErr(t, json.Indent(&pretty, doc, "", "  "))
	pretty.WriteByte('\n')
	if out := os.Getenv("BRISK_OPENAPI_OUT"); out != "" {
		noErr(t, os.WriteFile(out, pretty.Bytes(), 0o644))
	}
	golden := filepath.Join("testdata", "example.openapi.json")
	if *update {
		noErr(t, os.WriteFile(golden, pretty.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	noErr(t, err)
	equal(t, pretty.String(), string(want), "run go test ./internal/openapi -run TestExampleDocument -update to accept")
}
