// Package problem holds the shape of Brisk's client-error details, the
// FastAPI/pydantic v2 shape: {"type", "loc", "msg", "input", "ctx"}.
package problem

// Item is one failing input in a 422 response's "detail" list.
//
// Loc starts with where the value came from ("path", "query", "header",
// "cookie" or "body"), followed by the names on the wire (JSON names, query
// keys) and integer indexes into lists; never Go field names.
type Item struct {
	Type  string         `json:"type"`
	Loc   []any          `json:"loc"`
	Msg   string         `json:"msg"`
	Input any            `json:"input"`
	Ctx   map[string]any `json:"ctx,omitempty"`
}

// Detail is the body of a 422 response.
type Detail struct {
	Detail []Item `json:"detail"`
}

// Missing reports a required value that the request did not carry.
// input is what pydantic reports: nil for parameters, the enclosing JSON
// object for a missing body field.
func Missing(input any, loc ...any) Item {
	return Item{Type: "missing", Loc: loc, Msg: "Field required", Input: input}
}
