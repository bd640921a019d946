package background

// SameStorage reports whether a and b hold their tasks in the same list: that
// NewTasks reused a's for b.
func SameStorage(a, b *Tasks) bool {
	la := a.load()
	return la != nil && la == b.load()
}

// NewTasks is newTasks, for the tests outside the package.
func (r *Runner) NewTasks() *Tasks { return r.newTasks() }

// Pending is pendingLists, for the tests outside the package.
func (r *Runner) Pending() int { return r.pendingLists() }

// Reservation is what reserve reserved, with what start needs; its zero
// value starts nothing.
type Reservation struct {
	r            *Runner
	t            *Tasks
	n            int
	after        func()
	wait         <-chan struct{}
	method, path string
}

// Reserve is reserve, kept with start's arguments for Start.
func (r *Runner) Reserve(t *Tasks, after func(), wait <-chan struct{}, method, path string) Reservation {
	n := r.reserve(t, after, method, path)
	if n < 0 {
		return Reservation{}
	}
	return Reservation{r, t, n, after, wait, method, path}
}

// Start is start.
func (res Reservation) Start() {
	if res.r != nil {
		res.r.start(res.t, res.n, res.after, res.wait, res.method, res.path)
	}
}
