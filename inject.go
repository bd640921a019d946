package brisk

import (
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"reflect"
	"strings"
	"unsafe"

	"github.com/briskgo/brisk/background"
	"github.com/briskgo/brisk/internal/decode"
	"github.com/briskgo/brisk/internal/jsonbody"
	"github.com/briskgo/brisk/internal/openapi"
	"github.com/briskgo/brisk/internal/problem"
	"github.com/briskgo/brisk/internal/validation"
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
	results resultShape
}

// resultShape says what a function returns.
type resultShape struct {
	value      bool // the first result is a value
	valueType  reflect.Type
	errIndex   int // -1: no error result
	cleanupIdx int // providers' (T, func(), error): the cleanup's index, else -1
}

// routePlan is a route compiled: every call in order, the handler last.
type routePlan struct {
	steps   []*callPlan
	handler *callPlan
	nslots  int
	maxArgs int
	status  int

	writesOwn      bool // the handler takes http.ResponseWriter
	exposesRequest bool // some call takes *http.Request or http.ResponseWriter

	op openapi.Operation
}

// provider is a registered provider func, not yet compiled: its parameters
// are resolved per route, against the route's path and scope.
type provider struct {
	fn      reflect.Value
	typ     reflect.Type
	name    string
	results resultShape
}

func newProvider(fn any) *provider {
	v := reflect.ValueOf(fn)
	name := funcName(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		panic(fmt.Sprintf("brisk: Provide: %s is not a func", name))
	}
	t := v.Type()
	bad := func() {
		panic(fmt.Sprintf("brisk: Provide: provider %s returns %s; want T, (T, error) or (T, func(), error)", name, resultsString(t)))
	}
	shape := resultShape{value: true, errIndex: -1, cleanupIdx: -1}
	switch t.NumOut() {
	case 1:
	case 2:
		if t.Out(1) != errorType {
			bad()
		}
		shape.errIndex = 1
	case 3:
		if t.Out(1) != cleanupType || t.Out(2) != errorType {
			bad()
		}
		shape.cleanupIdx, shape.errIndex = 1, 2
	default:
		bad()
	}
	if t.Out(0) == errorType {
		bad()
	}
	shape.valueType = t.Out(0)
	return &provider{fn: v, typ: t.Out(0), name: name, results: shape}
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
		plan:      &routePlan{status: opts.status},
		slots:     make(map[*provider]int),
		seenParam: make(map[string]bool),
	}
	if c.plan.status == 0 {
		c.plan.status = http.StatusOK
	}
	c.markProvidedDependencies(opts)
	for _, dep := range opts.dependencies {
		if pd, ok := dep.(providedDependency); ok {
			c.needProvided(pd) // the provider's own step, once, in this place
			continue
		}
		c.plan.steps = append(c.plan.steps, c.compileCall(dep, roleDependency))
	}
	h := c.compileCall(handler, roleHandler)
	c.plan.steps = append(c.plan.steps, h)
	c.plan.handler = h
	c.plan.nslots = len(c.slots)
	for _, s := range c.plan.steps {
		c.plan.maxArgs = max(c.plan.maxArgs, len(s.binders))
	}
	c.describe(opts, handler, h)
	return c.plan
}

// providedDependency stands, in a route's dependencies, for a function that
// was the registered provider of typ when the route was registered. It runs
// as that type's provider, as FastAPI's dependencies=[Depends(f)] does: at
// most once per request, sharing its result with the parameters that ask for
// typ, and replaced by App.Override (which recompiles the route from its
// options, where the marker stays).
type providedDependency struct {
	typ  reflect.Type
	name string
}

// markProvidedDependencies replaces, in opts, each dependency that is the
// very function registered as the provider of its first result type by a
// providedDependency. Only the same function value counts: another closure
// of the same code (a provider factory called twice with different
// arguments) stays a dependency of its own.
func (c *compiler) markProvidedDependencies(opts *routeOptions) {
	var marked []any
	for i, dep := range opts.dependencies {
		v := reflect.ValueOf(dep)
		if v.Kind() != reflect.Func || v.IsNil() || v.Type().NumOut() == 0 {
			continue
		}
		p := c.router.lookup(v.Type().Out(0))
		if p == nil || p.fn.Type() != v.Type() || funcIdentity(dep) != funcIdentity(p.fn.Interface()) {
			continue
		}
		if marked == nil {
			marked = append([]any(nil), opts.dependencies...)
		}
		marked[i] = providedDependency{typ: p.typ, name: p.name}
	}
	if marked != nil {
		opts.dependencies = marked
	}
}

// funcIdentity is the func value held by fn (a non-nil func): the closure
// itself, not only its code, so two closures of one literal differ.
func funcIdentity(fn any) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&fn))[1]
}

// needProvided compiles a route dependency that is a registered provider:
// it becomes that provider's step (run once per request, its result kept for
// whoever asks for its type), with no call of its own.
func (c *compiler) needProvided(pd providedDependency) {
	p := c.router.lookup(pd.typ)
	if p == nil {
		panic(fmt.Sprintf("brisk: %s %s: dependency %s: no provider of %s is visible", c.method, c.pattern, pd.name, pd.typ))
	}
	c.need(p, func() string { return fmt.Sprintf("%s %s: dependency %s", c.method, c.pattern, pd.name) })
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
	name := funcName(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		panic(fmt.Sprintf("brisk: %s %s %s: %s is not a func", c.method, c.pattern, ro, name))
	}
	shape := c.checkResults(v.Type(), name, ro)
	return c.compileFunc(v, name, ro, shape, -1)
}

// checkResults validates the results of a handler or dependency.
func (c *compiler) checkResults(t reflect.Type, name string, ro role) resultShape {
	shape := resultShape{errIndex: -1, cleanupIdx: -1}
	bad := func() {
		want := "T, (T, error), error or nothing"
		if ro == roleDependency {
			want = "T, (T, error), (T, func(), error), error or nothing"
		}
		panic(fmt.Sprintf("brisk: %s %s: %s %s returns %s; want %s",
			c.method, c.pattern, ro, name, resultsString(t), want))
	}
	switch t.NumOut() {
	case 0:
	case 1:
		if t.Out(0) == errorType {
			shape.errIndex = 0
		} else {
			shape.value, shape.valueType = true, t.Out(0)
		}
	case 2:
		if t.Out(1) != errorType || t.Out(0) == errorType {
			bad()
		}
		shape.value, shape.valueType, shape.errIndex = true, t.Out(0), 1
	case 3:
		// A route dependency may have a provider's cleanup form, as FastAPI's
		// dependencies=[Depends(a_yield_dependency)].
		if ro != roleDependency || t.Out(1) != cleanupType || t.Out(2) != errorType || t.Out(0) == errorType {
			bad()
		}
		shape.value, shape.valueType, shape.cleanupIdx, shape.errIndex = true, t.Out(0), 1, 2
	default:
		bad()
	}
	if shape.value && ro == roleHandler {
		if k := shape.valueType.Kind(); k == reflect.Func || k == reflect.Chan || k == reflect.UnsafePointer || k == reflect.Complex64 || k == reflect.Complex128 {
			panic(fmt.Sprintf("brisk: %s %s: handler %s returns %s, which cannot be written as JSON", c.method, c.pattern, name, shape.valueType))
		}
	}
	return shape
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
			c.plan.exposesRequest = true
		case pt == writerType:
			cp.binders[i] = bindWriter
			c.plan.exposesRequest = true
			if ro == roleHandler {
				c.plan.writesOwn = true
			}
		case pt == tasksType:
			cp.binders[i] = bindTasks
		case prov != nil:
			s := c.need(prov, where)
			cp.deps = append(cp.deps, s)
			cp.binders[i] = bindSlot(s)
		case isRequestModel(pt):
			cp.binders[i], ranks[i] = c.modelBinder(pt, where), rankModel
		case isBodyType(pt):
			if bodies++; bodies > 1 {
				panic(fmt.Sprintf("brisk: %s: a second JSON body parameter; take one struct holding both", where()))
			}
			cp.binders[i], ranks[i] = c.bodyBinder(pt, where), rankBody
		case decode.IsScalar(pt):
			if positional >= len(c.pathNames) {
				panic(fmt.Sprintf("brisk: %s: takes path parameter %d but the pattern names %d (%v)",
					where(), positional+1, len(c.pathNames), c.pathNames))
			}
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
	cp := c.compileFunc(p.fn, p.name, roleProvider, p.results, -1)
	c.visiting = c.visiting[:len(c.visiting)-1]
	// The slot is numbered after the provider's own dependencies took theirs.
	slot := len(c.slots)
	cp.slot = slot
	c.slots[p] = slot
	c.plan.steps = append(c.plan.steps, cp)
	return slot
}

// Binders for the types Brisk provides itself.

func bindContext(st *reqState, _ http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
	st.ctx = r.Context()
	*out = st.ctxValue
	return true
}

func bindRequest(_ *reqState, _ http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
	*out = reflect.ValueOf(r)
	return true
}

func bindWriter(st *reqState, w http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
	st.writer = w
	*out = st.writerValue
	return true
}

func bindTasks(st *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
	*out = reflect.ValueOf(st.backgroundTasks())
	return true
}

func bindSlot(slot int) binder {
	return func(st *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
		if st.slotState[slot] != slotReady {
			return false
		}
		*out = st.slots[slot]
		return true
	}
}

// pathBinder binds the positional path parameter i, decoding it into
// per-request scratch memory when the type fits, so scalars cost no
// allocation.
func (c *compiler) pathBinder(t reflect.Type, i, scratch int) binder {
	dec, _, _ := decode.For(t)
	name := c.pathNames[i]
	alloc := scratchAllocator(t, scratch)
	return func(st *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
		raw := st.pathValue(i)
		v := alloc(st)
		st.one[0] = raw
		if err := dec(st.one[:], v.Addr().UnsafePointer()); err != nil {
			st.addDecodeError(err, raw, "path", name)
			return false
		}
		*out = v
		return true
	}
}

// scratchAllocator returns a func that gives a settable zero value of t,
// in the request state's scratch words when t is a string or fits a word.
func scratchAllocator(t reflect.Type, i int) func(*reqState) reflect.Value {
	if i < scratchSlots {
		switch t.Kind() {
		case reflect.String:
			if !reflect.PointerTo(t).Implements(unmarshalType) {
				return func(st *reqState) reflect.Value {
					st.strs[i] = ""
					return reflect.NewAt(t, unsafe.Pointer(&st.strs[i])).Elem()
				}
			}
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
			reflect.Float32, reflect.Float64:
			if !reflect.PointerTo(t).Implements(unmarshalType) {
				return func(st *reqState) reflect.Value {
					st.words[i] = 0
					return reflect.NewAt(t, unsafe.Pointer(&st.words[i])).Elem()
				}
			}
		}
	}
	return func(*reqState) reflect.Value { return reflect.New(t).Elem() }
}

// valueAllocator returns a func giving a pointer to a zero t for one
// request. Values passed by value are copied into the call, so the memory is
// the request state's own, reused request after request; a pointer type gets
// a fresh value, since its pointee is what the callee receives.
func (c *compiler) valueAllocator(t reflect.Type) func(*reqState) reflect.Value {
	if t.Kind() == reflect.Pointer {
		return func(*reqState) reflect.Value { return reflect.New(t) }
	}
	id := c.app.newScratchID()
	return func(st *reqState) reflect.Value { return st.scratchValue(id, t) }
}

// Request models.

// isRequestModel reports whether t (or what it points to) is a struct with a
// field tagged path, query, header, cookie or body.
func isRequestModel(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	for i := range t.NumField() {
		f := t.Field(i)
		for _, tag := range []string{"path", "query", "header", "cookie", "body"} {
			if _, ok := f.Tag.Lookup(tag); ok {
				return true
			}
		}
		if f.Anonymous && isRequestModel(f.Type) {
			return true
		}
	}
	return false
}

// isBodyType reports whether t is taken from the JSON body.
func isBodyType(t reflect.Type) bool {
	if decode.IsScalar(t) {
		return false
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return true
	case reflect.Pointer:
		return t.Elem().Kind() == reflect.Struct && !decode.IsScalar(t.Elem())
	}
	return false
}

// modelField is one bound field of a request model.
type modelField struct {
	goName   string // the Go field's name
	offset   uintptr
	source   string // "path", "query", "header", "cookie"
	name     string // the name on the wire
	key      string // the header's canonical key
	pathIdx  int
	decode   decode.Func
	def      []string // the default, as wire values; nil: none
	required bool
}

func (c *compiler) modelBinder(t reflect.Type, where func() string) binder {
	ptr := t.Kind() == reflect.Pointer
	st := t
	if ptr {
		st = t.Elem()
	}
	var fields []modelField
	var body binder
	var bodyOffset uintptr
	var walk func(t reflect.Type, base uintptr)
	walk = func(t reflect.Type, base uintptr) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct && !hasSourceTag(f) {
				walk(f.Type, base+f.Offset)
				continue
			}
			if !f.IsExported() {
				continue
			}
			if _, ok := f.Tag.Lookup("body"); ok || (f.Name == "Body" && !hasSourceTag(f)) {
				if body != nil {
					panic(fmt.Sprintf("brisk: %s: model %s has two body fields", where(), st))
				}
				fieldWhere := func() string { return fmt.Sprintf("%s, field %s", where(), f.Name) }
				body, bodyOffset = c.bodyBinder(f.Type, fieldWhere), base+f.Offset
				continue
			}
			if mf, ok := c.modelField(f, base, where); ok {
				fields = append(fields, mf)
			}
		}
	}
	walk(st, 0)
	v := c.app.validator
	validate := v.Has(st)
	if validate {
		if err := v.Verify(st); err != nil {
			panic(fmt.Sprintf("brisk: %s: model %s: bad validate rule: %v", where(), st, err))
		}
	}
	newValue := c.valueAllocator(st)
	if ptr {
		// The handler gets the pointer and may keep it: a fresh value each time.
		newValue = func(*reqState) reflect.Value { return reflect.New(st) }
	}
	return func(rs *reqState, w http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
		pv := newValue(rs)
		p := pv.UnsafePointer()
		ok := true
		first := len(rs.errs)
		for i := range fields {
			if !rs.bindField(&fields[i], unsafe.Add(p, fields[i].offset), r) {
				ok = false
			}
		}
		bodyFailed := false
		if body != nil {
			var bv reflect.Value
			if body(rs, w, r, &bv) {
				reflect.NewAt(bv.Type(), unsafe.Add(p, bodyOffset)).Elem().Set(bv)
			} else {
				ok, bodyFailed = false, true
				if rs.abort != nil {
					return false
				}
			}
		}
		if validate {
			for _, f := range v.Check(pv.Interface()) {
				field, loc := modelLoc(fields, f, body != nil)
				if field == nil && bodyFailed {
					// The body's own errors are reported; its zero value's
					// are not errors of the request.
					continue
				}
				if overlaps(rs.errs[first:], loc) {
					// The input did not decode (or was missing): its zero
					// value's rules say nothing more, as in pydantic.
					continue
				}
				it := f.Item(loc)
				if field != nil && len(f.Path) == 1 && it.Type != "missing" {
					if raw, found := rs.rawInput(field, r); found {
						it.Input = raw
					}
				}
				rs.addItem(it)
				ok = false
			}
		}
		if !ok {
			if len(rs.errs)-first > 1 {
				sortModelItems(rs.errs[first:], fields)
			}
			return false
		}
		if ptr {
			*out = pv
		} else {
			*out = pv.Elem()
		}
		return true
	}
}

// modelLoc maps a validation failure in a request model to its field and
// loc: the field's source and its name on the wire (a header's with hyphens
// for underscores), then the rest of the path.
func modelLoc(fields []modelField, f validation.Failure, hasBody bool) (*modelField, []any) {
	path := f.Path
	if len(path) == 0 {
		return nil, []any{"body"}
	}
	for i := range fields {
		if fields[i].goName == f.TopField {
			return &fields[i], append([]any{fields[i].source, fields[i].name}, path[1:]...)
		}
	}
	if hasBody {
		// The body field's own name is not on the wire.
		return nil, append([]any{"body"}, path[1:]...)
	}
	return nil, append([]any{"query"}, path...)
}

func hasSourceTag(f reflect.StructField) bool {
	for _, tag := range []string{"path", "query", "header", "cookie", "body"} {
		if _, ok := f.Tag.Lookup(tag); ok {
			return true
		}
	}
	return false
}

// modelField compiles one tagged field; untagged fields are left alone.
func (c *compiler) modelField(f reflect.StructField, base uintptr, where func() string) (modelField, bool) {
	mf := modelField{goName: f.Name, offset: base + f.Offset, pathIdx: -1}
	var tagOpts string
	for _, src := range []string{"path", "query", "header", "cookie"} {
		if tag, ok := f.Tag.Lookup(src); ok {
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			mf.source, mf.name, tagOpts = src, name, opts
			break
		}
	}
	if mf.source == "" {
		return mf, false
	}
	fieldWhere := fmt.Sprintf("%s, field %s (%s %q)", where(), f.Name, mf.source, mf.name)
	dec, shape, ok := decode.For(f.Type)
	if !ok {
		panic(fmt.Sprintf("brisk: %s: type %s cannot be read from a %s value", fieldWhere, f.Type, mf.source))
	}
	mf.decode = dec
	switch mf.source {
	case "path":
		if shape == decode.Slice {
			panic(fmt.Sprintf("brisk: %s: a path parameter cannot be a slice", fieldWhere))
		}
		mf.pathIdx = indexOf(c.pathNames, mf.name)
		if mf.pathIdx < 0 {
			panic(fmt.Sprintf("brisk: %s: the pattern %s has no parameter %q (it names %v)", fieldWhere, c.pattern, mf.name, c.pathNames))
		}
	case "header":
		// As FastAPI's Header(convert_underscores=True): user_agent is the
		// User-Agent header; with the "raw" option (convert_underscores=False)
		// the name is used as it is.
		if !hasTagOption(tagOpts, "raw") {
			mf.name = strings.ReplaceAll(mf.name, "_", "-")
		}
		mf.key = textproto.CanonicalMIMEHeaderKey(mf.name)
	}
	def, hasDef := f.Tag.Lookup("default")
	if hasDef {
		mf.def = []string{def}
		if shape == decode.Slice {
			// An empty default is an empty list (FastAPI's q: list = []).
			mf.def = []string{}
			if def != "" {
				mf.def = strings.Split(def, ",")
			}
		}
		probe := reflect.New(f.Type)
		if err := dec(mf.def, probe.UnsafePointer()); err != nil {
			panic(fmt.Sprintf("brisk: %s: default %q: %v", fieldWhere, def, err))
		}
	}
	mf.required = mf.source == "path" || (!hasDef && shape == decode.Scalar)
	c.addParam(openapi.Param{
		Name: mf.name, In: mf.source, Type: f.Type, Required: mf.required,
		Default: def, HasDefault: hasDef, Validate: f.Tag.Get("validate"), Description: f.Tag.Get("doc"),
	})
	return mf, true
}

// hasTagOption reports whether the comma-separated options of a tag hold opt.
func hasTagOption(opts, opt string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if strings.TrimSpace(o) == opt {
			return true
		}
	}
	return false
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// JSON bodies.

// bodyBinder binds the JSON body into a value of type t.
func (c *compiler) bodyBinder(t reflect.Type, where func() string) binder {
	dec, err := jsonbody.Compile(t)
	if err != nil {
		panic(fmt.Sprintf("brisk: %s: %v", where(), err))
	}
	if c.plan.op.Body == nil {
		c.plan.op.Body, c.plan.op.BodyRequired = t, dec.Required()
	}
	v := c.app.validator
	validate := v.Has(t)
	if validate {
		if err := v.Verify(t); err != nil {
			panic(fmt.Sprintf("brisk: %s: body %s: bad validate rule: %v", where(), t, err))
		}
	}
	optional := t.Kind() == reflect.Pointer
	newValue := c.valueAllocator(t)
	return func(st *reqState, _ http.ResponseWriter, r *http.Request, out *reflect.Value) bool {
		data, ok := st.readBody(r)
		if !ok {
			return false
		}
		if st.bodyNotJSON && len(data) > 0 {
			// FastAPI validates a body sent as another content type as the
			// text it is: a JSON string, which no body type accepts, so the
			// client gets 422 model_attributes_type with its text as input.
			data = quoteJSON(data)
		}
		if optional && isBlank(data) {
			*out = reflect.Zero(t)
			return true
		}
		pv := newValue(st)
		items := dec.Decode(data, pv.Interface())
		if validate && !hasType(items, "json_invalid") && !(len(items) == 1 && len(items[0].Loc) == 1) {
			decoded := len(items)
			for _, f := range v.Check(pv.Interface()) {
				loc := append([]any{"body"}, f.Path...)
				if overlaps(items[:decoded], loc) {
					// That part did not decode: its zero value's rules say
					// nothing more, as in pydantic.
					continue
				}
				items = append(items, f.Item(loc))
			}
		}
		if len(items) > 0 {
			sortBodyItems(t, items)
			for _, it := range items {
				st.addItem(it)
			}
			return false
		}
		*out = pv.Elem()
		return true
	}
}

// quoteJSON returns b as a JSON string.
func quoteJSON(b []byte) []byte {
	q, _ := json.Marshal(string(b)) // a string always marshals
	return q
}

func hasType(items []problem.Item, typ string) bool {
	for _, it := range items {
		if it.Type == typ {
			return true
		}
	}
	return false
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
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
	op.Status = c.plan.status
	if f := runtimeFunc(handler); f != "" {
		op.HandlerName = f
	}
	if h.results.value && h.results.valueType != responseType && h.results.valueType.Kind() != reflect.Interface {
		op.Response = h.results.valueType
	}
	op.CanFail422 = len(op.Params) > 0 || op.Body != nil
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

// resultsString renders a func type's results for messages.
func resultsString(t reflect.Type) string {
	if t.NumOut() == 0 {
		return "nothing"
	}
	parts := make([]string, t.NumOut())
	for i := range parts {
		parts[i] = t.Out(i).String()
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// errorOf extracts a non-nil error result.
func errorOf(out []reflect.Value, shape resultShape) error {
	if shape.errIndex < 0 {
		return nil
	}
	ev := out[shape.errIndex]
	if ev.IsNil() {
		return nil
	}
	return ev.Interface().(error)
}

// asHTTPError reports whether err is (or wraps) an HTTPError.
func asHTTPError(err error) (*HTTPError, bool) {
	var he *HTTPError
	ok := errors.As(err, &he)
	return he, ok
}

// serve runs the plan for one request: every call in order, collecting
// validation errors as FastAPI does (a call whose own inputs failed is
// skipped, the others still run), then the handler if nothing failed.
func (p *routePlan) serve(st *reqState, w http.ResponseWriter, r *http.Request) {
	st.prepare(p)
	args := st.args[:p.maxArgs]
	for _, c := range p.steps {
		if !st.depsReady(c) {
			st.markFailed(c)
			continue
		}
		ok := true
		firstErr := len(st.errs)
		for _, i := range c.order {
			if !c.binders[i](st, w, r, &args[i]) {
				ok = false
				if st.abort != nil {
					clear(args)
					st.app.writeError(st, w, r, st.abort)
					return
				}
			}
		}
		if !ok || (c == p.handler && len(st.errs) > 0) {
			if len(st.errs)-firstErr > 1 {
				sortBySource(st.errs[firstErr:])
			}
			clear(args)
			st.markFailed(c)
			continue
		}
		out := c.fn.Call(args[:len(c.binders)])
		clear(args)
		if err := errorOf(out, c.results); err != nil {
			st.app.writeError(st, w, r, err)
			return
		}
		if c.results.cleanupIdx >= 0 {
			if f := out[c.results.cleanupIdx]; !f.IsNil() {
				st.cleanups = append(st.cleanups, f.Interface().(func()))
			}
		}
		switch {
		case c.slot >= 0:
			st.slots[c.slot] = out[0]
			st.slotState[c.slot] = slotReady
		case c == p.handler:
			st.app.respond(st, p, w, out)
		}
	}
	if len(st.errs) > 0 {
		st.app.writeValidationErrors(st, w)
	}
}

// prepare sizes the request state for the plan.
func (st *reqState) prepare(p *routePlan) {
	if cap(st.args) < p.maxArgs {
		st.args = make([]reflect.Value, p.maxArgs)
	}
	st.args = st.args[:p.maxArgs]
	if cap(st.slots) < p.nslots {
		st.slots = make([]reflect.Value, p.nslots)
		st.slotState = make([]uint8, p.nslots)
	}
	st.slots = st.slots[:p.nslots]
	st.slotState = st.slotState[:p.nslots]
	clear(st.slotState)
}

func (st *reqState) depsReady(c *callPlan) bool {
	for _, s := range c.deps {
		if st.slotState[s] != slotReady {
			return false
		}
	}
	return true
}

func (st *reqState) markFailed(c *callPlan) {
	if c.slot >= 0 {
		st.slotState[c.slot] = slotFailed
	}
}
