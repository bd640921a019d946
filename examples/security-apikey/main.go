// Command security-apikey protects an API with two API keys of the same
// kind, told apart by type: clients send X-API-Key, and deleting also needs
// the administrators' X-Admin-Key.
//
//	go run ./examples/security-apikey
//	curl -H 'X-API-Key: client-key-1' http://127.0.0.1:8000/items
//	curl -X DELETE -H 'X-API-Key: client-key-1' -H 'X-Admin-Key: admin-key' http://127.0.0.1:8000/items/1
package main

import (
	"crypto/sha256"
	"crypto/subtle"
	"log"
	"net/http"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// ClientKey and AdminKey are the two keys: one scheme each, one type each.
type (
	ClientKey string
	AdminKey  string
)

// Client is the caller a client key belongs to.
type Client struct {
	Name string `json:"name"`
}

// Item is one item.
type Item struct {
	ID    int    `json:"id"`
	Owner string `json:"owner"`
}

// clients maps the SHA-256 of each key to its client: a key is looked up
// by its hash, so the lookup's timing says nothing of the key itself.
var clients = map[[32]byte]Client{
	sha256.Sum256([]byte("client-key-1")): {Name: "acme"},
	sha256.Sum256([]byte("client-key-2")): {Name: "globex"},
}

// adminKeyHash is the SHA-256 of the administrators' key.
var adminKeyHash = sha256.Sum256([]byte("admin-key"))

func invalidKey() error {
	return brisk.Error(http.StatusUnauthorized, "Invalid API key").WithHeader("WWW-Authenticate", "APIKey")
}

// currentClient finds the client of the request's key.
func currentClient(k ClientKey) (Client, error) {
	c, ok := clients[sha256.Sum256([]byte(k))]
	if !ok {
		return Client{}, invalidKey()
	}
	return c, nil
}

// requireAdmin checks the administrators' key, in constant time.
func requireAdmin(k AdminKey) error {
	sum := sha256.Sum256([]byte(k))
	if subtle.ConstantTimeCompare(sum[:], adminKeyHash[:]) != 1 {
		return invalidKey()
	}
	return nil
}

func listItems(c Client) []Item {
	return []Item{{ID: 1, Owner: c.Name}, {ID: 2, Owner: c.Name}}
}

type deleted struct {
	Deleted int    `json:"deleted"`
	By      string `json:"by"`
}

func deleteItem(id int, c Client) deleted { return deleted{Deleted: id, By: c.Name} }

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP.
func newApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "Two API keys"})
	app.Provide(
		security.APIKeyHeader[ClientKey]{Name: "X-API-Key", Description: "A client's key."},
		security.APIKeyHeader[AdminKey]{Name: "X-Admin-Key", Description: "The administrators' key."},
		currentClient,
	)
	api := app.Group("", brisk.Responses(http.StatusUnauthorized, "Missing or invalid API key", nil))
	api.Get("/items", listItems)
	api.Delete("/items/{id}", deleteItem, brisk.Dependencies(requireAdmin))
	return app
}
