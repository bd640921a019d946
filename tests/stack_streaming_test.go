package tests

// Streams through the stack (the 64 KiB buffer, flushes, a panic after the
// stream started) and Hijack, Flush and ResponseController through layers.

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

func TestFlushedStreamPassesThroughCallNextLayers(t *testing.T) {
	app, _ := quietApp()
	streamed := make(chan bool, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		streamed <- resp.Streamed()
		resp.Header().Set("X-After", "too late")
		resp.SetStatusCode(http.StatusTeapot)
		return resp
	})
	app.Middleware(passThrough)
	app.Use(func(next http.Handler) http.Handler { return next })
	app.Middleware(passThrough)

	chunks := []string{"chunk one;", "chunk two;", "chunk three;"}
	ack := make(chan struct{})
	app.Get("/stream", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Before", "set by handler")
		for i, c := range chunks {
			if i > 0 {
				select { // the client has chunk i-1 before chunk i is written
				case <-ack:
				case <-r.Context().Done():
					return
				case <-time.After(guard):
					return
				}
			}
			_, _ = io.WriteString(w, c)
			w.(http.Flusher).Flush()
		}
	})
	srv := serve(t, app)

	resp := open(t, srv, request{Path: "/stream"})
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "set by handler", resp.Header.Get("X-Before"))
	for i, c := range chunks {
		buf := make([]byte, len(c))
		_, err := io.ReadFull(resp.Body, buf)
		require.NoError(t, err, "chunk %d", i)
		assert.Equal(t, c, string(buf))
		if i < len(chunks)-1 {
			select {
			case ack <- struct{}{}:
			case <-time.After(guard):
				require.FailNow(t, "handler gone")
			}
		}
	}
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Empty(t, rest)
	assert.Empty(t, resp.Header.Get("X-After"), "a streamed response's headers are sent")
	assert.True(t, within(t, streamed, "the layer"), "Streamed() after a Flush")
}

func TestLargeBodyPassesThroughWithoutFlush(t *testing.T) {
	const size = 4*brisk.StreamBuffer + 123
	body := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
	app, _ := quietApp()
	streamed := make(chan bool, 1)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		streamed <- resp.Streamed()
		resp.Header().Set("X-After", "too late")
		return resp
	})
	app.Middleware(passThrough)
	ack := make(chan struct{})
	app.Get("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)+3))
		for p := body; len(p) > 0; {
			n := min(4096, len(p))
			if _, err := w.Write(p[:n]); err != nil {
				return
			}
			p = p[n:]
		}
		select { // the client has most of it while the handler still runs
		case <-ack:
		case <-r.Context().Done():
			return
		case <-time.After(guard):
			return
		}
		_, _ = io.WriteString(w, "END")
	})
	srv := serve(t, app)

	resp := open(t, srv, request{Path: "/big"})
	require.Equal(t, 200, resp.StatusCode)
	assert.EqualValues(t, len(body)+3, resp.ContentLength, "the handler's Content-Length is kept")
	head := make([]byte, 3*brisk.StreamBuffer)
	_, err := io.ReadFull(resp.Body, head)
	require.NoError(t, err)
	select {
	case ack <- struct{}{}:
	case <-time.After(guard):
		require.FailNow(t, "handler gone")
	}
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.True(t, bytes.Equal(append(body, "END"...), append(head, rest...)), "body intact")
	assert.Empty(t, resp.Header.Get("X-After"))
	assert.True(t, within(t, streamed, "the layer"))
}

func TestSmallResponsesAreHeldAndOneByteOverStreams(t *testing.T) {
	app, _ := quietApp()
	streamed := make(chan bool, 2)
	app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
		resp := next(r)
		streamed <- resp.Streamed()
		resp.Header().Set("X-After", "applied")
		return resp
	})
	app.Get("/fits", func(w http.ResponseWriter) {
		_, _ = w.Write(make([]byte, brisk.StreamBuffer/2))
		_, _ = w.Write(make([]byte, brisk.StreamBuffer/2))
	})
	app.Get("/over", func(w http.ResponseWriter) { _, _ = w.Write(make([]byte, brisk.StreamBuffer+1)) })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/fits"})
	assert.Len(t, res.Body, brisk.StreamBuffer)
	assert.Equal(t, "applied", res.Header.Get("X-After"))
	assert.False(t, within(t, streamed, "fits"))

	res = send(t, srv, request{Path: "/over"})
	assert.Len(t, res.Body, brisk.StreamBuffer+1)
	assert.Empty(t, res.Header.Get("X-After"))
	assert.True(t, within(t, streamed, "over"))
}

// Starlette's exc-stream: a panic after part of the body went out cannot
// become a 500; the client sees the response broken, and it is logged once.
func TestPanicAfterStreamStartedAbortsTheResponse(t *testing.T) {
	app, logs := quietApp()
	app.Middleware(passThrough)
	app.Get("/exc-stream", func(w http.ResponseWriter) {
		_, _ = io.WriteString(w, "Ok")
		w.(http.Flusher).Flush()
		panic("Faulty Stream")
	})
	app.Get("/ok", func() string { return "ok" })
	srv := serve(t, app)

	resp := open(t, srv, request{Path: "/exc-stream"})
	assert.Equal(t, 200, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	assert.Error(t, err, "the client must not take a broken body for a whole one")
	assert.Equal(t, "Ok", string(b))
	assert.Equal(t, 1, strings.Count(logs.String(), "panic serving request"))
	assert.Equal(t, `"ok"`, send(t, srv, request{Path: "/ok"}).Body)
}

// unwrapOnly hides every optional interface but Unwrap, as many third-party
// writer wrappers do.
type unwrapOnly struct{ w http.ResponseWriter }

func (u unwrapOnly) Header() http.Header         { return u.w.Header() }
func (u unwrapOnly) Write(p []byte) (int, error) { return u.w.Write(p) }
func (u unwrapOnly) WriteHeader(code int)        { u.w.WriteHeader(code) }
func (u unwrapOnly) Unwrap() http.ResponseWriter { return u.w }

// echoUpgrade is a minimal WebSocket-like upgrade: hijack, answer 101 on the
// raw connection, echo lines until the client closes.
func echoUpgrade(hijack func(http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error)) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") != "echo" {
			http.Error(w, "upgrade required", http.StatusUpgradeRequired)
			return
		}
		conn, rw, err := hijack(w)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		_ = rw.Flush()
		for {
			line, err := rw.ReadString('\n')
			if err != nil {
				return
			}
			_, _ = rw.WriteString("echo: " + line)
			_ = rw.Flush()
		}
	}
}

func dialUpgrade(t *testing.T, addr, path string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(guard)))
	_, err = fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: example.com\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n", path)
	require.NoError(t, err)
	br := bufio.NewReader(conn)
	status, err := br.ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "HTTP/1.1 101 Switching Protocols\r\n", status)
	for {
		line, err := br.ReadString('\n')
		require.NoError(t, err)
		if line == "\r\n" {
			break
		}
	}
	for _, msg := range []string{"hello\n", "world\n"} {
		_, err = io.WriteString(conn, msg)
		require.NoError(t, err)
		got, err := br.ReadString('\n')
		require.NoError(t, err)
		assert.Equal(t, "echo: "+msg, got)
	}
}

func TestHijackThroughLayers(t *testing.T) {
	ev := &recorder{}
	app, logs := quietApp()
	app.Middleware(callNextLayer(ev, "outer"))
	app.Use(plainLayer(ev, "plain"))
	app.Middleware(callNextLayer(ev, "inner"))
	app.Get("/ws", echoUpgrade(func(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
		return w.(http.Hijacker).Hijack()
	}))
	g := app.Group("/rc")
	g.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(unwrapOnly{w}, r) })
	})
	g.Middleware(passThrough)
	g.Get("/ws", echoUpgrade(func(w http.ResponseWriter) (net.Conn, *bufio.ReadWriter, error) {
		return http.NewResponseController(w).Hijack()
	}))
	srv := serve(t, app)
	addr := srv.Listener.Addr().String()

	dialUpgrade(t, addr, "/ws")
	dialUpgrade(t, addr, "/rc/ws")
	// The layers returned without writing to the hijacked connection.
	assert.NotContains(t, logs.String(), "panic")
	// A plain request still works after the upgrades.
	res := send(t, srv, request{Path: "/ws"})
	assert.Equal(t, http.StatusUpgradeRequired, res.Status)
}

func TestResponseControllerThroughLayers(t *testing.T) {
	app, _ := quietApp()
	app.Middleware(passThrough)
	app.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { next.ServeHTTP(unwrapOnly{w}, r) })
	})
	app.Middleware(passThrough)
	errs := make(chan []error, 1)
	ack := make(chan struct{})
	app.Get("/rc", func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		var got []error
		got = append(got, rc.SetWriteDeadline(time.Now().Add(guard)))
		got = append(got, rc.SetReadDeadline(time.Now().Add(guard)))
		_, _ = io.WriteString(w, "first")
		got = append(got, rc.Flush())
		errs <- got
		select {
		case <-ack:
		case <-r.Context().Done():
			return
		case <-time.After(guard):
			return
		}
		_, _ = io.WriteString(w, "second")
	})
	srv := serve(t, app)

	resp := open(t, srv, request{Path: "/rc"})
	buf := make([]byte, len("first"))
	_, err := io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	assert.Equal(t, "first", string(buf))
	for i, err := range within(t, errs, "the handler") {
		assert.NoError(t, err, "call %d", i)
	}
	close(ack)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "second", string(rest))
}
