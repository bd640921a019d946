// Providers: registering one, and route dependencies that are registered
// providers (run as the provider's own step).

package brisk

import (
	"fmt"
	"net/http"
	"reflect"
	"unsafe"

	"github.com/briskgo/brisk/internal/funcname"
)

// provider is a registered provider func, not yet compiled: its parameters
// are resolved per route, against the route's path and scope.
type provider struct {
	fn      reflect.Value
	typ     reflect.Type
	name    string
	results resultShape
	sec     securityOf // its scheme and scopes (SecurityProvider, Scoped)
}

func newProvider(fn any) *provider {
	fn, sec := unwrapDependency(fn)
	v := reflect.ValueOf(fn)
	name := funcname.WithLine(fn)
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
	if out := t.Out(0); unnamedBuiltin(out) {
		panic(fmt.Sprintf("brisk: Provide: provider %s returns %s, a built-in type: it would replace every parameter of that type "+
			"(path parameters, bodies) in the routes it reaches; declare a named type (type Token %s) and return that", name, out, out))
	}
	if out := t.Out(0); out.Kind() != reflect.Interface && !out.Implements(committerType) && reflect.PointerTo(out).Implements(committerType) {
		panic(fmt.Sprintf("brisk: Provide: provider %s returns %s, whose Commit method has a pointer receiver: %s is no Committer, "+
			"so it would never be committed; return *%s", name, out, out, out))
	}
	shape.valueType = t.Out(0)
	return &provider{fn: v, typ: t.Out(0), name: name, results: shape, sec: sec}
}

// replacing is p as the Override of old: a p that declares no security
// keeps old's scheme and scopes.
func (p *provider) replacing(old *provider) *provider {
	if p.sec.scheme != nil || p.sec.scopes != nil {
		return p
	}
	q := *p
	q.sec = old.sec
	return &q
}

// providedDependency stands, in a route's dependencies, for a function that
// was the registered provider of typ when the route was registered. It runs
// as that type's provider, as FastAPI's dependencies=[Depends(f)] does: at
// most once per request, sharing its result with the parameters that ask for
// typ, and replaced by App.Override (which recompiles the route from its
// options, where the marker stays).
type providedDependency struct {
	typ    reflect.Type
	name   string
	scopes []string // given with Scoped
}

// markProvidedDependencies replaces, in opts, each dependency that is the
// very function registered as the provider of its first result type by a
// providedDependency. Only the same function value counts: another closure
// of the same code (a provider factory called twice with different
// arguments) stays a dependency of its own.
func (c *compiler) markProvidedDependencies(opts *routeOptions) {
	var marked []any
	for i, dep := range opts.dependencies {
		if _, done := dep.(providedDependency); done {
			continue
		}
		fn, sec := unwrapDependency(dep)
		v := reflect.ValueOf(fn)
		if v.Kind() != reflect.Func || v.IsNil() || v.Type().NumOut() == 0 {
			continue
		}
		p := c.router.lookup(v.Type().Out(0))
		if p == nil || p.fn.Type() != v.Type() {
			continue
		}
		if sec.src != nil {
			// A scheme is the provider when it is the scheme provided.
			if p.sec.src == nil || reflect.TypeOf(p.sec.src) != reflect.TypeOf(sec.src) || !reflect.DeepEqual(p.sec.src, sec.src) {
				continue
			}
		} else if funcIdentity(fn) != funcIdentity(p.fn.Interface()) {
			continue
		}
		if marked == nil {
			marked = append([]any(nil), opts.dependencies...)
		}
		marked[i] = providedDependency{typ: p.typ, name: p.name, scopes: sec.scopes}
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
func (c *compiler) needProvided(pd providedDependency) *callPlan {
	p := c.router.lookup(pd.typ)
	if p == nil {
		panic(fmt.Sprintf("brisk: %s %s: dependency %s: no provider of %s is visible", c.method, c.pattern, pd.name, pd.typ))
	}
	slot := c.need(p, func() string { return fmt.Sprintf("%s %s: dependency %s", c.method, c.pattern, pd.name) })
	for _, s := range c.plan.steps {
		if s.slot == slot {
			return s
		}
	}
	panic("brisk: internal error: a provider's step is missing")
}

// firstResult is the type of fn's first result; nil when fn is not a func
// or returns nothing.
func firstResult(fn any) reflect.Type {
	t := reflect.TypeOf(fn)
	if t == nil || t.Kind() != reflect.Func || t.NumOut() == 0 {
		return nil
	}
	return t.Out(0)
}

// unnamedBuiltin reports the types a provider may not return: predeclared
// ones (string, int, bool, …) and unnamed slices, maps and arrays, which
// mean path parameters and JSON bodies everywhere else.
func unnamedBuiltin(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Array:
		return t.Name() == ""
	case reflect.Pointer, reflect.Interface, reflect.Struct, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return false
	}
	return t.PkgPath() == ""
}

// inferredParam is a parameter a route binds from the request by its type.
type inferredParam struct {
	typ   reflect.Type
	where string // the route, function and parameter, for messages
}

func (c *compiler) infer(t reflect.Type, where func() string) {
	c.plan.inferred = append(c.plan.inferred, inferredParam{typ: t, where: where()})
}

// checkProvidedLate panics when p, about to be provided on rt, would have
// applied to a route already registered under rt that took p's type from
// the request instead: providers must come before the routes that use them,
// and the mistake is otherwise silent (a provided *sql.DB read from the
// body, a provided string replacing a path parameter).
func (a *App) checkProvidedLate(rt *Router, p *provider) {
	for _, r := range a.all {
		if !r.router.within(rt) {
			continue
		}
		plan := r.plan.Load()
		if plan == nil {
			continue
		}
		for _, in := range plan.inferred {
			if in.typ == p.typ {
				panic(fmt.Sprintf("brisk: Provide: provider %s of %s is registered after the route that takes it: %s reads it from the request "+
					"(as a request model, JSON body or path parameter); register providers before their routes", p.name, p.typ, in.where))
			}
		}
	}
}

// within reports whether rt is r or one of r's nested groups.
func (rt *Router) within(r *Router) bool {
	for x := rt; x != nil; x = x.parent {
		if x == r {
			return true
		}
	}
	return false
}

// stringRequestFunc is the calling shape of a provider
// func(*http.Request) (K, error) whose K is of kind string (a token, an API
// key): K and string are laid out alike, so such a func is called as this
// type.
type stringRequestFunc = func(*http.Request) (string, error)

// directCall returns, for a provider of that shape, a step that calls it
// without reflection and keeps its result in the request state's scratch
// memory: reading a credential (every scheme of package security) costs no
// allocation. nil for any other provider.
func (c *compiler) directCall(p *provider) func(*reqState, *http.Request) (reflect.Value, error) {
	t := p.fn.Type()
	if t.NumIn() != 1 || t.In(0) != requestType || t.NumOut() != 2 || t.Out(1) != errorType || t.Out(0).Kind() != reflect.String {
		return nil
	}
	k := t.Out(0)
	var f stringRequestFunc
	*(*unsafe.Pointer)(unsafe.Pointer(&f)) = funcIdentity(p.fn.Interface())
	id := c.app.newScratchID()
	return func(st *reqState, r *http.Request) (reflect.Value, error) {
		s, err := f(r)
		if err != nil {
			return reflect.Value{}, err
		}
		v := st.scratchValue(id, k).Elem()
		v.SetString(s)
		return v, nil
	}
}
