package brisk_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/briskgo/brisk"
)

// NotFoundError is an application's own error type.
type NotFoundError struct{ What string }

func (e *NotFoundError) Error() string { return e.What + " not found" }

// An error handler maps an application's error type to an answer; the
// validation error is restyled by another.
func ExampleApp_HandleError() {
	app := brisk.New()
	app.HandleError(func(r *http.Request, err *NotFoundError) *brisk.Response {
		return brisk.JSON(404, map[string]string{"error": err.Error()})
	})
	app.HandleError(func(r *http.Request, err *brisk.ValidationError) *brisk.Response {
		return brisk.Text(400, fmt.Sprintf("%d invalid input(s), first at %v", len(err.Errors), err.Errors[0].Loc))
	})
	app.Get("/users/{id}", func(id int) (string, error) {
		return "", &NotFoundError{What: fmt.Sprintf("user %d", id)}
	})

	for _, path := range []string{"/users/7", "/users/seven"} {
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Println(rec.Code, rec.Body.String())
	}
	// Output:
	// 404 {"error":"user 7 not found"}
	// 400 1 invalid input(s), first at [path id]
}

// ProblemDetails answers every error Brisk makes as RFC 9457 problem
// details.
func ExampleProblemDetails() {
	app := brisk.New()
	app.HandleError(brisk.ProblemDetails)
	app.Get("/items/{id}", func(id int) (string, error) { return "", brisk.Error(404, "Item not found") })

	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/items/3", nil))
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(rec.Body.String())
	// Output:
	// 404 application/problem+json
	// {"type":"about:blank","title":"Not Found","status":404,"detail":"Item not found","instance":"/items/3"}
}

// Mount serves another App under a prefix; its document lists the prefix
// as its server.
func ExampleApp_Mount() {
	admin := brisk.New(brisk.Config{Title: "Admin"})
	admin.Get("/users", func(r *http.Request) string { return "users under " + brisk.RootPath(r) })
	app := brisk.New()
	app.Mount("/admin", admin)

	rec := httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/users", nil))
	fmt.Println(rec.Code, rec.Body.String())

	rec = httptest.NewRecorder()
	app.ServeHTTP(rec, httptest.NewRequest("GET", "/admin/openapi.json", nil))
	var doc struct {
		Info    struct{ Title string }
		Servers []struct{ URL string }
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &doc)
	fmt.Println(rec.Code, doc.Info.Title, doc.Servers)
	// Output:
	// 200 "users under /admin"
	// 200 Admin [{/admin}]
}
