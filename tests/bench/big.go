// S4's payload: about 16 KiB of JSON items, built once and shared by every
// implementation.

package bench

import (
	"encoding/json"
	"fmt"
)

// BigItem is one element of S4's ~16 KiB response.
type BigItem struct {
	ID          int      `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Price       float64  `json:"price"`
	InStock     bool     `json:"in_stock"`
	Tags        []string `json:"tags"`
}

// BigPayload is S4's response value; every implementation encodes it per
// request, as a handler returning data would.
var BigPayload = makeBig(100)

// BigJSON is BigPayload as JSON: S4's expected (decompressed) body.
var BigJSON = mustJSON(BigPayload)

func makeBig(n int) []BigItem {
	items := make([]BigItem, n)
	for i := range items {
		items[i] = BigItem{
			ID:          i + 1,
			Name:        fmt.Sprintf("item %03d", i+1),
			Description: fmt.Sprintf("A moderately long description of item number %d, for compression.", i+1),
			Price:       float64(i%50) + 0.99,
			InStock:     i%3 != 0,
			Tags:        []string{"tag-a", fmt.Sprintf("group-%d", i%7)},
		}
	}
	return items
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
