// The Server-Sent Events check's app: a typed event stream that ends after
// two events, so that the browser's EventSource reconnects and resumes with
// Last-Event-ID.

package main

import (
	"iter"
	"strconv"
	"sync"
	"time"

	"github.com/briskgo/brisk"
)

// tick is the data of a "tick" event.
type tick struct {
	N int `json:"n"`
}

func init() {
	register("sse", func() *brisk.App {
		var mu sync.Mutex
		seen := []string{} // the Last-Event-ID of each connection, "" for none
		app := brisk.New(brisk.Config{Title: "SSE check"})
		app.Get("/", func() *brisk.Response { return brisk.HTML(200, ssePage) })
		app.Get("/events", func(in struct {
			LastEventID *string `header:"Last-Event-ID"`
		}) iter.Seq[brisk.ServerSentEvent] {
			last := 0
			mu.Lock()
			if in.LastEventID != nil {
				seen = append(seen, *in.LastEventID)
				last, _ = strconv.Atoi(*in.LastEventID)
			} else {
				seen = append(seen, "")
			}
			mu.Unlock()
			return func(yield func(brisk.ServerSentEvent) bool) {
				if last == 0 {
					// Two events, then the stream ends: the browser
					// reconnects after Retry, sending the last id.
					for n := 1; n <= 2; n++ {
						ev := brisk.ServerSentEvent{Event: "tick", ID: strconv.Itoa(n), Data: tick{N: n}}
						if n == 1 {
							ev.Retry = 50 * time.Millisecond
						}
						if !yield(ev) {
							return
						}
					}
					return
				}
				if yield(brisk.ServerSentEvent{Event: "tick", ID: strconv.Itoa(last + 1), Data: tick{N: last + 1}}) {
					yield(brisk.ServerSentEvent{Event: "done", Data: "bye"})
				}
			}
		}, brisk.EventStream())
		app.Get("/seen", func() []string {
			mu.Lock()
			defer mu.Unlock()
			return append([]string(nil), seen...)
		})
		return app
	})
}

const ssePage = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>SSE check</title></head>
<body><ul id="log"></ul>
<script>
window.received = [];
window.opens = 0;
const source = new EventSource("/events");
source.onopen = () => { window.opens++; };
const log = (e) => {
  window.received.push({type: e.type, data: JSON.parse(e.data), id: e.lastEventId});
  const li = document.createElement("li");
  li.textContent = e.type + " " + e.data;
  document.getElementById("log").appendChild(li);
};
source.addEventListener("tick", log);
source.addEventListener("done", (e) => { log(e); source.close(); window.finished = true; });
</script></body></html>
`
