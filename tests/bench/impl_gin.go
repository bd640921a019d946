// Gin in release mode, gin.New() (no logger, no recovery), binding tags for
// S2's rules, gin-contrib/gzip for S4.

package bench

import (
	"net/http"

	ginzip "github.com/gin-contrib/gzip"
	"github.com/gin-gonic/gin"
)

// GinItem is S2's body with Gin's binding rules.
type GinItem struct {
	Name  string   `json:"name" binding:"required"`
	Price float64  `json:"price" binding:"gt=0"`
	Tags  []string `json:"tags"`
}

func newGin(route string) http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	switch route {
	case RouteNotify:
		r.POST("/send-notification/:email", func(c *gin.Context) {
			email := c.Param("email")
			q := c.Query("q")
			_, _ = email, q
			c.JSON(http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteNotifyTask:
		n := NewNotifier()
		r.POST("/send-notification/:email", func(c *gin.Context) {
			email := c.Param("email")
			_ = c.Query("q")
			n.C <- Notification{Email: email, Message: "some notification"}
			c.JSON(http.StatusOK, Message{Message: "Message sent"})
		})
	case RouteItems:
		r.POST("/items", func(c *gin.Context) {
			var it GinItem
			if err := c.ShouldBindJSON(&it); err != nil {
				c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
				return
			}
			c.JSON(http.StatusCreated, it)
		})
	case RoutePing:
		for _, key := range LayerHeaders {
			r.Use(func(c *gin.Context) {
				c.Header(key, "1")
				c.Next()
			})
		}
		r.GET("/ping", func(c *gin.Context) {
			c.JSON(http.StatusOK, Message{Message: "pong"})
		})
	case RouteBig:
		r.Use(ginzip.Gzip(ginzip.DefaultCompression))
		r.GET("/big", func(c *gin.Context) {
			c.JSON(http.StatusOK, BigPayload)
		})
	default:
		return nil
	}
	return r
}
