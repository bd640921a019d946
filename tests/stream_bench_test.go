package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/coder/websocket"

	"github.com/briskgo/brisk"
)

// Streaming over real TCP, Brisk against the code one would write by hand.
// Run (short runs; the ratios are what matters):
//
//	go test ./tests/ -run '^$' -bench 'SSE|WebSocketEcho' -benchmem -benchtime=2000x
//
// SSE: one request streams b.N events; an op is one event, sent, flushed
// and read by a client discarding the bytes (so allocs/op are the server's).
// WebSocket: an op is one echo round trip of a short text message.

// benchEvent is the item streamed.
type benchEvent struct {
	N    int    `json:"n"`
	Name string `json:"name"`
}

// readStream sends GET path to addr (Connection: close) and reads the
// response to its end, discarding it.
func readStream(b *testing.B, addr, path string) {
	b.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"); err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := conn.Read(buf); err != nil {
			if err == io.EOF {
				return
			}
			b.Fatal(err)
		}
	}
}

func BenchmarkSSE(b *testing.B) {
	b.Run("brisk-call-next", func(b *testing.B) {
		app := brisk.New(brisk.Config{OpenAPIURL: "-", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		app.Middleware(emptyCallNext)
		app.Get("/events", func(in struct {
			N int `query:"n"`
		}) iter.Seq[benchEvent] {
			return func(yield func(benchEvent) bool) {
				for i := range in.N {
					if !yield(benchEvent{N: i, Name: "tick"}) {
						return
					}
				}
			}
		}, brisk.EventStream())
		srv := httptest.NewServer(app)
		defer srv.Close()
		b.ReportAllocs()
		b.ResetTimer()
		readStream(b, srv.Listener.Addr().String(), "/events?n="+strconv.Itoa(b.N))
	})
	b.Run("hand-written-flusher", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
			w.Header().Set("Cache-Control", "no-cache")
			f := w.(http.Flusher)
			for i := range n {
				data, err := json.Marshal(benchEvent{N: i, Name: "tick"})
				if err != nil {
					panic(err)
				}
				fmt.Fprintf(w, "data: %s\n\n", data)
				f.Flush()
			}
		}))
		defer srv.Close()
		b.ReportAllocs()
		b.ResetTimer()
		readStream(b, srv.Listener.Addr().String(), "/events?n="+strconv.Itoa(b.N))
	})
}

func BenchmarkWebSocketEcho(b *testing.B) {
	echo := func(b *testing.B, url string) {
		ctx := context.Background()
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseNow()
		msg := []byte("hello, echo")
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
				b.Fatal(err)
			}
			if _, _, err := c.Read(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		_ = c.Close(websocket.StatusNormalClosure, "")
	}
	b.Run("brisk", func(b *testing.B) {
		app := brisk.New(brisk.Config{OpenAPIURL: "-", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		app.WebSocket("/echo", func(ws *brisk.WebSocket) error {
			for {
				s, err := ws.ReadText()
				if err != nil {
					return err
				}
				if err := ws.WriteText(s); err != nil {
					return err
				}
			}
		})
		srv := httptest.NewServer(app)
		defer srv.Close()
		echo(b, wsURL(srv, "/echo"))
	})
	b.Run("bare-coder-websocket", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := websocket.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			ctx := r.Context()
			for {
				typ, data, err := c.Read(ctx)
				if err != nil {
					return
				}
				if err := c.Write(ctx, typ, data); err != nil {
					return
				}
			}
		}))
		defer srv.Close()
		echo(b, wsURL(srv, "/echo"))
	})
}
