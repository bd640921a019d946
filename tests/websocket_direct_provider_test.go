// A WebSocket route whose credential provider (func(*http.Request) (K,
// error), K a string kind: called without reflection) fails: the
// connection is accepted and closed as for any other dependency's error.

package tests

import (
	"net/http"
	"testing"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

func TestWebSocketStringProviderErrorCloses(t *testing.T) {
	type wsToken string
	app := brisk.New()
	app.Provide(func(r *http.Request) (wsToken, error) {
		if tok := r.URL.Query().Get("token"); tok != "" {
			return wsToken(tok), nil
		}
		return "", &brisk.WebSocketError{Code: 1008, Reason: "no token"}
	})
	app.WebSocket("/ws", func(ws *brisk.WebSocket, tok wsToken) error {
		return ws.WriteText("token " + string(tok))
	})
	srv := serve(t, app)

	assert.Equal(t, "token abc", wsReadText(t, wsConnect(t, srv, "/ws?token=abc")))
	ce := wsClosed(t, wsConnect(t, srv, "/ws"))
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
	assert.Equal(t, "no token", ce.Reason)
}
