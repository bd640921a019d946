package brisk

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Two embedded structs both give a field the JSON name "V" at the same
// depth; the tagged one wins, as in encoding/json.
type TieUntagged struct{ V int }

type TieTagged struct {
	W int `json:"V"`
}

type tieBody struct {
	TieUntagged
	Name string
	TieTagged
}

// The 422 details of a body follow the decoder's field resolution: "V" is
// TieTagged.W, declared after Name, so its error comes after Name's (a walk
// that took the first "V" it met, TieUntagged's, put it first).
func TestBodyErrorOrderFollowsEmbeddedFieldResolution(t *testing.T) {
	a := New()
	a.Post("/tie", func(b tieBody) tieBody { return b })
	post := func(body string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/tie", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		a.ServeHTTP(rec, req)
		return rec
	}

	rec := post(`{"V": 3, "Name": "n"}`)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"V":3`) {
		t.Fatalf("valid body: %d %s", rec.Code, rec.Body)
	}

	rec = post(`{"V": "x", "Name": 1}`)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422: %s", rec.Code, rec.Body)
	}
	var got struct {
		Detail []struct {
			Loc []any `json:"loc"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, d := range got.Detail {
		b, _ := json.Marshal(d.Loc)
		locs = append(locs, string(b))
	}
	if want := []string{`["body","Name"]`, `["body","V"]`}; strings.Join(locs, " ") != strings.Join(want, " ") {
		t.Errorf("422 locs %v, want %v", locs, want)
	}
}
