// The request's entry: ServeHTTP, the end of a request (panics, handing
// work to after-response), and dispatch to a route or the unmatched answers
// (404, 405, trailing-slash redirects).

package brisk

import (
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
)

// ServeHTTP serves a request: the middleware stack, routing, the route's
// plan, and, once the response is complete, the request's background tasks.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !a.serving.Load() {
		a.freeze()
	}
	st := a.states.Get().(*reqState)
	st.root.w = w
	defer a.finish(st, r)
	if a.plainApp {
		// Plain middleware may be chi's, which expects chi's routing context
		// before routing, as chi.Mux provides it.
		r = st.attach(r)
	}
	a.handler.ServeHTTP(&st.root, r)
}

// finish recovers from panics and hands the request's background work to
// the runner once the response is complete. When a plain layer left the
// route's run going on another goroutine (http.TimeoutHandler that timed
// out), that run still owns the state: it finishes the request when it ends
// (see leave), and finish touches none of its work.
func (a *App) finish(st *reqState, r *http.Request) {
	p := recover()
	alone := !a.foreign || st.close()
	if p != nil {
		if isAbort(p) {
			if alone {
				a.brokenOff(st, r)
				a.release(st)
			}
			panic(p)
		}
		a.recovered(st, r, p, alone)
	}
	if !alone {
		return
	}
	if (st.tasks != nil && st.tasks.Len() > 0) || len(st.cleanups) > 0 {
		a.afterResponse(st, r)
	}
	a.release(st)
}

// join enters a run reached through plain layers (dispatch under the app's,
// a route under its groups'): it finds the request's state through the
// request context Brisk attached before those layers, and reports false when
// that request is over (a layer ran next on another goroutine after
// answering): then there is nothing to do, and the state, perhaps serving
// another request by now, must not be touched. The caller leaves when done.
func join(r *http.Request) (*reqState, bool) {
	rc, ok := r.Context().Value(stateKey{}).(*routeContext)
	if !ok {
		return nil, false
	}
	return rc.st, rc.st.enter(rc.gen)
}

// leave ends a run join entered; the last run out of a request whose
// ServeHTTP has returned finishes it: its response is not the one sent, so
// its tasks are dropped, and its providers' cleanups run.
func (a *App) leave(st *reqState, r *http.Request) {
	if st.exit() {
		a.brokenOff(st, r)
		a.release(st)
	}
}

func (a *App) release(st *reqState) {
	st.reset()
	a.states.Put(st)
}

// recovered turns a panic into a logged 500. Unless alone, a run elsewhere
// still uses the state's tasks and encoder.
func (a *App) recovered(st *reqState, r *http.Request, p any, alone bool) {
	enc := &st.enc
	if alone {
		st.discardTasks()
	} else {
		enc = newEncoder()
	}
	a.cfg.Logger.ErrorContext(r.Context(), "brisk: panic serving request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
	if st.root.wroteHeader {
		// Part of the response is out: the client must see it broken.
		if alone {
			a.brokenOff(st, r)
		}
		panic(http.ErrAbortHandler)
	}
	if handles(a.root, isProblemDetails) {
		_ = problemResponse(r, http.StatusInternalServerError, nil, Problem{}).writeTo(&st.root, enc, true)
		return
	}
	writeStatus(&st.root, enc, http.StatusInternalServerError)
}

// isAbort reports whether a recovered value is net/http's abort sentinel.
func isAbort(p any) bool {
	err, ok := p.(error)
	return ok && errors.Is(err, http.ErrAbortHandler)
}

// dispatch routes the request to its route, or answers 404, 405 or a
// trailing-slash redirect.
func (a *App) dispatch(w http.ResponseWriter, r *http.Request) {
	var st *reqState
	if a.plainApp {
		var ok bool
		if st, ok = join(r); !ok {
			return
		}
		defer a.leave(st, r)
	} else {
		st = stateOf(w, r)
	}
	rctx := &st.rctx
	st.rawPath = r.URL.RawPath != ""
	path := rctx.RoutePath
	if path == "" {
		path = r.URL.RawPath
		if path == "" {
			path = r.URL.Path
		}
		if path == "" {
			path = "/"
		}
	}
	rt := a.match(rctx, r.Method, path)
	if rt == nil {
		a.unmatched(st, w, r, path)
		return
	}
	plan := rt.plan.Load() // nil for a raw handler
	if rt.raw != nil || rt.plainMW || plan.exposesRequest {
		for i, k := range rctx.URLParams.Keys {
			r.SetPathValue(k, rctx.URLParams.Values[i])
		}
		r.Pattern = rt.pattern
		r = st.attach(r)
	}
	if rt.direct {
		// What route.ServeHTTP would do, without finding the state again.
		plan.serve(st, w, r)
		return
	}
	rt.chain.ServeHTTP(w, r)
}

// unmatched answers a request no route matched.
func (a *App) unmatched(st *reqState, w http.ResponseWriter, r *http.Request, path string) {
	if allow := a.allowed(path); len(allow) > 0 {
		w.Header().Set("Allow", strings.Join(allow, ", "))
		a.writeUnmatched(st, w, r, http.StatusMethodNotAllowed)
		return
	}
	if !a.cfg.DisableRedirectSlashes && path != "/" {
		alt := path + "/"
		if strings.HasSuffix(path, "/") {
			alt = strings.TrimSuffix(path, "/")
		}
		if len(a.allowed(alt)) > 0 {
			u := *r.URL
			if u.RawPath != "" {
				u.RawPath = alt
				u.Path = strings.TrimSuffix(u.Path, "/")
				if !strings.HasSuffix(path, "/") {
					u.Path += "/"
				}
			} else {
				u.Path = alt
			}
			u.Scheme, u.Host = "", ""
			if loc := u.RequestURI(); !offHost(loc) {
				// Behind a path-stripping proxy or a mount, the client's
				// URL has the root path.
				http.Redirect(w, r, a.rootPath(r)+loc, http.StatusTemporaryRedirect)
				return
			}
		}
	}
	a.writeUnmatched(st, w, r, http.StatusNotFound)
}

// writeUnmatched answers 404 or 405: with the app's error handlers of
// *HTTPError when there are some, else Starlette's body.
func (a *App) writeUnmatched(st *reqState, w http.ResponseWriter, r *http.Request, status int) {
	if handles(a.root, canMatchHTTP) {
		he := Error(status, nil)
		if allow := w.Header()["Allow"]; len(allow) > 0 {
			he.Headers = http.Header{"Allow": slices.Clone(allow)}
		}
		if a.handleError(st, a.root, w, r, he) {
			return
		}
	}
	writeStatus(w, &st.enc, status)
}

// offHost reports whether a redirect target a browser would read as
// another host's URL: "//evil.com" is protocol-relative, and browsers treat
// a backslash in an http URL as a slash ("/\evil.com"). Such a target comes
// only from a path starting with an empty segment, which no route serves on
// purpose, so the request gets the 404 it would get without the redirect.
func offHost(loc string) bool {
	return len(loc) >= 2 && (loc[0] == '/' || loc[0] == '\\') && (loc[1] == '/' || loc[1] == '\\')
}
