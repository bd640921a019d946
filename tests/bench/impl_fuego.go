// Fuego on its net/http ServeMux, its request logger off (it would log every
// request) and WithoutLogger (its error handler logs every 4xx through
// slog.Default; the option points that at io.Discard, for the whole
// process), the query parameter declared (Fuego warns on undeclared ones),
// validator/v10 tags on the body (Fuego validates them itself), gzhttp for S4
// (Fuego has no gzip of its own). The handler is the server's Mux, as Run
// would serve it.
//
// Known quirk, kept as users get it: with OptionDefaultStatusCode(201) Fuego
// writes the status before its serializer sets Content-Type, so S2's 201 has
// no Content-Type header (net/http then sniffs text/plain).

package bench

import (
	"net/http"

	"github.com/go-fuego/fuego"
	"github.com/klauspost/compress/gzhttp"
)

func newFuego(route string) http.Handler {
	s := fuego.NewServer(
		fuego.WithoutStartupMessages(),
		fuego.WithoutLogger(), // else S2b logs every validation error to stderr
		fuego.WithLoggingMiddleware(fuego.LoggingConfig{DisableRequest: true, DisableResponse: true}),
	)
	switch route {
	case RouteNotify:
		fuego.Post(s, "/send-notification/{email}", func(c fuego.ContextNoBody) (Message, error) {
			email := c.PathParam("email")
			q := c.QueryParam("q")
			_, _ = email, q
			return Message{Message: "Message sent"}, nil
		}, fuego.OptionQuery("q", "a query"))
	case RouteNotifyTask:
		n := NewNotifier()
		fuego.Post(s, "/send-notification/{email}", func(c fuego.ContextNoBody) (Message, error) {
			email := c.PathParam("email")
			_ = c.QueryParam("q")
			n.C <- Notification{Email: email, Message: "some notification"}
			return Message{Message: "Message sent"}, nil
		}, fuego.OptionQuery("q", "a query"))
	case RouteItems:
		fuego.Post(s, "/items", func(c fuego.ContextWithBody[Item]) (Item, error) {
			return c.Body()
		}, fuego.OptionDefaultStatusCode(http.StatusCreated))
	case RoutePing:
		for i := range LayerHeaders {
			fuego.Use(s, Layer(i))
		}
		fuego.Get(s, "/ping", func(c fuego.ContextNoBody) (Message, error) {
			return Message{Message: "pong"}, nil
		})
	case RouteBig:
		fuego.Use(s, func(h http.Handler) http.Handler { return gzhttp.GzipHandler(h) })
		fuego.Get(s, "/big", func(c fuego.ContextNoBody) ([]BigItem, error) {
			return BigPayload, nil
		})
	default:
		return nil
	}
	return s.Mux
}
