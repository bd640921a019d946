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
	"time"

	"github.com/briskgo/brisk/internal/funcname"
)

// Run serves the app on addr (default: HOST and PORT from the environment,
// else 127.0.0.1:8000) until SIGINT or SIGTERM, then shuts down gracefully:
// in-flight requests finish and queued background tasks run, within
// Config.ShutdownTimeout, and Run returns what Shutdown returned. Its server
// cuts off slow clients: see Config.ReadHeaderTimeout, ReadBodyTimeout,
// MinReadBodyRate, WriteTimeout and IdleTimeout.
//
// A Shutdown called by the program also ends Run: it returns nil as soon as
// its server has stopped accepting connections (as net/http's Serve returns
// http.ErrServerClosed then), so the program must wait for Shutdown itself
// to return before it exits. Run on an app that Shutdown has been called on,
// or whose Shutdown wins the race with it, serves nothing and returns
// http.ErrServerClosed.
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
	if a.isShutDown() {
		return http.ErrServerClosed
	}
	ln, err := net.Listen("tcp", address)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr:              address,
		Handler:           newDeadlines(a),
		ReadHeaderTimeout: a.cfg.ReadHeaderTimeout,
		IdleTimeout:       a.cfg.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		ErrorLog:          slog.NewLogLogger(a.cfg.Logger.Handler(), slog.LevelWarn),
	}
	if !a.configureServer(srv) {
		// Shutdown came first: its servers are stopped, and this one
		// must not start.
		ln.Close()
		return http.ErrServerClosed
	}
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
//
// ConfigureServer leaves srv's timeouts alone: unlike Run's, srv cuts off
// no slow client unless its own ReadHeaderTimeout, ReadTimeout and
// WriteTimeout say so. On an app that Shutdown has been called on, srv is
// closed at once, so its Serve returns http.ErrServerClosed.
func (a *App) ConfigureServer(srv *http.Server) {
	if !a.configureServer(srv) {
		srv.Close()
	}
}

// configureServer is ConfigureServer; it reports false, and leaves srv
// alone, when Shutdown has been called.
func (a *App) configureServer(srv *http.Server) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.shutDown {
		return false
	}
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
	a.servers = append(a.servers, srv)
	return true
}

// isShutDown reports whether Shutdown has been called.
func (a *App) isShutDown() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.shutDown
}

// Shutdown stops the servers Run started or ConfigureServer set up (if any),
// waits for their in-flight requests, then waits for every queued
// background task, until ctx ends. On an app driven by ServeHTTP alone it
// only waits for background tasks. From its call on, Run and the servers
// of ConfigureServer serve nothing more.
//
// Clients do not decide when it returns: when ctx has a deadline, the
// connections still open a quarter of the time before it (at most 5s
// before) are closed, a Warn record says so, and Shutdown waits for their
// handlers to return, then for the background tasks, until the deadline. A
// connection cut so is not an error; Shutdown returns one when background
// tasks are abandoned, when handlers are still running at the deadline, or
// when an OnShutdown hook fails.
func (a *App) Shutdown(ctx context.Context) error {
	a.mu.Lock()
	a.shutDown = true
	servers := append([]*http.Server(nil), a.servers...)
	a.mu.Unlock()
	errs := a.stopServers(ctx, servers)
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

// stopServers shuts the servers down, together, and closes the connections
// still open shortly before ctx's deadline (see Shutdown), then waits for
// their handlers until the deadline. It returns the errors that are the
// app's, not its clients'.
func (a *App) stopServers(ctx context.Context, servers []*http.Server) []error {
	if len(servers) == 0 {
		return nil
	}
	drain := ctx
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		drain, cancel = context.WithDeadline(ctx, dl.Add(-min(time.Until(dl)/4, 5*time.Second)))
		defer cancel()
	}
	errs := make([]error, len(servers))
	var wg sync.WaitGroup
	for i, srv := range servers {
		wg.Go(func() { errs[i] = srv.Shutdown(drain) })
	}
	wg.Wait()
	var out []error
	cut := false
	for i, err := range errs {
		switch {
		case err == nil || errors.Is(err, net.ErrClosed):
			// A server already closed by its owner has nothing left to
			// stop.
		case drain.Err() != nil && errors.Is(err, drain.Err()):
			cut = true
			_ = servers[i].Close()
		default:
			out = append(out, err)
		}
	}
	if !cut {
		return out
	}
	a.cfg.Logger.Warn("brisk: shutdown: closed the connections still open",
		slog.Int("connections", a.conns.open()), slog.Any("reason", drain.Err()))
	if err := a.conns.wait(ctx); err != nil {
		out = append(out, fmt.Errorf("brisk: shutdown: handlers still running after their connections were closed: %w", err))
	}
	return out
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
// their watches: ConnContext sees a connection first, ConnState after. It
// counts them too, for Shutdown to wait for the handlers of the
// connections it closed: net/http reports a connection closed only once
// its handler has returned.
type connWatches struct {
	m sync.Map // net.Conn → *connWatch

	mu    sync.Mutex
	n     int           // connections in m
	empty chan struct{} // closed when n drops to 0 while wait waits
}

// connContext is the ConnContext hook: a watch per connection.
func (ws *connWatches) connContext(ctx context.Context, c net.Conn) context.Context {
	cw := &connWatch{}
	ws.mu.Lock()
	ws.n++
	ws.mu.Unlock()
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
			ws.mu.Lock()
			ws.n--
			if ws.n == 0 && ws.empty != nil {
				close(ws.empty)
				ws.empty = nil
			}
			ws.mu.Unlock()
		}
	}
}

// open reports how many connections are open (hijacked ones excepted).
func (ws *connWatches) open() int {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.n
}

// wait waits until no connection is open, or ctx ends.
func (ws *connWatches) wait(ctx context.Context) error {
	ws.mu.Lock()
	if ws.n == 0 {
		ws.mu.Unlock()
		return nil
	}
	if ws.empty == nil {
		ws.empty = make(chan struct{})
	}
	empty := ws.empty
	ws.mu.Unlock()
	select {
	case <-empty:
		return nil
	case <-ctx.Done():
		return ctx.Err()
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
