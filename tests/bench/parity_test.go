package bench

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestParity asserts that every implementation answers every scenario alike
// (status, JSON body compared semantically, the headers the scenario is
// about), three times in a row so that pooled state is exercised, before any
// benchmark is believed. S2b is each framework's own validation error: the
// status is the framework's (InvalidStatus) and the body must be JSON naming
// the failing field.
func TestParity(t *testing.T) {
	for _, sc := range Scenarios {
		for _, im := range Impls {
			h := Handler(im.Name, sc.Route)
			if h == nil {
				continue
			}
			t.Run(sc.Name+"/"+im.Name, func(t *testing.T) {
				for range 3 {
					before := TasksRun()
					req, rewind := newRequest(sc)
					rewind()
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					res := rec.Result()
					got := rec.Body.Bytes()

					want := sc.Status
					if want == 0 {
						want = InvalidStatus[BaseImpl(im.Name)]
					}
					if res.StatusCode != want {
						t.Fatalf("status %d, want %d; body %s", res.StatusCode, want, got)
					}
					if ct := res.Header.Get("Content-Type"); !strings.Contains(ct, "json") && !(sc.Name == "S2" && im.Name == "fuego") {
						// Fuego S2: see impl_fuego.go, the header is lost.
						t.Errorf("Content-Type %q, want JSON", ct)
					}
					if sc.Gzip {
						if ce := res.Header.Get("Content-Encoding"); ce != "gzip" {
							t.Fatalf("Content-Encoding %q, want gzip", ce)
						}
						got = gunzip(t, got)
					}
					if sc.Want != "" {
						if !jsonEqual(t, got, []byte(sc.Want)) {
							t.Fatalf("body %s\nwant %s", clip(got), clip([]byte(sc.Want)))
						}
					} else {
						var v any
						if err := json.Unmarshal(got, &v); err != nil {
							t.Fatalf("body is not JSON: %v: %s", err, got)
						}
						if !bytes.Contains(bytes.ToLower(got), []byte("price")) {
							t.Fatalf("validation error does not name the field: %s", got)
						}
					}
					if sc.Route == RoutePing {
						for _, k := range LayerHeaders {
							if v := res.Header.Get(k); v != "1" {
								t.Errorf("header %s = %q, want 1", k, v)
							}
						}
					}
					if sc.Route == RouteNotifyTask {
						deadline := time.Now().Add(2 * time.Second)
						for TasksRun() <= before && time.Now().Before(deadline) {
							time.Sleep(time.Millisecond)
						}
						if TasksRun() <= before {
							t.Fatal("the background task did not run within 2s")
						}
					}
				}
			})
		}
	}
}

// invalidBodies is each framework's S2b answer, as docs/performance.md
// shows it: its own validation error, compared as JSON.
var invalidBodies = map[string]string{
	"chi":     `{"detail":[{"type":"gt","loc":["body","price"],"msg":"Key: 'Item.price' Error:Field validation for 'price' failed on the 'gt' tag"}]}`,
	"nethttp": `{"detail":[{"type":"gt","loc":["body","price"],"msg":"Key: 'Item.price' Error:Field validation for 'price' failed on the 'gt' tag"}]}`,
	"gin":     `{"error":"Key: 'GinItem.Price' Error:Field validation for 'Price' failed on the 'gt' tag"}`,
	"echo":    `{"message":"Key: 'Item.Price' Error:Field validation for 'Price' failed on the 'gt' tag"}`,
	"huma":    `{"title":"Unprocessable Entity","status":422,"detail":"validation failed","errors":[{"message":"expected number > 0","location":"body.price","value":-1}]}`,
	"fuego": `{"title":"Validation Error","status":400,"detail":"Price should be gt=0","errors":[{"more":{"field":"Price","nsField":"Item.Price","param":"0","tag":"gt","value":-1},` +
		`"name":"Item.Price","reason":"Key: 'Item.Price' Error:Field validation for 'Price' failed on the 'gt' tag"}]}`,
	// FastAPI's answer, exactly.
	"brisk": `{"detail":[{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":-1,"ctx":{"gt":0}}]}`,
}

// TestInvalidBodies checks each framework's S2b answer, status and body, so
// the table in docs/performance.md stays true (go test -v -run
// InvalidBodies prints them).
func TestInvalidBodies(t *testing.T) {
	sc, _ := ScenarioByName("S2b")
	for _, im := range Impls {
		h := Handler(im.Name, sc.Route)
		if h == nil {
			continue
		}
		t.Run(im.Name, func(t *testing.T) {
			req, rewind := newRequest(sc)
			rewind()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			got := bytes.TrimSpace(rec.Body.Bytes())
			t.Logf("%-8s %d %s %s", im.Name, rec.Code, rec.Header().Get("Content-Type"), got)

			base := BaseImpl(im.Name)
			want, ok := invalidBodies[base]
			if !ok {
				t.Fatalf("no documented S2b answer for %s: add it to invalidBodies and docs/performance.md", base)
			}
			if rec.Code != InvalidStatus[base] {
				t.Errorf("status %d, want %d", rec.Code, InvalidStatus[base])
			}
			if ct := rec.Header().Get("Content-Type"); !strings.Contains(ct, "json") {
				t.Errorf("Content-Type %q, want JSON", ct)
			}
			if !jsonEqual(t, got, []byte(want)) {
				t.Errorf("body %s\nwant %s", got, want)
			}
		})
	}
}

// TestBigSize keeps S4's body near the 16 KiB.
func TestBigSize(t *testing.T) {
	if n := len(BigJSON); n < 14<<10 || n > 18<<10 {
		t.Fatalf("S4 body is %d bytes, want about 16 KiB", n)
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	return out
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatalf("body is not JSON: %v: %s", err, clip(a))
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatalf("expected body is not JSON: %v", err)
	}
	return reflect.DeepEqual(x, y)
}

func clip(b []byte) []byte {
	if len(b) > 300 {
		return append(b[:300:300], "…"...)
	}
	return b
}
