package funcname

import (
	"regexp"
	"testing"
)

func named() {}

type recv struct{}

func (recv) method() {}

func TestOf(t *testing.T) {
	var nilFunc func()
	for _, c := range []struct {
		fn   any
		want string
	}{
		{named, "github.com/briskgo/brisk/internal/funcname.named"},
		{recv{}.method, "github.com/briskgo/brisk/internal/funcname.recv.method-fm"},
		{func() {}, "github.com/briskgo/brisk/internal/funcname.TestOf.func1"},
		{nilFunc, "func()"},
		{42, "int"},
		{nil, "<nil>"},
	} {
		if got := Of(c.fn); got != c.want {
			t.Errorf("Of(%T) = %q, want %q", c.fn, got, c.want)
		}
	}
}

func TestWithLine(t *testing.T) {
	got := WithLine(named)
	if !regexp.MustCompile(`^github\.com/briskgo/brisk/internal/funcname\.named \(.*funcname_test\.go:8\)$`).MatchString(got) {
		t.Errorf("WithLine(named) = %q", got)
	}
	if got := WithLine("x"); got != "string" {
		t.Errorf("WithLine(string) = %q", got)
	}
}
