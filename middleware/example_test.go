package middleware_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/briskgo/brisk/middleware"
)

func ExampleGZip() {
	report := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"rows":[`+strings.Repeat(`{"id":1,"ok":true},`, 100)+`{}]}`)
	})
	// With brisk: app.Use(middleware.GZip(middleware.GZipConfig{MinimumSize: 1000})).
	handler := middleware.GZip(middleware.GZipConfig{MinimumSize: 1000, CompressLevel: 5})(report)

	for _, acceptEncoding := range []string{"gzip", "gzip;q=0"} {
		r := httptest.NewRequest("GET", "/report", nil)
		r.Header.Set("Accept-Encoding", acceptEncoding)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Printf("%-9s -> Content-Encoding=%q Vary=%q\n", acceptEncoding, w.Header().Get("Content-Encoding"), w.Header().Get("Vary"))
	}
	// Output:
	// gzip      -> Content-Encoding="gzip" Vary="Accept-Encoding"
	// gzip;q=0  -> Content-Encoding="" Vary="Accept-Encoding"
}

// A page that echoes request input next to a secret opts out of GZip, so
// its compressed size cannot leak the secret (BREACH).
func ExampleNoCompression() {
	account := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set(middleware.NoCompression, "1")
		_, _ = io.WriteString(w, `<input name="csrf" value="s3cr3t">`+strings.Repeat("<p>"+r.URL.Query().Get("q")+"</p>", 100))
	})
	handler := middleware.GZip()(account)

	r := httptest.NewRequest("GET", "/account?q=guess", nil)
	r.Header.Set("Accept-Encoding", "gzip")
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Printf("Content-Encoding=%q %s=%q\n", w.Header().Get("Content-Encoding"), middleware.NoCompression, w.Header().Get(middleware.NoCompression))
	// Output:
	// Content-Encoding="" No-Gzip-Compression=""
}

func ExampleTrustedHost() {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello")
	})
	handler := middleware.TrustedHost(middleware.TrustedHostConfig{
		AllowedHosts: []string{"www.example.com", "*.api.example.com", "localhost"},
	})(hello)

	for _, host := range []string{"www.example.com", "eu.api.example.com", "localhost:8000", "example.com:8443", "evil.test"} {
		r := httptest.NewRequest("GET", "/path?q=1", nil)
		r.Host = host
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Println(host, w.Code, w.Header().Get("Location")+w.Body.String())
	}
	// Output:
	// www.example.com 200 hello
	// eu.api.example.com 200 hello
	// localhost:8000 200 hello
	// example.com:8443 307 http://www.example.com:8443/path?q=1
	// evil.test 400 Invalid host header
}

func ExampleHTTPSRedirect() {
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "hello")
	})
	// Behind a proxy that terminates TLS and sets X-Forwarded-Proto.
	handler := middleware.HTTPSRedirect(middleware.HTTPSRedirectConfig{TrustForwardedProto: true})(hello)

	for _, proto := range []string{"http", "https"} {
		r := httptest.NewRequest("POST", "http://example.com:80/orders?draft=1", nil)
		r.Header.Set("X-Forwarded-Proto", proto)
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, r)
		fmt.Println(proto, w.Code, w.Header().Get("Location")+w.Body.String())
	}
	// Output:
	// http 307 https://example.com/orders?draft=1
	// https 200 hello
}

func ExampleCORS() {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	handler := middleware.CORS(middleware.CORSConfig{
		AllowOrigins:     []string{"https://app.example.com"},
		AllowMethods:     []string{"GET", "POST"},
		AllowHeaders:     []string{"Authorization"},
		AllowCredentials: true,
	})(api)

	// The browser's preflight is answered by the middleware itself.
	r := httptest.NewRequest("OPTIONS", "/items", nil)
	r.Header.Set("Origin", "https://app.example.com")
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.String())
	fmt.Println(w.Header().Get("Access-Control-Allow-Origin"))
	fmt.Println(w.Header().Get("Access-Control-Allow-Methods"))
	fmt.Println(w.Header().Get("Access-Control-Allow-Headers"))

	// The actual request reaches the handler and gets the CORS headers.
	r = httptest.NewRequest("POST", "/items", nil)
	r.Header.Set("Origin", "https://app.example.com")
	w = httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.String(), w.Header().Get("Access-Control-Allow-Credentials"), w.Header().Get("Vary"))
	// Output:
	// 200 OK
	// https://app.example.com
	// GET, POST
	// Accept, Accept-Language, Authorization, Content-Language, Content-Type
	// 200 {"ok":true} true Origin
}
