// Package middleware holds Brisk's built-in middleware: GZip, TrustedHost,
// HTTPSRedirect and CORS.
//
// Each constructor returns a plain func(http.Handler) http.Handler, so the
// same value works with brisk's App.Use, a chi router, or bare net/http. The
// behaviour follows Starlette's middleware of the same name, with the
// differences listed on each constructor; every one of them exists to close a
// gap a client or a cache could fall into.
//
// Constructors check their configuration and panic on a mistake (a malformed
// host pattern, an invalid regular expression), so a misconfigured server
// fails at startup rather than on the first unlucky request.
package middleware
