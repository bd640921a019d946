package jsonbody

import (
	"bytes"
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeAny reads inputs as a json.Decoder with UseNumber does.
func TestDecodeAnyMatchesEncodingJSON(t *testing.T) {
	for _, raw := range []string{
		`1`, `-0.5e+10`, `1e400`, `"x"`, `""`, `true`, `false`, `null`, ` [ ] `, `{}`,
		`{"a":1,"b":[1,"2",{"c":null}]}`, `{"a":1,"a":2}`, `{"a":{"b":1},"a":{"c":2}}`,
		`"\u00e9\n\t\"\\\/"`, `"\ud83d\ude00"`, `"\ud83d"`, "\"\xff\xfe\"", "{\"\xffk\":1,\"\\u00ffk\":2}",
		`{"k\u0041":1,"kA":2}`, `[[[[[]]]]]`, `{"a":[{"b":{"c":[1,2,3]}}]}`, "\t{\"a\" : [ 1 , 2 ] }\n",
	} {
		dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
		dec.UseNumber()
		var want any
		require.NoError(t, dec.Decode(&want), raw)
		data := []byte(raw)
		assert.Equal(t, want, decodeAny(data, 0, len(data), buildSpans(data)), "%q", raw)
		assert.Equal(t, want, decodeAny(data, 0, len(data), nil), "%q without spans", raw)
	}
	// Not JSON: the text itself, as before.
	assert.Equal(t, "nope", decodeAny([]byte("nope"), 0, 4, nil))
}

// A body whose one key is repeated with wrong values is reported with one
// item, allocating memory in proportion to the body, not to the repeats
// times a decoder.
func TestDuplicateKeysAllocateLinearly(t *testing.T) {
	type inner struct {
		B int `json:"b"`
	}
	type dup struct {
		A int            `json:"a"`
		N inner          `json:"n"`
		M map[string]int `json:"m"`
	}
	d, err := Compile(reflect.TypeFor[dup]())
	require.NoError(t, err)
	for name, body := range map[string]string{
		"scalar": `{` + strings.Repeat(`"a":"x",`, 20000) + `"n":{"b":1}}`,
		"object": `{"a":1,` + strings.Repeat(`"n":{"b":"x"},`, 20000) + `"n":{"b":"x"}}`,
		"map":    `{"a":1,"n":{"b":1},"m":{` + strings.Repeat(`"k":"x",`, 20000) + `"k":"x"}}`,
	} {
		data := []byte(body)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		items := d.Decode(data, new(dup))
		runtime.ReadMemStats(&after)
		require.Len(t, items, 1, name)
		perByte := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(data))
		t.Logf("%s: %.1f bytes allocated per body byte", name, perByte)
		assert.Less(t, perByte, 40.0, name)
	}
}
