// Huma v2 on chi (humachi), huma.DefaultConfig without its create hook (the
// hook adds "$schema" to every response body and a Link header, which would
// break parity), Huma's own middleware for S3, chi's Compress for S4 (Huma
// has no gzip of its own; its router's is the usual choice).

package bench

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humachi"
	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
)

type humaNotifyIn struct {
	Email string `path:"email"`
	Q     string `query:"q"`
}

type humaMessageOut struct {
	Body Message
}

// HumaItem is S2's body with Huma's JSON Schema rules.
type HumaItem struct {
	Name  string   `json:"name" minLength:"1"`
	Price float64  `json:"price" exclusiveMinimum:"0"`
	Tags  []string `json:"tags" required:"false"`
}

type humaItemIO struct {
	Body HumaItem
}

type humaBigOut struct {
	Body []BigItem
}

func newHuma(route string) http.Handler {
	r := chi.NewRouter()
	if route == RouteBig {
		r.Use(chimw.Compress(5))
	}
	cfg := huma.DefaultConfig("Bench", "1.0.0")
	cfg.CreateHooks = nil
	api := humachi.New(r, cfg)
	switch route {
	case RouteNotify:
		huma.Register(api, huma.Operation{OperationID: "notify", Method: http.MethodPost, Path: "/send-notification/{email}"},
			func(ctx context.Context, in *humaNotifyIn) (*humaMessageOut, error) {
				return &humaMessageOut{Body: Message{Message: "Message sent"}}, nil
			})
	case RouteNotifyTask:
		n := NewNotifier()
		huma.Register(api, huma.Operation{OperationID: "notify", Method: http.MethodPost, Path: "/send-notification/{email}"},
			func(ctx context.Context, in *humaNotifyIn) (*humaMessageOut, error) {
				n.C <- Notification{Email: in.Email, Message: "some notification"}
				return &humaMessageOut{Body: Message{Message: "Message sent"}}, nil
			})
	case RouteItems:
		huma.Register(api, huma.Operation{OperationID: "create-item", Method: http.MethodPost, Path: "/items", DefaultStatus: http.StatusCreated},
			func(ctx context.Context, in *humaItemIO) (*humaItemIO, error) {
				return &humaItemIO{Body: in.Body}, nil
			})
	case RoutePing:
		for _, key := range LayerHeaders {
			api.UseMiddleware(func(ctx huma.Context, next func(huma.Context)) {
				ctx.SetHeader(key, "1")
				next(ctx)
			})
		}
		huma.Register(api, huma.Operation{OperationID: "ping", Method: http.MethodGet, Path: "/ping"},
			func(ctx context.Context, _ *struct{}) (*humaMessageOut, error) {
				return &humaMessageOut{Body: Message{Message: "pong"}}, nil
			})
	case RouteBig:
		huma.Register(api, huma.Operation{OperationID: "big", Method: http.MethodGet, Path: "/big"},
			func(ctx context.Context, _ *struct{}) (*humaBigOut, error) {
				return &humaBigOut{Body: BigPayload}, nil
			})
	default:
		return nil
	}
	return r
}
