package tests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/briskgo/brisk"
)

// Fuzz targets that drive a whole App: the request is built from fuzzed
// strings and served by App.ServeHTTP in memory (the wire is the hostile
// tests' business; here it is throughput). Whatever comes in, the answer is
// 200 or 422, never a 500 or a panic, and a 422 is FastAPI's shape in wire
// names. Run one with
//
//	go test -run '^$' -fuzz '^FuzzRequestModel$' -fuzztime 10s -parallel 1 ./tests/

// fzParams reads every supported scalar kind, pointers, slices and
// defaults, from the query, headers and cookies, with validate rules.
type fzParams struct {
	ID    int8           `path:"id"`
	Tag   fzTag          `path:"tag"`
	I8    int8           `query:"i8" default:"0"`
	U     *uint          `query:"u"`
	U64   uint64         `query:"u64" default:"18446744073709551615"`
	F32   float32        `query:"f32" default:"1.5"`
	F64   *float64       `query:"f64"`
	B     bool           `query:"b" default:"false"`
	T     *time.Time     `query:"t"`
	D     time.Duration  `query:"d" default:"1s"`
	S     string         `query:"s" default:"" validate:"max=10"`
	Ints  []int16        `query:"n" validate:"max=5,dive,gte=-100"`
	Times []time.Time    `query:"ts"`
	Addr  *netip.Addr    `query:"ip"`
	Need  uint16         `query:"need"`
	HNum  int64          `header:"X-Num" default:"0" validate:"gte=0"`
	HTags []string       `header:"X-Tags"`
	HDur  *time.Duration `header:"X-Dur"`
	C     uint8          `cookie:"c" default:"1"`
	CS    *string        `cookie:"session" validate:"omitempty,alphanum"`
	CB    bool           `cookie:"flag" default:"true"`
}

// fzTag is a path scalar with its own UnmarshalText.
type fzTag string

func (t *fzTag) UnmarshalText(b []byte) error {
	if len(b) > 8 {
		return fmt.Errorf("tag longer than 8 bytes")
	}
	*t = fzTag(strings.ToLower(string(b)))
	return nil
}

// fzUser is provided from a header, by a provider that can fail.
type fzUser struct{ Name string }

func fzProvideUser(in struct {
	Auth string `header:"Authorization" default:""`
}) (fzUser, error) {
	if strings.HasPrefix(in.Auth, "Bearer ") {
		return fzUser{Name: in.Auth[7:]}, nil
	}
	return fzUser{Name: "anonymous"}, nil
}

var fzWireNames = map[string]map[string]bool{
	"path":   {"id": true, "tag": true},
	"query":  {"i8": true, "u": true, "u64": true, "f32": true, "f64": true, "b": true, "t": true, "d": true, "s": true, "n": true, "ts": true, "ip": true, "need": true},
	"header": {"X-Num": true, "X-Tags": true, "X-Dur": true, "Authorization": true},
	"cookie": {"c": true, "session": true, "flag": true},
}

func fzRequestApp() *brisk.App {
	app := brisk.New(brisk.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	app.Provide(fzProvideUser)
	app.Get("/m/{id}/{tag}", func(p fzParams, u fzUser) string {
		// fmt, not JSON: NaN and ±Inf are valid query floats, which JSON
		// cannot carry, and echoing them is not what is under test.
		return fmt.Sprintf("%+v %s", p, u.Name)
	})
	return app
}

// FuzzRequestModel builds a request from a path segment pair, a raw query
// string, header lines ("Name: value", one per line) and a raw Cookie
// header.
func FuzzRequestModel(f *testing.F) {
	seeds := []struct{ id, tag, query, headers, cookie string }{
		{"1", "a", "need=1", "", ""},
		{"-128", "ABC", "need=65535&i8=127&u=0&u64=18446744073709551615&f32=1e39&f64=-inf&b=yes&t=2024-01-02T03:04:05Z&d=P1DT2H&s=hi&n=1&n=-100&ts=1700000000&ip=::1",
			"X-Num: 5\nX-Tags: a\nX-Tags: b\nX-Dur: 1h30m\nAuthorization: Bearer bob", "c=255; session=abc123; flag=off"},
		{"128", "toolongtag", "i8=128&u=-1&u64=18446744073709551616&f32=x&b=maybe&t=2024-13-01&d=forever&s=0123456789ab&n=1&n=x&n=-101&ts=bad&ip=1.2.3&need=-1",
			"X-Num: -1\nX-Dur: P\nAuthorization: Basic xyz", "c=256; session=a b; flag=2"},
		{"%ff", "%00", "%zz=1&i8=%41&i8=1&i8=2&need=1&need=&need=3", "X-Num: 1\r\nX-Num: 2", "c=\"1\"; c=2; =; ;;session="},
		{"1", "a", "n=1&n=2&n=3&n=4&n=5&n=6&need=0", "X-Tags:", "flag=TRUE"},
		{"\xff\xfe", "\u00e9", "s=\xff\xfe&need=\xff&t=\xff&ip=\xff", "X-Num: \xff", "session=\xff"},
		{"1", "a", "need=1;i8=2&f64=nan&f64=1e400&d=-2562047h47m16.854775808s", "X-Num: 9223372036854775808", "c=-0"},
		{"1", "a", "need=1_000.000&i8=+1_2&u=%2B0", "X-Num:  \t 42 \t", ""},
	}
	for _, s := range seeds {
		f.Add(s.id, s.tag, s.query, s.headers, s.cookie)
	}
	app := fzRequestApp()
	f.Fuzz(func(t *testing.T, id, tag, query, headers, cookie string) {
		if id == "" || tag == "" {
			t.Skip("an empty segment is another route")
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path = "/m/" + id + "/" + tag
		r.URL.RawPath = "/m/" + url.PathEscape(id) + "/" + url.PathEscape(tag)
		r.URL.RawQuery = query
		r.RequestURI = r.URL.RequestURI()
		for _, line := range strings.Split(headers, "\n") {
			if name, value, ok := strings.Cut(line, ":"); ok && name != "" {
				r.Header.Add(name, strings.TrimLeft(value, " \t"))
			}
		}
		if cookie != "" {
			r.Header.Set("Cookie", cookie)
		}
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, r)
		switch rec.Code {
		case http.StatusOK:
		case http.StatusUnprocessableEntity:
			checkProblem(t, rec.Body.Bytes(), func(loc []any) error {
				if len(loc) != 2 && !(len(loc) == 3 && isIndex(loc[2])) {
					return fmt.Errorf("loc %v: want [source, name] or [source, name, index]", loc)
				}
				src, _ := loc[0].(string)
				name, _ := loc[1].(string)
				if names, ok := fzWireNames[src]; !ok || !names[name] {
					return fmt.Errorf("loc %v: not a wire name of this route", loc)
				}
				return nil
			})
		default:
			t.Fatalf("%s %q: status %d: %s", r.URL.Path, r.URL.RawQuery, rec.Code, rec.Body.String())
		}
	})
}

// checkProblem checks a 422 body: FastAPI's shape, every item complete,
// every loc as checkLoc wants it.
func checkProblem(t *testing.T, body []byte, checkLoc func(loc []any) error) {
	t.Helper()
	// Numbers stay text: an input of 1e400 is echoed as sent, valid JSON
	// that a float64 cannot hold.
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil || dec.More() || !json.Valid(body) {
		t.Fatalf("a 422 body is not one JSON value (%v): %q", err, body)
	}
	items, ok := doc["detail"].([]any)
	if len(doc) != 1 || !ok || len(items) == 0 {
		t.Fatalf("a 422 body must be {\"detail\": [items…]}: %s", body)
	}
	for _, raw := range items {
		it, ok := raw.(map[string]any)
		if !ok {
			t.Fatalf("a detail item is not an object: %s", body)
		}
		typ, _ := it["type"].(string)
		msg, _ := it["msg"].(string)
		loc, _ := it["loc"].([]any)
		_, hasInput := it["input"]
		if typ == "" || msg == "" || len(loc) == 0 || !hasInput {
			t.Fatalf("incomplete detail item %v in %s", it, body)
		}
		for k := range it {
			switch k {
			case "type", "msg", "loc", "input", "ctx":
			default:
				t.Fatalf("unexpected key %q in %s", k, body)
			}
		}
		if ctx, has := it["ctx"]; has {
			if _, ok := ctx.(map[string]any); !ok {
				t.Fatalf("ctx is not an object in %s", body)
			}
		}
		for _, part := range loc[1:] {
			if _, isString := part.(string); !isString && !isIndex(part) {
				t.Fatalf("loc %v: parts are names or indexes, in %s", loc, body)
			}
		}
		if err := checkLoc(loc); err != nil {
			t.Fatalf("%v in %s", err, body)
		}
	}
}

// isIndex reports a JSON number that is a non-negative integer.
func isIndex(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	i, err := n.Int64()
	return err == nil && i >= 0
}
