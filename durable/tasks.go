// Tasks: the durable tasks one request adds, inserted together when its
// handler succeeds.

package durable

import (
	"context"
	"sync"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/briskgo/brisk"
)

// Tasks is the list of durable tasks of one request, shared by every
// provider and the handler that ask for *durable.Tasks. It is a
// brisk.Committer: Brisk inserts the list, all or none, after the handler
// returns without an error and before the response is written, so a 2xx
// means the tasks are stored. On an error answer (a 422, an HTTPError, a
// panic) they are dropped, as brisk.BackgroundTasks are. If the insert fails
// the answer is 503 {"detail":"Service Unavailable"} and the cause is
// logged: nothing is lost silently.
type Tasks struct {
	q *Queue

	mu        sync.Mutex
	params    []river.InsertManyParams
	committed bool
	inserted  []*rivertype.JobInsertResult
}

var _ brisk.Committer = (*Tasks)(nil)

// Add adds a task, with River's insert options (nil for the defaults, or
// the args' own InsertOpts): Queue for another queue, ScheduledAt to run it
// later, MaxAttempts, UniqueOpts for idempotency (a task unique by its args
// is inserted once however often the request is retried).
//
// Adding a kind no worker of this process takes, or adding after the
// request has committed, is a programming error and panics.
func (t *Tasks) Add(args river.JobArgs, opts *river.InsertOpts) {
	t.q.checkKind(args)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.committed {
		panic("durable: Tasks.Add after the request committed its tasks; use Queue.Insert outside a request")
	}
	t.params = append(t.params, river.InsertManyParams{Args: args, InsertOpts: opts})
}

// Len reports how many tasks have been added.
func (t *Tasks) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.params)
}

// Inserted returns the rows of the inserted tasks (after the commit; nil
// before it), in the order they were added: for a cleanup or a log line
// that wants the tasks' ids.
func (t *Tasks) Inserted() []*rivertype.JobInsertResult {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.inserted
}

// Commit inserts the tasks in one transaction. Brisk calls it; see Tasks.
func (t *Tasks) Commit(ctx context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.committed = true
	if len(t.params) == 0 {
		return nil
	}
	res, err := t.q.b.insertMany(ctx, t.params)
	if err != nil {
		kinds := make([]string, len(t.params))
		for i, p := range t.params {
			kinds[i] = p.Args.Kind()
		}
		t.q.logger().ErrorContext(ctx, "durable: inserting the request's tasks failed; answering 503",
			"error", err, "kinds", kinds)
		return brisk.Error(503, nil)
	}
	t.inserted = res
	return nil
}
