package jsonbody

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// time.Duration reads as pydantic's timedelta: numbers are seconds.
func TestDuration(t *testing.T) {
	type Job struct {
		After time.Duration   `json:"after"`
		Every *time.Duration  `json:"every"`
		Steps []time.Duration `json:"steps"`
		Wait  time.Duration   `json:"wait" default:"1m30s"`
		N     int             `json:"n"`
	}
	v, items := decode[Job](t, `{"after": 300, "every": "PT1H", "steps": ["00:00:01.5", 2, "3s"], "n": "4"}`)
	require.Empty(t, items)
	assert.Equal(t, 300*time.Second, v.After)
	require.NotNil(t, v.Every)
	assert.Equal(t, time.Hour, *v.Every)
	assert.Equal(t, []time.Duration{1500 * time.Millisecond, 2 * time.Second, 3 * time.Second}, v.Steps)
	assert.Equal(t, 90*time.Second, v.Wait)
	assert.Equal(t, 4, v.N)

	_, items = decode[Job](t, `{"after": "soon", "steps": [1, true], "n": "x"}`)
	require.Len(t, items, 3)
	assert.Equal(t, "time_delta_parsing", items[0].Type)
	assert.Equal(t, []any{"body", "after"}, items[0].Loc)
	assert.Equal(t, "soon", items[0].Input)
	assert.Equal(t, item("time_delta_type", "Input should be a valid timedelta", true, "steps", 1), items[1])
	assert.Equal(t, "int_parsing", items[2].Type)

	_, items = decode[Job](t, `{"after": null}`)
	assert.Equal(t, "time_delta_type", items[0].Type)
}
