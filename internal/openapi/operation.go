// Package openapi builds Brisk's OpenAPI 3.1 document from the routes the App
// compiled, and serves the interactive docs pages.
package openapi

import "reflect"

// Info is what the document says about the API as a whole, from
// brisk.Config: its "info" object, servers, tags and external docs.
type Info struct {
	Title          string
	Version        string
	Description    string
	Summary        string
	TermsOfService string
	Contact        *Contact
	License        *License

	Servers      []Server
	Tags         []Tag
	ExternalDocs *ExternalDocs
}

// Contact is info.contact.
type Contact struct {
	Name  string `json:"name,omitempty"`
	URL   string `json:"url,omitempty"`
	Email string `json:"email,omitempty"`
}

// License is info.license: a name, and an SPDX identifier or a URL.
type License struct {
	Name       string `json:"name"`
	Identifier string `json:"identifier,omitempty"`
	URL        string `json:"url,omitempty"`
}

// Server is one entry of "servers".
type Server struct {
	URL         string `json:"url"`
	Description string `json:"description,omitempty"`
}

// Tag describes a tag operations use (FastAPI's openapi_tags).
type Tag struct {
	Name         string        `json:"name"`
	Description  string        `json:"description,omitempty"`
	ExternalDocs *ExternalDocs `json:"externalDocs,omitempty"`
}

// ExternalDocs points to documentation elsewhere.
type ExternalDocs struct {
	Description string `json:"description,omitempty"`
	URL         string `json:"url"`
}

// Operation describes one registered route, as the App's compiled plan sees
// it. The App fills it at registration; Build turns a list of them into the
// document.
type Operation struct {
	Method  string // upper case, e.g. "GET"
	Pattern string // the full chi pattern, e.g. "/items/{id:[0-9]+}"

	OperationID string // "" means derive one (stable and unique)
	Summary     string
	Description string
	Tags        []string
	Deprecated  bool
	HandlerName string // the handler's function name, for derived IDs and summaries

	// Params lists path, query, header and cookie parameters of the handler
	// and of every dependency in its tree, in discovery order; the same (In,
	// Name) may appear more than once and must be deduplicated.
	Params []Param

	Body         reflect.Type // the JSON request body's Go type; nil: none
	BodyRequired bool

	// Form lists the form fields (In "form") of the handler and its
	// dependencies, once per name: the request body is a form,
	// multipart/form-data when a field is a file (File), urlencoded
	// otherwise.
	Form []Param

	// RawBody: the body is read as it is (any content type), documented
	// as application/octet-stream.
	RawBody bool

	Status   int          // the success status (200 unless brisk.Status says otherwise)
	Response reflect.Type // the success response's Go type; nil: unknown or none (204)

	// Stream is the media type of a streamed success response: StreamJSONL
	// or StreamEvents, each item of type Response (nil: any item), or "".
	Stream string

	// CanFail422 is true when the route validates input and can answer 422.
	CanFail422 bool

	// Responses are extra responses declared with a route option.
	Responses []Response
	// ValidationResponse, when set, is documented instead of the default
	// 422 on a route that validates input (CanFail422).
	ValidationResponse *Response

	// Examples are the examples given by route options.
	Examples []Example

	// ProblemDetails: the route's error answers are RFC 9457 problem
	// details (brisk.ProblemDetails handles them), so its 422 and declared
	// error responses are application/problem+json.
	ProblemDetails bool

	// Webhook: the operation is a webhook the API sends, documented under
	// "webhooks" with Pattern as its name, not under "paths".
	Webhook bool

	// Security lists the security schemes the route's dependency tree
	// uses, each with the scopes required of it, in discovery order; one
	// scheme may appear more than once (its scopes are merged).
	Security []Security
	// Public documents the operation as needing no credentials
	// ("security": []); Security is then empty.
	Public bool
}

// Security is one security scheme an operation requires.
type Security struct {
	Scheme SecurityScheme
	// AltName is the scheme's key when another scheme of the document
	// already has Scheme.Name: Name_AltName (then Name_2, …).
	AltName string
	Scopes  []string
}

// SecurityScheme is OpenAPI's Security Scheme Object, and the name it is
// listed under in components.securitySchemes.
type SecurityScheme struct {
	Name             string      `json:"-"`
	Type             string      `json:"type"`
	Description      string      `json:"description,omitempty"`
	ParamName        string      `json:"name,omitempty"`
	In               string      `json:"in,omitempty"`
	Scheme           string      `json:"scheme,omitempty"`
	BearerFormat     string      `json:"bearerFormat,omitempty"`
	Flows            *OAuthFlows `json:"flows,omitempty"`
	OpenIDConnectURL string      `json:"openIdConnectUrl,omitempty"`
}

// OAuthFlows is OpenAPI's OAuth Flows Object.
type OAuthFlows struct {
	Implicit          *OAuthFlow `json:"implicit,omitempty"`
	Password          *OAuthFlow `json:"password,omitempty"`
	ClientCredentials *OAuthFlow `json:"clientCredentials,omitempty"`
	AuthorizationCode *OAuthFlow `json:"authorizationCode,omitempty"`
}

// OAuthFlow is OpenAPI's OAuth Flow Object; Scopes is always written ({}
// when empty), as OpenAPI requires.
type OAuthFlow struct {
	AuthorizationURL string            `json:"authorizationUrl,omitempty"`
	TokenURL         string            `json:"tokenUrl,omitempty"`
	RefreshURL       string            `json:"refreshUrl,omitempty"`
	Scopes           map[string]string `json:"scopes"`
}

// The media types of streamed responses.
const (
	StreamJSONL  = "application/jsonl"
	StreamEvents = "text/event-stream"
)

// Param is one path, query, header or cookie parameter.
type Param struct {
	Name        string       // the name on the wire
	In          string       // "path", "query", "header" or "cookie"
	Type        reflect.Type // the Go type of the field (may be a pointer: optional, or a slice: repeated)
	Required    bool
	Default     string // the raw `default` tag; "" when none
	HasDefault  bool
	Validate    string // the raw `validate` tag
	Description string // from a `doc:"…"` tag, if any
	Example     string // the raw `example` tag, read as Default is
	HasExample  bool
	File        bool // a form field holding uploaded files (Type: the file type, a pointer or a slice of it)
}

// Response is a declared response other than the success one (or, with
// the success status, one that replaces it).
type Response struct {
	Status      int
	Description string
	Type        reflect.Type // the body's Go type; nil: {"detail": ...} HTTPError shape (or none, see ContentType)

	// ContentType is the body's media type; "" is application/json. For
	// another type without a Go type the body is documented as a string
	// (text/*) or as bytes of that type.
	ContentType string
	Headers     []Header // response headers the route sets
}

// Header is a response header a route documents.
type Header struct {
	Name        string
	Description string
	Type        reflect.Type // the value's Go type; nil: string
	Example     any
	HasExample  bool
}
