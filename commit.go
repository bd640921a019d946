// Committing a request's work: provider results that must be stored before
// the response is sent (durable tasks, an outbox), and when that runs.

package brisk

import (
	"context"
	"net/http"
	"reflect"
)

// Committer is implemented by a provider's result that holds work the
// request must make durable before it answers: after the handler has
// returned without an error and before its response is written, Brisk calls
// Commit on every Committer that the request's dependency tree created, in
// the order their providers ran. An error from Commit is answered as the
// handler's error would be (an *HTTPError as its status, anything else a
// logged 500), and the request's background tasks are discarded; later
// Committers are not committed. So a 2xx means every Committer succeeded.
//
// Nothing is committed when a handler, a provider or a dependency failed:
// the work is dropped with the request, like its background tasks. For a
// handler that takes http.ResponseWriter and writes its own response, Commit
// runs after the handler returns, when part of that response may already
// have been sent: use a typed result when the order matters.
//
// A provider returning a value type whose Commit method has a pointer
// receiver (so the value is no Committer) panics at Provide: return the
// pointer.
//
// Package github.com/briskgo/brisk/durable builds durable background tasks
// on it.
type Committer interface {
	Commit(ctx context.Context) error
}

var committerType = reflect.TypeFor[Committer]()

// commitSlots lists, in the order their providers run, the slots of the
// plan's providers whose results implement Committer. Decided once, at
// registration: a route with none pays nothing per request.
func commitSlots(steps []*callPlan) []int {
	var slots []int
	for _, s := range steps {
		if s.slot >= 0 && s.fn.Type().Out(0).Implements(committerType) {
			slots = append(slots, s.slot)
		}
	}
	return slots
}

// commit runs Commit on the request's Committers, stopping at the first
// error.
func (st *reqState) commit(p *routePlan, r *http.Request) error {
	for _, s := range p.commits {
		if st.slotState[s] != slotReady {
			continue
		}
		v := st.slots[s]
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
			continue
		}
		if err := v.Interface().(Committer).Commit(r.Context()); err != nil {
			return err
		}
	}
	return nil
}
