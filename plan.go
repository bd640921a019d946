// Running a route's plan for one request: every call in order, then the
// handler, collecting 422 details as FastAPI does.

package brisk

import (
	"net/http"
	"reflect"
)

// Provider slot states.
const (
	slotPending uint8 = iota
	slotReady
	slotFailed
)

// serve runs the plan for one request: every call in order, collecting
// validation errors as FastAPI does (a call whose own inputs failed is
// skipped, the others still run), then the handler if nothing failed.
func (p *routePlan) serve(st *reqState, w http.ResponseWriter, r *http.Request) {
	if p.ws != nil && !p.ws.handshake(w, r) {
		return
	}
	st.prepare(p)
	st.bodyLimit = p.maxBody
	args := st.args[:p.maxArgs]
	for _, c := range p.steps {
		// A call whose dependencies failed is not run, but its own inputs
		// are still read and checked: every error of the tree is reported
		// together, the dependencies' first, as FastAPI does.
		ok := st.depsReady(c)
		firstErr := len(st.errs)
		for _, i := range c.order {
			if !c.binders[i](st, w, r, &args[i]) {
				ok = false
				if st.abort != nil {
					clear(args)
					p.answerError(st, w, r, st.abort.clone())
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
		if c == p.handler && p.ws != nil {
			p.ws.serve(st, c, args[:len(c.binders)], w, r)
			clear(args)
			return
		}
		if c.direct != nil {
			clear(args)
			v, err := c.direct(st, r)
			if err != nil {
				p.answerError(st, w, r, err)
				return
			}
			st.slots[c.slot] = v
			st.slotState[c.slot] = slotReady
			continue
		}
		out := c.fn.Call(args[:len(c.binders)])
		clear(args)
		// A cleanup returned with an error still runs: the provider may
		// have opened something before it failed.
		if c.results.cleanupIdx >= 0 {
			if f := out[c.results.cleanupIdx]; !f.IsNil() {
				st.addCleanup(f.Interface().(func()))
			}
		}
		if err := errorOf(out, c.results); err != nil {
			p.answerError(st, w, r, err)
			return
		}
		switch {
		case c.slot >= 0:
			st.slots[c.slot] = out[0]
			st.slotState[c.slot] = slotReady
		case c == p.handler:
			if len(p.commits) > 0 {
				if err := st.commit(p, r); err != nil {
					p.answerError(st, w, r, err)
					return
				}
			}
			st.app.respond(st, p, w, r, out)
		}
	}
	if len(st.errs) > 0 {
		st.capErrors(r)
		if p.ws != nil {
			p.ws.reject(st, w, r, nil)
			return
		}
		st.app.writeValidationErrors(st, p.router, w, r)
	}
}

// answerError answers an error from a dependency or the handler: as the
// route's error handlers say, or, on a WebSocket route, by closing the
// connection.
func (p *routePlan) answerError(st *reqState, w http.ResponseWriter, r *http.Request, err error) {
	if p.ws != nil {
		p.ws.reject(st, w, r, err)
		return
	}
	st.app.writeError(st, p.router, w, r, err)
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
