// Compiling a route: the plan types and the compiler that turns a handler,
// its dependencies and providers into a plan.

package brisk

import (
	"context"
	"encoding"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/briskgo/brisk/background"
	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/funcname"
	"github.com/briskgo/brisk/internal/openapi"
)

// Injection happens in two phases. At registration, compile turns a handler,
// the providers it needs and the route's dependencies into a routePlan: a
// flat list of calls in dependency order, each with one small binder func per
// parameter, every type decision taken. Per request, routePlan.serve walks
// that list; the only reflection left is reflect.Value.Call.

var (
	contextType   = reflect.TypeFor[context.Context]()
	requestType   = reflect.TypeFor[*http.Request]()
	writerType    = reflect.TypeFor[http.ResponseWriter]()
	tasksType     = reflect.TypeFor[*background.Tasks]()
	errorType     = reflect.TypeFor[error]()
	responseType  = reflect.TypeFor[*Response]()
	cleanupType   = reflect.TypeFor[func()]()
	unmarshalType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// binder produces one argument of a call. It reports false when the value is
// missing or invalid (having recorded why in the request state).
type binder func(st *reqState, w http.ResponseWriter, r *http.Request, out *reflect.Value) bool

// callPlan is one function of a route's tree, compiled.
type callPlan struct {
	fn      reflect.Value
	name    string
	binders []binder
	order   []int // parameter indexes in binding order: FastAPI's error order
	deps    []int // provider slots the call needs
	slot    int   // the provider's result slot; -1 for dependencies and the handler
	// direct, when set, runs the provider instead of fn.Call (directCall).
	direct  func(*reqState, *http.Request) (reflect.Value, error)
	results resultShape
	sec     securityNode
}

// routePlan is a route compiled: every call in order, the handler last.
type routePlan struct {
	steps   []*callPlan
	handler *callPlan
	commits []int // slots of providers whose results are Committers, in run order
	nslots  int
	maxArgs int
	status  int
	// router is the route's router: where error handlers are looked up.
	router *Router

	maxBody   int64 // the body limit (<= 0: none)
	multipart bool  // some form field takes files

	writesOwn      bool // the handler takes http.ResponseWriter
	exposesRequest bool // some call takes *http.Request or http.ResponseWriter

	op openapi.Operation

	stream *streamPlan // the handler streams its result (stream.go)
	ws     *wsPlan     // a WebSocket route (websocket.go)

	// inferred: the parameters bound from the request by their type (request
	// models, bodies, path scalars), checked by Provide: a provider of one of
	// these types registered later would silently not apply.
	inferred []inferredParam
}

// compiler holds what compiling one route needs.
type compiler struct {
	app       *App
	router    *Router
	method    string
	pattern   string
	pathNames []string
	plan      *routePlan
	slots     map[*provider]int
	visiting  []*provider
	seenParam map[string]bool
	formWhere string // the last form field compiled, for messages
	rawWhere  string // the last raw body parameter compiled, for messages
	webSocket bool   // a WebSocket route: *WebSocket injectable, no writer
	// schemeCall: the function being compiled is a SecurityProvider's,
	// which gets the request as routing has it (see SecurityProvider).
	schemeCall bool
}

// compileRoute builds the plan for handler on a route. It panics, naming the
// function and the parameter, on anything that cannot be satisfied.
func compileRoute(a *App, rt *Router, method, pattern string, handler any, opts *routeOptions) *routePlan {
	c := &compiler{
		app:       a,
		router:    rt,
		method:    method,
		pattern:   pattern,
		pathNames: patternParams(pattern),
		plan:      &routePlan{status: opts.status, router: rt},
		slots:     make(map[*provider]int),
		seenParam: make(map[string]bool),
		webSocket: opts.webSocket,
	}
	if c.plan.status == 0 {
		c.plan.status = http.StatusOK
	}
	c.plan.maxBody = a.cfg.MaxBodyBytes
	if opts.maxBody != 0 {
		c.plan.maxBody = opts.maxBody
	}
	c.markProvidedDependencies(opts)
	var roots []securityRoot
	for _, dep := range opts.dependencies {
		if pd, ok := dep.(providedDependency); ok {
			// The provider's own step, once, in this place.
			cp := c.needProvided(pd)
			roots = append(roots, securityRoot{call: cp, scopes: slices.Concat(opts.scopes, pd.scopes)})
			continue
		}
		fn, sec := unwrapDependency(dep)
		c.schemeCall = sec.src != nil
		cp := c.compileCall(fn, roleDependency)
		c.schemeCall = false
		cp.sec = securityNode{own: sec.scopes, scheme: sec.scheme, credType: firstResult(fn)}
		c.plan.steps = append(c.plan.steps, cp)
		roots = append(roots, securityRoot{call: cp, scopes: opts.scopes})
	}
	h := c.compileCall(handler, roleHandler)
	c.plan.steps = append(c.plan.steps, h)
	c.plan.handler = h
	c.checkBodies(handler)
	c.plan.nslots = len(c.slots)
	c.plan.commits = commitSlots(c.plan.steps)
	for _, s := range c.plan.steps {
		c.plan.maxArgs = max(c.plan.maxArgs, len(s.binders))
	}
	c.plan.op.Public = opts.public
	c.walkSecurity(append(roots, securityRoot{call: h, scopes: opts.scopes}))
	c.describe(opts, handler, h)
	c.checkStream(opts, h)
	c.checkWebSocket(opts, h)
	return c.plan
}

type role int

const (
	roleHandler role = iota
	roleDependency
	roleProvider
)

func (r role) String() string {
	return [...]string{"handler", "dependency", "provider"}[r]
}

// compileCall compiles a handler or a route dependency.
func (c *compiler) compileCall(fn any, ro role) *callPlan {
	v := reflect.ValueOf(fn)
	name := funcname.WithLine(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		panic(fmt.Sprintf("brisk: %s %s %s: %s is not a func", c.method, c.pattern, ro, name))
	}
	shape := c.checkResults(v.Type(), name, ro)
	return c.compileFunc(v, name, ro, shape, -1)
}

// compileFunc builds the binders of one function's parameters.
func (c *compiler) compileFunc(v reflect.Value, name string, ro role, shape resultShape, slot int) *callPlan {
	t := v.Type()
	cp := &callPlan{fn: v, name: name, slot: slot, results: shape}
	if t.IsVariadic() {
		panic(fmt.Sprintf("brisk: %s %s: %s %s is variadic; injection needs fixed parameters", c.method, c.pattern, ro, name))
	}
	cp.binders = make([]binder, t.NumIn())
	ranks := make([]int, t.NumIn())
	positional, scratch, bodies := 0, 0, 0
	for i := range t.NumIn() {
		pt := t.In(i)
		where := func() string {
			return fmt.Sprintf("%s %s: %s %s, parameter %d (%s)", c.method, c.pattern, ro, name, i, pt)
		}
		prov := c.router.lookup(pt)
		switch {
		case pt == contextType:
			cp.binders[i] = bindContext
		case pt == requestType:
			cp.binders[i] = bindRequest
			if !c.schemeCall {
				c.plan.exposesRequest = true
			}
		case pt == webSocketType:
			if !c.webSocket || ro != roleHandler {
				panic(fmt.Sprintf("brisk: %s: *brisk.WebSocket is given to the handler of a WebSocket route only (App.WebSocket)", where()))
			}
			cp.binders[i] = bindWebSocket
		case pt == writerType && c.webSocket:
			panic(fmt.Sprintf("brisk: %s: a WebSocket route cannot take http.ResponseWriter; talk through *brisk.WebSocket", where()))
		case pt == writerType:
			cp.binders[i] = bindWriter
			c.plan.exposesRequest = true
			if ro == roleHandler {
				c.plan.writesOwn = true
			}
		case pt == tasksType:
			cp.binders[i] = bindTasks
		case pt == securityScopesType:
			cp.binders[i] = bindSecurityScopes(cp)
		case prov != nil:
			s := c.need(prov, where)
			cp.deps = append(cp.deps, s)
			cp.binders[i] = bindSlot(s)
		case pt == rawBodyType || pt == readerType:
			cp.binders[i], ranks[i] = bindRawBody, rankBody
			if pt == readerType {
				cp.binders[i] = bindReader
			}
			c.plan.op.RawBody = true
			c.rawWhere = where()
		case isRequestModel(pt):
			c.infer(pt, where)
			cp.binders[i], ranks[i] = c.modelBinder(pt, where), rankModel
		case isBodyType(pt):
			if bodies++; bodies > 1 {
				panic(fmt.Sprintf("brisk: %s: a second JSON body parameter; take one struct holding both", where()))
			}
			c.infer(pt, where)
			cp.binders[i], ranks[i] = c.bodyBinder(pt, where), rankBody
		case decode.IsScalar(pt):
			if positional >= len(c.pathNames) {
				panic(fmt.Sprintf("brisk: %s: takes path parameter %d but the pattern names %d (%v)",
					where(), positional+1, len(c.pathNames), c.pathNames))
			}
			c.infer(pt, where)
			cp.binders[i], ranks[i] = c.pathBinder(pt, positional, scratch), rankPath
			c.addParam(openapi.Param{Name: c.pathNames[positional], In: "path", Type: pt, Required: true})
			positional++
			scratch++
		default:
			panic(fmt.Sprintf("brisk: %s: cannot inject %s: no provider returns it, and it is not a context, request, writer, "+
				"BackgroundTasks, request model, JSON body or path scalar (providers must be registered before the route)", where(), pt))
		}
	}
	if ro == roleHandler && positional > 0 && positional != len(c.pathNames) {
		panic(fmt.Sprintf("brisk: %s %s: handler %s takes %d path parameters but the pattern names %d (%v)",
			c.method, c.pattern, name, positional, len(c.pathNames), c.pathNames))
	}
	cp.order = bindingOrder(ranks)
	return cp
}

// Binding ranks: dependencies first, then path, query and the rest, then
// the body, so 422 details list errors in FastAPI's order.
const (
	rankProvided = iota
	rankPath
	rankModel
	rankBody
)

func bindingOrder(ranks []int) []int {
	order := make([]int, 0, len(ranks))
	for rank := rankProvided; rank <= rankBody; rank++ {
		for i, r := range ranks {
			if r == rank {
				order = append(order, i)
			}
		}
	}
	return order
}

// need compiles provider p into the route (once) and returns its slot.
func (c *compiler) need(p *provider, where func() string) int {
	if s, ok := c.slots[p]; ok {
		return s
	}
	for i, q := range c.visiting {
		if q == p {
			chain := make([]string, 0, len(c.visiting)-i+1)
			for _, v := range c.visiting[i:] {
				chain = append(chain, v.typ.String())
			}
			chain = append(chain, p.typ.String())
			panic(fmt.Sprintf("brisk: %s: provider cycle: %s (via %s)", where(), strings.Join(chain, " -> "), p.name))
		}
	}
	c.visiting = append(c.visiting, p)
	outer := c.schemeCall
	c.schemeCall = p.sec.src != nil
	cp := c.compileFunc(p.fn, p.name, roleProvider, p.results, -1)
	c.schemeCall = outer
	cp.sec = securityNode{own: p.sec.scopes, scheme: p.sec.scheme, credType: p.typ}
	cp.direct = c.directCall(p)
	c.visiting = c.visiting[:len(c.visiting)-1]
	// The slot is numbered after the provider's own dependencies took theirs.
	slot := len(c.slots)
	cp.slot = slot
	c.slots[p] = slot
	c.plan.steps = append(c.plan.steps, cp)
	return slot
}

// addParam records a parameter for OpenAPI, once per (in, name).
func (c *compiler) addParam(p openapi.Param) {
	key := p.In + "\x00" + p.Name
	if c.seenParam[key] {
		return
	}
	c.seenParam[key] = true
	c.plan.op.Params = append(c.plan.op.Params, p)
}

// describe fills the route's OpenAPI operation.
func (c *compiler) describe(opts *routeOptions, handler any, h *callPlan) {
	op := &c.plan.op
	op.Method, op.Pattern = c.method, c.pattern
	op.OperationID, op.Summary, op.Description = opts.operationID, opts.summary, opts.description
	op.Tags, op.Deprecated, op.Responses = opts.tags, opts.deprecated, opts.responses
	op.ValidationResponse = opts.validationResponse
	op.Examples = opts.examples
	op.Status = c.plan.status
	if f := funcname.Of(handler); f != "" {
		op.HandlerName = f
	}
	if h.results.value && h.results.valueType != responseType && h.results.valueType.Kind() != reflect.Interface {
		op.Response = h.results.valueType
	}
	op.CanFail422 = len(op.Params) > 0 || op.Body != nil || len(op.Form) > 0
}

// patternParams lists the parameter names of a chi pattern in order; a
// trailing wildcard is named "*", as chi names it.
func patternParams(pattern string) []string {
	var names []string
	for i := 0; i < len(pattern); i++ {
		switch pattern[i] {
		case '{':
			depth, start := 1, i+1
			j := start
			for ; j < len(pattern) && depth > 0; j++ {
				switch pattern[j] {
				case '{':
					depth++
				case '}':
					depth--
				}
			}
			name, _, _ := strings.Cut(pattern[start:j-1], ":")
			names = append(names, strings.TrimSpace(name))
			i = j - 1
		case '*':
			names = append(names, "*")
		}
	}
	return names
}
