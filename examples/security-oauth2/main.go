// Command security-oauth2 is FastAPI's "OAuth2 with Password (and hashing),
// Bearer with JWT tokens" tutorial, with its "OAuth2 scopes" sequel, in
// Brisk: a login form gives a signed token, protected routes read it, and
// scopes limit what a token may do.
//
//	go run ./examples/security-oauth2
//	curl -d 'username=johndoe&password=secret&scope=me items' http://127.0.0.1:8000/token
//	curl -H 'Authorization: Bearer <access_token>' http://127.0.0.1:8000/users/me
//
// Or open http://127.0.0.1:8000/docs, press Authorize, log in as johndoe /
// secret with the scopes ticked, and try the routes.
//
// Tokens are JWTs signed with HMAC-SHA256 (HS256) by the standard library
// (tokens.go) and passwords are hashed with PBKDF2-SHA256 (crypto/pbkdf2):
// the example needs no module beyond Brisk. The signing key is
// $SECRET_KEY (hex, 32 bytes), or a random one per run.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"log"
	"net/http"
	"os"
	"slices"
	"time"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// accessTokenLifetime is how long a token is valid.
const accessTokenLifetime = 30 * time.Minute

// User is what the API shows of a user.
type User struct {
	Username string `json:"username"`
	Email    string `json:"email,omitempty"`
	FullName string `json:"full_name,omitempty"`
	Disabled bool   `json:"disabled"`
}

// userInDB is a user as stored, with the password hash.
type userInDB struct {
	User
	hashedPassword string
	scopes         []string // the scopes the user may be granted
}

// Item is one of a user's items.
type Item struct {
	ItemID string `json:"item_id"`
	Owner  string `json:"owner"`
}

// TokenResponse is the token endpoint's answer (RFC 6749 §5.1).
type TokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
}

// Status is /status's answer.
type Status struct {
	Status string `json:"status"`
}

// Token is the bearer token of a request, as the OAuth2 scheme read it.
type Token string

// ActiveUser is the current user once checked not to be disabled.
type ActiveUser User

// oauth2Scheme is the password flow: the client posts the login form to
// "token" and sends the token it got as "Authorization: Bearer …".
var oauth2Scheme = security.OAuth2PasswordBearer[Token]{
	TokenURL: "token",
	Scopes: map[string]string{
		"me":    "Read information about the current user.",
		"items": "Read items.",
	},
}

// server holds the app's state: the signing key and the users.
type server struct {
	tokens tokenSigner
	users  map[string]userInDB
	dummy  string // verified when the user does not exist
	now    func() time.Time
}

// newServer makes the fake user database (both passwords are "secret"),
// hashing with iterations rounds of PBKDF2 (hashIterations in production;
// tests use fewer).
func newServer(key []byte, iterations int) *server {
	return &server{
		tokens: tokenSigner{key: key},
		now:    time.Now,
		dummy:  hashPassword("not a password", iterations),
		users: map[string]userInDB{
			"johndoe": {
				User:           User{Username: "johndoe", FullName: "John Doe", Email: "johndoe@example.com"},
				hashedPassword: hashPassword("secret", iterations),
				scopes:         []string{"me", "items"},
			},
			"alice": {
				User:           User{Username: "alice", FullName: "Alice Wonderson", Email: "alice@example.com", Disabled: true},
				hashedPassword: hashPassword("secret", iterations),
				scopes:         []string{"me"},
			},
		},
	}
}

// login is the token endpoint: it checks the form's user name and
// password, and grants the requested scopes the user may have.
func (s *server) login(form security.OAuth2PasswordRequestForm) (TokenResponse, error) {
	user, ok := s.users[form.Username]
	hash := s.dummy // checked anyway, so an unknown name takes as long as a known one
	if ok {
		hash = user.hashedPassword
	}
	if !verifyPassword(form.Password, hash) || !ok {
		return TokenResponse{}, brisk.Error(http.StatusUnauthorized, "Incorrect username or password").
			WithHeader("WWW-Authenticate", "Bearer")
	}
	var granted []string
	for _, sc := range form.Scopes() {
		if slices.Contains(user.scopes, sc) && !slices.Contains(granted, sc) {
			granted = append(granted, sc)
		}
	}
	token := s.tokens.sign(claims{Subject: user.Username, Scopes: granted, Expires: s.now().Add(accessTokenLifetime).Unix()})
	return TokenResponse{AccessToken: token, TokenType: "bearer"}, nil
}

// currentUser checks the token and the scopes the route requires of it.
// The challenge names the required scopes, as RFC 6750 §3 asks.
func (s *server) currentUser(required security.SecurityScopes, token Token) (User, error) {
	challenge := "Bearer"
	if len(required.Scopes) > 0 {
		challenge = `Bearer scope="` + required.ScopeStr() + `"`
	}
	refuse := func(detail string) error {
		return brisk.Error(http.StatusUnauthorized, detail).WithHeader("WWW-Authenticate", challenge)
	}
	c, ok := s.tokens.verify(string(token), s.now())
	if !ok {
		return User{}, refuse("Could not validate credentials")
	}
	user, ok := s.users[c.Subject]
	if !ok {
		return User{}, refuse("Could not validate credentials")
	}
	for _, sc := range required.Scopes {
		if !slices.Contains(c.Scopes, sc) {
			return User{}, refuse("Not enough permissions")
		}
	}
	return user.User, nil
}

// currentActiveUser refuses disabled users.
func currentActiveUser(u User) (ActiveUser, error) {
	if u.Disabled {
		return ActiveUser{}, brisk.Error(http.StatusBadRequest, "Inactive user")
	}
	return ActiveUser(u), nil
}

func readUsersMe(u ActiveUser) User { return User(u) }

func readOwnItems(u ActiveUser) []Item {
	return []Item{{ItemID: "Foo", Owner: u.Username}}
}

func readSystemStatus(User) Status { return Status{Status: "ok"} }

func main() {
	key, err := hex.DecodeString(os.Getenv("SECRET_KEY"))
	if err != nil || len(key) == 0 {
		key = make([]byte, 32)
		_, _ = rand.Read(key)
	}
	if err := newApp(newServer(key, hashIterations)).Run(); err != nil {
		log.Fatal(err)
	}
}

// newApp builds the app; main_test.go drives it over HTTP.
func newApp(s *server) *brisk.App {
	app := brisk.New(brisk.Config{Title: "OAuth2 with scopes"})
	app.Post("/token", s.login, brisk.Public(), brisk.Responses(http.StatusUnauthorized, "Incorrect username or password", nil))

	app.Provide(oauth2Scheme)
	app.Provide(s.currentUser)
	// Every use of the active user requires the "me" scope: FastAPI's
	// Security(get_current_user, scopes=["me"]).
	app.Provide(brisk.Scoped(currentActiveUser, "me"))
	// Every route below answers 401 for a missing or refused token.
	users := app.Group("", brisk.Responses(http.StatusUnauthorized, "Not authenticated, or not allowed", nil))
	users.Get("/users/me", readUsersMe, brisk.Responses(http.StatusBadRequest, "Inactive user", nil))
	users.Get("/users/me/items", readOwnItems, brisk.Scopes("items"), brisk.Responses(http.StatusBadRequest, "Inactive user", nil))
	users.Get("/status", readSystemStatus)
	return app
}
