package validation

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPatternRule(t *testing.T) {
	type Q struct {
		Q   string  `query:"q" validate:"pattern=^fixed(query0x7Cx)$"`
		Alt *string `query:"alt" validate:"regexp=a0x2Cb"`
	}
	v := New()
	require.NoError(t, v.Verify(reflect.TypeFor[Q]()))
	assert.Empty(t, v.Check(Q{Q: "fixedquery"}))
	alt := "xa,by"
	assert.Empty(t, v.Check(Q{Q: "fixedx", Alt: &alt}), "unanchored: a match anywhere")

	bad := "ab"
	fs := v.Check(Q{Q: "nonregexquery", Alt: &bad})
	require.Len(t, fs, 2)
	it := fs[0].Item([]any{"query", "q"})
	assert.Equal(t, "string_pattern_mismatch", it.Type)
	assert.Equal(t, "String should match pattern '^fixed(query|x)$'", it.Msg)
	assert.Equal(t, map[string]any{"pattern": "^fixed(query|x)$"}, it.Ctx)
	assert.Equal(t, "nonregexquery", it.Input)
	assert.Equal(t, map[string]any{"pattern": "a,b"}, fs[1].Item(nil).Ctx)
}

func TestNilPointerSkipsRules(t *testing.T) {
	type B struct {
		Desc *string `json:"desc" validate:"max=3"`
		Req  *string `json:"req" validate:"required,min=3"`
	}
	v := New()
	fs := v.Check(B{})
	require.Len(t, fs, 1)
	assert.Equal(t, "required", fs[0].Tag)
	long, short := "long", "ab"
	fs = v.Check(B{Desc: &long, Req: &short})
	require.Len(t, fs, 2)
	assert.Equal(t, []any{"desc"}, fs[0].Path)
	assert.Equal(t, []any{"req"}, fs[1].Path)
}

func TestVerify(t *testing.T) {
	v := New()
	assert.ErrorContains(t, v.Verify(reflect.TypeFor[struct {
		A string `validate:"minlen=3"`
	}]()), "minlen")
	assert.ErrorContains(t, v.Verify(reflect.TypeFor[struct {
		Inner struct {
			A string `validate:"pattern=("`
		}
	}]()), "pattern")
	assert.NoError(t, v.Verify(reflect.TypeFor[*Item]()))
	assert.NoError(t, v.Verify(reflect.TypeFor[[]Item]()))
}
