package jsonbody

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/briskgo/brisk/internal/problem"
)

// fuzzPlain has no defaults, so a body Decode accepts must decode exactly
// as json.Unmarshal decodes it.
type fuzzPlain struct {
	Base
	Name   string           `json:"name"`
	Count  int8             `json:"count"`
	Price  float32          `json:"price,omitempty"`
	U      uint16           `json:"u,omitempty"`
	Ok     bool             `json:"ok,omitempty"`
	Tags   []string         `json:"tags"`
	Inner  Inner            `json:"inner,omitzero"`
	PInner *Inner           `json:"pinner"`
	Items  []Item           `json:"items"`
	ByKey  map[string]Inner `json:"by_key"`
	IntKey map[int8]int     `json:"int_key"`
	Arr    [2]Inner         `json:"arr,omitzero"`
	Any    any              `json:"any"`
	Num    json.Number      `json:"num,omitempty"`
	Bytes  []byte           `json:"bytes"`
	Q      int              `json:"q,omitempty,string"`
	QS     *string          `json:"qs,string"`
	QB     bool             `json:"qb,omitempty,string"`
	QF     float64          `json:"qf,omitempty,string"`
}

// fuzzDefaults has defaults at several depths.
type fuzzDefaults struct {
	Lines []Line          `json:"lines"`
	ByID  map[string]Line `json:"by_id"`
	Main  *Line           `json:"main"`
	Count int             `json:"count" default:"3"`
	Tags  []string        `json:"tags" default:"[\"a\"]"`
	Node  *Node           `json:"node"`
}

var fuzzSeeds = []string{
	``, ` `, `null`, `{}`, `[]`, `"x"`, `1`, `true`,
	`{"id":1,"created":"c","name":"n","count":1}`,
	`{"id":"x","created":1,"name":null,"count":300,"price":"1","u":-1,"ok":"yes"}`,
	`{"tags":["a",1],"inner":{"x":1.5},"pinner":{},"items":[{"name":"a","price":1},{}],"by_key":{"k":{}},"int_key":{"x":1,"300":2,"1":"y"}}`,
	`{"arr":[{"x":1},null,{"y":2}],"any":{"a":[1,{"b":null}]},"num":"1e5","bytes":"aGk=","q":"12","qs":"\"s\"","qb":"true","qf":"1.5"}`,
	`{"num":"x","bytes":"!!","q":12,"qs":"s","qb":"maybe","qf":"x"}`,
	`{"ID":1,"CREATED":"c","Name":"n","COUNT":1,"n\u0061me":"m"}`,
	`{"id":1,"id":"x","created":"c","created":null,"name":"n","count":1}`,
	`{"lines":[{"sku":"a"},{"qty":2},null],"by_id":{"a":{"sku":"a"},"a":{}},"main":{"sku":"m"},"count":null,"tags":null}`,
	`{"node":{"name":"a","children":[{"name":"b"},{}],"next":{"name":"c"}}}`,
	`{some broken json}`, `{"a":`, `[1,2`, `{"a":"\u00`, `{"a":1}}`, `{"a" 1}`,
}

func FuzzDecode(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	decoders := []struct {
		d     *Decoder
		exact bool // no defaults: Decode's value must be json.Unmarshal's
	}{
		{mustCompile(f, reflect.TypeFor[fuzzPlain]()), true},
		{mustCompile(f, reflect.TypeFor[*fuzzPlain]()), true},
		{mustCompile(f, reflect.TypeFor[[]Item]()), true},
		{mustCompile(f, reflect.TypeFor[map[string]Inner]()), true},
		{mustCompile(f, reflect.TypeFor[fuzzDefaults]()), false},
		{mustCompile(f, reflect.TypeFor[any]()), true},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, dec := range decoders {
			checkDecode(t, dec.d, dec.exact, data)
		}
	})
}

func mustCompile(f *testing.F, t reflect.Type) *Decoder {
	d, err := Compile(t)
	if err != nil {
		f.Fatal(err)
	}
	return d
}

// checkDecode checks Decode's invariants on one body.
func checkDecode(t *testing.T, d *Decoder, exact bool, data []byte) {
	dst := reflect.New(d.Type())
	items := d.Decode(data, dst.Interface())

	plain := reflect.New(d.Type())
	plainErr := json.Unmarshal(data, plain.Interface())
	blank := skipSpace(data, 0) == len(data)
	isNull := !blank && plainErr == nil && data[skipSpace(data, 0)] == 'n'

	sent := data
	if plainErr != nil && json.Valid(data) {
		// Scalars pydantic's lax mode converts: Decode reads the body as
		// if they had been sent as plain literals.
		if fixed, _ := coerce(d.root, data, buildSpans(data), skipSpace(data, 0)); fixed != nil {
			data = fixed
			plain = reflect.New(d.Type())
			plainErr = json.Unmarshal(data, plain.Interface())
		}
	}
	switch {
	case blank || isNull:
		if d.Required() {
			if !reflect.DeepEqual(items, []problem.Item{problem.Missing(nil, "body")}) {
				t.Fatalf("%v: %q: want missing body, got %v", d.Type(), data, items)
			}
		} else if items != nil {
			t.Fatalf("%v: %q: optional body: got %v", d.Type(), data, items)
		}
		return
	case !json.Valid(data):
		if len(items) != 1 || items[0].Type != "json_invalid" {
			t.Fatalf("%v: %q: want one json_invalid, got %v", d.Type(), data, items)
		}
		return
	case plainErr != nil && len(items) == 0:
		t.Fatalf("%v: %q: json.Unmarshal failed (%v) but Decode reported nothing", d.Type(), data, plainErr)
	}
	if items == nil && exact && !reflect.DeepEqual(dst.Interface(), plain.Interface()) {
		t.Fatalf("%v: %q: Decode and json.Unmarshal differ:\n%#v\n%#v", d.Type(), data, dst.Elem(), plain.Elem())
	}
	if items == nil {
		// The error walk, written apart from the presence scan and from
		// encoding/json, must find nothing wrong either: report then
		// returns its fallback alone.
		found := report(d.root, data, buildSpans(data), skipSpace(data, 0), nil, nil)
		if len(found) != 1 || found[0].Type != "value_error" || len(found[0].Loc) != 1 {
			t.Fatalf("%v: %q: accepted, but the error walk finds %v", d.Type(), data, found)
		}
	}
	seen := map[string]bool{}
	for _, it := range items {
		if len(it.Loc) == 0 || it.Loc[0] != "body" || it.Type == "" || it.Msg == "" {
			t.Fatalf("%v: %q: malformed item %#v", d.Type(), data, it)
		}
		if it.Type == "value_error" && len(it.Loc) == 1 || it.Type == "json_invalid" {
			// A value_error at ["body"] is the fallback for what the walk
			// did not find.
			t.Fatalf("%v: %q: unexpected %s: %#v (json.Unmarshal: %v)", d.Type(), data, it.Type, it, plainErr)
		}
		k := fmt.Sprintf("%#v", it.Loc)
		if seen[k] {
			t.Fatalf("%v: %q: loc %v reported twice: %v", d.Type(), data, it.Loc, items)
		}
		seen[k] = true
	}
	if _, err := json.Marshal(items); err != nil {
		t.Fatalf("%v: %q: items do not marshal: %v", d.Type(), data, err)
	}
	checkFastSlow(t, d, data)
	again := d.Decode(sent, reflect.New(d.Type()).Interface())
	if !reflect.DeepEqual(items, again) {
		t.Fatalf("%v: %q: not deterministic:\n%v\n%v", d.Type(), data, items, again)
	}
}

// checkFastSlow checks that the fast and the slow presence scans agree on
// a body encoding/json accepts, wherever the fast one does not hand over
// to the slow one: same verdict, same defaults written.
func checkFastSlow(t *testing.T, d *Decoder, data []byte) {
	start := skipSpace(data, 0)
	if start == len(data) || data[start] == 'n' || !d.root.needScan {
		return
	}
	fast, slow := reflect.New(d.Type()), reflect.New(d.Type())
	if json.Unmarshal(data, fast.Interface()) != nil || json.Unmarshal(data, slow.Interface()) != nil {
		return
	}
	_, st := fastValue(d.root, data, start, fast.UnsafePointer())
	if st == scanRedo {
		return
	}
	ok := slowValue(d.root, data, buildSpans(data), start, slow.UnsafePointer())
	if ok != (st == scanOK) {
		t.Fatalf("%v: %q: fast scan %v, slow scan ok=%v", d.Type(), data, st, ok)
	}
	if ok && !reflect.DeepEqual(fast.Interface(), slow.Interface()) {
		t.Fatalf("%v: %q: fast and slow scans wrote different values:\n%#v\n%#v", d.Type(), data, fast.Elem(), slow.Elem())
	}
}

// TestRandomBodies feeds checkDecode bodies made from the types' own
// shapes: right and wrong JSON types, nulls, missing and duplicate keys,
// keys in other cases or escaped, unknown keys. Each body has its own rate
// of mistakes, from none to many.
func TestRandomBodies(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fields := map[reflect.Type][]field{}
	n := 1500 // per type; raise it when changing the scanners
	if testing.Short() {
		n = 300
	}
	for _, typ := range []reflect.Type{
		reflect.TypeFor[fuzzPlain](),
		reflect.TypeFor[[]Item](),
		reflect.TypeFor[map[string]Inner](),
		reflect.TypeFor[fuzzDefaults](),
		reflect.TypeFor[*Order](),
		reflect.TypeFor[Embedding](),
		reflect.TypeFor[Scalars](),
	} {
		d, err := Compile(typ)
		if err != nil {
			t.Fatal(err)
		}
		exact := !d.root.needApply
		accepted := 0
		for range n {
			g := gen{rng: rng, rate: []float64{0, 0, 0.01, 0.05, 0.3}[rng.IntN(5)], fields: fields}
			g.value(typ, 0)
			body := []byte(g.b.String())
			checkDecode(t, d, exact, body)
			if d.Decode(body, reflect.New(typ).Interface()) == nil {
				accepted++
			}
		}
		t.Logf("%v: %d of %d accepted", typ, accepted, n)
	}
}

// gen writes random JSON for a type, making mistakes at the given rate.
type gen struct {
	rng    *rand.Rand
	rate   float64
	b      strings.Builder
	fields map[reflect.Type][]field // compiled struct fields, by type
}

func (g *gen) oops() bool { return g.rng.Float64() < g.rate }

// pick returns one of good, or (when making a mistake) one of bad.
func (g *gen) pick(good, bad []string) string {
	if g.oops() {
		return bad[g.rng.IntN(len(bad))]
	}
	return good[g.rng.IntN(len(good))]
}

func (g *gen) value(t reflect.Type, depth int) {
	if g.oops() || depth > 6 {
		g.anything(depth)
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		if g.rng.IntN(8) == 0 {
			g.b.WriteString("null")
			return
		}
		g.value(t.Elem(), depth)
	case reflect.Interface:
		g.anything(depth)
	case reflect.Struct:
		if t == reflect.TypeFor[time.Time]() {
			g.b.WriteString(g.pick([]string{`"2020-01-01T00:00:00Z"`}, []string{`"x"`, `1`, `null`}))
			return
		}
		fields, ok := g.fields[t]
		if !ok {
			d, err := Compile(t)
			if err != nil {
				panic(err)
			}
			fields = d.root.fields
			g.fields[t] = fields
		}
		g.b.WriteByte('{')
		first := true
		sep := func() {
			if !first {
				g.b.WriteByte(',')
			}
			first = false
		}
		for _, f := range fields {
			for g.rng.IntN(10) > 1 || (f.required && !g.oops()) {
				sep()
				g.key(f.name)
				g.b.WriteByte(':')
				switch {
				case g.oops():
					g.b.WriteString("null")
				case f.quoted && !g.oops():
					inner := gen{rng: g.rng, rate: g.rate, fields: g.fields}
					inner.value(f.node.typ, depth+1)
					q, _ := json.Marshal(inner.b.String())
					g.b.Write(q)
				default:
					g.value(f.node.typ, depth+1)
				}
				if g.rng.IntN(12) != 0 {
					break // usually once; sometimes again
				}
			}
			if g.rng.IntN(20) == 0 {
				sep()
				g.b.WriteString(`"unknown":`)
				g.anything(depth + 1)
			}
		}
		g.b.WriteByte('}')
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && g.rng.IntN(2) == 0 {
			g.b.WriteString(g.pick([]string{`"aGk="`, `""`}, []string{`"!!"`, `1`}))
			return
		}
		g.b.WriteByte('[')
		for i := range g.rng.IntN(4) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.value(t.Elem(), depth+1)
		}
		g.b.WriteByte(']')
	case reflect.Map:
		keys := []string{"a", "b", "c"}
		if k := t.Key().Kind(); k >= reflect.Int && k <= reflect.Uint64 {
			keys = []string{"1", "2", "01", "-3"}
		}
		g.b.WriteByte('{')
		for i := range g.rng.IntN(4) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			g.key(g.pick(keys, []string{"x", "300", "1.5"}))
			g.b.WriteByte(':')
			g.value(t.Elem(), depth+1)
		}
		g.b.WriteByte('}')
	case reflect.String:
		if t == reflect.TypeFor[json.Number]() {
			g.b.WriteString(g.pick([]string{`"1e5"`, `"-0.5"`, `12`}, []string{`"x"`, `true`}))
			return
		}
		g.b.WriteString(g.pick([]string{`"s"`, `"\u00e9\n"`, `"\"12\""`, `"12"`, `""`}, []string{`1`, `true`, `[]`}))
	case reflect.Bool:
		g.b.WriteString(g.pick([]string{`true`, `false`}, []string{`"true"`, `"maybe"`, `1`, `2`}))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		g.b.WriteString(g.pick([]string{`0`, `1`, `12`, `127`}, []string{`"12"`, `-1`, `128`, `300`, `65536`, `1.5`, `1e2`, `-0`, `"x"`, `99999999999999999999`}))
	case reflect.Float32, reflect.Float64:
		g.b.WriteString(g.pick([]string{`0`, `1.5`, `-2e10`}, []string{`"1.5"`, `1e39`, `1e400`, `"x"`, `true`}))
	default:
		g.anything(depth)
	}
}

// anything writes a random JSON value of any shape.
func (g *gen) anything(depth int) {
	k := g.rng.IntN(9)
	if depth > 6 {
		k %= 6
	}
	switch k {
	case 0:
		g.b.WriteString("null")
	case 1:
		g.b.WriteString("true")
	case 2:
		g.b.WriteString(`"str"`)
	case 3:
		g.b.WriteString("12")
	case 4:
		g.b.WriteString("-1.5e3")
	case 5:
		g.b.WriteString("1e999")
	case 6:
		g.b.WriteString("[")
		g.anything(depth + 1)
		g.b.WriteString("]")
	default:
		g.b.WriteString(`{"k":`)
		g.anything(depth + 1)
		g.b.WriteString("}")
	}
}

// key writes name as a key: as is, in another case, or escaped.
func (g *gen) key(name string) {
	switch g.rng.IntN(8) {
	case 0:
		name = strings.ToUpper(name)
	case 1:
		if name != "" && name[0] < utf8.RuneSelf {
			fmt.Fprintf(&g.b, `"\u%04x%s"`, name[0], name[1:])
			return
		}
	}
	q, _ := json.Marshal(name)
	g.b.Write(q)
}
