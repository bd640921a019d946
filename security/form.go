// The OAuth2 password flow's login form: OAuth2PasswordRequestForm and its
// strict twin.

package security

import "strings"

// OAuth2PasswordRequestForm is the form a client posts to the token URL in
// the OAuth2 password flow (application/x-www-form-urlencoded), FastAPI's
// OAuth2PasswordRequestForm: take it as a handler parameter.
//
//	app.Post("/token", func(form security.OAuth2PasswordRequestForm) (Token, error) { … })
//
// username and password are required; grant_type, when sent, must be
// "password"; scope is a space-separated list (Scopes splits it);
// client_id and client_secret are optional. Missing or invalid fields are
// answered 422 with loc ["body", name], as FastAPI's Form() fields.
type OAuth2PasswordRequestForm struct {
	GrantType    *string `form:"grant_type" validate:"omitempty,pattern=^password$" json:"grant_type"`
	Username     string  `form:"username" json:"username"`
	Password     string  `form:"password" json:"password"`
	Scope        string  `form:"scope" default:"" json:"scope"`
	ClientID     *string `form:"client_id" json:"client_id"`
	ClientSecret *string `form:"client_secret" json:"client_secret"`
}

// Scopes is the scope field split at white space, FastAPI's form.scopes.
func (f OAuth2PasswordRequestForm) Scopes() []string { return strings.Fields(f.Scope) }

// OAuth2PasswordRequestFormStrict is OAuth2PasswordRequestForm with
// grant_type required, as the OAuth2 specification wants (FastAPI's
// OAuth2PasswordRequestFormStrict).
type OAuth2PasswordRequestFormStrict struct {
	GrantType    string  `form:"grant_type" validate:"pattern=^password$" json:"grant_type"`
	Username     string  `form:"username" json:"username"`
	Password     string  `form:"password" json:"password"`
	Scope        string  `form:"scope" default:"" json:"scope"`
	ClientID     *string `form:"client_id" json:"client_id"`
	ClientSecret *string `form:"client_secret" json:"client_secret"`
}

// Scopes is the scope field split at white space, FastAPI's form.scopes.
func (f OAuth2PasswordRequestFormStrict) Scopes() []string { return strings.Fields(f.Scope) }
