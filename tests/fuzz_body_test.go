package tests

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/briskgo/brisk"
)

// A nested body with rules at every level.
type fzOrder struct {
	ID       uint64         `json:"id"`
	Customer string         `json:"customer" validate:"required,max=40"`
	Lines    []fzLine       `json:"lines" validate:"required,min=1,max=50,dive"`
	Ship     *fzAddress     `json:"ship"`
	Meta     map[string]any `json:"meta"`
	When     time.Time      `json:"when,omitzero"`
	Notes    string         `json:"notes" default:"none"`
	Priority int            `json:"priority" default:"3" validate:"gte=1,lte=5"`
}

type fzLine struct {
	SKU   string   `json:"sku" validate:"required,max=20"`
	Qty   int8     `json:"qty" validate:"gte=1"`
	Price float32  `json:"price,omitempty" validate:"gte=0"`
	Tags  []string `json:"tags" validate:"max=3,dive,min=1"`
}

type fzAddress struct {
	Street string            `json:"street" validate:"required"`
	Zip    *uint16           `json:"zip"`
	Geo    *[2]float64       `json:"geo"`
	Extra  map[string]fzLine `json:"extra" validate:"omitempty,dive"`
}

// fzBodyModel mixes a query parameter and the body in one model.
type fzBodyModel struct {
	DryRun bool    `query:"dry" default:"false"`
	Body   fzOrder `body:""`
}

var fzBodyNames = map[string]bool{
	"id": true, "customer": true, "lines": true, "ship": true, "meta": true, "when": true, "notes": true, "priority": true,
	"sku": true, "qty": true, "price": true, "tags": true, "street": true, "zip": true, "geo": true, "extra": true,
}

func fzBodyApp() *brisk.App {
	app := brisk.New(brisk.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	app.Post("/orders", func(o fzOrder) fzOrder { return o })
	app.Post("/maybe", func(o *fzOrder) string {
		if o == nil {
			return "none"
		}
		return o.Customer
	})
	app.Post("/model", func(m fzBodyModel) int { return len(m.Body.Lines) })
	app.Post("/list", func(ls []fzLine) int { return len(ls) })
	return app
}

// FuzzJSONBody posts arbitrary bytes as application/json to four routes:
// a nested struct, an optional one, a model mixing query and body, and a
// list. Each answers 200 or 422 in FastAPI's shape, with body locations
// made of JSON names, indexes and map keys.
func FuzzJSONBody(f *testing.F) {
	for _, s := range []string{
		`{"customer":"ann","lines":[{"sku":"a","qty":1}]}`,
		`{"id":1,"customer":"ann","lines":[{"sku":"a","qty":2,"price":1.5,"tags":["x"]}],"ship":{"street":"s","zip":12345,"geo":[1,2],"extra":{"k":{"sku":"b","qty":1}}},"meta":{"a":[1,{"b":null}]},"when":"2024-01-02T03:04:05Z","priority":5}`,
		`{"customer":"","lines":[],"priority":0}`,
		`{"customer":1,"lines":[{"sku":null,"qty":300,"price":-1,"tags":["",""," ","x"]}],"ship":{"zip":-1,"geo":[1e400]}}`,
		`{"id":-1,"customer":"x","lines":{"sku":"a"},"when":"yesterday"}`,
		`{"id":18446744073709551616,"customer":"x","lines":[{"sku":"a","qty":1.5}]}`,
		`{"customer":"\xff\xfe","lines":[{"sku":"\ud800","qty":1}]}`,
		`{"customer":"x","lines":[{"sku":"a","qty":1}],"customer":null}`,
		`{"CUSTOMER":"x","Lines":[{"SKU":"a","Qty":1}]}`,
		``, ` `, `null`, `[]`, `{}`, `"x"`, `1`, `{`, `{"customer":`, `{"customer":"x",}`, `{"a" 1}`, `[[[[[[[[`, `{"lines":[{"sku":"a"`,
		"\xef\xbb\xbf{}", `{"meta":{"a":` + string(bytes.Repeat([]byte("["), 2000)) + `}}`,
	} {
		f.Add([]byte(s), false)
	}
	app := fzBodyApp()
	f.Fuzz(func(t *testing.T, body []byte, dry bool) {
		for _, path := range []string{"/orders", "/maybe", "/model?dry=" + fmt.Sprint(dry), "/list"} {
			r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			app.ServeHTTP(rec, r)
			switch rec.Code {
			case http.StatusOK:
			case http.StatusUnprocessableEntity:
				checkProblem(t, rec.Body.Bytes(), func(loc []any) error {
					if loc[0] != "body" {
						return fmt.Errorf("loc %v: a body error must be under \"body\"", loc)
					}
					for i, part := range loc[1:] {
						name, isName := part.(string)
						// A name after "meta" or "extra" is a map key, free text.
						if isName && !fzBodyNames[name] && !(i > 0 && (loc[i] == "meta" || loc[i] == "extra")) {
							return fmt.Errorf("loc %v: %q is not a JSON name of the body", loc, name)
						}
					}
					return nil
				})
			default:
				t.Fatalf("POST %s %q: status %d: %s", path, body, rec.Code, rec.Body.String())
			}
		}
	})
}
