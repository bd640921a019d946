package tests

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// A 422 cut at its item cap still tells, through ProblemDetails, how many
// inputs failed: the closing too_many_errors item is not one of them, the
// ones it counts are.
func TestProblemDetailsCountsTheInputsACutListLeftOut(t *testing.T) {
	app, _ := quietApp()
	app.HandleError(brisk.ProblemDetails)
	app.Get("/n", func(in struct {
		N []int `query:"n"`
	}) int {
		return len(in.N)
	})
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/n?" + strings.Repeat("n=x&", 1500) + "n=x"})
	require.Equal(t, 422, res.Status)
	var p struct {
		Detail string           `json:"detail"`
		Errors []map[string]any `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &p))
	require.NotEmpty(t, p.Errors)
	last := p.Errors[len(p.Errors)-1]
	assert.Equal(t, "too_many_errors", last["type"])
	assert.Equal(t, "1501 inputs are invalid", p.Detail)

	res = send(t, srv, request{Path: "/n?n=x&n=1&n=y"})
	require.Equal(t, 422, res.Status)
	require.NoError(t, json.Unmarshal([]byte(res.Body), &p))
	assert.Equal(t, "2 inputs are invalid", p.Detail)
}
