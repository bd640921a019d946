// Hand-written chi: net/http handlers, chi.URLParam, r.URL.Query(),
// encoding/json, validator/v10 for the body's rules: the naive code a chi
// user writes. net/http's ServeMux (impl_nethttp.go) shares the handlers'
// bodies.

package bench

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-chi/chi/v5"
	chimw "github.com/go-chi/chi/v5/middleware"
	"github.com/go-playground/validator/v10"
)

// Item is S2's body with validator/v10 rules (chi, net/http, Echo, Fuego and
// Brisk all use these tags).
type Item struct {
	Name  string   `json:"name" validate:"required"`
	Price float64  `json:"price" validate:"gt=0"`
	Tags  []string `json:"tags"`
}

// validate is the hand-written peers' validator, reporting JSON names.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	return v
}

func newChi(route string) http.Handler {
	r := chi.NewRouter()
	switch route {
	case RouteNotify:
		r.Post("/send-notification/{email}", func(w http.ResponseWriter, r *http.Request) {
			email := chi.URLParam(r, "email")
			q := r.URL.Query().Get("q")
			_, _ = email, q
			writeJSON(w, http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteNotifyTask:
		n := NewNotifier()
		r.Post("/send-notification/{email}", func(w http.ResponseWriter, r *http.Request) {
			email := chi.URLParam(r, "email")
			_ = r.URL.Query().Get("q")
			n.C <- Notification{Email: email, Message: "some notification"}
			writeJSON(w, http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteItems:
		r.Post("/items", createItem)
	case RoutePing:
		for i := range LayerHeaders {
			r.Use(Layer(i))
		}
		r.Get("/ping", ping)
	case RouteBig:
		r.Use(chimw.Compress(5))
		r.Get("/big", big)
	default:
		return nil
	}
	return r
}

// writeJSON is the usual helper of hand-written handlers.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fieldError is one item of the hand-written 422 body.
type fieldError struct {
	Type string   `json:"type"`
	Loc  []string `json:"loc"`
	Msg  string   `json:"msg"`
}

func createItem(w http.ResponseWriter, r *http.Request) {
	var it Item
	if err := json.NewDecoder(r.Body).Decode(&it); err != nil {
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": "invalid JSON: " + err.Error()})
		return
	}
	if err := validate.Struct(&it); err != nil {
		var errs []fieldError
		if ves, ok := err.(validator.ValidationErrors); ok {
			for _, fe := range ves {
				errs = append(errs, fieldError{Type: fe.Tag(), Loc: []string{"body", fe.Field()}, Msg: fe.Error()})
			}
		}
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"detail": errs})
		return
	}
	writeJSON(w, http.StatusCreated, it)
}

func ping(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, Message{Message: "pong"})
}

func big(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, BigPayload)
}
