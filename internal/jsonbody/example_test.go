package jsonbody_test

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/briskgo/brisk/internal/jsonbody"
)

func ExampleDecoder_Decode() {
	type Item struct {
		Name  string   `json:"name"`
		Price float64  `json:"price"`
		Tax   *float64 `json:"tax"`
		Count int      `json:"count" default:"1"`
	}
	d, err := jsonbody.Compile(reflect.TypeFor[Item]())
	if err != nil {
		panic(err)
	}

	var item Item
	fmt.Println(d.Decode([]byte(`{"name": "Foo", "price": 50.5}`), &item), item.Count)

	for _, body := range []string{`{"price": "twenty"}`, `{"name": "Foo", "price": 50.5`} {
		out, _ := json.Marshal(d.Decode([]byte(body), new(Item)))
		fmt.Println(string(out))
	}
	// Output:
	// [] 1
	// [{"type":"missing","loc":["body","name"],"msg":"Field required","input":{"price":"twenty"}},{"type":"float_parsing","loc":["body","price"],"msg":"Input should be a valid number, unable to parse string as a number","input":"twenty"}]
	// [{"type":"json_invalid","loc":["body",29],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting ',' delimiter"}}]
}
