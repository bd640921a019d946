// Running the App as a server: Run, ConfigureServer, Shutdown and its
// OnShutdown hooks, and the connection hooks that tell when a response
// without a length is finished.

package brisk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/briskgo/brisk/internal/funcname"
)

// Run serves the app on addr (default: HOST and PORT from the environment,
// else 127.0.0.1:8000) until SIGINT or SIGTERM, then shuts down gracefully:
// in-flight requests finish and queued background tasks run, within
// Config.ShutdownTimeout.
func (a *App) Run(addr ...string) error {
	address := listenAddr(addr)
	a.freeze()
	if a.cfg.OpenAPIURL != "" {
		// Build the document now: a route it cannot describe is a startup
		// error, not a surprise for the first reader of /docs.
		if _, _, err := a.openAPI(a.cfg.RootPath); err != nil {
			return fmt.Errorf("brisk: building the OpenAPI document: %w", err)
		}
	}
	ln, err := net.Listen("tcp", address)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              address,
		ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(a.cfg.Logger.Handler(), slog.LevelWarn),
	}
	a.ConfigureServer(srv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if a.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		var stack strings.Builder
		a.Describe(&stack)
		a.cfg.Logger.Debug("brisk: middleware stack, in request order", slog.String("stack", stack.String()))
	}
	a.logServing("http://" + ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	case <-ctx.Done():
		// A second SIGINT or SIGTERM now ends the process at once, as users
		// expect of a stuck shutdown.
		stop()
	}
	a.cfg.Logger.Info("brisk: shutting down", slog.Duration("timeout", a.cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	return a.Shutdown(sctx)
}

func listenAddr(addr []string) string {
	if len(addr) > 0 && addr[0] != "" {
		return addr[0]
	}
	host, port := os.Getenv("HOST"), os.Getenv("PORT")
	if host == "" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "8000"
	}
	return net.JoinHostPort(host, port)
}

// ConfigureServer prepares srv to serve the app the way Run does, for
// programs that run their own http.Server (TLS, several listeners, custom
// timeouts): it sets srv.Handler to the app when it is nil, and chains hooks
// onto srv.ConnContext and srv.ConnState (keeping any already set) so that
// the background tasks of a response without a Content-Length — a streamed,
// chunked one — start only once net/http has written its last chunk. Without
// them such tasks may start a few microseconds before the client has the
// final bytes (see docs/background-tasks.md). Shutdown also shuts srv down,
// before it waits for background tasks. Call it before srv starts serving.
func (a *App) ConfigureServer(srv *http.Server) {
	if srv.Handler == nil {
		srv.Handler = a
	}
	prevCtx, prevState := srv.ConnContext, srv.ConnState
	srv.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prevCtx != nil {
			ctx = prevCtx(ctx, c)
		}
		return a.conns.connContext(ctx, c)
	}
	srv.ConnState = func(c net.Conn, state http.ConnState) {
		a.conns.connState(c, state)
		if prevState != nil {
			prevState(c, state)
		}
	}
	a.mu.Lock()
	a.servers = append(a.servers, srv)
	a.mu.Unlock()
}

// Shutdown stops the servers Run started or ConfigureServer set up (if any),
// waits for their in-flight requests, then waits for every queued
// background task, until ctx ends. On an app driven by ServeHTTP alone it
// only waits for background tasks.
func (a *App) Shutdown(ctx context.Context) error {
	a.mu.Lock()
	servers := append([]*http.Server(nil), a.servers...)
	a.mu.Unlock()
	var errs []error
	for _, srv := range servers {
		// A server already closed by its owner has nothing left to stop.
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	if err := a.runner.Shutdown(ctx); err != nil {
		errs = append(errs, err)
	}
	for _, sub := range a.mounted { // Mount's Apps: their tasks and hooks
		if err := sub.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, a.runShutdownHooks(ctx)...)
	return errors.Join(errs...)
}

// OnShutdown registers fn to run when the app shuts down (Shutdown, or Run
// on SIGINT/SIGTERM), after in-flight requests and every queued background
// task have finished: the place to close database pools and flush
// telemetry. Hooks run one after another in reverse order of registration,
// each given Shutdown's context; an error is logged and returned, joined
// with the others, by Shutdown and Run. Each hook runs once, however often
// Shutdown is called.
func (a *App) OnShutdown(fn func(context.Context) error) {
	if fn == nil {
		panic("brisk: OnShutdown(nil)")
	}
	a.mu.Lock()
	a.onShutdown = append(a.onShutdown, fn)
	a.mu.Unlock()
}

// runShutdownHooks runs and forgets the OnShutdown hooks, last registered
// first.
func (a *App) runShutdownHooks(ctx context.Context) []error {
	a.mu.Lock()
	hooks := a.onShutdown
	a.onShutdown = nil
	a.mu.Unlock()
	var errs []error
	for i := len(hooks) - 1; i >= 0; i-- {
		if err := hooks[i](ctx); err != nil {
			a.cfg.Logger.Error("brisk: shutdown hook failed", slog.String("hook", funcname.Of(hooks[i])), slog.Any("error", err))
			errs = append(errs, err)
		}
	}
	return errs
}

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
