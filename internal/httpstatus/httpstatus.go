// Package httpstatus holds the rules about status codes that Brisk's
// writers, its middleware and its OpenAPI document must agree on.
package httpstatus

import "net/http"

// BodyAllowed reports whether a response with status may have a body: not
// 1xx, 204, 205 (RFC 9110 §15.3.6: "MUST NOT generate content") or 304, as
// FastAPI's is_body_allowed_for_status_code.
func BodyAllowed(status int) bool {
	return status >= 200 && status != http.StatusNoContent && status != http.StatusResetContent && status != http.StatusNotModified
}

// Informational reports whether status is 1xx.
func Informational(status int) bool {
	return status >= 100 && status < 200
}

// Interim reports whether status is a 1xx sent ahead of the final response
// (100 Continue, 103 Early Hints): every 1xx but 101 Switching Protocols,
// after which the connection no longer speaks HTTP and nothing follows.
func Interim(status int) bool {
	return Informational(status) && status != http.StatusSwitchingProtocols
}
