package tests

// Ports of FastAPI's tests/test_top_level_security_scheme_in_openapi.py
// (a scheme in a route's dependencies) and test_webhooks_security.py (a
// scheme in a webhook's parameters).

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/security"
)

func TestSecurityTopLevelSchemeInOpenAPI(t *testing.T) {
	type token string
	app := brisk.New()
	app.Get("/", func() map[string]string { return map[string]string{"message": "Hello, World!"} },
		brisk.Dependencies(security.HTTPBearer[token]{}))
	srv := serve(t, app)
	res := secGet(t, srv, "/", "Authorization", "Bearer token")
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"message":"Hello, World!"}`, res)
	assertNotAuthenticated(t, secGet(t, srv, "/"), "Bearer")
	doc := secDoc(t, srv)
	assertOperationSecurity(t, doc, "/", "get", `[{"HTTPBearer":[]}]`)
	assertDocJSON(t, `{"HTTPBearer":{"type":"http","scheme":"bearer"}}`, docAt(t, doc, "components", "securitySchemes"))
}

func TestSecurityWebhook(t *testing.T) {
	type token string
	type subscription struct {
		Username   string    `json:"username"`
		MonthlyFee float64   `json:"monthly_fee"`
		StartDate  time.Time `json:"start_date"`
	}
	app := brisk.New()
	app.Provide(security.HTTPBearer[token]{})
	app.Webhook("POST", "new-subscription", func(subscription, token) {})
	doc := secDoc(t, serve(t, app))
	assertDocJSON(t, `[{"HTTPBearer":[]}]`, docAt(t, doc, "webhooks", "new-subscription", "post", "security"))
	assertDocJSON(t, `{"HTTPBearer":{"type":"http","scheme":"bearer"}}`, docAt(t, doc, "components", "securitySchemes"))
}
