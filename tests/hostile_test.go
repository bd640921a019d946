package tests

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// Hostile input over real TCP: every case is a clean 4xx (or a closed
// connection), never a 500 or a crash, and the next request, on a fresh
// connection, is served as usual. Raw connections (net.Dial) send what
// Go's client refuses to.

// hGuard bounds every wait on the network; it is never how a test
// synchronises, only how a broken build fails instead of hanging.
const hGuard = 10 * time.Second

type hItem struct {
	Name  string   `json:"name" validate:"required"`
	Small int8     `json:"small,omitempty"`
	Count uint     `json:"count,omitempty"`
	Ratio float64  `json:"ratio,omitempty"`
	Tags  []string `json:"tags"`
	Inner *hInner  `json:"inner"`
}

type hInner struct {
	Level uint8 `json:"level" validate:"lte=10"`
}

type hQuery struct {
	N int    `query:"n" default:"0"`
	S string `query:"s" default:""`
}

// hApp is the app under attack; its logs are kept to prove nothing was
// logged as a 500.
func hApp(cfg ...brisk.Config) (*brisk.App, *logBuffer) {
	app, logs := quietApp(cfg...)
	app.Post("/items", func(it hItem) hItem { return it })
	app.Post("/any", func(v []any) int { return len(v) })
	app.Post("/map", func(m map[string]any) int { return len(m) })
	app.Get("/get", func() string { return "ok" })
	app.Get("/q", func(q hQuery) hQuery { return q })
	app.Get("/p/{s}", func(s string) string { return s })
	app.Get("/n/{n}", func(n int8) int8 { return n })
	app.Get("/ok", func() string { return "ok" })
	return app, logs
}

// hServe serves app on a real listener that counts the bytes the server
// reads, closed (and drained) with the test.
func hServe(t *testing.T, app *brisk.App) (*httptest.Server, *hCountingListener) {
	t.Helper()
	var counting *hCountingListener
	srv := serveOn(t, app, func(ln net.Listener) net.Listener {
		counting = &hCountingListener{Listener: ln}
		return counting
	}, hGuard)
	return srv, counting
}

// hCountingListener counts the bytes the server reads from its clients.
// With small set, it gives each connection a small, fixed receive buffer,
// so that what a client has sent is close to what the server has read.
type hCountingListener struct {
	net.Listener
	read  atomic.Int64
	small atomic.Bool
}

func (l *hCountingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok && l.small.Load() {
		_ = tc.SetReadBuffer(64 << 10)
	}
	return &hCountingConn{Conn: c, n: &l.read}, nil
}

type hCountingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *hCountingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// hResult is a response read off the wire.
type hResult struct {
	Status int
	Header http.Header
	Body   string
	Close  bool // the server said Connection: close
}

// hRaw sends raw bytes on a fresh connection and reads one response.
func hRaw(t *testing.T, addr, raw string) hResult {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, hGuard)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(hGuard)))
	_, err = io.WriteString(conn, raw)
	require.NoError(t, err)
	return hRead(t, bufio.NewReader(conn))
}

func hRead(t *testing.T, br *bufio.Reader) hResult {
	t.Helper()
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return hResult{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Close: resp.Close}
}

// hPost sends a JSON body with Go's client on a fresh connection.
func hPost(t *testing.T, srv *httptest.Server, path, contentType, body string) hResult {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Close = true
	client := &http.Client{Timeout: hGuard}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return hResult{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// hNextIsFine proves the server still serves: a request on a fresh
// connection gets its normal answer.
func hNextIsFine(t *testing.T, addr string) {
	t.Helper()
	res := hRaw(t, addr, "GET /ok HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n")
	require.Equal(t, 200, res.Status, "the next request must be served: %s", res.Body)
	require.Equal(t, `"ok"`, res.Body)
}

// hNo500 fails if the app logged a panic or an unexpected error.
func hNo500(t *testing.T, logs *logBuffer) {
	t.Helper()
	for _, msg := range []string{"panic serving request", "unexpected error", "panic"} {
		require.NotContains(t, logs.String(), msg)
	}
}

// hDetail decodes a 422 body and returns its items' types and locs.
func hDetail(t *testing.T, res hResult) []map[string]any {
	t.Helper()
	require.Equal(t, 422, res.Status, res.Body)
	require.True(t, utf8.ValidString(res.Body), "the body must be UTF-8: %q", res.Body)
	var doc struct {
		Detail []map[string]any `json:"detail"`
	}
	dec := json.NewDecoder(strings.NewReader(res.Body))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&doc), res.Body)
	require.NotEmpty(t, doc.Detail, res.Body)
	return doc.Detail
}

func hTypes(items []map[string]any) []string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%v %v", it["type"], it["loc"]))
	}
	return out
}

func TestHostileMalformedAndTruncatedJSON(t *testing.T) {
	app, logs := hApp()
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	for _, body := range []string{
		`{"name": "x",`, `{name: "x"}`, `{"name": "x"}}`, `{"name" "x"}`, `[1, 2`, `nul`, `{"name": "x\u12"}`,
		`{"name": "x"` + "\x00" + `}`, `{"name":'x'}`, `{"name": "x", }`, "\xef\xbb\xbf{\"name\":\"x\"}", `{"name": NaN}`, `{"name":1e}`,
	} {
		items := hDetail(t, hPost(t, srv, "/items", "application/json", body))
		require.Len(t, items, 1, body)
		assert.Equal(t, "json_invalid", items[0]["type"], body)
		loc := items[0]["loc"].([]any)
		assert.Equal(t, "body", loc[0], body)
		hNextIsFine(t, addr)
	}

	// The HTTP body itself cut short: the client promises 100 bytes, sends
	// 20 and shuts its side. The server answers 400, or closes.
	conn, err := net.DialTimeout("tcp", addr, hGuard)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(hGuard)))
	_, err = io.WriteString(conn, "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"+`{"name": "truncated"`)
	require.NoError(t, err)
	require.NoError(t, conn.(*net.TCPConn).CloseWrite())
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, 400, resp.StatusCode, string(b))
		assert.JSONEq(t, `{"detail":"The request body could not be read"}`, string(b))
	} else {
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "a closed connection is the only other answer")
	}
	hNextIsFine(t, addr)
	hNo500(t, logs)
}

func TestHostileWrongTypesAndOverflow(t *testing.T) {
	app, logs := hApp()
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	cases := []struct {
		body string
		want []string
	}{
		{`{"name": 1, "small": "x", "count": true, "ratio": [], "tags": {}, "inner": 5}`, []string{
			"string_type [body name]", "int_parsing [body small]", "int_type [body count]", "float_type [body ratio]",
			"list_type [body tags]", "model_attributes_type [body inner]"}},
		{`{"name": "x", "small": 300}`, []string{"less_than_equal [body small]"}},
		{`{"name": "x", "small": -129}`, []string{"greater_than_equal [body small]"}},
		{`{"name": "x", "count": -1}`, []string{"greater_than_equal [body count]"}},
		{`{"name": "x", "count": 18446744073709551616}`, []string{"less_than_equal [body count]"}},
		{`{"name": "x", "ratio": 1e400}`, []string{"finite_number [body ratio]"}},
		{`{"name": "x", "ratio": -1e400}`, []string{"finite_number [body ratio]"}},
		{`{"name": "x", "small": 1.5}`, []string{"int_from_float [body small]"}},
		{`{"name": "x", "inner": {"level": 256}}`, []string{"less_than_equal [body inner level]"}},
		{`{"name": "x", "inner": {"level": 11}}`, []string{"less_than_equal [body inner level]"}},
		{`{"name": null}`, []string{"string_type [body name]"}},
		{`{"small": 1}`, []string{"missing [body name]"}},
		{`[]`, []string{"model_attributes_type [body]"}},
	}
	for _, c := range cases {
		items := hDetail(t, hPost(t, srv, "/items", "application/json", c.body))
		got := hTypes(items)
		for _, w := range c.want {
			assert.Contains(t, got, w, c.body)
		}
		hNextIsFine(t, addr)
	}
	// Path and query scalars out of range.
	assert.Equal(t, []string{"less_than_equal [path n]"}, hTypes(hDetail(t, hRaw(t, addr, "GET /n/300 HTTP/1.1\r\nHost: x\r\n\r\n"))))
	assert.Equal(t, []string{"less_than_equal [query n]"}, hTypes(hDetail(t, hRaw(t, addr, "GET /q?n=99999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n"))))
	hNextIsFine(t, addr)
	hNo500(t, logs)
}

func TestHostileInvalidUTF8(t *testing.T) {
	app, logs := hApp()
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()

	// In a JSON string: encoding/json takes it, as U+FFFD; the answer is
	// valid UTF-8 either way.
	res := hPost(t, srv, "/items", "application/json", "{\"name\": \"caf\xe9 \xff\xfe\"}")
	require.Equal(t, 200, res.Status, res.Body)
	assert.True(t, utf8.ValidString(res.Body), "%q", res.Body)
	assert.Contains(t, res.Body, "caf\ufffd \ufffd\ufffd")
	// Outside strings it is malformed JSON.
	items := hDetail(t, hPost(t, srv, "/items", "application/json", "{\"name\": \"x\", \xff: 1}"))
	assert.Equal(t, "json_invalid", items[0]["type"])
	// In a value that fails: echoed as input, still valid UTF-8.
	items = hDetail(t, hPost(t, srv, "/items", "application/json", "{\"name\": \"x\", \"small\": \"\xff\"}"))
	assert.Equal(t, "int_parsing", items[0]["type"])

	// In the query and the path, escaped and raw (Go's client would escape
	// raw bytes; a raw connection does not).
	for _, target := range []string{"/q?s=%ff%fe", "/q?s=\xff\xfe", "/p/%ff%fe", "/p/\xff\xfe", "/q?n=%ff", "/q?n=\xff", "/n/%ff", "/q?%ff=1&s=%e9"} {
		res := hRaw(t, addr, "GET "+target+" HTTP/1.1\r\nHost: x\r\n\r\n")
		// A string takes U+FFFD for each bad byte; a number fails.
		assert.Contains(t, []int{200, 422}, res.Status, "%q: %s", target, res.Body)
		assert.True(t, utf8.ValidString(res.Body), "%q: %q", target, res.Body)
		assert.True(t, json.Valid([]byte(res.Body)), "%q: %q", target, res.Body)
		hNextIsFine(t, addr)
	}
	hNo500(t, logs)
}

// hSlowWriter writes total bytes of body in chunks, counting them, until
// done or the connection fails.
func hSlowWriter(conn net.Conn, total int, sent *atomic.Int64, chunked bool) <-chan error {
	errc := make(chan error, 1)
	go func() {
		chunk := []byte(strings.Repeat("[1,", 64<<10/3))
		var err error
		for int(sent.Load()) < total && err == nil {
			var n int
			if chunked {
				_, err = fmt.Fprintf(conn, "%x\r\n", len(chunk))
				if err == nil {
					n, err = conn.Write(chunk)
				}
				if err == nil {
					_, err = io.WriteString(conn, "\r\n")
				}
			} else {
				n, err = conn.Write(chunk[:min(len(chunk), total-int(sent.Load()))])
			}
			sent.Add(int64(n))
		}
		if err == nil && chunked {
			_, err = io.WriteString(conn, "0\r\n\r\n")
		}
		errc <- err
	}()
	return errc
}

func TestHostileHugeBody(t *testing.T) {
	const total = 10 << 20
	for _, mode := range []string{"content-length", "chunked", "expect-100-continue"} {
		t.Run(mode, func(t *testing.T) {
			app, logs := hApp() // the default limit: 1 MiB
			srv, counter := hServe(t, app)
			counter.small.Store(true)
			addr := srv.Listener.Addr().String()
			conn, err := net.DialTimeout("tcp", addr, hGuard)
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.(*net.TCPConn).SetWriteBuffer(64<<10))
			require.NoError(t, conn.SetDeadline(time.Now().Add(hGuard)))
			head := "POST /items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
			switch mode {
			case "chunked":
				head += "Transfer-Encoding: chunked\r\n\r\n"
			case "content-length":
				head += "Content-Length: " + strconv.Itoa(total) + "\r\n\r\n"
			default:
				// The client waits for "100 Continue" before it sends the
				// body: a server that answers first gets none of it.
				head += "Content-Length: " + strconv.Itoa(total) + "\r\nExpect: 100-continue\r\n\r\n"
			}
			_, err = io.WriteString(conn, head)
			require.NoError(t, err)
			var sent atomic.Int64
			var writeErr <-chan error
			if mode == "expect-100-continue" {
				none := make(chan error, 1)
				none <- nil
				writeErr = none
			} else {
				writeErr = hSlowWriter(conn, total, &sent, mode == "chunked")
			}

			res := hRead(t, bufio.NewReader(conn))
			sentAtAnswer := sent.Load()
			assert.Equal(t, 413, res.Status, res.Body)
			assert.JSONEq(t, `{"detail":"Request Entity Too Large"}`, res.Body)
			assert.True(t, res.Close, "the server drops a connection with a body it will not read")
			// The answer came before the client had sent it all, and the
			// server read little of what was sent.
			assert.Less(t, sentAtAnswer, int64(total), "the server answered before the body was sent")
			werr := bgRecv(t, writeErr, "the writer to stop")
			read := counter.read.Load()
			t.Logf("%s: sent %d bytes before the answer, %d in all (writer: %v); the server read %d", mode, sentAtAnswer, sent.Load(), werr, read)
			if mode == "expect-100-continue" {
				assert.Equal(t, int64(len(head)), read, "the server read the headers only")
			} else {
				assert.Less(t, read, int64(3<<20), "the server must not read the whole body")
			}
			hNextIsFine(t, addr)
			hNo500(t, logs)
		})
	}
}

func TestHostileDeeplyNestedJSON(t *testing.T) {
	app, logs := hApp()
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	// encoding/json refuses more than 10000 levels: json_invalid. Below
	// that the body is valid and a missing field's input (the whole object,
	// as pydantic reports it) makes the 422 as deep as the body, so the
	// valid cases stay under 9000 levels, which a Go client can read back.
	deep := map[string]string{
		"100k [":         strings.Repeat("[", 100000),
		"100k [ closed":  strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
		"100k {":         strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000),
		"10001 [":        strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
		"9000 [ (valid)": strings.Repeat("[", 9000) + strings.Repeat("]", 9000),
		"9000 { (valid)": strings.Repeat(`{"a":`, 9000) + "1" + strings.Repeat("}", 9000),
	}
	for name, body := range deep {
		for _, path := range []string{"/items", "/any", "/map"} {
			start := time.Now()
			res := hPost(t, srv, path, "application/json", body)
			elapsed := time.Since(start)
			assert.Contains(t, []int{200, 422}, res.Status, "%s %s: %.200s", name, path, res.Body)
			if res.Status == 422 {
				hDetail(t, res)
			}
			assert.Less(t, elapsed, 5*time.Second, "%s %s", name, path)
		}
		hNextIsFine(t, addr)
	}
	hNo500(t, logs)
}

func TestHostileBodyOnGET(t *testing.T) {
	app, logs := hApp()
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	// The body of a GET to a route that takes none is ignored, and does not
	// leak into the next request on the same connection, even when it looks
	// like one (request smuggling).
	smuggled := "GET /p/smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
	conn, err := net.DialTimeout("tcp", addr, hGuard)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(hGuard)))
	_, err = io.WriteString(conn, "GET /get HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "+
		strconv.Itoa(len(smuggled))+"\r\n\r\n"+smuggled+"GET /p/second HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	first := hRead(t, br)
	assert.Equal(t, 200, first.Status)
	assert.Equal(t, `"ok"`, first.Body)
	second := hRead(t, br)
	assert.Equal(t, `"second"`, second.Body, "the body must not be served as a request")

	// A chunked body on GET, and a large one.
	res := hRaw(t, addr, "GET /get HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
	assert.Equal(t, 200, res.Status)
	res = hRaw(t, addr, "GET /q?n=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"+strings.Repeat("x", 100000))
	assert.Equal(t, 200, res.Status)
	hNextIsFine(t, addr)
	hNo500(t, logs)
}

func TestHostileUnknownContentType(t *testing.T) {
	app, logs := hApp()
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	for _, ct := range []string{"text/plain", "application/xml", "application/jsonx", "multipart/form-data; boundary=x",
		"application/x-www-form-urlencoded", "json", "application/", ";", "application/json-patch", "\xff/\xfe"} {
		res := hPost(t, srv, "/items", ct, `{"name":"x"}`)
		assert.Equal(t, 422, res.Status, "%q: %s", ct, res.Body)
		assert.JSONEq(t, `{"detail":[{"type":"model_attributes_type","loc":["body"],"msg":"Input should be a valid dictionary or object to extract fields from","input":"{\"name\":\"x\"}"}]}`, res.Body, ct)
		hNextIsFine(t, addr)
	}
	// JSON's own types pass, with parameters and in any case; no type at
	// all is taken as JSON, as FastAPI does.
	for _, ct := range []string{"application/json", "Application/JSON; charset=utf-8", "application/merge-patch+json", ""} {
		res := hPost(t, srv, "/items", ct, `{"name":"x"}`)
		assert.Equal(t, 200, res.Status, "%q: %s", ct, res.Body)
	}
	hNo500(t, logs)
}

func TestHostileDuplicateQueryKeys(t *testing.T) {
	app, logs := hApp()
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	get := func(q string) hResult {
		return hRaw(t, addr, "GET /q?"+q+" HTTP/1.1\r\nHost: x\r\n\r\n")
	}
	// The last value of a scalar wins, as in Starlette; earlier ones are not
	// even decoded.
	assert.JSONEq(t, `{"N":2,"S":"b"}`, get("n=1&n=2&s=a&s=b").Body)
	assert.JSONEq(t, `{"N":2,"S":""}`, get("n=x&n=2").Body)
	items := hDetail(t, get("n=2&n=x"))
	assert.Equal(t, "x", items[0]["input"])
	assert.JSONEq(t, `{"N":3,"S":""}`, get("n=1&n=2&"+strings.Repeat("n=9&", 5000)+"n=3").Body)
	hNextIsFine(t, addr)
	hNo500(t, logs)
}

func TestHostileBadHostHeaders(t *testing.T) {
	app, logs := hApp()
	app.Use(middleware.TrustedHost(middleware.TrustedHostConfig{AllowedHosts: []string{"example.com", "*.example.com"}}))
	srv, _ := hServe(t, app)
	addr := srv.Listener.Addr().String()
	req := func(hostLines string) hResult {
		return hRaw(t, addr, "GET /ok HTTP/1.1\r\n"+hostLines+"Connection: close\r\n\r\n")
	}
	assert.Equal(t, 200, req("Host: example.com\r\n").Status)
	assert.Equal(t, 200, req("Host: API.Example.COM:8080\r\n").Status)
	for _, host := range []string{"evil.com", "example.com.evil.com", "evilexample.com", "example.com:99999", "example.com:x",
		"example.com@evil.com", "[::1", "[::1]example.com", "example.com:80:80", "", ":80", "exa%6dple.com", "example..com", "xn--80ak6aa92e.com"} {
		res := req("Host: " + host + "\r\n")
		assert.Equal(t, 400, res.Status, "%q: %s", host, res.Body)
		hNextIsFine(t, addr)
	}
	// No Host at all (HTTP/1.1), two of them, or one net/http finds
	// malformed: net/http answers 400 before the app sees it.
	for _, lines := range []string{"", "Host: example.com\r\nHost: evil.com\r\n", "Host: exa mple.com\r\n", "Host: example.com\x00\r\n"} {
		res := req(lines)
		assert.Equal(t, 400, res.Status, "%q: %s", lines, res.Body)
		hNextIsFine(t, addr)
	}
	hNo500(t, logs)
}

// hRun serves app with Run itself (its http.Server: ReadHeaderTimeout from
// the config, 1 MiB MaxHeaderBytes) on a port the kernel picks, read back
// from Run's "serving" log record; stopped with the test.
func hRun(t *testing.T, app *brisk.App, logs *logBuffer) string {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- app.Run("127.0.0.1:0") }()
	var addr string
	require.Eventually(t, func() bool {
		m := regexp.MustCompile(`"msg":"brisk: serving","addr":"http://([^"]+)"`).FindStringSubmatch(logs.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	}, hGuard, 5*time.Millisecond, "Run must log where it serves")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), hGuard)
		defer cancel()
		assert.NoError(t, app.Shutdown(ctx))
		assert.NoError(t, bgRecv(t, done, "Run to return"))
	})
	return addr
}

func TestHostileHeaderFlood(t *testing.T) {
	app, logs := hApp()
	addr := hRun(t, app, logs)
	for name, header := range map[string]string{
		"one huge header": "X-Big: " + strings.Repeat("a", 2<<20) + "\r\n",
		"many headers":    strings.Repeat("X-Many: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n", 40000),
		"huge cookie":     "Cookie: " + strings.Repeat("c=1; ", 400000) + "\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			conn, err := net.DialTimeout("tcp", addr, hGuard)
			require.NoError(t, err)
			defer conn.Close()
			require.NoError(t, conn.SetDeadline(time.Now().Add(hGuard)))
			// Write in the background: the server stops reading once it has
			// had enough, so the write may block or fail.
			errc := make(chan error, 1)
			go func() {
				_, err := io.WriteString(conn, "GET /ok HTTP/1.1\r\nHost: x\r\n"+header+"\r\n")
				errc <- err
			}()
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode, string(b))
				t.Logf("%d %q", resp.StatusCode, b)
			} else {
				// The connection may be reset before the answer is read.
				t.Logf("no answer, the connection was closed: %v", err)
				assert.True(t, isClosed(err), "%v", err)
			}
			conn.Close()
			<-errc
			hNextIsFine(t, addr)
		})
	}
	hNo500(t, logs)
}

func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe")
}

func TestHostileSlowHeaderClients(t *testing.T) {
	const timeout = 300 * time.Millisecond
	app, logs := hApp(brisk.Config{ReadHeaderTimeout: timeout})
	addr := hRun(t, app, logs)

	// A client that sends part of its headers and then nothing, and one that
	// trickles a byte at a time: ReadHeaderTimeout bounds the headers as a
	// whole, so both are cut off.
	var wg sync.WaitGroup
	for _, trickle := range []bool{false, true} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Before the dial: the server's header clock starts at accept.
			start := time.Now()
			conn, err := net.DialTimeout("tcp", addr, hGuard)
			if !assert.NoError(t, err) {
				return
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(hGuard))
			_, err = io.WriteString(conn, "GET /ok HTTP/1.1\r\nHost: x\r\n")
			assert.NoError(t, err)
			stop := make(chan struct{})
			defer close(stop)
			if trickle {
				go func() {
					tick := time.NewTicker(20 * time.Millisecond)
					defer tick.Stop()
					for {
						select {
						case <-stop:
							return
						case <-tick.C:
							if _, err := io.WriteString(conn, "X"); err != nil {
								return
							}
						}
					}
				}()
			}
			// The server closes the connection: the read ends with EOF (or a
			// reset, or a 408 net/http may send first), well before our guard.
			b, err := io.ReadAll(conn)
			elapsed := time.Since(start)
			var ne net.Error
			assert.False(t, errors.As(err, &ne) && ne.Timeout(), "the server must close the connection, not our guard (trickle=%v)", trickle)
			if len(b) > 0 {
				assert.True(t, strings.HasPrefix(string(b), "HTTP/1.1 408") || strings.HasPrefix(string(b), "HTTP/1.1 400"), "%q", b)
			}
			assert.GreaterOrEqual(t, elapsed, timeout)
			assert.Less(t, elapsed, timeout+3*time.Second, "trickle=%v", trickle)
			t.Logf("trickle=%v: closed after %v (%q, %v)", trickle, elapsed, b, err)
		}()
	}
	wg.Wait()
	hNextIsFine(t, addr)
	hNo500(t, logs)
}
