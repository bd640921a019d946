// net/http's ServeMux (Go 1.22+ patterns, r.PathValue), the same handler
// bodies as hand-written chi, gzhttp for S4 (the bare-gzhttp baseline of
// Brisk's S4 target).

package bench

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

func newNetHTTP(route string) http.Handler {
	mux := http.NewServeMux()
	var h http.Handler = mux
	switch route {
	case RouteNotify:
		mux.HandleFunc("POST /send-notification/{email}", func(w http.ResponseWriter, r *http.Request) {
			email := r.PathValue("email")
			q := r.URL.Query().Get("q")
			_, _ = email, q
			writeJSON(w, http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteNotifyTask:
		n := NewNotifier()
		mux.HandleFunc("POST /send-notification/{email}", func(w http.ResponseWriter, r *http.Request) {
			email := r.PathValue("email")
			_ = r.URL.Query().Get("q")
			n.C <- Notification{Email: email, Message: "some notification"}
			writeJSON(w, http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteItems:
		mux.HandleFunc("POST /items", createItem)
	case RoutePing:
		mux.HandleFunc("GET /ping", ping)
		for i := range LayerHeaders {
			h = Layer(i)(h)
		}
	case RouteBig:
		mux.HandleFunc("GET /big", big)
		h = gzhttp.GzipHandler(h)
	default:
		return nil
	}
	return h
}
