// Security in the dependency tree: how a provider declares the security
// scheme it reads credentials with (SecurityProvider), the scopes a route or
// a provider requires (Scopes, Scoped), and what a dependant learns of them
// (SecurityScopes). Package security's schemes are built on it.

package brisk

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/briskgo/brisk/internal/openapi"
)

// SecurityScheme describes, for the OpenAPI document's
// components.securitySchemes, how a provider reads credentials: OpenAPI's
// Security Scheme Object.
type SecurityScheme struct {
	// Name is the scheme's key in components.securitySchemes and in the
	// operations' security requirements (FastAPI's scheme_name; package
	// security defaults it to the scheme's kind, e.g. "HTTPBearer"). When
	// two different schemes of one app have the same Name, the later found
	// is documented as Name_T (T being the name of the type its provider
	// returns), then Name_2, Name_3, …: names stay stable and never collide.
	Name string
	// Type is "http", "apiKey", "oauth2" or "openIdConnect".
	Type        string
	Description string
	// Scheme is the HTTP authentication scheme of an "http" scheme
	// ("bearer", "basic", …); BearerFormat hints at a bearer token's format
	// ("JWT").
	Scheme       string
	BearerFormat string
	// In ("header", "query" or "cookie") and ParamName name an "apiKey"
	// scheme's credential. It is never also documented as a parameter.
	In        string
	ParamName string
	// Flows are an "oauth2" scheme's flows.
	Flows *OAuthFlows
	// OpenIDConnectURL is an "openIdConnect" scheme's discovery URL.
	OpenIDConnectURL string
}

// OAuthFlows are the flows an "oauth2" scheme supports.
type OAuthFlows struct {
	Implicit, Password, ClientCredentials, AuthorizationCode *OAuthFlow
}

// OAuthFlow is one OAuth2 flow: its URLs (relative ones are resolved against
// the document's URL) and the scopes it offers, by name, with descriptions.
type OAuthFlow struct {
	AuthorizationURL string
	TokenURL         string
	RefreshURL       string
	Scopes           map[string]string
}

// SecurityProvider is a provider that reads credentials with a security
// scheme. Give one to App.Provide, Router.Provide or Dependencies where a
// provider func would go: the func Provider returns is registered (or run)
// like any provider — once per request, its result shared by every
// dependant — and every operation whose dependency tree reaches it requires
// its scheme in the OpenAPI document, with the scopes required along the way
// (see Scopes and Scoped). Package security's schemes implement it; a scheme
// of one's own (a signed header, mutual TLS) can too.
//
// The *http.Request the provider func may take is the request as routing
// found it — URL, headers, cookies, TLS state and the context middleware
// gave it — without the route's path values (r.PathValue is empty): reading
// a credential then costs no copy of the request. A scheme that needs a
// path parameter takes it as any provider does (a request model).
type SecurityProvider interface {
	// Provider returns the provider func: func(...) T, (T, error) or
	// (T, func(), error), injected as any provider.
	Provider() any
	// SecurityScheme describes the scheme for the OpenAPI document.
	SecurityScheme() SecurityScheme
}

// SecurityScopes is what a handler, provider or dependency asking for it
// learns of the scopes required of it: every scope given by Scopes (the
// route's and its groups') and by Scoped (the providers and dependencies
// between the route and this function, and its own), in that order, without
// repeats. It is FastAPI's SecurityScopes; a provider runs once per request,
// so one reached along several paths of a route's tree gets the scopes of
// all of them (FastAPI would run it once per distinct set).
type SecurityScopes struct {
	Scopes []string
}

// ScopeStr is the scopes separated by spaces, as OAuth2 writes them (and as
// a WWW-Authenticate header's scope parameter wants them).
func (s SecurityScopes) ScopeStr() string { return strings.Join(s.Scopes, " ") }

// Scopes is a route option (also for Group) requiring scopes from every
// security scheme in the route's dependency tree: FastAPI's
// Security(dependency, scopes=[…]) on the handler's own parameters. An
// "oauth2" scheme's requirement in the OpenAPI document lists them, and
// every SecurityScopes of the tree includes them.
func Scopes(scopes ...string) RouteOption {
	scopes = slices.Clone(scopes)
	return func(o *routeOptions) { o.scopes = append(o.scopes, scopes...) }
}

// Public is a route option (also for Group) documenting the route as
// needing no credentials: "security": [] in the OpenAPI document, OpenAPI's
// way of saying a route of an API with security schemes is public on
// purpose (a login or health route), which linters such as Redocly's
// security-defined rule look for. A Public route whose dependency tree uses
// a security scheme panics at registration.
func Public() RouteOption { return func(o *routeOptions) { o.public = true } }

// Scoped marks dep — a provider func or a SecurityProvider given to
// Provide, or a function given to Dependencies — as requiring scopes from
// itself and everything it depends on, wherever it is used: FastAPI's
// Security(dep, scopes=[…]). For example, with
//
//	app.Provide(brisk.Scoped(currentActiveUser, "me"))
//
// every route taking currentActiveUser's result requires the "me" scope,
// and a SecurityScopes of currentActiveUser or of anything below it
// includes "me".
func Scoped(dep any, scopes ...string) any {
	if dep == nil {
		panic("brisk: Scoped: nil dependency")
	}
	return scopedDep{dep: dep, scopes: slices.Clone(scopes)}
}

// scopedDep is what Scoped returns.
type scopedDep struct {
	dep    any
	scopes []string
}

var securityScopesType = reflect.TypeFor[SecurityScopes]()

// securityOf is what a provider or dependency declares about security: its
// scheme (nil: none) and the scopes it requires (Scoped).
type securityOf struct {
	scheme *SecurityScheme
	scopes []string
	src    SecurityProvider // the SecurityProvider it came from, if any
}

// unwrapDependency takes Scoped and SecurityProvider wrappers off v: the
// func itself, and what they declared.
func unwrapDependency(v any) (any, securityOf) {
	var sec securityOf
	for {
		switch d := v.(type) {
		case scopedDep:
			sec.scopes = append(sec.scopes, d.scopes...)
			v = d.dep
			continue
		case SecurityProvider:
			if sec.src != nil {
				panic(fmt.Sprintf("brisk: %T wraps another SecurityProvider", d))
			}
			s := d.SecurityScheme()
			if err := checkScheme(s); err != nil {
				panic(fmt.Sprintf("brisk: %T: %v", d, err))
			}
			sec.scheme, sec.src = &s, d
			v = d.Provider()
			if v == nil {
				panic(fmt.Sprintf("brisk: %T: Provider returned nil", d))
			}
			continue
		}
		return v, sec
	}
}

// checkScheme reports what a scheme lacks for OpenAPI to describe it.
func checkScheme(s SecurityScheme) error {
	switch s.Type {
	case "http":
		if s.Scheme == "" {
			return fmt.Errorf("an http security scheme needs Scheme (bearer, basic, …)")
		}
	case "apiKey":
		if s.ParamName == "" || (s.In != "header" && s.In != "query" && s.In != "cookie") {
			return fmt.Errorf("an apiKey security scheme needs ParamName and In (header, query or cookie), not %q", s.In)
		}
	case "oauth2":
		if s.Flows == nil || *s.Flows == (OAuthFlows{}) {
			return fmt.Errorf("an oauth2 security scheme needs Flows")
		}
	case "openIdConnect":
		if s.OpenIDConnectURL == "" {
			return fmt.Errorf("an openIdConnect security scheme needs OpenIDConnectURL")
		}
	default:
		return fmt.Errorf("security scheme type %q: want http, apiKey, oauth2 or openIdConnect", s.Type)
	}
	return nil
}

// securityNode is the security side of one call of a route's tree: the scopes
// it adds (Scoped), its scheme, and (filled by walkSecurity) the scopes
// required of it.
type securityNode struct {
	own      []string
	scheme   *SecurityScheme
	credType reflect.Type // the type its provider returns, for a name that does not collide
	required []string     // what SecurityScopes gives it
}

// bindSecurityScopes gives a call the scopes required of it, a fresh slice
// each time (the callee may keep or change it).
func bindSecurityScopes(cp *callPlan) binder {
	return func(_ *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
		*out = reflect.ValueOf(SecurityScopes{Scopes: slices.Clone(cp.sec.required)})
		return true
	}
}

// securityRoot is where the walk of a route's tree starts: a route
// dependency or the handler, with the scopes required on the way in.
type securityRoot struct {
	call   *callPlan
	scopes []string
}

// walkSecurity works out, for every call of the route, the scopes required
// of it (the route's, then those of the Scoped calls on the path to it, its
// own last), and the operation's security requirements: every scheme
// reached, with the scopes required of it, in the order FastAPI lists them
// (depth first, dependencies before the handler's parameters).
func (c *compiler) walkSecurity(roots []securityRoot) {
	bySlot := make([]*callPlan, c.plan.nslots)
	for _, s := range c.plan.steps {
		if s.slot >= 0 {
			bySlot[s.slot] = s
		}
	}
	type visit struct {
		call   *callPlan
		scopes string
	}
	seen := make(map[visit]bool)
	var walk func(cp *callPlan, parent []string)
	walk = func(cp *callPlan, parent []string) {
		scopes := parent
		for _, s := range cp.sec.own {
			if !slices.Contains(scopes, s) {
				scopes = append(slices.Clip(scopes), s)
			}
		}
		key := visit{cp, strings.Join(scopes, "\x00")}
		if seen[key] {
			return
		}
		seen[key] = true
		for _, s := range scopes {
			if !slices.Contains(cp.sec.required, s) {
				cp.sec.required = append(cp.sec.required, s)
			}
		}
		if cp.sec.scheme != nil {
			name := ""
			if cp.sec.credType != nil {
				name = cp.sec.credType.Name()
			}
			c.plan.op.Security = append(c.plan.op.Security, openapi.Security{
				Scheme: documentScheme(*cp.sec.scheme), AltName: name, Scopes: slices.Clone(scopes),
			})
		}
		for _, d := range cp.deps {
			walk(bySlot[d], scopes)
		}
	}
	for _, r := range roots {
		walk(r.call, r.scopes)
	}
	if c.plan.op.Public && len(c.plan.op.Security) > 0 {
		panic(fmt.Sprintf("brisk: %s %s: the route is Public, but its dependencies read credentials with the %q security scheme",
			c.method, c.pattern, c.plan.op.Security[0].Scheme.Name))
	}
}

// documentScheme is s as the document writes it.
func documentScheme(s SecurityScheme) openapi.SecurityScheme {
	d := openapi.SecurityScheme{
		Name: s.Name, Type: s.Type, Description: s.Description, Scheme: s.Scheme, BearerFormat: s.BearerFormat,
		In: s.In, ParamName: s.ParamName, OpenIDConnectURL: s.OpenIDConnectURL,
	}
	if f := s.Flows; f != nil {
		flow := func(f *OAuthFlow) *openapi.OAuthFlow {
			if f == nil {
				return nil
			}
			scopes := make(map[string]string, len(f.Scopes))
			for k, v := range f.Scopes {
				scopes[k] = v
			}
			return &openapi.OAuthFlow{AuthorizationURL: f.AuthorizationURL, TokenURL: f.TokenURL, RefreshURL: f.RefreshURL, Scopes: scopes}
		}
		d.Flows = &openapi.OAuthFlows{
			Implicit: flow(f.Implicit), Password: flow(f.Password),
			ClientCredentials: flow(f.ClientCredentials), AuthorizationCode: flow(f.AuthorizationCode),
		}
	}
	return d
}
