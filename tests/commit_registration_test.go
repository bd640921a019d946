// Registration catches a provider whose result would silently never be
// committed: a value type whose Commit method has a pointer receiver.

package tests

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

type pointerCommitter struct{ done bool }

func (p *pointerCommitter) Commit(context.Context) error { p.done = true; return nil }

func TestProvideValueOfPointerCommitterPanics(t *testing.T) {
	app := brisk.New()
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		app.Provide(func() pointerCommitter { return pointerCommitter{} })
		return ""
	}()
	require.Contains(t, msg, "brisk: Provide: provider")
	assert.Contains(t, msg, "pointer receiver")
	assert.Contains(t, msg, "return *tests.pointerCommitter")

	// The pointer is a Committer: accepted.
	assert.NotPanics(t, func() {
		app.Provide(func() *pointerCommitter { return &pointerCommitter{} })
	})
}
