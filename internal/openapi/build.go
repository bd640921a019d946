// Building the document: its objects (info, paths, operations, parameters,
// bodies, responses, components) in a fixed key order, from the routes.

package openapi

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/httpstatus"
)

// Defaults of the document's "info" when Info leaves them empty.
const (
	DefaultTitle   = "Brisk"
	DefaultVersion = "0.1.0"
)

// WildcardName is the OpenAPI name of chi's catch-all parameter "*": the
// pattern "/static/*" is documented as "/static/{wildcard}". (OpenAPI path
// templates need a named parameter; "{*}" is not one.) If the pattern
// already has a parameter of that name, underscores are appended.
const WildcardName = "wildcard"

// document is the OpenAPI 3.1 root object.
type document struct {
	OpenAPI      string                        `json:"openapi"`
	Info         infoObject                    `json:"info"`
	Servers      []Server                      `json:"servers,omitempty"`
	Paths        *ordered[*ordered[*opObject]] `json:"paths"`
	Webhooks     *ordered[*ordered[*opObject]] `json:"webhooks,omitempty"`
	Components   *componentsObject             `json:"components,omitempty"`
	Tags         []Tag                         `json:"tags,omitempty"`
	ExternalDocs *ExternalDocs                 `json:"externalDocs,omitempty"`
}

type infoObject struct {
	Title          string   `json:"title"`
	Summary        string   `json:"summary,omitempty"`
	Description    string   `json:"description,omitempty"`
	TermsOfService string   `json:"termsOfService,omitempty"`
	Contact        *Contact `json:"contact,omitempty"`
	License        *License `json:"license,omitempty"`
	Version        string   `json:"version"`
}

type componentsObject struct {
	Schemas         map[string]*Schema        `json:"schemas,omitempty"`
	SecuritySchemes map[string]SecurityScheme `json:"securitySchemes,omitempty"`
}

type opObject struct {
	Tags        []string                   `json:"tags,omitempty"`
	Summary     string                     `json:"summary,omitempty"`
	Description string                     `json:"description,omitempty"`
	OperationID string                     `json:"operationId"`
	Deprecated  bool                       `json:"deprecated,omitempty"`
	Parameters  []*paramObject             `json:"parameters,omitempty"`
	RequestBody *requestBodyObject         `json:"requestBody,omitempty"`
	Responses   map[string]*responseObject `json:"responses"`
	Security    *[]map[string][]string     `json:"security,omitempty"` // nil: none; empty: public on purpose
}

type paramObject struct {
	Name        string          `json:"name"`
	In          string          `json:"in"`
	Required    bool            `json:"required"`
	Description string          `json:"description,omitempty"`
	Schema      *Schema         `json:"schema"`
	Example     json.RawMessage `json:"example,omitempty"`
}

type requestBodyObject struct {
	Content  map[string]mediaObject `json:"content"`
	Required bool                   `json:"required"`
}

type responseObject struct {
	Description string                   `json:"description"`
	Headers     map[string]*headerObject `json:"headers,omitempty"`
	Content     map[string]mediaObject   `json:"content,omitempty"`
}

type headerObject struct {
	Description string          `json:"description,omitempty"`
	Schema      *Schema         `json:"schema"`
	Example     json.RawMessage `json:"example,omitempty"`
}

type mediaObject struct {
	Schema *Schema `json:"schema,omitempty"`
	// ItemSchema describes each item of a streamed body (JSON Lines,
	// Server-Sent Events), as OpenAPI 3.2 and FastAPI write it.
	ItemSchema *Schema         `json:"itemSchema,omitempty"`
	Example    json.RawMessage `json:"example,omitempty"`
}

// ordered is a JSON object that keeps insertion order.
type ordered[V any] struct {
	keys []string
	vals map[string]V
}

func newOrdered[V any]() *ordered[V] { return &ordered[V]{vals: map[string]V{}} }

func (o *ordered[V]) get(k string) (V, bool) {
	v, ok := o.vals[k]
	return v, ok
}

func (o *ordered[V]) set(k string, v V) {
	if o.vals == nil {
		o.vals = map[string]V{} // the zero ordered is ready to use
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

// MarshalJSON writes the entries in insertion order.
func (o *ordered[V]) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, err := Marshal(k)
		if err != nil {
			return nil, err
		}
		vb, err := Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// Build returns the OpenAPI 3.1.0 document (compact JSON) describing ops.
//
// The output is deterministic: the same input gives the same bytes. Paths
// appear in the order of their first operation in ops, a path's operations
// in the order given; parameters are grouped path, query, header, cookie,
// each in discovery order (path parameters in pattern order); components,
// responses and other maps are sorted by key.
//
// Operations whose method OpenAPI 3.1 has no field for (CONNECT, custom
// methods) are left out. Build fails on programming errors: two operations
// with the same explicit OperationID, two routes that document as the same
// path and method, a path parameter the pattern does not name, a `default`
// or `validate` parameter that does not parse for its type, or a type that
// encoding/json cannot write (channels, funcs, complex numbers).
func Build(info Info, ops []Operation) ([]byte, error) {
	if info.Title == "" {
		info.Title = DefaultTitle
	}
	if info.Version == "" {
		info.Version = DefaultVersion
	}
	g := newGenerator()
	for _, op := range ops {
		g.collect(op.Body)
		g.collect(op.Response)
		for _, r := range op.Responses {
			g.collect(r.Type)
		}
		if op.ValidationResponse != nil {
			g.collect(op.ValidationResponse.Type)
		}
	}
	g.assignNames()
	g.problem = problemName
	for _, n := range g.names {
		if n == problemName {
			g.problem = "brisk_" + problemName // a user type has the name
		}
	}

	ids, err := operationIDs(ops)
	if err != nil {
		return nil, err
	}
	doc := document{
		OpenAPI: "3.1.0",
		Info: infoObject{Title: info.Title, Summary: info.Summary, Description: info.Description,
			TermsOfService: info.TermsOfService, Contact: info.Contact, License: info.License, Version: info.Version},
		Servers:      info.Servers,
		Paths:        newOrdered[*ordered[*opObject]](),
		Tags:         info.Tags,
		ExternalDocs: info.ExternalDocs,
	}
	var uses422, usesHTTPError, usesProblem bool
	var security securityNames
	for i, op := range ops {
		method := strings.ToLower(op.Method)
		if !openAPIMethod(method) {
			continue
		}
		path, vars, err := translatePattern(op.Pattern)
		if err != nil {
			return nil, err
		}
		items := doc.Paths
		if op.Webhook {
			if doc.Webhooks == nil {
				doc.Webhooks = newOrdered[*ordered[*opObject]]()
			}
			items = doc.Webhooks
		}
		item, ok := items.get(path)
		if !ok {
			item = newOrdered[*opObject]()
			items.set(path, item)
		}
		if _, dup := item.get(method); dup {
			return nil, fmt.Errorf("openapi: %s %s: another route is documented as %s %s", op.Method, op.Pattern, op.Method, path)
		}
		o, err := g.operation(op, ids[i], vars)
		if err != nil {
			return nil, fmt.Errorf("%w (route %s %s)", err, op.Method, op.Pattern)
		}
		if o.Security, err = security.requirements(op.Security, op.Public); err != nil {
			return nil, err
		}
		for _, r := range o.Responses {
			if m, ok := r.Content["application/json"]; ok {
				uses422 = uses422 || m.Schema.Ref == refPrefix+httpValidationErrorName
				usesHTTPError = usesHTTPError || m.Schema.Ref == refPrefix+httpErrorName
			}
			if _, ok := r.Content[problemMedia]; ok {
				usesProblem = true
			}
		}
		item.set(method, o)
	}
	if uses422 {
		g.components[validationErrorName] = validationErrorSchema()
		g.components[httpValidationErrorName] = httpValidationErrorSchema()
	}
	if usesHTTPError {
		g.components[httpErrorName] = httpErrorSchema()
	}
	if usesProblem {
		g.components[validationErrorName] = validationErrorSchema()
		g.components[g.problem] = problemSchema()
	}
	if len(g.components) > 0 || len(security.schemes) > 0 {
		doc.Components = &componentsObject{Schemas: g.components, SecuritySchemes: security.schemes}
	}
	return Marshal(doc)
}

func openAPIMethod(m string) bool {
	switch m {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace":
		return true
	}
	return false
}

// pathVar is one parameter of a chi pattern.
type pathVar struct {
	name    string // the OpenAPI name
	chiName string // the name chi knows it by ("*" for the wildcard)
	regex   string // the anchored regular expression, or ""
}

// translatePattern turns a chi pattern into an OpenAPI path template:
// "{id:[0-9]+}" becomes "{id}" (the expression is kept, anchored as chi
// anchors it, for the parameter's "pattern"), and a trailing "*" becomes
// "{wildcard}".
func translatePattern(pattern string) (string, []pathVar, error) {
	var b strings.Builder
	var vars []pathVar
	wildcard := false
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '{':
			depth, j := 0, i
			for ; j < len(pattern); j++ {
				if pattern[j] == '{' {
					depth++
				} else if pattern[j] == '}' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			if j == len(pattern) {
				return "", nil, fmt.Errorf("openapi: pattern %q: unclosed '{'", pattern)
			}
			name, regex, _ := strings.Cut(pattern[i+1:j], ":")
			if name == "" {
				return "", nil, fmt.Errorf("openapi: pattern %q: a parameter has no name", pattern)
			}
			if regex != "" {
				if regex[0] != '^' {
					regex = "^" + regex
				}
				if regex[len(regex)-1] != '$' {
					regex += "$"
				}
			}
			vars = append(vars, pathVar{name: name, chiName: name, regex: regex})
			b.WriteString("{" + name + "}")
			i = j
		case '*':
			wildcard = true
			vars = append(vars, pathVar{chiName: "*"})
			b.WriteString("{\x00}") // named below, once all names are known
		default:
			b.WriteByte(c)
		}
	}
	path := b.String()
	if wildcard {
		name := WildcardName
		for taken := true; taken; {
			taken = false
			for _, v := range vars {
				if v.name == name {
					taken = true
					name += "_"
				}
			}
		}
		for i := range vars {
			if vars[i].chiName == "*" {
				vars[i].name = name
			}
		}
		path = strings.ReplaceAll(path, "{\x00}", "{"+name+"}")
	}
	return path, vars, nil
}

// operation builds one operation object.
func (g *generator) operation(op Operation, id string, vars []pathVar) (*opObject, error) {
	o := &opObject{
		Tags:        op.Tags,
		Summary:     op.Summary,
		Description: op.Description,
		OperationID: id,
		Deprecated:  op.Deprecated,
		Responses:   map[string]*responseObject{},
	}
	if o.Summary == "" {
		if name, ok := handlerName(op.HandlerName); ok {
			o.Summary = summaryOf(name)
		}
	}
	params, err := g.parameters(op.Params, vars, op.Security)
	if err != nil {
		return nil, err
	}
	o.Parameters = params
	if op.Body != nil {
		s, err := g.schema(deref(op.Body), nil)
		if err != nil {
			return nil, err
		}
		o.RequestBody = &requestBodyObject{
			Content:  map[string]mediaObject{"application/json": {Schema: s}},
			Required: op.BodyRequired,
		}
	}
	if op.RawBody {
		o.RequestBody = &requestBodyObject{Content: map[string]mediaObject{"application/octet-stream": {Schema: fileSchema()}}}
	}
	if len(op.Form) > 0 {
		rb, err := g.formBody(op.Form, id)
		if err != nil {
			return nil, err
		}
		o.RequestBody = rb
	}

	status := op.Status
	if status == 0 {
		status = http.StatusOK
	}
	success := &responseObject{Description: "Successful Response"}
	if op.Stream != "" {
		if success.Content, err = g.streamContent(op); err != nil {
			return nil, err
		}
	} else if op.Response != nil && httpstatus.BodyAllowed(status) {
		// A pointer result is its element: Brisk answers 500, not null, when
		// a handler returns a nil one without an error (as FastAPI does when
		// a result fails its response_model).
		s, err := g.schema(deref(op.Response), nil)
		if err != nil {
			return nil, err
		}
		success.Content = map[string]mediaObject{"application/json": {Schema: s}}
	}
	o.Responses[strconv.Itoa(status)] = success
	responses := op.Responses
	if op.ValidationResponse != nil && op.CanFail422 {
		responses = append(slices.Clone(responses), *op.ValidationResponse)
	}
	for _, r := range responses {
		if r.Status < 100 || r.Status > 599 {
			return nil, fmt.Errorf("openapi: declared response status %d is not an HTTP status", r.Status)
		}
		ro := &responseObject{Description: r.Description}
		if ro.Description == "" {
			ro.Description = http.StatusText(r.Status)
		}
		if ro.Description == "" {
			ro.Description = "Response " + strconv.Itoa(r.Status)
		}
		if httpstatus.BodyAllowed(r.Status) {
			if op.ProblemDetails && r.Type == nil && (r.ContentType == "" || isJSONMedia(r.ContentType)) && r.Status >= 400 {
				ro.Content = g.problemContent()
			} else if ro.Content, err = g.responseContent(r); err != nil {
				return nil, err
			}
		}
		if ro.Headers, err = g.responseHeaders(r.Headers); err != nil {
			return nil, err
		}
		o.Responses[strconv.Itoa(r.Status)] = ro
	}
	for i := range op.Examples {
		if op.Examples[i].In == "response" && op.Examples[i].Status == 0 {
			op.Examples[i].Status = status
		}
	}
	if err := applyExamples(o, op.Examples); err != nil {
		return nil, err
	}
	if _, declared := o.Responses["422"]; op.CanFail422 && !declared && op.ValidationResponse == nil {
		content := map[string]mediaObject{"application/json": {
			Schema: &Schema{Ref: refPrefix + httpValidationErrorName},
		}}
		if op.ProblemDetails {
			content = g.problemContent()
		}
		o.Responses["422"] = &responseObject{Description: "Validation Error", Content: content}
	}
	return o, nil
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// parameters deduplicates and orders an operation's parameters: path (in
// pattern order), query, header, cookie (each in discovery order). The
// first declaration of an (in, name) pair gives its schema; it is required
// if any declaration is.
func (g *generator) parameters(params []Param, vars []pathVar, security []Security) ([]*paramObject, error) {
	type key struct{ in, name string }
	byKey := map[key]*paramObject{}
	groups := map[string][]*paramObject{}
	for _, p := range params {
		name := p.Name
		switch p.In {
		case "path":
			found := false
			for _, v := range vars {
				if v.chiName == name || (v.chiName == "*" && name == v.name) {
					name, found = v.name, true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("openapi: path parameter %q is not in the pattern", p.Name)
			}
		case "header":
			if reservedHeader(name) || isCredential(security, p.In, name) {
				continue
			}
		case "query", "cookie":
			if isCredential(security, p.In, name) {
				continue
			}
		default:
			return nil, fmt.Errorf("openapi: parameter %q is in %q; want path, query, header or cookie", p.Name, p.In)
		}
		rules := parseRules(p.Validate)
		here, _ := splitDive(rules)
		required := p.Required || p.In == "path" || hasRule(here, "required")
		k := key{p.In, name}
		if prev, ok := byKey[k]; ok {
			prev.Required = prev.Required || required
			continue
		}
		t := p.Type
		if t == nil {
			t = reflect.TypeFor[string]()
		}
		s, err := g.paramSchema(t, rules)
		if err != nil {
			return nil, fmt.Errorf("%w (parameter %q)", err, p.Name)
		}
		if p.HasDefault {
			v, err := paramDefault(t, p.Default, s)
			if err != nil {
				return nil, fmt.Errorf("openapi: parameter %q: %w", p.Name, err)
			}
			s = withExtra(s, v, "")
		}
		po := &paramObject{Name: name, In: p.In, Required: required, Description: p.Description, Schema: s}
		if p.HasExample {
			v, err := paramDefault(t, p.Example, s) // read as the default is
			if err != nil {
				return nil, fmt.Errorf("openapi: parameter %q: example: %w", p.Name, err)
			}
			if po.Example, err = Marshal(v); err != nil {
				return nil, err
			}
		}
		byKey[k] = po
		groups[p.In] = append(groups[p.In], po)
	}
	var out []*paramObject
	for _, v := range vars {
		po, ok := byKey[key{"path", v.name}]
		if !ok {
			po = &paramObject{Name: v.name, In: "path", Required: true, Schema: &Schema{Type: "string"}}
		}
		if v.regex != "" && po.Schema.Type == "string" {
			// chi matches the expression; JSON Schema's pattern applies to
			// strings only, so a number is described by its type alone.
			s := *po.Schema
			addPattern(&s, v.regex)
			po.Schema = &s
		}
		if v.chiName == "*" && po.Description == "" {
			po.Description = `The rest of the path, after the prefix (chi's "*" wildcard).`
		}
		out = append(out, po)
	}
	for _, in := range []string{"query", "header", "cookie"} {
		out = append(out, groups[in]...)
	}
	return out, nil
}

// paramSchema is the schema of a parameter of type t: a pointer is just
// optional (not nullable), a slice is an array of its values, and values
// are described as they are written on the wire, so times, durations and
// types with UnmarshalText are strings.
func (g *generator) paramSchema(t reflect.Type, rules []string) (*Schema, error) {
	t = deref(t)
	here, dive := splitDive(rules)
	var s *Schema
	switch {
	case t == reflect.TypeFor[time.Time]():
		s = &Schema{Type: "string", Format: "date-time"}
	case t == reflect.TypeFor[time.Duration](), reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextUnmarshaler]()):
		s = &Schema{Type: "string"}
		if decode.IsUUID(t) {
			s.Format = "uuid"
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8:
		items, err := g.paramSchema(t.Elem(), dive)
		if err != nil {
			return nil, err
		}
		s = &Schema{Type: "array", Items: items}
	default:
		return g.schema(t, rules)
	}
	if err := applyRules(s, t, here); err != nil {
		return nil, err
	}
	return s, nil
}

// operationIDs returns each operation's operationId: the explicit one, or
// one derived as FastAPI does, "<handler>_<path>_<method>" in snake case
// ("read_item_items__item_id__get"; "items__item_id__get" for an anonymous
// handler), made unique with "_2", "_3", … in the order of ops. Explicit
// IDs are reserved first and must be unique.
func operationIDs(ops []Operation) ([]string, error) {
	ids := make([]string, len(ops))
	taken := map[string]bool{}
	for i, op := range ops {
		if op.OperationID == "" {
			continue
		}
		if taken[op.OperationID] {
			return nil, fmt.Errorf("openapi: operationId %q is used by more than one route (%s %s among them)", op.OperationID, op.Method, op.Pattern)
		}
		taken[op.OperationID] = true
		ids[i] = op.OperationID
	}
	for i, op := range ops {
		if ids[i] != "" {
			continue
		}
		path, _, err := translatePattern(op.Pattern)
		if err != nil {
			return nil, err
		}
		base := strings.ToLower(op.Method)
		if name, ok := handlerName(op.HandlerName); ok {
			base = nonWord(snake(name)+path) + "_" + base
		} else if p := strings.TrimPrefix(nonWord(path), "_"); p != "" {
			base = p + "_" + base
		}
		id := base
		for n := 2; taken[id]; n++ {
			id = base + "_" + strconv.Itoa(n)
		}
		taken[id] = true
		ids[i] = id
	}
	return ids, nil
}

// nonWord replaces every character other than ASCII letters, digits and
// "_" with "_" (Python's re.sub(r"\W", "_", …) for ASCII input).
func nonWord(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c)) || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// handlerName extracts a named function's name from a runtime function
// name ("example.com/app.readItem" → "readItem", "app.(*Svc).Get-fm" →
// "Get"); ok is false for closures ("app.main.func1") and empty names.
func handlerName(full string) (string, bool) {
	name := strings.ReplaceAll(full, "[...]", "")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSuffix(name, "-fm")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "" || strings.HasPrefix(name, "func") && isDigits(name[4:]) || isDigits(name) {
		return "", false
	}
	for _, c := range name {
		if !(unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_') {
			return "", false
		}
	}
	return name, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// words splits an identifier into words at underscores and case changes:
// "getHTTPStatus" → ["get", "HTTP", "Status"].
func words(name string) []string {
	var out []string
	rs := []rune(name)
	start := 0
	flush := func(end int) {
		if end > start {
			out = append(out, string(rs[start:end]))
		}
	}
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if c == '_' {
			flush(i)
			start = i + 1
			continue
		}
		if i > start && unicode.IsUpper(c) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				flush(i)
				start = i
			}
		}
	}
	flush(len(rs))
	return out
}

// snake is name in snake case: "readItem" → "read_item".
func snake(name string) string {
	return strings.ToLower(strings.Join(words(name), "_"))
}

// summaryOf is FastAPI's summary for a handler: its name's words,
// capitalised ("readItem" → "Read Item", "getHTTPStatus" → "Get HTTP Status").
func summaryOf(name string) string {
	ws := words(name)
	for i, w := range ws {
		rs := []rune(w)
		rs[0] = unicode.ToUpper(rs[0])
		ws[i] = string(rs)
	}
	return strings.Join(ws, " ")
}

// validationErrorSchema is FastAPI's (0.115+) ValidationError component.
func validationErrorSchema() *Schema {
	props := &Properties{}
	props.Set("loc", &Schema{Title: "Location", Type: "array", Items: &Schema{AnyOf: []*Schema{{Type: "string"}, {Type: "integer"}}}})
	props.Set("msg", &Schema{Title: "Message", Type: "string"})
	props.Set("type", &Schema{Title: "Error Type", Type: "string"})
	props.Set("input", &Schema{Title: "Input"})
	props.Set("ctx", &Schema{Title: "Context", Type: "object"})
	return &Schema{Title: "ValidationError", Type: "object", Properties: props, Required: []string{"loc", "msg", "type"}}
}

// httpValidationErrorSchema is FastAPI's HTTPValidationError component.
func httpValidationErrorSchema() *Schema {
	props := &Properties{}
	props.Set("detail", &Schema{Title: "Detail", Type: "array", Items: &Schema{Ref: refPrefix + validationErrorName}})
	return &Schema{Title: "HTTPValidationError", Type: "object", Properties: props}
}

// problemMedia is RFC 9457's media type.
const problemMedia = "application/problem+json"

// problemContent is the content of an answer brisk.ProblemDetails makes.
func (g *generator) problemContent() map[string]mediaObject {
	return map[string]mediaObject{problemMedia: {Schema: &Schema{Ref: refPrefix + g.problem}}}
}

// problemSchema is brisk.Problem, an RFC 9457 problem details object.
func problemSchema() *Schema {
	props := &Properties{}
	props.Set("type", &Schema{Title: "Type", Type: "string", Format: "uri-reference", Description: `A URI naming the problem type; "about:blank" when the status says it all.`})
	props.Set("title", &Schema{Title: "Title", Type: "string"})
	props.Set("status", &Schema{Title: "Status", Type: "integer"})
	props.Set("detail", &Schema{Title: "Detail", Type: "string"})
	props.Set("instance", &Schema{Title: "Instance", Type: "string", Format: "uri-reference"})
	props.Set("errors", &Schema{Title: "Errors", Type: "array", Items: &Schema{Ref: refPrefix + validationErrorName},
		Description: "Each failing input of a 422."})
	props.Set("data", &Schema{Title: "Data", Description: "The error's detail when it is not a string."})
	return &Schema{Title: "ProblemDetails", Type: "object", Properties: props, Required: []string{"type", "title", "status"}}
}

// httpErrorSchema is the body of a brisk.Error response: {"detail": …},
// where detail is whatever the handler passed (often a string).
func httpErrorSchema() *Schema {
	props := &Properties{}
	props.Set("detail", &Schema{Description: "What went wrong: the detail given to brisk.Error, usually a string."})
	return &Schema{Title: "HTTPError", Type: "object", Properties: props, Required: []string{"detail"}}
}

// reservedHeader reports the header parameters OpenAPI says SHALL be
// ignored (Accept, Content-Type, Authorization: content negotiation and
// security schemes describe them). Brisk still binds and validates them;
// they are left out of the document so that tools do not drop them with a
// warning or, like Swagger UI, send requests without them.
func reservedHeader(name string) bool {
	switch strings.ToLower(name) {
	case "accept", "content-type", "authorization":
		return true
	}
	return false
}

// responseContent is a declared response's content: its body's schema
// under its media type.
func (g *generator) responseContent(r Response) (map[string]mediaObject, error) {
	ct := r.ContentType
	if ct == "" {
		ct = "application/json"
	}
	var s *Schema
	raw := r.Type != nil && (deref(r.Type).Kind() == reflect.String || deref(r.Type) == reflect.TypeFor[[]byte]())
	switch {
	case r.Type != nil && (isJSONMedia(ct) || !raw):
		var err error
		if s, err = g.schema(deref(r.Type), nil); err != nil {
			return nil, err
		}
	case isJSONMedia(ct):
		s = &Schema{Ref: refPrefix + httpErrorName}
	case strings.HasPrefix(ct, "text/"):
		s = &Schema{Type: "string"} // the text itself, not a JSON string
	default:
		// Bytes of that type: OpenAPI 3.1 describes raw bytes by the media
		// type alone, with no schema.
	}
	return map[string]mediaObject{ct: {Schema: s}}, nil
}

// streamContent documents a streamed success response as FastAPI does: the
// item's schema as the media type's itemSchema; for Server-Sent Events, the
// event's fields with the item as the JSON in its data.
func (g *generator) streamContent(op Operation) (map[string]mediaObject, error) {
	var item *Schema
	if op.Response != nil {
		var err error
		if item, err = g.schema(deref(op.Response), nil); err != nil {
			return nil, err
		}
	}
	if op.Stream == StreamJSONL {
		if item == nil {
			item = &Schema{}
		}
		return map[string]mediaObject{StreamJSONL: {ItemSchema: item}}, nil
	}
	props := &Properties{}
	props.Set("data", &Schema{Type: "string"})
	props.Set("event", &Schema{Type: "string"})
	props.Set("id", &Schema{Type: "string"})
	props.Set("retry", &Schema{Type: "integer", Minimum: "0"})
	event := &Schema{Type: "object", Properties: props}
	if item != nil {
		props.Set("data", &Schema{Type: "string", ContentMediaType: "application/json", ContentSchema: item})
		event.Required = []string{"data"}
	}
	return map[string]mediaObject{op.Stream: {ItemSchema: event}}, nil
}

// isJSONMedia reports application/json and application/*+json.
func isJSONMedia(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.ToLower(strings.TrimSpace(ct))
	return ct == "application/json" || strings.HasPrefix(ct, "application/") && strings.HasSuffix(ct, "+json")
}

// responseHeaders documents a response's headers, each with the schema of
// its value as written on the wire (as a parameter's).
func (g *generator) responseHeaders(hs []Header) (map[string]*headerObject, error) {
	if len(hs) == 0 {
		return nil, nil
	}
	out := make(map[string]*headerObject, len(hs))
	for _, h := range hs {
		t := h.Type
		if t == nil {
			t = reflect.TypeFor[string]()
		}
		s, err := g.paramSchema(t, nil)
		if err != nil {
			return nil, fmt.Errorf("%w (response header %q)", err, h.Name)
		}
		ho := &headerObject{Description: h.Description, Schema: s}
		if h.HasExample {
			if ho.Example, err = exampleJSON(h.Example); err != nil {
				return nil, err
			}
		}
		out[http.CanonicalHeaderKey(h.Name)] = ho
	}
	return out, nil
}
