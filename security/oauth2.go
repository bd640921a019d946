// OAuth2: the password flow's bearer scheme (OAuth2PasswordBearer) and
// SecurityScopes.

package security

import (
	"cmp"
	"net/http"

	"github.com/briskgo/brisk"
)

// SecurityScopes is what a provider asking for it learns of the scopes
// required of it along the route's dependency tree (brisk.Scopes,
// brisk.Scoped), FastAPI's SecurityScopes. See brisk.SecurityScopes.
type SecurityScopes = brisk.SecurityScopes

// OAuth2PasswordBearer reads the token a client got from the OAuth2
// password flow ("Authorization: Bearer <token>") and provides it as T,
// FastAPI's OAuth2PasswordBearer. TokenURL is where the client gets tokens
// (the login route, taking an OAuth2PasswordRequestForm); Scopes are the
// scopes it offers, documented for Swagger UI's Authorize dialog:
//
//	type Token string
//	app.Provide(security.OAuth2PasswordBearer[Token]{
//		TokenURL: "token",
//		Scopes:   map[string]string{"me": "Read information about the current user."},
//	})
//
// Without the header or with another scheme: 401 {"detail":"Not
// authenticated"}, WWW-Authenticate: Bearer — or, with Optional, the empty
// token. Checking the token and its scopes is the application's (see
// SecurityScopes).
type OAuth2PasswordBearer[T ~string] struct {
	// TokenURL is the URL of the token endpoint (required); a relative one
	// is resolved against the document's URL.
	TokenURL string
	// RefreshURL is where tokens are refreshed, if anywhere.
	RefreshURL string
	// Scopes are the scopes a token may carry, by name, with descriptions.
	Scopes map[string]string
	// SchemeName is the scheme's name in the document (default
	// "OAuth2PasswordBearer"); Description describes it there.
	SchemeName  string
	Description string
	// Optional gives the empty token instead of the 401 (FastAPI's
	// auto_error=False).
	Optional bool
}

// Provider returns the func that reads the token: func(*http.Request) (T, error).
func (s OAuth2PasswordBearer[T]) Provider() any { return s.credential }

func (s OAuth2PasswordBearer[T]) credential(r *http.Request) (T, error) {
	header, scheme, token := authorization(r)
	if header == "" || !isScheme(scheme, "bearer") {
		if s.Optional {
			return "", nil
		}
		return "", notAuthenticated("Bearer")
	}
	return T(token), nil
}

// SecurityScheme describes the scheme: an "oauth2" one with the password
// flow.
func (s OAuth2PasswordBearer[T]) SecurityScheme() brisk.SecurityScheme {
	if s.TokenURL == "" {
		panic("security: OAuth2PasswordBearer: TokenURL is required")
	}
	return brisk.SecurityScheme{
		Name: cmp.Or(s.SchemeName, "OAuth2PasswordBearer"), Type: "oauth2", Description: s.Description,
		Flows: &brisk.OAuthFlows{Password: &brisk.OAuthFlow{TokenURL: s.TokenURL, RefreshURL: s.RefreshURL, Scopes: s.Scopes}},
	}
}

// OAuth2AuthorizationCodeBearer reads the token a client got from the
// OAuth2 authorization code flow ("Authorization: Bearer <token>") and
// provides it as T, FastAPI's OAuth2AuthorizationCodeBearer. It answers as
// OAuth2PasswordBearer; the document offers the authorization code flow.
type OAuth2AuthorizationCodeBearer[T ~string] struct {
	// AuthorizationURL and TokenURL are the flow's endpoints (required).
	AuthorizationURL string
	TokenURL         string
	RefreshURL       string
	// Scopes are the scopes a token may carry, by name, with descriptions.
	Scopes map[string]string
	// SchemeName is the scheme's name in the document (default
	// "OAuth2AuthorizationCodeBearer"); Description describes it there.
	SchemeName  string
	Description string
	// Optional gives the empty token instead of the 401 (FastAPI's
	// auto_error=False).
	Optional bool
}

// Provider returns the func that reads the token: func(*http.Request) (T, error).
func (s OAuth2AuthorizationCodeBearer[T]) Provider() any {
	return OAuth2PasswordBearer[T]{Optional: s.Optional}.credential
}

// SecurityScheme describes the scheme: an "oauth2" one with the
// authorization code flow.
func (s OAuth2AuthorizationCodeBearer[T]) SecurityScheme() brisk.SecurityScheme {
	if s.AuthorizationURL == "" || s.TokenURL == "" {
		panic("security: OAuth2AuthorizationCodeBearer: AuthorizationURL and TokenURL are required")
	}
	return brisk.SecurityScheme{
		Name: cmp.Or(s.SchemeName, "OAuth2AuthorizationCodeBearer"), Type: "oauth2", Description: s.Description,
		Flows: &brisk.OAuthFlows{AuthorizationCode: &brisk.OAuthFlow{
			AuthorizationURL: s.AuthorizationURL, TokenURL: s.TokenURL, RefreshURL: s.RefreshURL, Scopes: s.Scopes,
		}},
	}
}
