package tests

// Form fields (form:"name") over real HTTP: every scalar kind, defaults,
// pointers, repeated fields, validate rules, mixing with path and query,
// the body limit and the field limit, registration mistakes.

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

type profileForm struct {
	ID      int       `path:"id"`
	Verbose bool      `query:"verbose" default:"false"`
	Name    string    `form:"name" validate:"min=2"`
	Age     int       `form:"age" validate:"gte=0,lte=150"`
	Score   float64   `form:"score" default:"1.5"`
	Nick    *string   `form:"nick"`
	Tags    []string  `form:"tag"`
	Born    time.Time `form:"born" default:"2000-01-01"`
	Admin   bool      `form:"admin" default:"false"`
	Level   uint8     `form:"level" default:"1"`
}

func profileApp(t *testing.T, cfg ...brisk.Config) *httptest.Server {
	app := brisk.New(cfg...)
	app.Post("/profiles/{id}", func(in profileForm) map[string]any {
		nick := "<none>"
		if in.Nick != nil {
			nick = *in.Nick
		}
		return map[string]any{"id": in.ID, "verbose": in.Verbose, "name": in.Name, "age": in.Age, "score": in.Score,
			"nick": nick, "tags": in.Tags, "born": in.Born.Format("2006-01-02"), "admin": in.Admin, "level": in.Level}
	})
	return serve(t, app)
}

func TestFormFieldsAllKinds(t *testing.T) {
	srv := profileApp(t)
	res := postForm(t, srv, "/profiles/7?verbose=true", url.Values{
		"name": {"Ada Lovelace"}, "age": {"36"}, "score": {"2.25"}, "nick": {"ada"}, "tag": {"a", "b c"},
		"born": {"1815-12-10"}, "admin": {"on"}, "level": {"3"},
	})
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"id":7,"verbose":true,"name":"Ada Lovelace","age":36,"score":2.25,"nick":"ada","tags":["a","b c"],
		"born":"1815-12-10","admin":true,"level":3}`, res)

	// Defaults, an absent pointer, no repeated values; "+" and "%20" are both spaces.
	res = postRaw(t, srv, "/profiles/1", "application/x-www-form-urlencoded", "name=Al+Bo&age=1&nick=&tag=x%20y")
	require.Equal(t, http.StatusOK, res.Status, res.Body)
	assertJSON(t, `{"id":1,"verbose":false,"name":"Al Bo","age":1,"score":1.5,"nick":"<none>","tags":["x y"],
		"born":"2000-01-01","admin":false,"level":1}`, res)
}

func TestFormFieldErrors(t *testing.T) {
	srv := profileApp(t)
	// Decode errors and rule failures, at ["body", name], path errors first.
	res := postForm(t, srv, "/profiles/x", url.Values{"name": {"A"}, "age": {"old"}, "level": {"300"}, "tag": {"ok"}})
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"int_parsing","loc":["path","id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"},
		{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 2 characters","input":"A","ctx":{"min_length":2}},
		{"type":"int_parsing","loc":["body","age"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"old"},
		{"type":"less_than_equal","loc":["body","level"],"msg":"Input should be less than or equal to 255","input":"300","ctx":{"le":255}}]}`, res)

	// An empty value is no value: a required field is missing.
	res = postRaw(t, srv, "/profiles/1", "application/x-www-form-urlencoded", "name=&age=200")
	assert.Equal(t, http.StatusUnprocessableEntity, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body","name"],"msg":"Field required","input":null},
		{"type":"less_than_equal","loc":["body","age"],"msg":"Input should be less than or equal to 150","input":"200","ctx":{"le":150}}]}`, res)
}

func TestFormBodyLimits(t *testing.T) {
	app := brisk.New(brisk.Config{MaxBodyBytes: 64, Forms: brisk.FormLimits{MaxFields: 3}})
	handler := func(in struct {
		A string `form:"a" default:""`
	}) string {
		return in.A
	}
	app.Post("/small", handler)
	app.Post("/big", handler, brisk.MaxBodyBytes(1<<20))
	app.Group("/g", brisk.MaxBodyBytes(8)).Post("/tiny", handler)
	srv := serve(t, app)

	long := "a=" + strings.Repeat("x", 100)
	res := postRaw(t, srv, "/small", "application/x-www-form-urlencoded", long)
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)
	assertJSON(t, `{"detail":"Request Entity Too Large"}`, res)
	// Sent chunked, the length is found while reading.
	res = confDoReader(t, srv, "/small", "application/x-www-form-urlencoded", chunkedBody(long))
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)

	res = postRaw(t, srv, "/big", "application/x-www-form-urlencoded", long)
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `"`+strings.Repeat("x", 100)+`"`, res)

	res = postRaw(t, srv, "/g/tiny", "application/x-www-form-urlencoded", "a=123456789")
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.Status)

	res = postRaw(t, srv, "/small", "application/x-www-form-urlencoded", "a=1&b=2&c=3&d=4")
	assert.Equal(t, http.StatusBadRequest, res.Status)
	assertJSON(t, `{"detail":"Too many fields. Maximum number of fields is 3."}`, res)
	res = postRaw(t, srv, "/small", "application/x-www-form-urlencoded", "a=1&b=2&c=3")
	assert.Equal(t, http.StatusOK, res.Status)
}

func TestFormRegistrationMistakes(t *testing.T) {
	app := brisk.New()
	type body struct {
		X int `json:"x"`
	}
	msg := panicMessage(func() {
		app.Post("/a", func(in struct {
			A string `form:"a"`
		}, b body) string {
			return in.A
		})
	})
	assert.Contains(t, msg, "reads it as a form")
	assert.Contains(t, msg, `form "a"`)

	msg = panicMessage(func() {
		app.Post("/b", func(in struct {
			A map[string]string `form:"a"`
		}) string {
			return ""
		})
	})
	assert.Contains(t, msg, "cannot be read from a form value")

	msg = panicMessage(func() {
		app.Post("/c", func(in struct {
			A int `form:"a" default:"x"`
		}) string {
			return ""
		})
	})
	assert.Contains(t, msg, `default "x"`)

	assert.Panics(t, func() { brisk.MaxBodyBytes(0) })
}

// panicMessage runs f and returns what it panicked with, as text.
func panicMessage(f func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg, _ = p.(string)
			if msg == "" {
				msg = "non-string panic"
			}
		}
	}()
	f()
	return ""
}

// FastAPI's tests/test_forms_single_param.py and
// test_forms_from_non_typing_sequences.py.
func TestFormSingleFieldAndList(t *testing.T) {
	app := brisk.New()
	app.Post("/form/", func(in struct {
		Username string `form:"username"`
	}) string {
		return in.Username
	})
	app.Post("/form/python-list", func(in struct {
		Items []string `form:"items"`
	}) []string {
		return in.Items
	})
	srv := serve(t, app)
	res := postForm(t, srv, "/form/", url.Values{"username": {"Rick"}})
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `"Rick"`, res)
	res = postForm(t, srv, "/form/python-list", url.Values{"items": {"first", "second", "third"}})
	assert.Equal(t, http.StatusOK, res.Status)
	assertJSON(t, `["first","second","third"]`, res)

	res = send(t, srv, request{Path: "/openapi.json"})
	assert.Contains(t, res.Body, `"Body_form__post":{"title":"Body_form__post","type":"object","properties":{"username":{"type":"string"}},"required":["username"]}`)
}
