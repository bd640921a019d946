// The security checks' app (issue 13): one route per scheme of package
// security, each answering with the credential it received, and the OAuth2
// password flow's token endpoint, so that Swagger UI's Authorize dialog can
// be proven to send every kind of credential.

package main

import (
	"net/http"
	"strings"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/docsui"
	"github.com/briskgo/brisk/security"
)

func init() {
	register("security", securityApp)
}

type (
	oauthToken  string
	bearerToken string
	apiKey      string
)

type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
}

func securityApp() *brisk.App {
	app := brisk.New(brisk.Config{Title: "Security check", DocsAssets: docsui.Assets})
	app.Provide(
		security.OAuth2PasswordBearer[oauthToken]{TokenURL: "token", Scopes: map[string]string{"read": "Read things."}},
		security.HTTPBearer[bearerToken]{},
		security.HTTPBasic[security.HTTPBasicCredentials]{},
		security.APIKeyHeader[apiKey]{Name: "X-API-Key"},
	)
	// The token is the user and the granted scopes: the check sees what
	// the dialog posted.
	app.Post("/token", func(f security.OAuth2PasswordRequestForm) (tokenAnswer, error) {
		if f.Username != "alice" || f.Password != "wonderland" {
			return tokenAnswer{}, brisk.Error(http.StatusUnauthorized, "Incorrect username or password")
		}
		return tokenAnswer{AccessToken: "tok-" + f.Username + "-" + strings.Join(f.Scopes(), "+"), TokenType: "bearer"}, nil
	}, brisk.Public())
	app.Get("/oauth2/me", func(t oauthToken) map[string]oauthToken { return map[string]oauthToken{"token": t} },
		brisk.Scopes("read"), brisk.OperationID("oauth2_me"))
	app.Get("/bearer/me", func(t bearerToken) map[string]bearerToken { return map[string]bearerToken{"token": t} },
		brisk.OperationID("bearer_me"))
	app.Get("/basic/me", func(c security.HTTPBasicCredentials) security.HTTPBasicCredentials { return c },
		brisk.OperationID("basic_me"))
	app.Get("/apikey/me", func(k apiKey) map[string]apiKey { return map[string]apiKey{"key": k} },
		brisk.OperationID("apikey_me"))
	return app
}
