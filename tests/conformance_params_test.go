package tests

// End-to-end ports of FastAPI's parameter and body tutorials (round 3):
// tests/test_tutorial/test_query_params_str_validations, test_query_params
// (tutorial002, tutorial003), test_path_params_numeric_validations,
// test_header_params, test_cookie_params, test_extra_data_types,
// test_body_multiple_params, test_body_nested_models, test_body_fields,
// test_response_change_status_code, test_additional_status_codes and the
// response constructors of test_custom_response. FastAPI's Query(...),
// Path(...) and Field(...) constraints are `validate:"…"` rules here,
// optional parameters pointers or `default:"…"`, lists slices.

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/briskgo/brisk"
)

// confItems is the {"items": [...]} of the query_params_str_validations
// tutorials, with "q" when one was given.
func confItems(q *string) map[string]any {
	res := map[string]any{"items": []map[string]string{{"item_id": "Foo"}, {"item_id": "Bar"}}}
	if q != nil && *q != "" {
		res["q"] = *q
	}
	return res
}

const confItemsBody = `{"items":[{"item_id":"Foo"},{"item_id":"Bar"}]}`

func confItemsQ(q string) string {
	return `{"items":[{"item_id":"Foo"},{"item_id":"Bar"}],"q":"` + q + `"}`
}

// confQueryErr is one 422 item at ["query", name].
func confQueryErr(typ, name, msg, input, ctx string) string {
	s := `{"detail":[{"type":"` + typ + `","loc":["query","` + name + `"],"msg":"` + msg + `","input":` + input
	if ctx != "" {
		s += `,"ctx":` + ctx
	}
	return s + `}]}`
}

const confQMissing = `{"detail":[{"type":"missing","loc":["query","q"],"msg":"Field required","input":null}]}`

// FastAPI tests/test_tutorial/test_query_params_str_validations/test_tutorial001.py:
// an optional q.
func TestFastAPIQueryParamsStrValidationsTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q *string `query:"q"`
	}) map[string]any {
		return confItems(in.Q)
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, confItemsBody},
		{"/items/?q=query", 200, confItemsQ("query")},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial002.py: an
// optional q with max_length=50.
func TestFastAPIQueryParamsStrValidationsTutorial002(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q *string `query:"q" validate:"omitempty,max=50"`
	}) map[string]any {
		return confItems(in.Q)
	})
	long := strings.Repeat("a", 51)
	confRunCases(t, app, []confCase{
		{"/items/", 200, confItemsBody},
		{"/items/?q=query", 200, confItemsQ("query")},
		{"/items/?q=" + long, 422, confQueryErr("string_too_long", "q", "String should have at most 50 characters", `"`+long+`"`, `{"max_length":50}`)},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial003.py and
// test_tutorial007.py (the same with a title): min_length=3, max_length=50.
func TestFastAPIQueryParamsStrValidationsTutorial003(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q *string `query:"q" validate:"omitempty,min=3,max=50"`
	}) map[string]any {
		return confItems(in.Q)
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, confItemsBody},
		{"/items/?q=query", 200, confItemsQ("query")},
		{"/items/?q=fa", 422, confQueryErr("string_too_short", "q", "String should have at least 3 characters", `"fa"`, `{"min_length":3}`)},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial004.py: a regular
// expression (pattern="^fixedquery$") with the length bounds.
func TestFastAPIQueryParamsStrValidationsTutorial004(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q *string `query:"q" validate:"omitempty,min=3,max=50,pattern=^fixedquery$"`
	}) map[string]any {
		return confItems(in.Q)
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, confItemsBody},
		{"/items/?q=fixedquery", 200, confItemsQ("fixedquery")},
		{"/items/?q=nonregexquery", 422, confQueryErr("string_pattern_mismatch", "q",
			"String should match pattern '^fixedquery$'", `"nonregexquery"`, `{"pattern":"^fixedquery$"}`)},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial005.py: q with a
// default ("fixedquery") and min_length=3.
func TestFastAPIQueryParamsStrValidationsTutorial005(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q string `query:"q" default:"fixedquery" validate:"min=3"`
	}) map[string]any {
		return confItems(&in.Q)
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, confItemsQ("fixedquery")},
		{"/items/?q=query", 200, confItemsQ("query")},
		{"/items/?q=qu", 422, confQueryErr("string_too_short", "q", "String should have at least 3 characters", `"qu"`, `{"min_length":3}`)},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial006.py and
// test_tutorial006d (Query(min_length=3) with no default, or with ...): a
// required q.
func TestFastAPIQueryParamsStrValidationsTutorial006(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q string `query:"q" validate:"min=3"`
	}) map[string]any {
		return confItems(&in.Q)
	})
	confRunCases(t, app, []confCase{
		{"/items/", 422, confQMissing},
		{"/items/?q=fixedquery", 200, confItemsQ("fixedquery")},
		{"/items/?q=fa", 422, confQueryErr("string_too_short", "q", "String should have at least 3 characters", `"fa"`, `{"min_length":3}`)},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial006c.py: q: str |
// None = Query(min_length=3) with no default — required, though nullable.
// Go has no such value: a pointer with `validate:"required"`.
func TestFastAPIQueryParamsStrValidationsTutorial006c(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q *string `query:"q" validate:"required,min=3"`
	}) map[string]any {
		return confItems(in.Q)
	})
	confRunCases(t, app, []confCase{
		{"/items/", 422, confQMissing},
		{"/items/?q=query", 200, confItemsQ("query")},
		{"/items/?q=qu", 422, confQueryErr("string_too_short", "q", "String should have at least 3 characters", `"qu"`, `{"min_length":3}`)},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial008.py and
// test_tutorial009.py: alias="item-query" — the name on the wire, in the
// loc too.
func TestFastAPIQueryParamsStrValidationsTutorial008And009(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q *string `query:"item-query" validate:"omitempty,min=3,max=50"`
	}) map[string]any {
		return confItems(in.Q)
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, confItemsBody},
		{"/items/?item-query=query", 200, confItemsQ("query")},
		{"/items/?q=query", 200, confItemsBody},
		{"/items/?item-query=qu", 422, confQueryErr("string_too_short", "item-query", "String should have at least 3 characters", `"qu"`, `{"min_length":3}`)},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial011.py (beyond
// round 2's port): q: list[str] | None = None.
func TestFastAPIQueryParamsStrValidationsTutorial011(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q []string `query:"q"`
	}) map[string]any {
		return map[string]any{"q": in.Q}
	})
	confRunCases(t, app, []confCase{
		{"/items/?q=foo&q=bar", 200, `{"q":["foo","bar"]}`},
		{"/items/", 200, `{"q":[]}`}, // FastAPI: null; Brisk writes a nil slice as []
	})
}

// FastAPI test_query_params_str_validations/test_tutorial012.py: q:
// list[str] = ["foo", "bar"].
func TestFastAPIQueryParamsStrValidationsTutorial012(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q []string `query:"q" default:"foo,bar"`
	}) map[string]any {
		return map[string]any{"q": in.Q}
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, `{"q":["foo","bar"]}`},
		{"/items/?q=baz&q=foobar", 200, `{"q":["baz","foobar"]}`},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial013.py: q: list
// = [] — an empty default is an empty list, not null.
func TestFastAPIQueryParamsStrValidationsTutorial013(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q []string `query:"q" default:""`
	}) map[string]any {
		return map[string]any{"q": in.Q}
	})
	confRunCases(t, app, []confCase{
		{"/items/", 200, `{"q":[]}`},
		{"/items/?q=foo&q=bar", 200, `{"q":["foo","bar"]}`},
	})
}

// FastAPI test_query_params_str_validations/test_tutorial014.py: a query
// parameter hidden from the schema still works.
func TestFastAPIQueryParamsStrValidationsTutorial014(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Hidden *string `query:"hidden_query"`
	}) map[string]any {
		if in.Hidden == nil {
			return map[string]any{"hidden_query": "Not found"}
		}
		return map[string]any{"hidden_query": *in.Hidden}
	})
	confRunCases(t, app, []confCase{
		{"/items/?hidden_query=somevalue", 200, `{"hidden_query":"somevalue"}`},
		{"/items/", 200, `{"hidden_query":"Not found"}`},
	})
}

// FastAPI tests/test_tutorial/test_query_params/test_tutorial002.py: a path
// parameter and an optional q.
func TestFastAPIQueryParamsTutorial002(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", func(in struct {
		ItemID string  `path:"item_id"`
		Q      *string `query:"q"`
	}) map[string]any {
		if in.Q != nil {
			return map[string]any{"item_id": in.ItemID, "q": *in.Q}
		}
		return map[string]any{"item_id": in.ItemID}
	})
	confRunCases(t, app, []confCase{
		{"/items/foo", 200, `{"item_id":"foo"}`},
		{"/items/foo?q=somequery", 200, `{"item_id":"foo","q":"somequery"}`},
	})
}

// FastAPI tests/test_tutorial/test_query_params/test_tutorial003.py: the
// bool conversions of short (1, True, true, on, yes, and their opposites).
func TestFastAPIQueryParamsTutorial003(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", func(in struct {
		ItemID string  `path:"item_id"`
		Q      *string `query:"q"`
		Short  bool    `query:"short" default:"false"`
	}) map[string]any {
		item := map[string]any{"item_id": in.ItemID}
		if in.Q != nil && *in.Q != "" {
			item["q"] = *in.Q
		}
		if !in.Short {
			item["description"] = "This is an amazing item that has a long description"
		}
		return item
	})
	long := `{"item_id":"foo","description":"This is an amazing item that has a long description"}`
	cases := []confCase{
		{"/items/foo", 200, long},
		{"/items/foo?q=fooquery", 200, `{"item_id":"foo","q":"fooquery","description":"This is an amazing item that has a long description"}`},
		{"/items/foo?short=maybe", 422, confQueryErr("bool_parsing", "short", confBoolParsing, `"maybe"`, "")},
	}
	for _, v := range []string{"1", "True", "true", "on", "yes"} {
		cases = append(cases, confCase{"/items/foo?short=" + v, 200, `{"item_id":"foo"}`})
	}
	for _, v := range []string{"0", "False", "false", "off", "no"} {
		cases = append(cases, confCase{"/items/foo?short=" + v, 200, long})
	}
	confRunCases(t, app, cases)
}

// FastAPI tests/test_tutorial/test_path_params_numeric_validations
// (tutorial001–006): a path int with ge/gt/le, a float query with gt/lt, an
// aliased optional query.
func TestFastAPIPathParamsNumericValidations(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/{item_id}", func(in struct {
		ItemID int      `path:"item_id" validate:"gte=0,lte=1000"`
		Q      *string  `query:"item-query"`
		Size   *float64 `query:"size" validate:"omitempty,gt=0,lt=10.5"`
	}) map[string]any {
		res := map[string]any{"item_id": in.ItemID}
		if in.Q != nil {
			res["q"] = *in.Q
		}
		if in.Size != nil {
			res["size"] = *in.Size
		}
		return res
	})
	app.Get("/gt/{item_id}", func(in struct {
		ItemID int `path:"item_id" validate:"gt=0,lte=1000"`
	}) map[string]any {
		return map[string]any{"item_id": in.ItemID}
	})
	pathErr := func(typ, msg, input, ctx string) string {
		return `{"detail":[{"type":"` + typ + `","loc":["path","item_id"],"msg":"` + msg + `","input":"` + input + `","ctx":` + ctx + `}]}`
	}
	confRunCases(t, app, []confCase{
		{"/items/42", 200, `{"item_id":42}`},
		{"/items/42?item-query=foo", 200, `{"item_id":42,"q":"foo"}`},
		{"/items/42?item-query=foo&size=5", 200, `{"item_id":42,"q":"foo","size":5}`},
		{"/items/0", 200, `{"item_id":0}`},
		{"/items/1000", 200, `{"item_id":1000}`},
		{"/items/-1", 422, pathErr("greater_than_equal", "Input should be greater than or equal to 0", "-1", `{"ge":0}`)},
		{"/items/1001", 422, pathErr("less_than_equal", "Input should be less than or equal to 1000", "1001", `{"le":1000}`)},
		{"/items/42?size=10.5", 422, confQueryErr("less_than", "size", "Input should be less than 10.5", `"10.5"`, `{"lt":10.5}`)},
		{"/items/42?size=0", 422, confQueryErr("greater_than", "size", "Input should be greater than 0", `"0"`, `{"gt":0}`)},
		{"/items/foo", 422, `{"detail":[{"type":"int_parsing","loc":["path","item_id"],"msg":"` + confIntParsing + `","input":"foo"}]}`},
		{"/gt/0", 422, pathErr("greater_than", "Input should be greater than 0", "0", `{"gt":0}`)},
		{"/gt/1", 200, `{"item_id":1}`},
		// Every failing parameter is listed, path first.
		{"/items/-1?size=20", 422, `{"detail":[
			{"type":"greater_than_equal","loc":["path","item_id"],"msg":"Input should be greater than or equal to 0","input":"-1","ctx":{"ge":0}},
			{"type":"less_than","loc":["query","size"],"msg":"Input should be less than 10.5","input":"20","ctx":{"lt":10.5}}]}`},
	})
}

// FastAPI tests/test_tutorial/test_header_params/test_tutorial001.py:
// user_agent reads User-Agent.
func TestFastAPIHeaderParamsTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func(in struct {
		UserAgent *string `header:"user_agent"`
	}) map[string]any {
		return map[string]any{"User-Agent": in.UserAgent}
	})
	srv := serve(t, app)
	for _, c := range []struct {
		headers []string
		want    string
	}{
		{[]string{"User-Agent", ""}, `{"User-Agent":null}`},
		{[]string{"User-Agent", "testclient"}, `{"User-Agent":"testclient"}`},
		{[]string{"User-Agent", "", "X-Header", "notvalid"}, `{"User-Agent":null}`},
		{[]string{"User-Agent", "FastAPI test"}, `{"User-Agent":"FastAPI test"}`},
		{[]string{"user-agent", "lower"}, `{"User-Agent":"lower"}`},
	} {
		res := send(t, srv, request{Path: "/items", Headers: c.headers})
		assert.Equal(t, 200, res.Status, c.headers)
		assertJSON(t, c.want, res)
	}
}

// FastAPI tests/test_tutorial/test_header_params/test_tutorial002.py:
// Header(convert_underscores=False) — the ",raw" option keeps the name's
// underscores, so strange_header is read as it is and strange-header is
// another header.
func TestFastAPIHeaderParamsTutorial002(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func(in struct {
		Strange *string `header:"strange_header,raw"`
	}) map[string]any {
		return map[string]any{"strange_header": in.Strange}
	})
	srv := serve(t, app)
	for _, c := range []struct {
		headers []string
		want    string
	}{
		{nil, `{"strange_header":null}`},
		{[]string{"X-Header", "notvalid"}, `{"strange_header":null}`},
		{[]string{"strange_header", "FastAPI test"}, `{"strange_header":"FastAPI test"}`},
		{[]string{"strange-header", "Not really underscore"}, `{"strange_header":null}`},
	} {
		res := send(t, srv, request{Path: "/items", Headers: c.headers})
		assert.Equal(t, 200, res.Status, c.headers)
		assertJSON(t, c.want, res)
	}
}

// FastAPI tests/test_tutorial/test_header_params/test_tutorial003.py:
// x_token: list[str] | None — a header sent twice is a list.
func TestFastAPIHeaderParamsTutorial003(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func(in struct {
		XToken []string `header:"x_token"`
	}) map[string]any {
		return map[string]any{"X-Token values": in.XToken}
	})
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/items"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"X-Token values":[]}`, res) // FastAPI: null; Brisk writes a nil slice as []
	res = send(t, srv, request{Path: "/items", Headers: []string{"x-token", "foo"}})
	assertJSON(t, `{"X-Token values":["foo"]}`, res)
	res = send(t, srv, request{Path: "/items", Headers: []string{"x-token", "foo", "x-token", "bar"}})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `{"X-Token values":["foo","bar"]}`, res)
}

// A required header with a constraint: the loc names the header as on the
// wire (hyphens), with every other failure.
func TestFastAPIHeaderParamsRequiredAndInvalid(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func(in struct {
		XToken string `header:"x_token" validate:"min=3"`
		Count  int    `header:"x-count"`
	}) map[string]any {
		return map[string]any{"token": in.XToken, "count": in.Count}
	})
	confRunCasesH(t, app, []confCaseH{
		{"/items", nil, 422, `{"detail":[
			{"type":"missing","loc":["header","x-token"],"msg":"Field required","input":null},
			{"type":"missing","loc":["header","x-count"],"msg":"Field required","input":null}]}`},
		// In declaration order, whether decoding or a rule failed.
		{"/items", []string{"X-Token", "ab", "X-Count", "x"}, 422, `{"detail":[
			{"type":"string_too_short","loc":["header","x-token"],"msg":"String should have at least 3 characters","input":"ab","ctx":{"min_length":3}},
			{"type":"int_parsing","loc":["header","x-count"],"msg":"` + confIntParsing + `","input":"x"}]}`},
		{"/items", []string{"X-Token", "abc", "X-Count", "2"}, 200, `{"token":"abc","count":2}`},
	})
}

// confCaseH is a confCase with request headers.
type confCaseH struct {
	url     string
	headers []string
	status  int
	want    string
}

func confRunCasesH(t *testing.T, app *brisk.App, cases []confCaseH) {
	t.Helper()
	srv := serve(t, app)
	for _, c := range cases {
		res := send(t, srv, request{Path: c.url, Headers: c.headers})
		assert.Equal(t, c.status, res.Status, "%s %v", c.url, c.headers)
		assertJSON(t, c.want, res)
	}
}

// FastAPI tests/test_tutorial/test_cookie_params/test_tutorial001.py: an
// optional ads_id cookie among others.
func TestFastAPICookieParamsTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func(in struct {
		AdsID *string `cookie:"ads_id"`
	}) map[string]any {
		return map[string]any{"ads_id": in.AdsID}
	})
	confRunCasesH(t, app, []confCaseH{
		{"/items", nil, 200, `{"ads_id":null}`},
		{"/items", []string{"Cookie", "ads_id=ads_track"}, 200, `{"ads_id":"ads_track"}`},
		{"/items", []string{"Cookie", "ads_id=ads_track; session=cookiesession; Yummy=Choco"}, 200, `{"ads_id":"ads_track"}`},
		{"/items", []string{"Cookie", "session=cookiesession"}, 200, `{"ads_id":null}`},
	})
}

// A required cookie with a rule, and an int cookie.
func TestFastAPICookieParamsRequiredAndInvalid(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items", func(in struct {
		Session string `cookie:"session" validate:"len=4"`
		Visits  int    `cookie:"visits" default:"0"`
	}) map[string]any {
		return map[string]any{"session": in.Session, "visits": in.Visits}
	})
	confRunCasesH(t, app, []confCaseH{
		{"/items", nil, 422, `{"detail":[{"type":"missing","loc":["cookie","session"],"msg":"Field required","input":null}]}`},
		{"/items", []string{"Cookie", "session=abcd"}, 200, `{"session":"abcd","visits":0}`},
		{"/items", []string{"Cookie", "session=abcd; visits=3"}, 200, `{"session":"abcd","visits":3}`},
		{"/items", []string{"Cookie", "session=ab; visits=x"}, 422, `{"detail":[
			{"type":"string_too_short","loc":["cookie","session"],"msg":"String should have at least 4 characters","input":"ab","ctx":{"min_length":4}},
			{"type":"int_parsing","loc":["cookie","visits"],"msg":"` + confIntParsing + `","input":"x"}]}`},
	})
}

// confUUID is a UUID-like path type: any type implementing
// encoding.TextUnmarshaler is a scalar.
type confUUID [16]byte

func (u *confUUID) UnmarshalText(b []byte) error {
	s := strings.ReplaceAll(string(b), "-", "")
	if len(s) != 32 {
		return errors.New("invalid length")
	}
	_, err := hex.Decode(u[:], []byte(s))
	if err != nil {
		return errors.New("invalid character")
	}
	return nil
}

func (u confUUID) MarshalText() ([]byte, error) {
	h := hex.EncodeToString(u[:])
	return []byte(h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]), nil
}

// FastAPI tests/test_tutorial/test_extra_data_types/test_tutorial001.py:
// a UUID path parameter (a TextUnmarshaler), datetimes and a timedelta in
// the body (a JSON number is seconds, as in pydantic), the timedelta also
// as a query parameter.
func TestFastAPIExtraDataTypes(t *testing.T) {
	type Body struct {
		StartDatetime time.Time     `json:"start_datetime"`
		EndDatetime   time.Time     `json:"end_datetime"`
		RepeatAt      string        `json:"repeat_at"`
		ProcessAfter  time.Duration `json:"process_after"`
	}
	result := func(id confUUID, b Body, after time.Duration) map[string]any {
		start := b.StartDatetime.Add(after)
		return map[string]any{
			"item_id":        id,
			"start_datetime": b.StartDatetime.Format(time.RFC3339),
			"end_datetime":   b.EndDatetime.Format(time.RFC3339),
			"repeat_at":      b.RepeatAt,
			"process_after":  after.Seconds(),
			"start_process":  start.Format(time.RFC3339),
			"duration":       b.EndDatetime.Sub(start).Seconds(),
		}
	}
	app, _ := quietApp()
	app.Put("/items/{item_id}", func(itemID confUUID, b Body) map[string]any {
		return result(itemID, b, b.ProcessAfter)
	})
	app.Put("/query/{item_id}", func(in struct {
		ItemID       confUUID      `path:"item_id"`
		ProcessAfter time.Duration `query:"process_after"`
		Body         Body          `body:""`
	}) map[string]any {
		return result(in.ItemID, in.Body, in.ProcessAfter)
	})
	srv := serve(t, app)
	const id = "ff97dd87-a4a5-4a12-b412-cde99f33e00e"
	const want = `{"item_id":"` + id + `","start_datetime":"2018-12-22T14:00:00Z","end_datetime":"2018-12-24T15:00:00Z",
		"repeat_at":"15:30:00","process_after":300,"start_process":"2018-12-22T14:05:00Z","duration":176100}`
	body := func(pa string) string {
		return `{"start_datetime":"2018-12-22T14:00:00+00:00","end_datetime":"2018-12-24T15:00:00+00:00","repeat_at":"15:30:00","process_after":` + pa + `}`
	}
	// test_extra_types, and the timedelta's other spellings.
	for _, pa := range []string{`300`, `300.0`, `"300"`, `"PT5M"`, `"00:05:00"`, `"5m"`} {
		res := send(t, srv, request{Method: "PUT", Path: "/items/" + id, Body: body(pa)})
		assert.Equal(t, 200, res.Status, res.Body)
		assertJSON(t, want, res)
	}
	for _, pa := range []string{"300", "300s", "5m", "PT5M", "00:05:00"} {
		res := send(t, srv, request{Method: "PUT", Path: "/query/" + id + "?process_after=" + pa, Body: body("0")})
		assert.Equal(t, 200, res.Status, res.Body)
		assertJSON(t, want, res)
	}

	res := send(t, srv, request{Method: "PUT", Path: "/query/not-a-uuid?process_after=x", Body: body("0")})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"uuid_parsing","loc":["path","item_id"],"msg":"Input should be a valid UUID, invalid length","input":"not-a-uuid","ctx":{"error":"invalid length"}},
		{"type":"time_delta_parsing","loc":["query","process_after"],"msg":"Input should be a valid timedelta, invalid digit in duration","input":"x","ctx":{"error":"invalid digit in duration"}}]}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/" + id, Body: body(`"soon"`)})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"time_delta_parsing","loc":["body","process_after"],"msg":"Input should be a valid timedelta, invalid digit in duration","input":"soon","ctx":{"error":"invalid digit in duration"}}]}`, res)
	res = send(t, srv, request{Method: "PUT", Path: "/items/" + id, Body: body(`true`)})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"time_delta_type","loc":["body","process_after"],"msg":"Input should be a valid timedelta","input":true}]}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/" + id, Body: `{"start_datetime":"tomorrow","end_datetime":"2018-12-24T15:00:00+00:00","repeat_at":"x","process_after":1}`})
	assert.Equal(t, 422, res.Status)
	assert.Contains(t, res.Body, `"loc":["body","start_datetime"]`)
}

// The Item of FastAPI's docs_src/body_multiple_params.
type confMultiItem struct {
	Name        string   `json:"name"`
	Description *string  `json:"description"`
	Price       float64  `json:"price"`
	Tax         *float64 `json:"tax"`
}

type confMultiUser struct {
	Username string  `json:"username"`
	FullName *string `json:"full_name"`
}

// FastAPI tests/test_tutorial/test_body_multiple_params/test_tutorial001.py:
// a path parameter with ge/le, an optional query and an optional body in
// one request model.
func TestFastAPIBodyMultipleParamsTutorial001(t *testing.T) {
	app, _ := quietApp()
	app.Put("/items/{item_id}", func(in struct {
		ItemID int            `path:"item_id" validate:"gte=0,lte=1000"`
		Q      *string        `query:"q"`
		Item   *confMultiItem `body:""`
	}) map[string]any {
		res := map[string]any{"item_id": in.ItemID}
		if in.Q != nil {
			res["q"] = *in.Q
		}
		if in.Item != nil {
			res["item"] = in.Item
		}
		return res
	})
	srv := serve(t, app)
	put := func(path, body string) result {
		return send(t, srv, request{Method: "PUT", Path: path, Body: body, Headers: []string{"Content-Type", "application/json"}})
	}

	// test_post_body_q_bar_content
	res := put("/items/5?q=bar", `{"name":"Foo","price":50.5}`)
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":5,"item":{"name":"Foo","price":50.5,"description":null,"tax":null},"q":"bar"}`, res)

	// test_post_no_body_q_bar
	res = send(t, srv, request{Method: "PUT", Path: "/items/5?q=bar"})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":5,"q":"bar"}`, res)

	// test_post_no_body
	res = send(t, srv, request{Method: "PUT", Path: "/items/5"})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":5}`, res)

	// test_post_id_foo
	res = put("/items/foo", `{"name":"Foo","price":50.5}`)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"int_parsing","loc":["path","item_id"],"msg":"`+confIntParsing+`","input":"foo"}]}`, res)

	// An empty object: the body's required fields.
	res = put("/items/5", `{}`)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body","name"],"msg":"Field required","input":{}},
		{"type":"missing","loc":["body","price"],"msg":"Field required","input":{}}]}`, res)

	// Path, then body, every error listed.
	res = put("/items/1001", `{"name":"Foo"}`)
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"less_than_equal","loc":["path","item_id"],"msg":"Input should be less than or equal to 1000","input":"1001","ctx":{"le":1000}},
		{"type":"missing","loc":["body","price"],"msg":"Field required","input":{"name":"Foo"}}]}`, res)
}

// FastAPI tests/test_tutorial/test_body_multiple_params/test_tutorial003.py
// (and tutorial004 with q): item, user and importance embedded in one body
// — one Go struct with the three keys.
func TestFastAPIBodyMultipleParamsTutorial003(t *testing.T) {
	type Body struct {
		Item       confMultiItem `json:"item"`
		User       confMultiUser `json:"user"`
		Importance int           `json:"importance" validate:"gt=0"`
	}
	app, _ := quietApp()
	app.Put("/items/{item_id}", func(in struct {
		ItemID int     `path:"item_id"`
		Q      *string `query:"q"`
		Body   Body    `body:""`
	}) map[string]any {
		res := map[string]any{"item_id": in.ItemID, "item": in.Body.Item, "user": in.Body.User, "importance": in.Body.Importance}
		if in.Q != nil {
			res["q"] = *in.Q
		}
		return res
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"importance":2,"item":{"name":"Foo","price":50.5},"user":{"username":"Dave"}}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":5,"importance":2,"item":{"name":"Foo","price":50.5,"description":null,"tax":null},"user":{"username":"Dave","full_name":null}}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/5?q=x", Body: `{"importance":2,"item":{"name":"Foo","price":50.5},"user":{"username":"Dave"}}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":5,"q":"x","importance":2,"item":{"name":"Foo","price":50.5,"description":null,"tax":null},"user":{"username":"Dave","full_name":null}}`, res)

	// An empty object: each part missing, in declaration order.
	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body","item"],"msg":"Field required","input":{}},
		{"type":"missing","loc":["body","user"],"msg":"Field required","input":{}},
		{"type":"missing","loc":["body","importance"],"msg":"Field required","input":{}}]}`, res)

	// Nested errors, decode and rule errors in field order.
	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"importance":0,"item":{"price":"x"},"user":{}}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body","item","name"],"msg":"Field required","input":{"price":"x"}},
		{"type":"float_parsing","loc":["body","item","price"],"msg":"`+confFloatParsing+`","input":"x"},
		{"type":"missing","loc":["body","user","username"],"msg":"Field required","input":{}},
		{"type":"greater_than","loc":["body","importance"],"msg":"Input should be greater than 0","input":0,"ctx":{"gt":0}}]}`, res)
}

// The models of FastAPI's docs_src/body_nested_models (tutorial004–008).
type confImage struct {
	URL  string `json:"url" validate:"url"`
	Name string `json:"name"`
}

type confNestedItem struct {
	Name        string      `json:"name"`
	Description *string     `json:"description"`
	Price       float64     `json:"price"`
	Tax         *float64    `json:"tax"`
	Tags        []string    `json:"tags" validate:"unique"`
	Images      []confImage `json:"images" validate:"dive"`
}

type confOffer struct {
	Name  string           `json:"name"`
	Price float64          `json:"price"`
	Items []confNestedItem `json:"items" validate:"dive"`
}

// FastAPI tests/test_tutorial/test_body_nested_models (tutorial001–008):
// nested models, lists of models, 422 locs with list indexes.
func TestFastAPIBodyNestedModels(t *testing.T) {
	app, _ := quietApp()
	app.Put("/items/{item_id}", func(itemID int, item confNestedItem) map[string]any {
		return map[string]any{"item_id": itemID, "item": item}
	})
	app.Post("/offers/", func(o confOffer) confOffer { return o })
	app.Post("/images/multiple/", func(images []confImage) []confImage { return images })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"name":"Foo","price":35.4,"tags":["a","b"],
		"images":[{"url":"http://example.com/baz.jpg","name":"The Foo live"},{"url":"http://example.com/dave.jpg","name":"The Baz"}]}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":5,"item":{"name":"Foo","description":null,"price":35.4,"tax":null,"tags":["a","b"],
		"images":[{"url":"http://example.com/baz.jpg","name":"The Foo live"},{"url":"http://example.com/dave.jpg","name":"The Baz"}]}}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"name":"Foo","price":35.4}`})
	assert.Equal(t, 200, res.Status, res.Body)
	// FastAPI: "images":null; Brisk writes a nil slice as [].
	assertJSON(t, `{"item_id":5,"item":{"name":"Foo","description":null,"price":35.4,"tax":null,"tags":[],"images":[]}}`, res)

	// A missing nested field, at its index.
	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"name":"Foo","price":1,"images":[{"url":"http://a.b/c","name":"ok"},{"url":"http://a.b/d"}]}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","images",1,"name"],"msg":"Field required","input":{"url":"http://a.b/d"}}]}`, res)

	// A nested rule failure, at its index.
	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"name":"Foo","price":1,"images":[{"url":"http://a.b/c","name":"ok"},{"url":"not a url","name":"x"}]}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"url_parsing","loc":["body","images",1,"url"],"msg":"Input should be a valid URL, relative URL without a base","input":"not a url","ctx":{"error":"relative URL without a base"}}]}`, res)

	// A wrong type inside a list.
	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"name":"Foo","price":1,"tags":["a",3]}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"string_type","loc":["body","tags",1],"msg":"Input should be a valid string","input":3}]}`, res)

	// tutorial007: deeply nested.
	offer := `{"name":"o","price":1,"items":[{"name":"i","price":2,"images":[{"url":"http://x.y/z","name":"im"}]}]}`
	res = send(t, srv, request{Method: "POST", Path: "/offers/", Body: offer})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"name":"o","price":1,"items":[{"name":"i","description":null,"price":2,"tax":null,"tags":[],"images":[{"url":"http://x.y/z","name":"im"}]}]}`, res)
	res = send(t, srv, request{Method: "POST", Path: "/offers/", Body: `{"name":"o","price":1,"items":[{"name":"i","price":2},{"price":"p","images":[{"name":"im"}]}]}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[
		{"type":"missing","loc":["body","items",1,"name"],"msg":"Field required","input":{"price":"p","images":[{"name":"im"}]}},
		{"type":"float_parsing","loc":["body","items",1,"price"],"msg":"`+confFloatParsing+`","input":"p"},
		{"type":"missing","loc":["body","items",1,"images",0,"url"],"msg":"Field required","input":{"name":"im"}}]}`, res)

	// tutorial008: a list body.
	res = send(t, srv, request{Method: "POST", Path: "/images/multiple/", Body: `[{"url":"http://example.com/baz.jpg","name":"The Foo live"},{"url":"http://example.com/dave.jpg","name":"The Baz"}]`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `[{"url":"http://example.com/baz.jpg","name":"The Foo live"},{"url":"http://example.com/dave.jpg","name":"The Baz"}]`, res)
	res = send(t, srv, request{Method: "POST", Path: "/images/multiple/", Body: `{"url":"http://example.com/baz.jpg"}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"list_type","loc":["body"],"msg":"Input should be a valid list","input":{"url":"http://example.com/baz.jpg"}}]}`, res)
}

// FastAPI tests/test_tutorial/test_body_nested_models/test_tutorial009.py:
// dict[int, float] — keys are converted, a bad key is reported at
// [..., key, "[key]"].
func TestFastAPIBodyNestedModelsTutorial009(t *testing.T) {
	app, _ := quietApp()
	app.Post("/index-weights/", func(weights map[int]float64) map[int]float64 { return weights })
	srv := serve(t, app)

	res := send(t, srv, request{Method: "POST", Path: "/index-weights/", Body: `{"2": 2.2, "3": 3.3}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"2":2.2,"3":3.3}`, res)

	res = send(t, srv, request{Method: "POST", Path: "/index-weights/", Body: `{"foo": 2.2, "3": 3.3}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"int_parsing","loc":["body","foo","[key]"],"msg":"`+confIntParsing+`","input":"foo"}]}`, res)
}

// FastAPI tests/test_tutorial/test_body_fields/test_tutorial001.py: Field
// constraints (max_length, gt) on an embedded body (Body(embed=True)).
func TestFastAPIBodyFields(t *testing.T) {
	type Item struct {
		Name        string   `json:"name"`
		Description *string  `json:"description" validate:"omitempty,max=300"`
		Price       float64  `json:"price" validate:"gt=0"`
		Tax         *float64 `json:"tax"`
	}
	app, _ := quietApp()
	app.Put("/items/{item_id}", func(in struct {
		ItemID int `path:"item_id"`
		Body   struct {
			Item Item `json:"item"`
		} `body:""`
	}) map[string]any {
		return map[string]any{"item_id": in.ItemID, "item": in.Body.Item}
	})
	srv := serve(t, app)

	res := send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"item":{"name":"Foo","price":3.0}}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":5,"item":{"name":"Foo","price":3.0,"description":null,"tax":null}}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/6", Body: `{"item":{"name":"Bar","price":0.2,"description":"Some bar","tax":"5.4"}}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"item_id":6,"item":{"name":"Bar","price":0.2,"description":"Some bar","tax":5.4}}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"item":{"name":"Foo","price":-3.0}}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"greater_than","loc":["body","item","price"],"msg":"Input should be greater than 0","input":-3.0,"ctx":{"gt":0}}]}`, res)

	long := strings.Repeat("x", 301)
	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{"item":{"name":"Foo","price":1,"description":"` + long + `"}}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"string_too_long","loc":["body","item","description"],"msg":"String should have at most 300 characters","input":"`+long+`","ctx":{"max_length":300}}]}`, res)

	res = send(t, srv, request{Method: "PUT", Path: "/items/5", Body: `{}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"missing","loc":["body","item"],"msg":"Field required","input":{}}]}`, res)
}

// A pointer field with rules but no omitempty: nil is None in pydantic,
// which Field constraints do not check.
func TestFastAPIBodyFieldsOptionalWithRules(t *testing.T) {
	type Item struct {
		Name        string  `json:"name"`
		Description *string `json:"description" validate:"max=5"`
	}
	app, _ := quietApp()
	app.Post("/items/", func(it Item) Item { return it })
	app.Get("/q", func(in struct {
		Q *string `query:"q" validate:"min=3"`
	}) map[string]any {
		return map[string]any{"q": in.Q}
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "POST", Path: "/items/", Body: `{"name":"Foo"}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"name":"Foo","description":null}`, res)
	res = send(t, srv, request{Method: "POST", Path: "/items/", Body: `{"name":"Foo","description":"toolong"}`})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, `{"detail":[{"type":"string_too_long","loc":["body","description"],"msg":"String should have at most 5 characters","input":"toolong","ctx":{"max_length":5}}]}`, res)
	res = send(t, srv, request{Path: "/q"})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"q":null}`, res)
	res = send(t, srv, request{Path: "/q?q=ab"})
	assert.Equal(t, 422, res.Status)
	assertJSON(t, confQueryErr("string_too_short", "q", "String should have at least 3 characters", `"ab"`, `{"min_length":3}`), res)
}

// FastAPI tests/test_tutorial/test_response_change_status_code/test_tutorial001.py:
// the handler sets the status of its response (Response.status_code = 201
// there, SetStatusCode here).
func TestFastAPIResponseChangeStatusCode(t *testing.T) {
	tasks := map[string]string{"foo": "Listen to the Bar Fighters"}
	app, _ := quietApp()
	app.Put("/get-or-create-task/{task_id}", func(taskID string) *brisk.Response {
		resp := brisk.JSON(200, tasks[taskID])
		if _, ok := tasks[taskID]; !ok {
			resp = brisk.JSON(200, "This didn't exist before")
			resp.SetStatusCode(201)
		}
		return resp
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "PUT", Path: "/get-or-create-task/foo"})
	assert.Equal(t, 200, res.Status)
	assertJSON(t, `"Listen to the Bar Fighters"`, res)
	res = send(t, srv, request{Method: "PUT", Path: "/get-or-create-task/bar"})
	assert.Equal(t, 201, res.Status)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assertJSON(t, `"This didn't exist before"`, res)
}

// FastAPI tests/test_tutorial/test_additional_status_codes/test_tutorial001.py:
// a handler returning JSONResponse(status_code=201, ...) for a new item.
func TestFastAPIAdditionalStatusCodes(t *testing.T) {
	type Body struct {
		Name *string `json:"name"`
		Size *int    `json:"size"`
	}
	items := map[string]map[string]any{
		"foo": {"name": "Fighters", "size": 6},
		"bar": {"name": "Tenders", "size": 3},
	}
	app, _ := quietApp()
	app.Put("/items/{item_id}", func(in struct {
		ItemID string `path:"item_id"`
		Body   Body   `body:""`
	}) any {
		if item, ok := items[in.ItemID]; ok {
			item["name"], item["size"] = in.Body.Name, in.Body.Size
			return item
		}
		return brisk.JSON(201, map[string]any{"name": in.Body.Name, "size": in.Body.Size})
	})
	srv := serve(t, app)
	res := send(t, srv, request{Method: "PUT", Path: "/items/foo", Body: `{"name":"Wrestlers","size":3}`})
	assert.Equal(t, 200, res.Status, res.Body)
	assertJSON(t, `{"name":"Wrestlers","size":3}`, res)
	res = send(t, srv, request{Method: "PUT", Path: "/items/red", Body: `{"name":"Chillies"}`})
	assert.Equal(t, 201, res.Status, res.Body)
	assertJSON(t, `{"name":"Chillies","size":null}`, res)
}

// FastAPI tests/test_tutorial/test_custom_response (tutorial001/002/003/
// 005/006/009c) and tests/test_custom_route_class style responses: the
// response constructors.
func TestFastAPICustomResponse(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func() *brisk.Response { return brisk.JSON(200, []map[string]string{{"item_id": "Foo"}}) })
	app.Get("/html/", func() *brisk.Response {
		return brisk.HTML(200, "<html><body><h1>Look ma! HTML!</h1></body></html>")
	})
	app.Get("/text/", func() *brisk.Response { return brisk.Text(200, "Hello World") })
	app.Get("/teapot", func() *brisk.Response {
		r := brisk.Text(418, "I'm a teapot")
		r.Header().Set("X-Teapot", "yes")
		return r
	})
	app.Get("/typer", func() *brisk.Response { return brisk.Redirect(307, "https://typer.tiangolo.com") })
	app.Get("/blob", func() *brisk.Response { return brisk.Blob(200, "application/octet-stream", []byte{0, 1, 2}) })
	app.Get("/unescaped", func() *brisk.Response { return brisk.JSON(200, map[string]string{"html": "<b>&</b>"}) })
	srv := serve(t, app)

	res := send(t, srv, request{Path: "/items/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
	assertJSON(t, `[{"item_id":"Foo"}]`, res)

	res = send(t, srv, request{Path: "/html/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "<html><body><h1>Look ma! HTML!</h1></body></html>", res.Body)

	res = send(t, srv, request{Path: "/text/"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Equal(t, "Hello World", res.Body)

	res = send(t, srv, request{Path: "/teapot"})
	assert.Equal(t, 418, res.Status)
	assert.Equal(t, "yes", res.Header.Get("X-Teapot"))
	assert.Equal(t, "I'm a teapot", res.Body)

	res = send(t, srv, request{Path: "/typer"})
	assert.Equal(t, 307, res.Status)
	assert.Equal(t, "https://typer.tiangolo.com", res.Header.Get("Location"))

	res = send(t, srv, request{Path: "/blob"})
	assert.Equal(t, 200, res.Status)
	assert.Equal(t, "application/octet-stream", res.Header.Get("Content-Type"))
	assert.Equal(t, "\x00\x01\x02", res.Body)

	res = send(t, srv, request{Path: "/unescaped"})
	assert.Equal(t, `{"html":"<b>&</b>"}`, strings.TrimSpace(res.Body))
}

// A validate rule validator does not know is a registration error, not a
// 500 on the first request; so is a pattern that does not compile.
func TestFastAPIParamsBadRuleFailsAtRegistration(t *testing.T) {
	app, _ := quietApp()
	assertPanicContains := func(fn func(), want string) {
		t.Helper()
		defer func() {
			p := recover()
			if assert.NotNil(t, p, "no panic") {
				assert.Contains(t, p, want)
			}
		}()
		fn()
	}
	assertPanicContains(func() {
		app.Get("/a", func(in struct {
			Q string `query:"q" validate:"minlen=3"`
		}) string {
			return in.Q
		})
	}, "minlen")
	assertPanicContains(func() {
		app.Get("/b", func(in struct {
			Q string `query:"q" validate:"pattern=^(a$"`
		}) string {
			return in.Q
		})
	}, "pattern")
	assertPanicContains(func() {
		app.Post("/c", func(body struct {
			Name string `json:"name" validate:"mni=3"`
		}) string {
			return body.Name
		})
	}, "mni")
}

// FastAPI test_query_params_str_validations/test_tutorial004.py::test_openapi_schema:
// the pattern and the length bounds are in the parameter's schema.
func TestFastAPIQueryParamsStrValidationsTutorial004OpenAPI(t *testing.T) {
	app, _ := quietApp()
	app.Get("/items/", func(in struct {
		Q *string `query:"q" validate:"omitempty,min=3,max=50,pattern=^fixedquery$"`
	}) map[string]any {
		return confItems(in.Q)
	})
	srv := serve(t, app)
	res := send(t, srv, request{Path: "/openapi.json"})
	assert.Equal(t, 200, res.Status)
	doc := res.JSON(t).(map[string]any)
	params := doc["paths"].(map[string]any)["/items/"].(map[string]any)["get"].(map[string]any)["parameters"].([]any)
	assert.Len(t, params, 1)
	p := params[0].(map[string]any)
	assert.Equal(t, "q", p["name"])
	assert.Equal(t, "query", p["in"])
	assert.Equal(t, false, p["required"])
	schema, _ := json.Marshal(p["schema"])
	assert.Contains(t, string(schema), `"pattern":"^fixedquery$"`)
	assert.Contains(t, string(schema), `"minLength":3`)
	assert.Contains(t, string(schema), `"maxLength":50`)
}
