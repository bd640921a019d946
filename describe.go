// Describe, the resolved middleware stack as text.

package brisk

import (
	"fmt"
	"io"

	"github.com/briskgo/brisk/internal/funcname"
)

// Describe writes the resolved middleware stack, in the order a request
// meets it, and the routes with their own stacks.
func (a *App) Describe(w io.Writer) {
	fmt.Fprintln(w, "request")
	for i := len(a.root.layers) - 1; i >= 0; i-- {
		fmt.Fprintf(w, "  -> %s\n", a.root.layers[i].describe())
	}
	fmt.Fprintln(w, "  -> router")
	for _, rt := range a.all {
		fmt.Fprintf(w, "       %s %s", rt.method, rt.pattern)
		// A request meets the outermost group's layers first.
		var routers []*Router
		for r := rt.router; r != nil && r != a.root; r = r.parent {
			routers = append(routers, r)
		}
		for j := len(routers) - 1; j >= 0; j-- {
			for i := len(routers[j].layers) - 1; i >= 0; i-- {
				fmt.Fprintf(w, " -> %s", routers[j].layers[i].describe())
			}
		}
		fmt.Fprintf(w, " -> %s\n", funcname.Of(rt.handler))
	}
}

func (l layer) describe() string {
	kind := "Use"
	if l.callNext != nil {
		kind = "Middleware"
	}
	return kind + " " + l.name
}
