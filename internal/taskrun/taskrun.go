// Package taskrun is the App's bridge to the parts of package background
// that only the App uses: pooled task lists, reserving a list before its
// response is flushed and starting it after, and the count of pending
// lists. They stay out of background's public API; background fills the
// hooks in its init (this package cannot name background's types, as
// background imports it, hence the type parameters).
package taskrun

// Hooks are the operations on a runner R and its task lists T.
type Hooks[R, T any] struct {
	// NewTasks returns an empty list whose storage the runner reuses once
	// the list has run.
	NewTasks func(r *R) *T
	// Reserve closes t and counts it (and after) as pending, so that a
	// Shutdown waits for it, without starting it. It returns what Start
	// needs: the number of t's tasks to run, -1 if nothing was reserved.
	Reserve func(r *R, t *T, after func(), method, path string) int
	// Start starts what Reserve reserved, given its result and the same t,
	// after, method and path; the list waits for wait, if not nil.
	Start func(r *R, t *T, n int, after func(), wait <-chan struct{}, method, path string)
	// Pending reports the lists reserved and not yet finished.
	Pending func(r *R) int
}

var hooks any

// Set installs the hooks. Package background calls it in its init.
func Set[R, T any](h Hooks[R, T]) { hooks = h }

// Get returns the hooks Set installed for R and T. It panics if there are
// none: package background, which sets them, was not initialised first.
func Get[R, T any]() Hooks[R, T] {
	h, ok := hooks.(Hooks[R, T])
	if !ok {
		panic("taskrun: no hooks set for these types")
	}
	return h
}
