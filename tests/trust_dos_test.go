package tests

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// Denial of service through 422s and bad scalars: a request whose every
// value fails costs time linear in its size and gets an answer of bounded
// size (at most 1000 items, each input cut at 4 KiB, the whole at most
// 4 × the request + 64 KiB), cut with markers; duplicate JSON keys cost
// memory linear in the body; non-finite floats are refused wherever they
// come from. Requests are written raw, so that their size on the wire is
// known exactly.

const (
	dosMaxItems   = 1000
	dosMaxInput   = 4096
	dosSizeSlack  = 64 << 10
	dosSizeFactor = 4
)

type dosNums struct {
	Nums []int `json:"nums" validate:"dive,min=1"`
}

type dosList struct {
	N []int `query:"n"`
}

type dosHeaders struct {
	N []int `header:"x-n"`
}

type dosScalars struct {
	Q int    `query:"q" default:"0"`
	H int    `header:"x-h" default:"0"`
	C int    `cookie:"c" default:"0"`
	S string `query:"s" default:"" validate:"max=3"`
}

type dosBody struct {
	Count int    `json:"count"`
	Name  string `json:"name" validate:"max=3"`
}

type dosNeeds struct {
	Need string `json:"need"`
	Pad  string `json:"pad"`
}

type dosPair struct {
	A int `json:"a"`
	B int `json:"b"`
}

func dosApp(t *testing.T) (string, *logBuffer) {
	t.Helper()
	app, logs := quietApp(brisk.Config{MaxBodyBytes: 4 << 20})
	app.Post("/nums", func(b dosNums) int { return len(b.Nums) })
	app.Get("/list", func(q dosList) int { return len(q.N) })
	app.Get("/headers", func(h dosHeaders) int { return len(h.N) })
	app.Get("/scalars", func(s dosScalars) int { return s.Q })
	app.Get("/path/{n}", func(n int) int { return n })
	app.Post("/body", func(b dosBody) int { return b.Count })
	app.Post("/needs", func(b dosNeeds) string { return b.Need })
	app.Post("/pairs", func(b []dosPair) int { return len(b) })
	app.Get("/ok", func() string { return "ok" })
	srv, _ := hServe(t, app)
	return srv.Listener.Addr().String(), logs
}

// dosPost is a raw POST of a JSON body.
func dosPost(path, body string) string {
	return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", path, len(body), body)
}

// dosItems checks a 422 against the bounds for a request of reqSize bytes
// and returns its items.
func dosItems(t *testing.T, res hResult, reqSize int) []map[string]any {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%.300s", res.Body)
	assert.LessOrEqual(t, len(res.Body), dosSizeFactor*reqSize+dosSizeSlack, "the answer to a %d-byte request", reqSize)
	var d struct {
		Detail []map[string]any `json:"detail"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &d))
	assert.LessOrEqual(t, len(d.Detail), dosMaxItems+1)
	return d.Detail
}

// dosMarker checks that items end with the too_many_errors item, counting
// total errors, and returns how many are listed before it.
func dosMarker(t *testing.T, items []map[string]any, total int) int {
	t.Helper()
	last := items[len(items)-1]
	shown := len(items) - 1
	assert.Equal(t, map[string]any{
		"type":  "too_many_errors",
		"loc":   []any{},
		"msg":   fmt.Sprintf("Too many errors: %d more not listed", total-shown),
		"input": nil,
		"ctx":   map[string]any{"shown": float64(shown), "omitted": float64(total - shown)},
	}, last)
	return shown
}

// The first case: a 128 KB body of list elements each failing its
// rule. 64 000 errors; the answer lists the first 1000, in order.
func TestTrustDoSBodyRuleFailures(t *testing.T) {
	addr, logs := dosApp(t)
	const n = 64 << 10
	body := `{"nums":[0` + strings.Repeat(",0", n-1) + `]}`
	raw := dosPost("/nums", body)
	items := dosItems(t, hRaw(t, addr, raw), len(raw))
	require.Len(t, items, dosMaxItems+1)
	assert.Equal(t, dosMaxItems, dosMarker(t, items, n))
	for i, it := range items[:dosMaxItems] {
		require.Equal(t, map[string]any{
			"type": "greater_than_equal", "loc": []any{"body", "nums", float64(i)},
			"msg": "Input should be greater than or equal to 1", "input": float64(0), "ctx": map[string]any{"ge": float64(1)},
		}, it)
	}
	hNextIsFine(t, addr)
	hNo500(t, logs)
}

// The second case: 32 000 n=x query pairs into a []int.
func TestTrustDoSQueryFlood(t *testing.T) {
	addr, logs := dosApp(t)
	const n = 32000
	raw := "GET /list?" + strings.TrimSuffix(strings.Repeat("n=x&", n), "&") + " HTTP/1.1\r\nHost: x\r\n\r\n"
	items := dosItems(t, hRaw(t, addr, raw), len(raw))
	require.Len(t, items, dosMaxItems+1)
	dosMarker(t, items, n)
	for i, it := range items[:dosMaxItems] {
		require.Equal(t, map[string]any{
			"type": "int_parsing", "loc": []any{"query", "n", float64(i)},
			"msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x",
		}, it)
	}
	hNextIsFine(t, addr)
	hNo500(t, logs)
}

// Repeated header lines into a []int header: the same cap.
func TestTrustDoSHeaderFlood(t *testing.T) {
	addr, logs := dosApp(t)
	const n = 20000
	raw := "GET /headers HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-N: x\r\n", n) + "\r\n"
	items := dosItems(t, hRaw(t, addr, raw), len(raw))
	require.Len(t, items, dosMaxItems+1)
	dosMarker(t, items, n)
	assert.Equal(t, []any{"header", "x-n", float64(999)}, items[dosMaxItems-1]["loc"])
	hNo500(t, logs)
}

type dosForm struct {
	N []int `form:"n"`
	V int   `form:"v" default:"0"`
}

// Form fields go through the same path: 20 000 failing values, and a
// 100 KB value for an int.
func TestTrustDoSFormFlood(t *testing.T) {
	app, logs := quietApp(brisk.Config{Forms: brisk.FormLimits{MaxFields: 50000}})
	app.Post("/form", func(f dosForm) int { return len(f.N) })
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	post := func(body string) string {
		return fmt.Sprintf("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	}
	const n = 20000
	raw := post(strings.TrimSuffix(strings.Repeat("n=x&", n), "&"))
	items := dosItems(t, hRaw(t, addr, raw), len(raw))
	require.Len(t, items, dosMaxItems+1)
	dosMarker(t, items, n)
	assert.Equal(t, []any{"body", "n", float64(0)}, items[0]["loc"])

	raw = post("n=1&v=" + strings.Repeat("x", 100000))
	items = dosItems(t, hRaw(t, addr, raw), len(raw))
	require.Len(t, items, 1)
	assert.Equal(t, strings.Repeat("x", dosMaxInput), items[0]["input"])
	assert.Equal(t, map[string]any{"input_truncated": true}, items[0]["ctx"])
	hNo500(t, logs)
}

// A small request whose errors are large next to it: the size bound cuts
// the list before the item count does.
func TestTrustDoSSizeBoundBeforeCount(t *testing.T) {
	addr, logs := dosApp(t)
	const n = 1500
	body := `{"nums":[0` + strings.Repeat(",0", n-1) + `]}`
	raw := dosPost("/nums", body)
	items := dosItems(t, hRaw(t, addr, raw), len(raw))
	shown := dosMarker(t, items, n)
	assert.Less(t, shown, dosMaxItems)
	assert.Greater(t, shown, 300)
	assert.Equal(t, []any{"body", "nums", float64(shown - 1)}, items[shown-1]["loc"])

	// Missing fields in many small objects: 4000 errors from a 6 KB body.
	body = "[" + strings.TrimSuffix(strings.Repeat("{},", 2000), ",") + "]"
	raw = dosPost("/pairs", body)
	items = dosItems(t, hRaw(t, addr, raw), len(raw))
	dosMarker(t, items, 4000)
	assert.Equal(t, map[string]any{"type": "missing", "loc": []any{"body", float64(0), "a"}, "msg": "Field required", "input": map[string]any{}}, items[0])
	hNo500(t, logs)
}

// Every kind of input is echoed at most 4 KiB long, marked when cut; a
// short one is echoed whole, as FastAPI does.
func TestTrustDoSInputsCut(t *testing.T) {
	addr, logs := dosApp(t)
	long := strings.Repeat("é", 50000)   // 100 000 bytes
	ascii := strings.Repeat("x", 100000) // for a cookie, which must be ASCII
	cut := func(t *testing.T, item map[string]any, typ string, loc []any, ctx map[string]any) {
		t.Helper()
		assert.Equal(t, typ, item["type"])
		assert.Equal(t, loc, item["loc"])
		in, _ := item["input"].(string)
		assert.LessOrEqual(t, len(in), dosMaxInput)
		assert.Greater(t, len(in), dosMaxInput-4)
		assert.True(t, strings.HasPrefix(long, in) || strings.HasPrefix(ascii, in), "%.40q", in)
		want := map[string]any{"input_truncated": true}
		for k, v := range ctx {
			want[k] = v
		}
		assert.Equal(t, want, item["ctx"])
	}
	one := func(t *testing.T, raw string) map[string]any {
		t.Helper()
		items := dosItems(t, hRaw(t, addr, raw), len(raw))
		require.Len(t, items, 1)
		return items[0]
	}
	esc := strings.Repeat("%C3%A9", 50000)
	t.Run("query", func(t *testing.T) {
		cut(t, one(t, "GET /scalars?q="+esc+" HTTP/1.1\r\nHost: x\r\n\r\n"), "int_parsing", []any{"query", "q"}, nil)
	})
	t.Run("query rule", func(t *testing.T) {
		cut(t, one(t, "GET /scalars?s="+esc+" HTTP/1.1\r\nHost: x\r\n\r\n"), "string_too_long", []any{"query", "s"}, map[string]any{"max_length": float64(3)})
	})
	t.Run("header", func(t *testing.T) {
		cut(t, one(t, "GET /scalars HTTP/1.1\r\nHost: x\r\nX-H: "+long+"\r\n\r\n"), "int_parsing", []any{"header", "x-h"}, nil)
	})
	t.Run("cookie", func(t *testing.T) {
		cut(t, one(t, "GET /scalars HTTP/1.1\r\nHost: x\r\nCookie: c="+ascii+"\r\n\r\n"), "int_parsing", []any{"cookie", "c"}, nil)
	})
	t.Run("path", func(t *testing.T) {
		cut(t, one(t, "GET /path/"+esc+" HTTP/1.1\r\nHost: x\r\n\r\n"), "int_parsing", []any{"path", "n"}, nil)
	})
	t.Run("body decoding", func(t *testing.T) {
		cut(t, one(t, dosPost("/body", `{"count":"`+long+`","name":"ok"}`)), "int_parsing", []any{"body", "count"}, nil)
	})
	t.Run("body rule", func(t *testing.T) {
		cut(t, one(t, dosPost("/body", `{"count":1,"name":"`+long+`"}`)), "string_too_long", []any{"body", "name"}, map[string]any{"max_length": float64(3)})
	})
	t.Run("missing field", func(t *testing.T) {
		// The input of a missing field is its object: cut, it is the start
		// of that object's JSON.
		item := one(t, dosPost("/needs", `{"pad":"`+long+`"}`))
		assert.Equal(t, "missing", item["type"])
		in := item["input"].(string)
		assert.True(t, strings.HasPrefix(in, `{"pad":"ééé`), "%.40q", in)
		assert.LessOrEqual(t, len(in), dosMaxInput)
		assert.Equal(t, map[string]any{"input_truncated": true}, item["ctx"])
	})
	t.Run("short inputs whole", func(t *testing.T) {
		item := one(t, dosPost("/body", `{"count":"abc","name":"ok"}`))
		assert.Equal(t, map[string]any{"type": "int_parsing", "loc": []any{"body", "count"},
			"msg": "Input should be a valid integer, unable to parse string as an integer", "input": "abc"}, item)
		item = one(t, dosPost("/needs", `{"pad":"x"}`))
		assert.Equal(t, map[string]any{"pad": "x"}, item["input"])
		assert.Nil(t, item["ctx"])
	})
	hNo500(t, logs)
}

// allocated returns the bytes allocated while app serves one request.
func allocated(app http.Handler, req *http.Request) (uint64, *httptest.ResponseRecorder) {
	w := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	app.ServeHTTP(w, req)
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc, w
}

type dosDupInner struct {
	B int `json:"b"`
}

type dosDup struct {
	A int         `json:"a"`
	N dosDupInner `json:"n"`
}

// Duplicate keys with wrong values: memory linear in the body, under 40
// bytes allocated per byte of body, whatever the shape.
func TestTrustDoSDuplicateKeysMemory(t *testing.T) {
	app := brisk.New(brisk.Config{MaxBodyBytes: 4 << 20})
	app.Post("/dup", func(b dosDup) int { return b.A })
	app.Post("/map", func(b map[string]int) int { return len(b) })
	const n = 32000
	for _, c := range []struct{ name, path, body string }{
		{"scalar", "/dup", `{` + strings.Repeat(`"a":"x",`, n) + `"a":"x","n":{"b":1}}`},
		{"list for a scalar", "/dup", `{` + strings.Repeat(`"a":[],`, n) + `"a":{},"n":{"b":1}}`},
		{"nested", "/dup", `{"a":1,` + strings.Repeat(`"n":{"b":"x"},`, n) + `"n":{"b":"x"}}`},
		{"nested repeated", "/dup", `{"a":1,` + strings.Repeat(`"n":{"b":"x","b":"x","b":"x"},`, n/3) + `"n":{"b":"x"}}`},
		{"map", "/map", `{` + strings.Repeat(`"a":"x",`, n) + `"a":"x"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			bytes, w := allocated(app, req)
			require.Equal(t, http.StatusUnprocessableEntity, w.Code)
			var d struct{ Detail []map[string]any }
			require.NoError(t, json.Unmarshal(w.Body.Bytes(), &d))
			assert.Len(t, d.Detail, 1, "one item per loc: %s", w.Body.String())
			t.Logf("%d-byte body: %d bytes allocated (%.1f per byte)", len(c.body), bytes, float64(bytes)/float64(len(c.body)))
			assert.Less(t, bytes, uint64(40*len(c.body)))
		})
	}
}

// The work of a failing request grows with it linearly: four times the
// failing values, about four times the memory (a quadratic list would be
// sixteen).
func TestTrustDoSMemoryLinear(t *testing.T) {
	app := brisk.New(brisk.Config{MaxBodyBytes: 4 << 20})
	app.Post("/nums", func(b dosNums) int { return len(b.Nums) })
	app.Get("/list", func(q dosList) int { return len(q.N) })
	measure := func(n int, query bool) uint64 {
		var req *http.Request
		if query {
			req = httptest.NewRequest(http.MethodGet, "/list?"+strings.TrimSuffix(strings.Repeat("n=x&", n), "&"), nil)
		} else {
			req = httptest.NewRequest(http.MethodPost, "/nums", strings.NewReader(`{"nums":[0`+strings.Repeat(",0", n-1)+`]}`))
			req.Header.Set("Content-Type", "application/json")
		}
		bytes, w := allocated(app, req)
		require.Equal(t, http.StatusUnprocessableEntity, w.Code)
		return bytes
	}
	for _, query := range []bool{false, true} {
		small, large := measure(8000, query), measure(32000, query)
		t.Logf("query %v: 8000 errors %d bytes, 32000 errors %d bytes", query, small, large)
		assert.Less(t, float64(large)/float64(small), 6.0)
	}
}

// Non-finite floats are refused from every source, as from a body: JSON
// could not carry them back.
func TestTrustDoSNonFiniteScalars(t *testing.T) {
	type floats struct {
		Q   float64 `query:"q" default:"0"`
		Q32 float32 `query:"q32" default:"0"`
		H   float64 `header:"x-f" default:"0"`
		C   float64 `cookie:"f" default:"0"`
	}
	app, logs := quietApp()
	app.Get("/f", func(f floats) floats { return f })
	app.Get("/p/{x}", func(x float64) float64 { return x })
	app.Get("/p32/{x}", func(x float32) float32 { return x })
	srv := serve(t, app)
	finite := func(res result, loc []any, input string) {
		t.Helper()
		require.Equal(t, http.StatusUnprocessableEntity, res.Status, "%v %q: %s", loc, input, res.Body)
		assert.Equal(t, map[string]any{"detail": []any{map[string]any{
			"type": "finite_number", "loc": loc, "msg": "Input should be a finite number", "input": input,
		}}}, res.JSON(t))
	}
	for _, v := range []string{"inf", "-inf", "Infinity", "NaN", "-nan", "1e400", "-1e400"} {
		finite(send(t, srv, request{Method: "GET", Path: "/f?q=" + v, JSON: ""}), []any{"query", "q"}, v)
		finite(send(t, srv, request{Method: "GET", Path: "/f", JSON: "", Headers: []string{"X-F", v}}), []any{"header", "x-f"}, v)
		finite(send(t, srv, request{Method: "GET", Path: "/f", JSON: "", Headers: []string{"Cookie", "f=" + v}}), []any{"cookie", "f"}, v)
		finite(send(t, srv, request{Method: "GET", Path: "/p/" + v, JSON: ""}), []any{"path", "x"}, v)
	}
	finite(send(t, srv, request{Method: "GET", Path: "/f?q32=1e39", JSON: ""}), []any{"query", "q32"}, "1e39")
	finite(send(t, srv, request{Method: "GET", Path: "/p32/-1e39", JSON: ""}), []any{"path", "x"}, "-1e39")
	// The largest finite values still pass.
	res := send(t, srv, request{Method: "GET", Path: "/f?q=1.7976931348623157e308&q32=3.4028235e38", JSON: ""})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assert.Equal(t, 1.7976931348623157e308, res.JSON(t).(map[string]any)["Q"])
	res = send(t, srv, request{Method: "GET", Path: "/p32/3.4028235e38", JSON: ""})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	hNo500(t, logs)
}

// BenchmarkTrustDoS422 is the worst case of a 422: bodies up to 1 MiB of
// list elements that each fail a rule. ns/op and B/op grow with the body
// (MB/s stays level): the cost is linear.
func BenchmarkTrustDoS422(b *testing.B) {
	app := brisk.New(brisk.Config{MaxBodyBytes: 4 << 20})
	app.Post("/nums", func(v dosNums) int { return len(v.Nums) })
	for _, size := range []int{64 << 10, 256 << 10, 1 << 20} {
		body := `{"nums":[0` + strings.Repeat(",0", size/2-6) + `]}`
		b.Run(fmt.Sprintf("body=%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, "/nums", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				app.ServeHTTP(w, req)
				if w.Code != http.StatusUnprocessableEntity {
					b.Fatal(w.Code)
				}
				_, _ = io.Copy(io.Discard, w.Body)
			}
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestTrustDoSFigures measures the hostile cases of docs/reliability.md:
// CPU time, response size and items for each, over real TCP. It only
// logs, and runs only when BRISK_FIGURES=1:
//
//	BRISK_FIGURES=1 go test -run TestTrustDoSFigures -v ./tests/
func TestTrustDoSFigures(t *testing.T) {
	if os.Getenv("BRISK_FIGURES") != "1" {
		t.Skip("set BRISK_FIGURES=1 to measure")
	}
	addr, _ := dosApp(t)
	long := strings.Repeat("x", 100000)
	cases := []struct{ name, raw string }{
		{"128 KiB body, 65 536 list elements failing dive,min=1", dosPost("/nums", `{"nums":[0`+strings.Repeat(",0", 64<<10-1)+`]}`)},
		{"1 MiB body, 524 000 list elements failing dive,min=1", dosPost("/nums", `{"nums":[0`+strings.Repeat(",0", 512<<10-7)+`]}`)},
		{"32 000 n=x query pairs into []int", "GET /list?" + strings.TrimSuffix(strings.Repeat("n=x&", 32000), "&") + " HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"20 000 X-N: x header lines into []int", "GET /headers HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-N: x\r\n", 20000) + "\r\n"},
		{"6 KB body, 2 000 empty objects missing 2 fields each", dosPost("/pairs", "["+strings.TrimSuffix(strings.Repeat("{},", 2000), ",")+"]")},
		{"100 KB query value for an int", "GET /scalars?q=" + long + " HTTP/1.1\r\nHost: x\r\n\r\n"},
		{"100 KB cookie for an int", "GET /scalars HTTP/1.1\r\nHost: x\r\nCookie: c=" + long + "\r\n\r\n"},
		{"100 KB string failing max=3 in a body", dosPost("/body", `{"count":1,"name":"`+long+`"}`)},
		{"256 KB of one key repeated with a wrong type", dosPost("/body", `{`+strings.Repeat(`"count":"x",`, 256<<10/12)+`"name":"ok"}`)},
	}
	for _, c := range cases {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		cpu := cpuTime()
		start := time.Now()
		res := hRaw(t, addr, c.raw)
		wall := time.Since(start)
		cpu = cpuTime() - cpu
		runtime.ReadMemStats(&after)
		var d struct{ Detail []map[string]any }
		_ = json.Unmarshal([]byte(res.Body), &d)
		t.Logf("| %s | %d, %d items | %d B | %d B (%.2f×) | %v CPU, %v wall | %.1f MB |", c.name, res.Status, len(d.Detail),
			len(c.raw), len(res.Body), float64(len(res.Body))/float64(len(c.raw)), cpu.Round(time.Millisecond), wall.Round(time.Millisecond),
			float64(after.TotalAlloc-before.TotalAlloc)/1e6)
	}

	// A healthy request's latency while four clients send the 128 KiB body
	// in a loop.
	healthy := func() time.Duration {
		var ds []time.Duration
		for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			start := time.Now()
			res := hRaw(t, addr, "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n")
			require.Equal(t, 200, res.Status)
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	quiet := healthy()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var attacks atomic.Int64
	attack := dosPost("/nums", `{"nums":[0`+strings.Repeat(",0", 64<<10-1)+`]}`)
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					hRaw(t, addr, attack)
					attacks.Add(1)
				}
			}
		})
	}
	loaded := healthy()
	close(stop)
	wg.Wait()
	t.Logf("%d hostile requests answered during the loaded measurement", attacks.Load())
	t.Logf("healthy GET p50: %v alone, %v with 4 clients sending the 128 KiB body in a loop", quiet.Round(10*time.Microsecond), loaded.Round(10*time.Microsecond))
}
