// Package other holds test fixtures for package openapi: types whose names
// clash with the test package's own, to prove component names stay unique.
package other

// Item has the same name as the openapi tests' Item.
type Item struct {
	SKU string `json:"sku"`
}

// ValidationError has the name of a built-in component.
type ValidationError struct {
	Reason string `json:"reason"`
}
