// Slow clients: the deadlines the server Run starts gives each request's
// body reads and response writes, moved forward as data flows, so that a
// client that stops sending or stops reading is cut off while long uploads
// and streams go on.

package brisk

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"time"
)

// writeChunk is the most a write sends under one write deadline: a large
// Write is split so that a slow reader that keeps reading is not cut off
// in the middle of it, only one that stops.
const writeChunk = 64 << 10

// deadlines wraps the App in the server Run starts: it gives each request's
// body and writer the read and write deadlines of Config.ReadBodyTimeout,
// MinReadBodyRate and WriteTimeout. Servers set up with ConfigureServer keep
// their own timeouts.
type deadlines struct {
	app       *App
	readIdle  time.Duration // 0: no read deadline
	minRate   int64         // bytes per second; 0: none
	writeIdle time.Duration // 0: no write deadline
}

// newDeadlines returns the handler Run serves a with.
func newDeadlines(a *App) *deadlines {
	return &deadlines{
		app:       a,
		readIdle:  max(a.cfg.ReadBodyTimeout, 0),
		minRate:   max(a.cfg.MinReadBodyRate, 0),
		writeIdle: max(a.cfg.WriteTimeout, 0),
	}
}

func (d *deadlines) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d.readIdle == 0 && d.writeIdle == 0 {
		d.app.ServeHTTP(w, r)
		return
	}
	c := &deadlineConn{rc: *http.NewResponseController(w), w: w, writeIdle: d.writeIdle}
	if d.readIdle > 0 && r.Body != nil && r.Body != http.NoBody {
		c.body = timedBody{c: c, body: r.Body, idle: d.readIdle, rate: d.minRate}
		r.Body = &c.body
	}
	if d.writeIdle > 0 {
		w = c
	}
	d.app.ServeHTTP(w, r)
	if d.writeIdle > 0 && !c.hijacked {
		// net/http writes what it still buffers, and the end of a chunked
		// body, after ServeHTTP returns: give that a deadline of its own,
		// not what is left of the last write's.
		c.extendWrite()
	}
}

// deadlineConn is a request's writer and body under deadlines: one
// allocation for both.
type deadlineConn struct {
	rc        http.ResponseController // on the server's writer
	w         http.ResponseWriter     // the server's writer
	writeIdle time.Duration
	hijacked  bool
	body      timedBody
}

// extendWrite moves the write deadline to writeIdle from now.
func (c *deadlineConn) extendWrite() {
	_ = c.rc.SetWriteDeadline(time.Now().Add(c.writeIdle))
}

// Header implements http.ResponseWriter.
func (c *deadlineConn) Header() http.Header { return c.w.Header() }

// WriteHeader implements http.ResponseWriter. A 1xx is written at once, so
// it gets a deadline.
func (c *deadlineConn) WriteHeader(status int) {
	if status < 200 {
		c.extendWrite()
	}
	c.w.WriteHeader(status)
}

// Write implements http.ResponseWriter: each writeChunk bytes get writeIdle
// to go out.
func (c *deadlineConn) Write(p []byte) (int, error) {
	n := 0
	for {
		k := min(len(p), writeChunk)
		c.extendWrite()
		m, err := c.w.Write(p[:k])
		n += m
		p = p[k:]
		if err != nil || len(p) == 0 {
			return n, err
		}
	}
}

// FlushError flushes under a fresh write deadline; http.ResponseController
// uses it.
func (c *deadlineConn) FlushError() error {
	c.extendWrite()
	return c.rc.Flush()
}

// Flush implements http.Flusher.
func (c *deadlineConn) Flush() { _ = c.FlushError() }

// Hijack implements http.Hijacker. The connection is the caller's from
// then on: net/http clears its deadlines, and ServeHTTP sets none after.
func (c *deadlineConn) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := c.rc.Hijack()
	if err == nil {
		c.hijacked = true
	}
	return conn, brw, err
}

// Unwrap lets http.ResponseController reach the server's writer.
func (c *deadlineConn) Unwrap() http.ResponseWriter { return c.w }

// timedBody is a request body whose reads must deliver data within idle,
// and, when rate is set, at rate bytes per second on average over the time
// spent waiting in reads (after a first idle of grace). Time the handler
// spends elsewhere does not count, so a handler that works as it reads is
// not mistaken for a slow client.
type timedBody struct {
	c      *deadlineConn
	body   io.ReadCloser
	idle   time.Duration
	rate   int64
	n      int64         // bytes read
	waited time.Duration // time spent in reads
	done   bool          // a read failed or hit EOF: deadlines are net/http's again
}

func (b *timedBody) Read(p []byte) (int, error) {
	if b.done {
		// After EOF net/http reads the connection in the background, to
		// notice the client going away, with no deadline; setting one now
		// would cancel the request when it passed.
		return b.body.Read(p)
	}
	start := time.Now()
	d := b.idle
	if b.rate > 0 {
		earned := time.Duration(b.n/b.rate)*time.Second + time.Duration(b.n%b.rate)*time.Second/time.Duration(b.rate)
		d = min(d, b.idle+earned-b.waited)
	}
	_ = b.c.rc.SetReadDeadline(start.Add(d)) // in the past when the client is below the rate
	n, err := b.body.Read(p)
	b.waited += time.Since(start)
	b.n += int64(n)
	if err != nil {
		b.done = true
	}
	return n, err
}

func (b *timedBody) Close() error { return b.body.Close() }
