// Command security-basic is FastAPI's HTTP Basic tutorial in Brisk: the
// browser asks for a user name and password, and the route checks them in
// constant time.
//
//	go run ./examples/security-basic
//	curl -u stanleyjobson:swordfish http://127.0.0.1:8000/users/me
package main

import (
	"crypto/subtle"
	"log"
	"net/http"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// Username is the name of the user who logged in.
type Username string

// Me is /users/me's answer.
type Me struct {
	Username Username `json:"username"`
}

// currentUsername checks the credentials. subtle.ConstantTimeCompare
// takes as long whatever the guess, so timing tells an attacker nothing;
// both checks run, so a right name with a wrong password takes as long as
// a wrong name.
func currentUsername(c security.HTTPBasicCredentials) (Username, error) {
	nameOK := subtle.ConstantTimeCompare([]byte(c.Username), []byte("stanleyjobson"))
	passwordOK := subtle.ConstantTimeCompare([]byte(c.Password), []byte("swordfish"))
	if nameOK&passwordOK != 1 {
		return "", brisk.Error(http.StatusUnauthorized, "Incorrect username or password").WithHeader("WWW-Authenticate", "Basic")
	}
	return Username(c.Username), nil
}

func readCurrentUser(u Username) Me { return Me{Username: u} }

func main() {
	if err := newApp().Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP.
func newApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "HTTP Basic"})
	app.Provide(security.HTTPBasic[security.HTTPBasicCredentials]{})
	app.Provide(currentUsername)
	app.Get("/users/me", readCurrentUser, brisk.Responses(http.StatusUnauthorized, "Missing or incorrect credentials", nil))
	return app
}
