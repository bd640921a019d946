// WebSocket routes: App.WebSocket and Router.WebSocket, the *WebSocket a
// handler talks through (on github.com/coder/websocket), the Origin check,
// and closing with FastAPI's codes: 1008 for bad input or a failing
// dependency, 1000 when the handler returns nil, 1011 for its error.

package brisk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/briskgo/brisk/internal/jsonwrite"
	"github.com/briskgo/brisk/internal/problem"
)

// WebSocket registers handler for WebSocket connections to pattern. See
// Router.WebSocket.
func (a *App) WebSocket(pattern string, handler any, opts ...RouteOption) {
	a.root.WebSocket(pattern, handler, opts...)
}

// WebSocket registers handler for WebSocket connections to pattern (a GET
// route answering the upgrade; it is not in the OpenAPI document).
//
// handler's parameters are injected as a route's: path, query, header and
// cookie inputs, providers, *BackgroundTasks, context.Context,
// *http.Request, and *WebSocket, the accepted connection. A body (JSON or
// form) or an http.ResponseWriter panics here; so does a handler returning
// anything but nothing or an error.
//
// Per request: a request that is not a WebSocket handshake is answered as
// github.com/coder/websocket answers it (426 Upgrade Required, …), and one
// whose Origin is not the request's host nor matches the route's
// WebSocketConfig.OriginPatterns gets 403, before any dependency runs.
// Then the dependencies run: invalid input, or an error from a dependency,
// accepts the upgrade and closes the connection at once with 1008 (policy
// violation) and a reason naming the problem, as FastAPI does; the handler
// never runs. A *WebSocketError sets the code and reason itself. Otherwise
// the upgrade is accepted and handler runs; when it returns nil the
// connection is closed with 1000, with an error 1011 (the error is logged).
// Background tasks run once the connection is closed, then the providers'
// cleanups.
func (rt *Router) WebSocket(pattern string, handler any, opts ...RouteOption) {
	rt.app.addRoute(rt, http.MethodGet, rt.prefix+pattern, handler, append(slices.Clip(opts), webSocketRoute))
}

// webSocketRoute marks a route as a WebSocket route, applied after every
// other option.
func webSocketRoute(o *routeOptions) {
	o.webSocket, o.hidden = true, true
}

// WebSocketConfig configures a WebSocket route (see WebSocketOptions).
type WebSocketConfig struct {
	// OriginPatterns lists the origins allowed besides the request's own
	// host, as github.com/coder/websocket's: each is matched, case
	// insensitively, with path.Match against the Origin's host
	// ("*.example.com"), or against "scheme://host" when it contains "://".
	// A pattern that does not parse panics at registration.
	OriginPatterns []string
	// InsecureSkipOriginCheck accepts every Origin. Browsers send cookies
	// with cross-site WebSocket handshakes: with this, any page can talk to
	// the route as its visitor.
	InsecureSkipOriginCheck bool
	// Subprotocols lists the subprotocols the route speaks, in order of
	// preference; the first the client offers is chosen (WebSocket.Subprotocol).
	Subprotocols []string
	// ReadLimit bounds a message read, in bytes (default 32768, as
	// github.com/coder/websocket); a bigger one closes the connection with
	// 1009 (message too big). -1 means no limit.
	ReadLimit int64
	// Compression negotiates permessage-deflate with clients that offer it.
	Compression bool
}

// WebSocketOptions configures a WebSocket route, or every WebSocket route of
// a group: the origins allowed, subprotocols, the message size limit.
func WebSocketOptions(cfg WebSocketConfig) RouteOption {
	for _, p := range cfg.OriginPatterns {
		if _, err := path.Match(p, ""); err != nil {
			panic(fmt.Sprintf("brisk: WebSocketOptions: origin pattern %q: %v", p, err))
		}
	}
	// Lowered once here: the match is case insensitive (see checkOrigin).
	cfg.OriginPatterns = slices.Clone(cfg.OriginPatterns)
	for i, p := range cfg.OriginPatterns {
		cfg.OriginPatterns[i] = strings.ToLower(p)
	}
	cfg.Subprotocols = slices.Clone(cfg.Subprotocols)
	return func(o *routeOptions) { o.webSocketConfig = &cfg }
}

// WebSocketError closes a WebSocket with Code and Reason: returned by a
// WebSocket route's dependency or handler (as FastAPI's
// WebSocketException), e.g. &brisk.WebSocketError{Code: 1008, Reason: "no
// token"}. Reason is cut to the 123 bytes a close frame holds.
type WebSocketError struct {
	Code   int
	Reason string
}

// Error implements error.
func (e *WebSocketError) Error() string {
	return fmt.Sprintf("websocket closed with %d: %s", e.Code, e.Reason)
}

// CloseStatus returns the close code of a WebSocket read or write error,
// when the connection was closed with a close frame (the client's, or the
// handler's Close), or -1. A handler reading until the client leaves can
// return the error as it is: one with a close code ends the connection
// normally.
func CloseStatus(err error) int { return int(websocket.CloseStatus(err)) }

// WebSocket is an accepted WebSocket connection, given to a WebSocket
// route's handler. Reads and writes follow the handler's context: they end
// when the connection closes or the handler returns. Writes may come from
// several goroutines at once (a broadcast); one goroutine reads.
type WebSocket struct {
	conn   *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	closed sync.Once
	// gone is the first error of a read or write: the connection is
	// unusable after it (the client left, a close frame, a timeout).
	gone atomic.Pointer[error]
}

// Context is the connection's context: the request's, cancelled when the
// connection closes (seen by a read or write), Close is called, or the
// handler returns.
func (ws *WebSocket) Context() context.Context { return ws.ctx }

// Subprotocol is the subprotocol chosen from WebSocketConfig.Subprotocols,
// or "".
func (ws *WebSocket) Subprotocol() string { return ws.conn.Subprotocol() }

// Conn is the github.com/coder/websocket connection beneath, for what this
// type does not wrap (pings, streamed messages, Reader and Writer).
func (ws *WebSocket) Conn() *websocket.Conn { return ws.conn }

// errWrongMessage is a message of the other type than the one asked for.
var errWrongMessage = errors.New("brisk: WebSocket: unexpected message type")

// ReadText reads a text message; a binary one is an error.
func (ws *WebSocket) ReadText() (string, error) {
	b, err := ws.read(websocket.MessageText)
	return string(b), err
}

// ReadBytes reads a binary message; a text one is an error.
func (ws *WebSocket) ReadBytes() ([]byte, error) { return ws.read(websocket.MessageBinary) }

// ReadJSON reads a message (text or binary) and decodes it as JSON into v.
func (ws *WebSocket) ReadJSON(v any) error {
	_, b, err := ws.conn.Read(ws.ctx)
	if err != nil {
		return ws.failed(err)
	}
	return json.Unmarshal(b, v)
}

func (ws *WebSocket) read(want websocket.MessageType) ([]byte, error) {
	typ, b, err := ws.conn.Read(ws.ctx)
	if err != nil {
		return nil, ws.failed(err)
	}
	if typ != want {
		return nil, fmt.Errorf("%w: %s, want %s", errWrongMessage, typ, want)
	}
	return b, nil
}

// WriteText sends a text message.
func (ws *WebSocket) WriteText(s string) error {
	return ws.failed(ws.conn.Write(ws.ctx, websocket.MessageText, []byte(s)))
}

// WriteBytes sends a binary message.
func (ws *WebSocket) WriteBytes(b []byte) error {
	return ws.failed(ws.conn.Write(ws.ctx, websocket.MessageBinary, b))
}

// WriteJSON sends v as JSON in a text message, written as Brisk writes
// response bodies.
func (ws *WebSocket) WriteJSON(v any) error {
	b, err := jsonwrite.Marshal(v)
	if err != nil {
		return err
	}
	return ws.failed(ws.conn.Write(ws.ctx, websocket.MessageText, b))
}

// errWSClosed is Close's answer when the connection was closed already.
var errWSClosed = errors.New("brisk: WebSocket already closed")

// Close closes the connection with code and reason (cut to 123 bytes) and
// waits, briefly, for the client's close frame. Once the handler returns the
// connection is closed anyway (1000, or 1011 for an error).
func (ws *WebSocket) Close(code int, reason string) error {
	err := errWSClosed
	ws.closed.Do(func() {
		err = ws.conn.Close(websocket.StatusCode(code), closeReason(reason))
		ws.cancel()
	})
	return err
}

// failed records a read or write error: coder/websocket closes the
// connection on any, so the context is cancelled and work tied to it stops.
func (ws *WebSocket) failed(err error) error {
	if err != nil {
		ws.gone.CompareAndSwap(nil, &err)
		ws.cancel()
	}
	return err
}

// connGone reports whether err is (or wraps) the error that ended the
// connection: the handler is returning because the client left.
func (ws *WebSocket) connGone(err error) bool {
	gone := ws.gone.Load()
	return gone != nil && errors.Is(err, *gone)
}

// closeReason cuts a close reason to the 123 bytes a close frame holds,
// at a rune boundary.
func closeReason(s string) string {
	const limit = 123
	if len(s) <= limit {
		return s
	}
	s = s[:limit]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

var webSocketType = reflect.TypeFor[*WebSocket]()

// bindWebSocket gives the handler the request's connection, accepted
// before the handler is called (see wsPlan.serve).
func bindWebSocket(st *reqState, _ http.ResponseWriter, _ *http.Request, out *reflect.Value) bool {
	*out = reflect.ValueOf(st.webSocket())
	return true
}

// webSocket is the request's *WebSocket, made by whichever of binding and
// accepting comes first.
func (st *reqState) webSocket() *WebSocket {
	if st.ws == nil {
		st.ws = &WebSocket{}
	}
	return st.ws
}

// wsPlan is how a WebSocket route accepts its connections.
type wsPlan struct {
	cfg    WebSocketConfig
	accept websocket.AcceptOptions
}

// checkWebSocket completes a WebSocket route's plan: no body, a handler
// returning nothing or an error.
func (c *compiler) checkWebSocket(opts *routeOptions, h *callPlan) {
	if !opts.webSocket {
		if opts.webSocketConfig != nil {
			panic(fmt.Sprintf("brisk: %s %s: WebSocketOptions on a route that is not a WebSocket route", c.method, c.pattern))
		}
		return
	}
	if c.plan.op.Body != nil || len(c.plan.op.Form) > 0 || c.plan.op.RawBody {
		panic(fmt.Sprintf("brisk: WebSocket %s: handler %s or a dependency takes a request body; a WebSocket handshake has none (read messages from the *brisk.WebSocket)",
			c.pattern, h.name))
	}
	if h.results.value {
		panic(fmt.Sprintf("brisk: WebSocket %s: handler %s returns %s; a WebSocket handler returns nothing or an error",
			c.pattern, h.name, resultsString(h.fn.Type())))
	}
	wp := &wsPlan{}
	if opts.webSocketConfig != nil {
		wp.cfg = *opts.webSocketConfig
	}
	wp.accept = websocket.AcceptOptions{
		Subprotocols: wp.cfg.Subprotocols,
		// The Origin was checked before the dependencies ran (see handshake).
		InsecureSkipVerify: true,
	}
	if wp.cfg.Compression {
		wp.accept.CompressionMode = websocket.CompressionContextTakeover
	}
	c.plan.ws = wp
}

// handshake checks, before anything runs, that r is a WebSocket handshake
// from an allowed origin; if not, it answers it and reports false.
func (wp *wsPlan) handshake(w http.ResponseWriter, r *http.Request) bool {
	if !headerHasToken(r.Header, "Connection", "upgrade") || !headerHasToken(r.Header, "Upgrade", "websocket") {
		// Not a handshake: coder/websocket answers as it does (426).
		_, _ = websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
		return false
	}
	if !wp.cfg.InsecureSkipOriginCheck {
		if err := checkOrigin(r, wp.cfg.OriginPatterns); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return false
		}
	}
	return true
}

// checkOrigin is github.com/coder/websocket's Origin rule: no Origin (not
// a browser), the request's own host, or a pattern match.
func checkOrigin(r *http.Request, patterns []string) error {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil {
		return fmt.Errorf("request Origin %q is not a valid URL", origin)
	}
	if strings.EqualFold(r.Host, u.Host) {
		return nil
	}
	host := strings.ToLower(u.Host)
	for _, p := range patterns { // lowered by WebSocketOptions
		target := host
		if strings.Contains(p, "://") {
			target = strings.ToLower(u.Scheme) + "://" + host
		}
		if ok, _ := path.Match(p, target); ok {
			return nil
		}
	}
	return fmt.Errorf("request Origin %q is not authorized for Host %q", origin, r.Host)
}

// headerHasToken reports whether a comma-separated header has token.
func headerHasToken(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// open accepts the upgrade. On failure coder/websocket has answered it.
func (wp *wsPlan) open(st *reqState, w http.ResponseWriter, r *http.Request) (*WebSocket, bool) {
	conn, err := websocket.Accept(w, r, &wp.accept)
	if err != nil {
		st.discardTasks()
		return nil, false
	}
	if wp.cfg.ReadLimit != 0 {
		conn.SetReadLimit(wp.cfg.ReadLimit)
	}
	ws := st.webSocket()
	ws.conn = conn
	ws.ctx, ws.cancel = context.WithCancel(r.Context())
	return ws, true
}

// reject answers a failed handshake's dependencies as FastAPI does: the
// upgrade is accepted, then closed with 1008 and a reason naming the
// problem. A *WebSocketError sets its own code and reason.
func (wp *wsPlan) reject(st *reqState, w http.ResponseWriter, r *http.Request, err error) {
	code, reason := int(websocket.StatusPolicyViolation), ""
	var we *WebSocketError
	switch {
	case err == nil:
		reason = validationReason(st.errs)
	case errors.As(err, &we):
		code, reason = we.Code, we.Reason
	default:
		if he, ok := asHTTPError(err); ok {
			reason = detailText(he.Detail)
		} else {
			st.app.cfg.Logger.ErrorContext(r.Context(), "brisk: unexpected error in a WebSocket dependency",
				slog.String("path", r.URL.Path), slog.Any("error", err))
			reason = http.StatusText(http.StatusInternalServerError)
		}
	}
	st.discardTasks()
	ws, ok := wp.open(st, w, r)
	if !ok {
		return
	}
	defer ws.cancel()
	_ = ws.Close(code, reason)
}

// serve accepts the connection, runs the handler and closes the connection
// as its result says.
func (wp *wsPlan) serve(st *reqState, c *callPlan, args []reflect.Value, w http.ResponseWriter, r *http.Request) {
	ws, ok := wp.open(st, w, r)
	if !ok {
		return
	}
	defer ws.cancel()
	defer func() {
		if p := recover(); p != nil {
			_ = ws.Close(int(websocket.StatusInternalError), http.StatusText(http.StatusInternalServerError))
			panic(p)
		}
	}()
	out := c.fn.Call(args)
	err := errorOf(out, c.results)
	var we *WebSocketError
	switch {
	case err == nil:
		_ = ws.Close(int(websocket.StatusNormalClosure), "")
	case errors.As(err, &we):
		_ = ws.Close(we.Code, we.Reason)
	case ws.connGone(err) || websocket.CloseStatus(err) != -1:
		// The connection is closed already (the client left, or the
		// handler closed it): nothing to answer, nothing to log.
		_ = ws.Close(int(websocket.StatusNormalClosure), "")
	default:
		st.discardTasks()
		reason := http.StatusText(http.StatusInternalServerError)
		if he, ok := asHTTPError(err); ok {
			reason = detailText(he.Detail)
		} else {
			st.app.cfg.Logger.ErrorContext(r.Context(), "brisk: WebSocket handler failed", slog.String("path", r.URL.Path),
				slog.String("handler", c.name), slog.Any("error", err), slog.String("stack", string(debug.Stack())))
		}
		_ = ws.Close(int(websocket.StatusInternalError), reason)
	}
}

// detailText is an HTTPError's detail as a close reason.
func detailText(d any) string {
	if s, ok := d.(string); ok {
		return s
	}
	b, err := jsonwrite.Marshal(d)
	if err != nil {
		return fmt.Sprint(d)
	}
	return string(b)
}

// validationReason names what failed validation, as a close reason:
// "query.q: Input should be a valid integer, …"; details past the first
// are joined with "; " while they fit.
func validationReason(errs []problem.Item) string {
	var b strings.Builder
	for i, e := range errs {
		if i > 0 {
			b.WriteString("; ")
		}
		for j, l := range e.Loc {
			if j > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, l)
		}
		b.WriteString(": ")
		b.WriteString(e.Msg)
		if b.Len() > 123 {
			break
		}
	}
	return closeReason(b.String())
}
