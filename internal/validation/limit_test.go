package validation

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// CheckLimit builds the first failures, in Check's order, and counts the
// rest; across a walked slice too.
func TestCheckLimit(t *testing.T) {
	type nums struct {
		N []int `json:"n" validate:"dive,min=1"`
	}
	v := New()
	val := &nums{N: make([]int, 10)}
	all := v.Check(val)
	assert.Len(t, all, 10)
	some, more := v.CheckLimit(val, 3)
	assert.Equal(t, all[:3], some)
	assert.Equal(t, 7, more)
	none, more := v.CheckLimit(val, 0)
	assert.Empty(t, none)
	assert.Equal(t, 10, more)
	every, more := v.CheckLimit(val, -1)
	assert.Equal(t, all, every)
	assert.Zero(t, more)

	list := []nums{{N: []int{0, 0}}, {N: []int{0, 5, 0}}}
	some, more = v.CheckLimit(list, 3)
	assert.Equal(t, [][]any{{0, "n", 0}, {0, "n", 1}, {1, "n", 0}}, [][]any{some[0].Path, some[1].Path, some[2].Path})
	assert.Equal(t, 1, more)
}
