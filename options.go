// Route options: dependencies, success status and the OpenAPI fields.

package brisk

import (
	"fmt"
	"reflect"
	"time"

	"github.com/briskgo/brisk/internal/openapi"
)

// RouteOption configures a route (or, given to Group, every route of the
// group): its documentation, its success status, the dependencies run for
// their effect before the handler.
type RouteOption func(*routeOptions)

// routeOptions is what route options set; OpenAPI reads most of it.
type routeOptions struct {
	dependencies []any
	status       int
	summary      string
	description  string
	tags         []string
	operationID  string
	deprecated   bool
	responses    []openapi.Response
	examples     []openapi.Example
	maxBody      int64 // 0: the App's Config.MaxBodyBytes
	hidden       bool
	// validationResponse replaces the documented 422 (ValidationResponse).
	validationResponse *openapi.Response
	scopes             []string // Scopes
	public             bool     // Public

	eventStream  bool // EventStream: Server-Sent Events (sse.go)
	keepAlive    time.Duration
	keepAliveSet bool

	webSocket       bool // registered by WebSocket (websocket.go)
	webSocketConfig *WebSocketConfig
}

// Dependencies runs fns before the handler, in order, for their effect (an
// authentication check, say). Each is injected like a handler and may return
// nothing, an error, T, (T, error) or (T, func(), error) — the func() a
// cleanup run after the response and the background tasks, as a provider's;
// a non-nil error stops the request as a handler's error would.
func Dependencies(fns ...any) RouteOption {
	return func(o *routeOptions) { o.dependencies = append(o.dependencies, fns...) }
}

// Status sets the status of the route's successful responses (default 200).
// With 204, 205 or 304 the result is not written.
func Status(code int) RouteOption {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("brisk: Status(%d): not an HTTP status code", code))
	}
	return func(o *routeOptions) { o.status = code }
}

// Summary sets the operation's summary in the OpenAPI document.
func Summary(s string) RouteOption { return func(o *routeOptions) { o.summary = s } }

// Description sets the operation's description in the OpenAPI document.
func Description(s string) RouteOption { return func(o *routeOptions) { o.description = s } }

// Tags adds tags to the operation in the OpenAPI document.
func Tags(t ...string) RouteOption {
	return func(o *routeOptions) { o.tags = append(o.tags, t...) }
}

// OperationID sets the operation's operationId in the OpenAPI document
// (derived from the handler's name, path and method otherwise).
func OperationID(id string) RouteOption { return func(o *routeOptions) { o.operationID = id } }

// MaxBodyBytes sets the body limit of the route (or, given to Group, of
// every route of the group), replacing Config.MaxBodyBytes: a JSON, form or
// multipart body longer than n bytes is answered 413. A negative n means
// no limit; 0 panics (a route that takes no body reads none).
func MaxBodyBytes(n int64) RouteOption {
	if n == 0 {
		panic("brisk: MaxBodyBytes(0): give a positive limit in bytes, or a negative one for none")
	}
	return func(o *routeOptions) { o.maxBody = n }
}

// Deprecated marks the operation deprecated in the OpenAPI document.
func Deprecated() RouteOption { return func(o *routeOptions) { o.deprecated = true } }

// Responses documents a response other than the success one, e.g.
// Responses(404, "Item not found", nil). body is a value of the response
// body's type, or nil for the {"detail": …} shape of an HTTPError. A
// declared success status replaces the success response. more can give the
// response's headers (ResponseHeader) and media type (ResponseContentType).
// A status outside 100–599 panics.
func Responses(status int, description string, body any, more ...ResponseOption) RouteOption {
	if status < 100 || status > 599 {
		panic(fmt.Sprintf("brisk: Responses(%d, %q): not an HTTP status code (100-599)", status, description))
	}
	r := openapi.Response{Status: status, Description: description}
	if body != nil {
		r.Type = reflect.TypeOf(body)
	}
	for _, m := range more {
		m(&r)
	}
	return func(o *routeOptions) {
		o.responses = append(o.responses, r)
	}
}

// ValidationResponse documents the answer invalid input gets when an error
// handler of *ValidationError changes it (see HandleError): it replaces the
// default 422 response in the document of every route that validates
// input, with status, description and body as Responses takes them. Give
// it to a Group to cover the group's routes.
func ValidationResponse(status int, description string, body any, more ...ResponseOption) RouteOption {
	var declared routeOptions
	Responses(status, description, body, more...)(&declared) // its checks and defaults
	r := declared.responses[0]
	return func(o *routeOptions) { o.validationResponse = &r }
}
