package middleware_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/briskgo/brisk/middleware"
)

// FuzzAcceptEncoding sends GZip arbitrary Accept-Encoding headers (one or
// two field lines) and bodies of arbitrary size, and checks that:
//
//   - nothing panics, the status is kept, and the body reaches the client
//     intact: gzip-encoded (and then a valid gzip stream of the same bytes)
//     or as it is, never any other encoding;
//   - only a body of at least MinimumSize is compressed, and Vary:
//     Accept-Encoding is on every such response, once, and on no other;
//   - for a header RFC 9110 can judge (every element a coding with an
//     optional valid q-value, no coding twice), the body is compressed
//     exactly when gzip's q-value (its own, else that of "*") is above 0.
func FuzzAcceptEncoding(f *testing.F) {
	for _, s := range []struct {
		a, b string
		n    uint16
	}{
		{"gzip", "", 2000}, {"gzip;q=0", "", 2000}, {"gzip; q=0.001", "", 2000}, {"GZIP;Q=1.000", "", 2000},
		{"*", "", 2000}, {"*;q=0", "", 2000}, {"gzip;q=0, *", "", 2000}, {"*;q=0, gzip", "", 2000}, {"br, deflate", "gzip", 2000},
		{"identity", "", 2000}, {"gzip", "", 999}, {"gzip", "", 1000}, {"gzip", "", 0}, {"gzip;q=nan", "", 2000}, {"gzip;q=-1", "", 2000},
		{"gzip;q=2", "", 2000}, {"gzip;q=0x1p-2", "", 2000}, {"gzip;q=1e-400", "", 2000}, {"x-gzip", "", 2000}, {",,gzip,,", "", 2000},
		{" gzip ;q=0.5 , *;q=0", "", 2000}, {"gzip;q=0", "gzip", 2000}, {"gzip, gzip;q=0", "", 2000}, {";", "", 2000}, {"\t", "\xff", 2000},
	} {
		f.Add(s.a, s.b, s.n)
	}
	const minSize = 1000
	var body []byte
	for i := 0; len(body) < 3000; i++ {
		body = append(body, `{"id":`+strconv.Itoa(i)+`,"name":"item","tags":["a","b"]},`...)
	}
	gz := middleware.GZip(middleware.GZipConfig{MinimumSize: minSize})
	f.Fuzz(func(t *testing.T, a, b string, n uint16) {
		want := body[:int(n)%len(body)]
		h := gz(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write(want)
		}))
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Add("Accept-Encoding", a)
		if b != "" {
			r.Header.Add("Accept-Encoding", b)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		res := rec.Result()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("%q %q: status %d", a, b, res.StatusCode)
		}
		got := rec.Body.Bytes()
		compressed := false
		switch ce := res.Header.Get("Content-Encoding"); ce {
		case "gzip":
			compressed = true
			zr, err := gzip.NewReader(bytes.NewReader(got))
			if err != nil {
				t.Fatalf("%q %q: not gzip: %v", a, b, err)
			}
			if got, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%q %q: broken gzip: %v", a, b, err)
			}
		case "":
		default:
			t.Fatalf("%q %q: Content-Encoding %q", a, b, ce)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%q %q: the body changed (%d bytes, want %d)", a, b, len(got), len(want))
		}
		if compressed && len(want) < minSize {
			t.Fatalf("%q %q: %d bytes compressed, below MinimumSize", a, b, len(want))
		}
		vary := 0
		for _, v := range res.Header.Values("Vary") {
			for _, tok := range strings.Split(v, ",") {
				if strings.EqualFold(strings.TrimSpace(tok), "Accept-Encoding") {
					vary++
				}
			}
		}
		if wantVary := len(want) >= minSize; (vary == 1) != wantVary || vary > 1 {
			t.Fatalf("%q %q: %d bytes, Vary names Accept-Encoding %d times", a, b, len(want), vary)
		}
		header := a
		if b != "" {
			header += ", " + b
		}
		if q, judged := rfcGzipQ(header); judged && (q > 0 && len(want) >= minSize) != compressed {
			t.Fatalf("%q %q: gzip q=%v, %d bytes, compressed=%v", a, b, q, len(want), compressed)
		}
	})
}

// An Accept-Encoding element: a coding and an optional weight (RFC 9110
// section 12.5.3), white space allowed around the ';'.
var acceptElement = regexp.MustCompile("^[ \t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ \t]*;[ \t]*[qQ]=(0(?:\\.[0-9]{0,3})?|1(?:\\.0{0,3})?))?[ \t]*$")

// rfcGzipQ returns gzip's q-value under RFC 9110, or judged=false when the
// header is not well formed, names a coding twice, or names x-gzip (which
// the RFC says should count as gzip, a case left to the implementation).
func rfcGzipQ(header string) (q float64, judged bool) {
	seen := map[string]bool{}
	gzipQ, starQ := -1.0, -1.0
	for _, el := range strings.Split(header, ",") {
		if strings.Trim(el, " \t") == "" {
			continue // the #rule allows empty elements
		}
		m := acceptElement.FindStringSubmatch(el)
		if m == nil {
			return 0, false
		}
		coding := strings.ToLower(m[1])
		if seen[coding] || coding == "x-gzip" {
			return 0, false
		}
		seen[coding] = true
		w := 1.0
		if m[2] != "" {
			w, _ = strconv.ParseFloat(m[2], 64)
		}
		switch coding {
		case "gzip":
			gzipQ = w
		case "*":
			starQ = w
		}
	}
	switch {
	case gzipQ >= 0:
		return gzipQ, true
	case starQ >= 0:
		return starQ, true
	}
	return 0, true
}
