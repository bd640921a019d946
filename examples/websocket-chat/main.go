// Command websocket-chat is a chat with rooms over WebSockets: a provider
// authenticates the user from the handshake (a token in the query, or a
// session cookie), and every message is broadcast to the room.
//
//	go run ./examples/websocket-chat
//	open http://127.0.0.1:8000/ (two tabs, tokens alice-token and bob-token)
//
// Messages are JSON: the client sends {"text": "…"}; everyone in the room
// receives {"room", "user", "kind", "text"}, kind "joined", "message" or
// "left". A handshake without a known token is accepted and closed at once
// with 1008 "Not authenticated", as FastAPI does.
package main

import (
	"log"
	"net/http"
	"sync"

	"github.com/briskgo/brisk"
)

// User is who a connection speaks for.
type User struct {
	Name string
}

// Credentials are what a handshake may carry.
type Credentials struct {
	Token   *string `query:"token"`
	Session *string `cookie:"session"`
}

// users maps tokens to users; a real app asks its session store.
var users = map[string]User{"alice-token": {Name: "alice"}, "bob-token": {Name: "bob"}, "carol-token": {Name: "carol"}}

// currentUser authenticates the handshake: the dependency every chat
// connection needs.
func currentUser(c Credentials) (User, error) {
	for _, tok := range []*string{c.Token, c.Session} {
		if tok == nil {
			continue
		}
		if u, ok := users[*tok]; ok {
			return u, nil
		}
	}
	return User{}, brisk.Error(http.StatusUnauthorized, "Not authenticated")
}

// Incoming is a message from a client.
type Incoming struct {
	Text string `json:"text"`
}

// Outgoing is what a room's members receive.
type Outgoing struct {
	Room string `json:"room"`
	User string `json:"user"`
	Kind string `json:"kind"`
	Text string `json:"text,omitempty"`
}

// Hub holds the rooms and their connections.
type Hub struct {
	mu    sync.Mutex
	rooms map[string]map[*brisk.WebSocket]bool
}

// NewHub returns an empty hub.
func NewHub() *Hub { return &Hub{rooms: map[string]map[*brisk.WebSocket]bool{}} }

func (h *Hub) join(room string, ws *brisk.WebSocket) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.rooms[room] == nil {
		h.rooms[room] = map[*brisk.WebSocket]bool{}
	}
	h.rooms[room][ws] = true
}

func (h *Hub) leave(room string, ws *brisk.WebSocket) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.rooms[room], ws)
	if len(h.rooms[room]) == 0 {
		delete(h.rooms, room)
	}
}

// broadcast sends msg to every member of its room. Writes are safe from
// many goroutines at once; a member that cannot be written to is leaving.
func (h *Hub) broadcast(msg Outgoing) {
	h.mu.Lock()
	members := make([]*brisk.WebSocket, 0, len(h.rooms[msg.Room]))
	for ws := range h.rooms[msg.Room] {
		members = append(members, ws)
	}
	h.mu.Unlock()
	for _, ws := range members {
		_ = ws.WriteJSON(msg)
	}
}

func main() {
	if err := newApp(NewHub()).Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app around hub; main_test.go drives it over real
// connections.
func newApp(hub *Hub) *brisk.App {
	app := brisk.New(brisk.Config{Title: "WebSocket chat"})
	app.Provide(currentUser)
	app.Get("/", func() *brisk.Response { return brisk.HTML(200, page) },
		brisk.Responses(200, "The demo page", nil, brisk.ResponseContentType("text/html")))
	app.WebSocket("/rooms/{room}/ws", func(ws *brisk.WebSocket, room string, user User) error {
		hub.join(room, ws)
		hub.broadcast(Outgoing{Room: room, User: user.Name, Kind: "joined"})
		defer func() {
			hub.leave(room, ws)
			hub.broadcast(Outgoing{Room: room, User: user.Name, Kind: "left"})
		}()
		for {
			var in Incoming
			if err := ws.ReadJSON(&in); err != nil {
				if ws.Context().Err() != nil {
					return err // the connection ended: the client left
				}
				return &brisk.WebSocketError{Code: 1003, Reason: `messages are JSON: {"text": "…"}`}
			}
			hub.broadcast(Outgoing{Room: room, User: user.Name, Kind: "message", Text: in.Text})
		}
	})
	return app
}

const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Chat</title></head>
<body>
<h1>WebSocket chat</h1>
<form id="join">Room <input id="room" value="lobby"> Token <input id="token" value="alice-token"> <button>Join</button></form>
<form id="send"><input id="text" autocomplete="off"> <button>Send</button></form>
<ul id="messages"></ul>
<script>
let ws;
document.getElementById("join").onsubmit = (e) => {
  e.preventDefault();
  const room = encodeURIComponent(document.getElementById("room").value);
  const token = encodeURIComponent(document.getElementById("token").value);
  ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/rooms/" + room + "/ws?token=" + token);
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    const li = document.createElement("li");
    li.textContent = msg.user + (msg.kind === "message" ? ": " + msg.text : " " + msg.kind);
    document.getElementById("messages").appendChild(li);
  };
  ws.onclose = (c) => {
    const li = document.createElement("li");
    li.textContent = "closed " + c.code + " " + c.reason;
    document.getElementById("messages").appendChild(li);
  };
};
document.getElementById("send").onsubmit = (e) => {
  e.preventDefault();
  ws.send(JSON.stringify({text: document.getElementById("text").value}));
  document.getElementById("text").value = "";
};
</script>
</body></html>
`
