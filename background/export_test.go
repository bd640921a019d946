package background

// SameStorage reports whether a and b hold their tasks in the same list: that
// NewTasks reused a's for b.
func SameStorage(a, b *Tasks) bool {
	la := a.load()
	return la != nil && la == b.load()
}
