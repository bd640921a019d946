// Brisk, as its design writes it: typed handlers, a provider for the query
// (tutorial002's getQuery), a validated body struct with brisk.Status(201),
// plain (app.Use) or call-next (app.Middleware) layers, middleware.GZip.

package bench

import (
	"context"
	"net/http"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/middleware"
)

// Query is the optional ?q, as getQuery finds it.
type Query string

// getQuery is tutorial002's provider, without its background task.
func getQuery(in struct {
	Q string `query:"q"`
}) Query {
	return Query(in.Q)
}

func newBrisk(route string) http.Handler {
	app := brisk.New()
	switch route {
	case RouteNotify:
		app.Provide(getQuery)
		app.Post("/send-notification/{email}", func(email string, q Query) Message {
			return Message{Message: "Message sent"}
		})
	case RouteNotifyTask:
		app.Provide(getQuery)
		app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks, q Query) Message {
			bg.AddTask(RecordNotification, email, "some notification")
			return Message{Message: "Message sent"}
		})
	case RouteItems:
		app.Post("/items", func(it Item) Item { return it }, brisk.Status(http.StatusCreated))
	case RoutePing:
		app.Use(Layer(0), Layer(1), Layer(2), Layer(3), Layer(4))
		app.Get("/ping", func() Message { return Message{Message: "pong"} })
	case RouteBig:
		app.Use(middleware.GZip())
		app.Get("/big", func() []BigItem { return BigPayload })
	default:
		return nil
	}
	return app
}

// newBriskCallNext is S3 with five call-next layers.
func newBriskCallNext(route string) http.Handler {
	if route != RoutePing {
		return nil
	}
	app := brisk.New()
	for _, key := range LayerHeaders {
		app.Middleware(func(r *http.Request, next brisk.Next) *brisk.Response {
			resp := next(r)
			resp.Header().Set(key, "1")
			return resp
		})
	}
	app.Get("/ping", func() Message { return Message{Message: "pong"} })
	return app
}

// newBriskTypedAdd is S1b with the typed, reflection-free Tasks.Add.
func newBriskTypedAdd(route string) http.Handler {
	if route != RouteNotifyTask {
		return nil
	}
	app := brisk.New()
	app.Provide(getQuery)
	app.Post("/send-notification/{email}", func(email string, bg *brisk.BackgroundTasks, q Query) Message {
		bg.Add(func(context.Context) error {
			RecordNotification(email, "some notification")
			return nil
		})
		return Message{Message: "Message sent"}
	})
	return app
}
