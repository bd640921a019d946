package security_test

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

// get sends GET path to app with an Authorization header (if any) and
// prints the status, the challenge and the body.
func get(app http.Handler, path, authorization string) {
	req := httptest.NewRequest("GET", path, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Body)
	fmt.Println(rec.Code, rec.Header().Get("WWW-Authenticate"), string(body))
}

// HTTP Basic with the password checked in constant time:
// subtle.ConstantTimeCompare takes as long whatever the guess, and both
// comparisons run, so timing tells an attacker nothing.
func ExampleHTTPBasic() {
	type Username string
	app := brisk.New()
	app.Provide(security.HTTPBasic[security.HTTPBasicCredentials]{Realm: "example"})
	app.Provide(func(c security.HTTPBasicCredentials) (Username, error) {
		nameOK := subtle.ConstantTimeCompare([]byte(c.Username), []byte("stanleyjobson"))
		passwordOK := subtle.ConstantTimeCompare([]byte(c.Password), []byte("swordfish"))
		if nameOK&passwordOK != 1 {
			return "", brisk.Error(http.StatusUnauthorized, "Incorrect username or password").WithHeader("WWW-Authenticate", "Basic")
		}
		return Username(c.Username), nil
	})
	app.Get("/users/me", func(u Username) map[string]Username { return map[string]Username{"username": u} })

	get(app, "/users/me", "Basic c3RhbmxleWpvYnNvbjpzd29yZGZpc2g=") // stanleyjobson:swordfish
	get(app, "/users/me", "Basic c3RhbmxleWpvYnNvbjpndWVzcw==")     // stanleyjobson:guess
	get(app, "/users/me", "")
	// Output:
	// 200  {"username":"stanleyjobson"}
	// 401 Basic {"detail":"Incorrect username or password"}
	// 401 Basic realm="example" {"detail":"Not authenticated"}
}

// The usual pattern: a type for the credential, the scheme, and a provider
// turning the credential into a user.
func ExampleHTTPBearer() {
	type Token string
	type User struct {
		Name string `json:"name"`
	}
	app := brisk.New()
	app.Provide(security.HTTPBearer[Token]{})
	app.Provide(func(t Token) (User, error) {
		if t != "let-me-in" {
			return User{}, brisk.Error(http.StatusUnauthorized, "Invalid token").WithHeader("WWW-Authenticate", "Bearer")
		}
		return User{Name: "alice"}, nil
	})
	app.Get("/me", func(u User) User { return u })

	get(app, "/me", "Bearer let-me-in")
	get(app, "/me", "Bearer nope")
	get(app, "/me", "")
	// Output:
	// 200  {"name":"alice"}
	// 401 Bearer {"detail":"Invalid token"}
	// 401 Bearer {"detail":"Not authenticated"}
}

// Two API keys of one kind, told apart by type.
func ExampleAPIKeyHeader() {
	type ClientKey string
	type AdminKey string
	app := brisk.New()
	app.Provide(
		security.APIKeyHeader[ClientKey]{Name: "X-API-Key"},
		security.APIKeyHeader[AdminKey]{Name: "X-Admin-Key"},
	)
	app.Get("/admin", func(c ClientKey, a AdminKey) string { return string(c) + " " + string(a) })

	req := httptest.NewRequest("GET", "/admin", nil)
	req.Header.Set("X-API-Key", "client")
	req.Header.Set("X-Admin-Key", "admin")
	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String())
	// Output:
	// 200 "client admin"
}
