// Examples and response details for the OpenAPI document: route options
// for a parameter's, the request body's and a response's example, and the
// headers and media type of a declared response.

package brisk

import (
	"fmt"
	"reflect"

	"github.com/briskgo/brisk/internal/funcname"
	"github.com/briskgo/brisk/internal/openapi"
)

// ParamExample gives an example value for a parameter of the route (in is
// "path", "query", "header" or "cookie"; name is its name on the wire). It is
// what Swagger UI fills in and what tools such as Dredd send. A request
// model field can give one with an `example:"…"` tag instead, read as its
// `default` would be. An example for a parameter the route does not have
// panics at registration.
func ParamExample(in, name string, value any) RouteOption {
	ex := openapi.Example{In: in, Name: name, Value: value}
	return func(o *routeOptions) { o.examples = append(o.examples, ex) }
}

// BodyExample gives an example request body, a value of the body's type.
func BodyExample(value any) RouteOption {
	ex := openapi.Example{In: "body", Value: value}
	return func(o *routeOptions) { o.examples = append(o.examples, ex) }
}

// ResponseExample gives an example body for the response with status (0:
// the success response), a value of that response's type.
func ResponseExample(status int, value any) RouteOption {
	ex := openapi.Example{In: "response", Status: status, Value: value}
	return func(o *routeOptions) { o.examples = append(o.examples, ex) }
}

// ResponseOption adds details to a response declared with Responses.
type ResponseOption func(*openapi.Response)

// ResponseHeader documents a header the response carries; example (may be
// nil) is a value of the header's type (its Go type gives the schema; nil
// means a string).
func ResponseHeader(name, description string, example any) ResponseOption {
	h := openapi.Header{Name: name, Description: description}
	if example != nil {
		h.Type, h.Example, h.HasExample = reflect.TypeOf(example), example, true
	}
	return func(r *openapi.Response) { r.Headers = append(r.Headers, h) }
}

// ResponseContentType sets the media type of the response's body ("" and
// the default: application/json). With another type the body is described
// as text (text/*) or as bytes of that type, unless Responses was given a
// struct, map or slice value, whose schema is kept.
func ResponseContentType(contentType string) ResponseOption {
	return func(r *openapi.Response) { r.ContentType = contentType }
}

// checkDocument builds the route's own part of the document, so that what
// only the document reads (examples, `default` and `example` tags of
// returned types, declared responses) fails at registration, naming the
// route, not on the first request for /openapi.json.
func checkDocument(p *routePlan, handler any) {
	if _, err := openapi.Build(openapi.Info{}, []openapi.Operation{p.op}); err != nil {
		panic(fmt.Sprintf("brisk: %s %s: handler %s: %v", p.op.Method, p.op.Pattern, funcname.WithLine(handler), err))
	}
}

// checkMethod refuses what chi cannot route as a method: an empty one, "*"
// (chi's Handle means every method; Brisk routes and documents one method
// per registration, so "*" would silently be a method no client sends) and
// anything that is not an HTTP token.
func checkMethod(method, pattern string) {
	switch {
	case method == "":
		panic(fmt.Sprintf("brisk: Handle(%q, %q): empty method", method, pattern))
	case method == "*":
		panic(fmt.Sprintf("brisk: Handle(%q, %q): \"*\" is not a method; register the route once per method (Get, Post, …)", method, pattern))
	}
	for i := 0; i < len(method); i++ {
		if !isTokenChar(method[i]) {
			panic(fmt.Sprintf("brisk: Handle(%q, %q): not an HTTP method (a token of letters, digits and !#$%%&'*+-.^_`|~)", method, pattern))
		}
	}
}

// isTokenChar reports RFC 9110's tchar.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}
