// Examples in the document: from `example:"…"` tags on fields and
// parameters, and from route options (a parameter's, the request body's,
// a response's).

package openapi

import (
	"encoding/json"
	"fmt"

	"github.com/briskgo/brisk/internal/jsonwrite"
)

// Example is an example a route option gives: for a parameter (In is
// "path", "query", "header" or "cookie", with Name), the request body (In
// "body") or a response body (In "response", with Status; 0 is the success
// response).
type Example struct {
	In     string
	Name   string
	Status int
	Value  any
}

// withExamples returns a copy of s with v as its example (JSON Schema's
// "examples", the form OpenAPI 3.1 prefers in schemas).
func withExamples(s *Schema, v any) *Schema {
	c := *s
	c.Examples = []any{v}
	return &c
}

// exampleJSON is an example value as Brisk writes it on the wire.
func exampleJSON(v any) (json.RawMessage, error) {
	b, err := jsonwrite.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("openapi: example %v: %w", v, err)
	}
	return b, nil
}

// applyExamples puts the route's examples on its operation: a parameter's
// on the parameter ("example", which Dredd and Swagger UI read), a body's
// on its media type. An example for something the operation does not have
// is an error: a typo would otherwise be silently ignored.
func applyExamples(o *opObject, examples []Example) error {
	for _, ex := range examples {
		v, err := exampleJSON(ex.Value)
		if err != nil {
			return err
		}
		switch ex.In {
		case "path", "query", "header", "cookie":
			found := false
			for _, p := range o.Parameters {
				if p.In == ex.In && p.Name == ex.Name {
					p.Example, found = v, true
				}
			}
			if !found {
				return fmt.Errorf("openapi: example for %s parameter %q: the route has no such parameter", ex.In, ex.Name)
			}
		case "body":
			if o.RequestBody == nil {
				return fmt.Errorf("openapi: request body example: the route takes no body")
			}
			for ct, m := range o.RequestBody.Content {
				m.Example = v
				o.RequestBody.Content[ct] = m
			}
		case "response":
			r := o.Responses[fmt.Sprint(ex.Status)]
			if r == nil || len(r.Content) == 0 {
				return fmt.Errorf("openapi: response example for status %d: the route documents no body for it", ex.Status)
			}
			for ct, m := range r.Content {
				m.Example = v
				r.Content[ct] = m
			}
		default:
			return fmt.Errorf("openapi: example for %q: want path, query, header, cookie, body or response", ex.In)
		}
	}
	return nil
}
