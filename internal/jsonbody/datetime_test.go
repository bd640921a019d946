package jsonbody

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// time.Time reads in a body as a query parameter reads it: RFC 3339, a
// date alone (midnight UTC), pydantic's looser forms and timestamps, with
// the same errors.
func TestDatetimeAsQuery(t *testing.T) {
	type Event struct {
		At   time.Time   `json:"at"`
		Also []time.Time `json:"also"`
	}
	v, items := decode[Event](t, `{"at": "2024-01-02", "also": ["2024-01-02T03:04:05Z", "2024-01-02 03:04", 1700000000]}`)
	require.Empty(t, items)
	assert.Equal(t, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), v.At)
	assert.Equal(t, []time.Time{
		time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2024, 1, 2, 3, 4, 0, 0, time.UTC),
		time.Unix(1700000000, 0).UTC(),
	}, v.Also)

	_, items = decode[Event](t, `{"at": "2024-13-01", "also": [true]}`)
	require.Len(t, items, 2)
	assert.Equal(t, withCtx(item("datetime_from_date_parsing", "Input should be a valid datetime or date, month value is outside expected range of 1-12", "2024-13-01", "at"),
		map[string]any{"error": "month value is outside expected range of 1-12"}), items[0])
	assert.Equal(t, item("datetime_type", "Input should be a valid datetime", true, "also", 0), items[1])
}

type fakeUUID [16]byte

func (u *fakeUUID) UnmarshalText(b []byte) error {
	if len(b) != 36 {
		return errString("invalid length")
	}
	return nil
}

type errString string

func (e errString) Error() string { return string(e) }

// A UUID type's bad input is pydantic's uuid_parsing / uuid_type.
func TestUUIDErrors(t *testing.T) {
	type Body struct {
		ID fakeUUID `json:"id"`
	}
	_, items := decode[Body](t, `{"id": "nope"}`)
	require.Len(t, items, 1)
	assert.Equal(t, withCtx(item("uuid_parsing", "Input should be a valid UUID, invalid length", "nope", "id"), map[string]any{"error": "invalid length"}), items[0])
	_, items = decode[Body](t, `{"id": 5}`)
	require.Len(t, items, 1)
	assert.Equal(t, "uuid_type", items[0].Type)
}
