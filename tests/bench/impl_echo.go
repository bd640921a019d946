// Echo v4: echo.New(), c.Bind then c.Validate with validator/v10 (Echo's
// documented way), echo's own Gzip middleware for S4.

package bench

import (
	"net/http"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
)

type echoValidator struct{ v *validator.Validate }

func (ev echoValidator) Validate(i any) error { return ev.v.Struct(i) }

func newEcho(route string) http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Validator = echoValidator{validator.New(validator.WithRequiredStructEnabled())}
	switch route {
	case RouteNotify:
		e.POST("/send-notification/:email", func(c echo.Context) error {
			email := c.Param("email")
			q := c.QueryParam("q")
			_, _ = email, q
			return c.JSON(http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteNotifyTask:
		n := NewNotifier()
		e.POST("/send-notification/:email", func(c echo.Context) error {
			email := c.Param("email")
			_ = c.QueryParam("q")
			n.C <- Notification{Email: email, Message: "some notification"}
			return c.JSON(http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteItems:
		e.POST("/items", func(c echo.Context) error {
			var it Item
			if err := c.Bind(&it); err != nil {
				return err
			}
			if err := c.Validate(&it); err != nil {
				return echo.NewHTTPError(http.StatusBadRequest, err.Error())
			}
			return c.JSON(http.StatusCreated, it)
		})
	case RoutePing:
		for _, key := range LayerHeaders {
			e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
				return func(c echo.Context) error {
					c.Response().Header().Set(key, "1")
					return next(c)
				}
			})
		}
		e.GET("/ping", func(c echo.Context) error {
			return c.JSON(http.StatusOK, Message{Message: "pong"})
		})
	case RouteBig:
		e.Use(echomw.Gzip())
		e.GET("/big", func(c echo.Context) error {
			return c.JSON(http.StatusOK, BigPayload)
		})
	default:
		return nil
	}
	return e
}
