// Package security holds FastAPI's security schemes for Brisk: HTTPBearer,
// HTTPBasic, APIKeyHeader, APIKeyCookie, APIKeyQuery, OAuth2PasswordBearer
// and OAuth2AuthorizationCodeBearer, the login forms
// OAuth2PasswordRequestForm and OAuth2PasswordRequestFormStrict, and
// SecurityScopes.
//
// A scheme is a provider: give it to App.Provide, Router.Provide or
// brisk.Dependencies. It reads the credential from the request and gives it,
// as the type it is instantiated with, to whatever asks for that type — once
// per request, however many dependants ask. Each scheme is generic over the
// credential's type, so an app can hold two schemes of one kind (two API
// keys) and a dependant says which one it wants by type:
//
//	type Token string // the bearer token
//
//	app.Provide(security.OAuth2PasswordBearer[Token]{TokenURL: "token"})
//	app.Provide(func(t Token) (User, error) { … }) // currentUser
//	app.Get("/users/me", func(u User) User { return u })
//
// Missing or malformed credentials are answered as FastAPI answers them: 401
// {"detail":"Not authenticated"} with the scheme's WWW-Authenticate header.
// With Optional set (FastAPI's auto_error=False) a missing credential gives
// the zero value instead (Basic's malformed ones are still refused, as in
// FastAPI).
//
// Every route whose dependency tree uses a scheme documents it: the scheme
// in components.securitySchemes, a security requirement on the operation
// (with the scopes required through brisk.Scopes and brisk.Scoped), so that
// Swagger UI's Authorize button sends the credential. The credential is
// never also documented as a parameter.
//
// Compare secrets in constant time (crypto/subtle.ConstantTimeCompare) when
// checking them: see the HTTPBasic example.
package security
