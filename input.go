// Reading the request's wire values once per request: path parameters,
// query pairs, cookies.

package brisk

import (
	"net/http"
	"net/url"
	"strings"
)

// pathValue returns path parameter i of the matched pattern, unescaped.
func (st *reqState) pathValue(i int) string {
	vals := st.rctx.URLParams.Values
	if i >= len(vals) {
		return ""
	}
	v := vals[i]
	if st.rawPath && strings.IndexByte(v, '%') >= 0 {
		if u, err := url.PathUnescape(v); err == nil {
			return u
		}
	}
	return v
}

type queryPair struct{ key, value string }

// queryValues returns the values of key in the query string, in order. The
// query is parsed once per request into pairs, without building url.Values.
func (st *reqState) queryValues(r *http.Request, key string) []string {
	if !st.queryReady {
		st.parseQuery(r.URL.RawQuery)
	}
	st.vals = st.vals[:0]
	for _, p := range st.query {
		if p.key == key {
			st.vals = append(st.vals, p.value)
		}
	}
	return st.vals
}

func (st *reqState) parseQuery(q string) {
	st.queryReady = true
	st.query, _ = appendPairs(st.query, q, -1)
}

// appendPairs appends the pairs of q, an urlencoded query or form body, to
// dst. With limit >= 0 it stops, reporting false, at pair limit+1.
func appendPairs(dst []queryPair, q string, limit int) ([]queryPair, bool) {
	n := 0
	for q != "" {
		var part string
		part, q, _ = strings.Cut(q, "&")
		if part == "" {
			continue
		}
		if n++; limit >= 0 && n > limit {
			return dst, false
		}
		k, v, _ := strings.Cut(part, "=")
		k, ok1 := unescapeQuery(k)
		v, ok2 := unescapeQuery(v)
		if !ok1 || !ok2 {
			continue // as url.ParseQuery, skip what cannot be decoded
		}
		dst = append(dst, queryPair{k, v})
	}
	return dst, true
}

func unescapeQuery(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, true
	}
	u, err := url.QueryUnescape(s)
	return u, err == nil
}

// cookie returns the value of the named cookie.
func (st *reqState) cookie(r *http.Request, name string) (string, bool) {
	if !st.cookieDone {
		st.cookieDone = true
		st.cookies = r.Cookies()
	}
	for _, c := range st.cookies {
		if c.Name == name {
			return c.Value, true
		}
	}
	return "", false
}
