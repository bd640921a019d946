package brisk

import (
	"context"
	"net"
	"net/http"
	"sync"
)

// A response without a Content-Length (a chunked stream, an HTTP/1.0 body
// ended by closing the connection) is only complete once net/http has
// written its end, which it does after ServeHTTP returns and after it
// cancels the request's context. A handler cannot wait for that; the
// server's ConnState hook can: net/http reports the connection idle (or
// closed) only once the response is finished and flushed. ConfigureServer
// installs the hooks below so that such a request's background tasks start
// then, not a few microseconds before the client has the last chunk.

// connWatch follows one HTTP/1.x connection: it tells the request being
// served on it when its response has been finished.
type connWatch struct {
	mu   sync.Mutex
	done chan struct{} // closed once the current response is finished
}

// connWatchKey finds the connection's watch in a request's context.
type connWatchKey struct{}

// responseFinished returns a channel closed once net/http has finished the
// response being served on the connection.
func (cw *connWatch) responseFinished() <-chan struct{} {
	cw.mu.Lock()
	defer cw.mu.Unlock()
	if cw.done == nil {
		cw.done = make(chan struct{})
	}
	return cw.done
}

// finished is called from ConnState once the connection is idle, closed or
// hijacked: the response, whatever it was, is over.
func (cw *connWatch) finished() {
	cw.mu.Lock()
	defer cw.mu.Unlock()
	if cw.done != nil {
		close(cw.done)
		cw.done = nil
	}
}

// connWatches maps the connections of servers set up by ConfigureServer to
// their watches: ConnContext sees a connection first, ConnState after.
type connWatches struct {
	m sync.Map // net.Conn → *connWatch
}

// connContext is the ConnContext hook: a watch per connection.
func (ws *connWatches) connContext(ctx context.Context, c net.Conn) context.Context {
	cw := &connWatch{}
	ws.m.Store(c, cw)
	return context.WithValue(ctx, connWatchKey{}, cw)
}

// connState is the ConnState hook.
func (ws *connWatches) connState(c net.Conn, state http.ConnState) {
	switch state {
	case http.StateIdle:
		if cw, ok := ws.m.Load(c); ok {
			cw.(*connWatch).finished()
		}
	case http.StateClosed, http.StateHijacked:
		if cw, ok := ws.m.LoadAndDelete(c); ok {
			cw.(*connWatch).finished()
		}
	}
}

// responseEnd returns what a request's background work waits for when its
// response has no Content-Length: the end of the response as the server's
// ConnState reports it when the server was set up by ConfigureServer and
// speaks HTTP/1.x, else the request context's end, which net/http signals
// just before it writes the response's last bytes.
func responseEnd(r *http.Request) <-chan struct{} {
	if r.ProtoMajor == 1 {
		if cw, ok := r.Context().Value(connWatchKey{}).(*connWatch); ok {
			return cw.responseFinished()
		}
	}
	return r.Context().Done()
}
