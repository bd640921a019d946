package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/internal/exampletest"
)

func TestMain(m *testing.M) {
	if exampletest.IsMain() {
		main()
		return
	}
	os.Exit(m.Run())
}

func dial(t *testing.T, base, path string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+path, nil)
	require.NoError(t, err)
	t.Cleanup(func() { c.CloseNow() })
	return c
}

func next(t *testing.T, c *websocket.Conn) Outgoing {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	require.NoError(t, err)
	var m Outgoing
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func say(t *testing.T, c *websocket.Conn, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, c.Write(ctx, websocket.MessageText, []byte(`{"text":"`+text+`"}`)))
}

func closeOf(t *testing.T, c *websocket.Conn) websocket.CloseError {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, _, err := c.Read(ctx)
	var ce websocket.CloseError
	require.True(t, errors.As(err, &ce), "%v", err)
	return ce
}

// Two users in a room hear each other; a third in another room does not;
// leaving is announced; no credential closes with 1008.
func TestChat(t *testing.T) {
	srv := httptest.NewServer(newApp(NewHub()))
	defer srv.Close()

	alice := dial(t, srv.URL, "/rooms/lobby/ws?token=alice-token")
	assert.Equal(t, Outgoing{Room: "lobby", User: "alice", Kind: "joined"}, next(t, alice))
	bob := dial(t, srv.URL, "/rooms/lobby/ws?token=bob-token")
	assert.Equal(t, Outgoing{Room: "lobby", User: "bob", Kind: "joined"}, next(t, alice))
	assert.Equal(t, Outgoing{Room: "lobby", User: "bob", Kind: "joined"}, next(t, bob))
	carol := dial(t, srv.URL, "/rooms/garden/ws?token=carol-token")
	assert.Equal(t, Outgoing{Room: "garden", User: "carol", Kind: "joined"}, next(t, carol))

	say(t, alice, "hi bob")
	want := Outgoing{Room: "lobby", User: "alice", Kind: "message", Text: "hi bob"}
	assert.Equal(t, want, next(t, alice))
	assert.Equal(t, want, next(t, bob))
	say(t, carol, "anyone?")
	assert.Equal(t, Outgoing{Room: "garden", User: "carol", Kind: "message", Text: "anyone?"}, next(t, carol))

	require.NoError(t, bob.Close(websocket.StatusNormalClosure, ""))
	assert.Equal(t, Outgoing{Room: "lobby", User: "bob", Kind: "left"}, next(t, alice))

	ce := closeOf(t, dial(t, srv.URL, "/rooms/lobby/ws"))
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)
	assert.Equal(t, "Not authenticated", ce.Reason)
	ce = closeOf(t, dial(t, srv.URL, "/rooms/lobby/ws?token=mallory"))
	assert.Equal(t, websocket.StatusPolicyViolation, ce.Code)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, alice.Write(ctx, websocket.MessageText, []byte("not json")))
	assert.Equal(t, websocket.StatusUnsupportedData, closeOf(t, alice).Code)
	exampletest.SaveOpenAPI(t, newApp(NewHub()), "websocket-chat")
}

// The program itself.
func TestProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	p := exampletest.StartMain(t, t.TempDir())
	c := dial(t, p.URL, "/rooms/x/ws?token=alice-token")
	assert.Equal(t, "joined", next(t, c).Kind)
	require.NoError(t, c.Close(websocket.StatusNormalClosure, ""))
	require.NoError(t, p.Stop(t), "exit status; the program logged:\n%s", p.Stderr())
}
