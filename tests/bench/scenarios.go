// Package bench is Brisk's side-by-side benchmark: the same scenarios written
// in Brisk, hand-written chi, net/http's ServeMux, Gin, Echo, Huma (on chi)
// and Fuego, each as its users would write it, each served as an
// http.Handler.
//
// It is a module of its own so that the peers never enter Brisk's go.mod.
// parity_test.go checks that every implementation answers alike,
// bench_test.go measures them in-process, cmd/loadgen over loopback; run.sh
// runs it all (see docs/performance.md).
package bench

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
)

// Routes: the handler an implementation builds for a scenario. S2 and S2b
// share one.
const (
	RouteNotify     = "notify"      // POST /send-notification/{email}?q=
	RouteNotifyTask = "notify-task" // the same, plus one background task
	RouteItems      = "items"       // POST /items, validated JSON body
	RoutePing       = "ping"        // GET /ping through five header layers
	RouteBig        = "big"         // GET /big, ~16 KiB JSON, gzip
)

// Scenario is one request and the answer every implementation must give.
type Scenario struct {
	Name   string
	Route  string
	Method string
	Target string
	Body   string
	Gzip   bool // sends Accept-Encoding: gzip and expects a gzipped body

	// Status and Want are the expected answer; for S2b, where every
	// framework answers its own validation error, Status is 0 and
	// InvalidStatus says what each one sends.
	Status int
	Want   string
}

// Scenarios are the issue's, in order.
var Scenarios = []Scenario{
	{Name: "S1", Route: RouteNotify, Method: "POST", Target: "/send-notification/foo@example.com?q=foo",
		Status: 200, Want: `{"message":"Message sent"}`},
	{Name: "S1b", Route: RouteNotifyTask, Method: "POST", Target: "/send-notification/foo@example.com?q=foo",
		Status: 200, Want: `{"message":"Message sent"}`},
	{Name: "S2", Route: RouteItems, Method: "POST", Target: "/items", Body: ItemBody,
		Status: 201, Want: ItemBody},
	{Name: "S2b", Route: RouteItems, Method: "POST", Target: "/items", Body: InvalidItemBody},
	{Name: "S3", Route: RoutePing, Method: "GET", Target: "/ping",
		Status: 200, Want: `{"message":"pong"}`},
	{Name: "S4", Route: RouteBig, Method: "GET", Target: "/big", Gzip: true,
		Status: 200, Want: BigJSON},
}

// ScenarioByName returns the named scenario.
func ScenarioByName(name string) (Scenario, bool) {
	for _, s := range Scenarios {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return Scenario{}, false
}

// The bodies of S2 and S2b.
const (
	ItemBody        = `{"name":"widget","price":9.5,"tags":["a","b"]}`
	InvalidItemBody = `{"name":"widget","price":-1,"tags":["a","b"]}`
)

// InvalidStatus is the status each framework answers S2b with, by its own
// validation (documented in docs/performance.md).
var InvalidStatus = map[string]int{
	"chi":     422, // hand-written: validator/v10, a FastAPI-like {"detail":[…]}
	"nethttp": 422, // the same code on ServeMux
	"gin":     400, // ShouldBindJSON's error, {"error": "..."}
	"echo":    400, // c.Validate's error as echo.HTTPError, {"message": "..."}
	"huma":    422, // RFC 9457 problem+json with the failing location
	"fuego":   400, // RFC 9457 problem+json from validator/v10
	"brisk":   422, // FastAPI's {"detail":[{"type","loc","msg","input","ctx"}]}
}

// Message is the notification routes' answer.
type Message struct {
	Message string `json:"message"`
}

// Notification is one background job of S1b, as the peers hand it to their
// worker goroutine.
type Notification struct {
	Email, Message string
}

// tasksRun counts background notifications done, by every implementation.
var tasksRun atomic.Int64

// TasksRun reports how many S1b background tasks have run.
func TasksRun() int64 { return tasksRun.Load() }

// RecordNotification is S1b's background work, the same for all: count it.
func RecordNotification(email, message string) {
	if email != "" && message != "" {
		tasksRun.Add(1)
	}
}

// Notifier is the peers' background worker: handlers send a Notification on
// C (no allocation), one goroutine drains it.
type Notifier struct {
	C chan Notification
}

// NewNotifier starts a worker goroutine. It lives as long as the process;
// handlers are built once per process (see Handler), so there are few.
func NewNotifier() *Notifier {
	n := &Notifier{C: make(chan Notification, 1024)}
	go func() {
		for job := range n.C {
			RecordNotification(job.Email, job.Message)
		}
	}()
	return n
}

// LayerHeaders are the headers S3's five layers set, one each, to "1".
var LayerHeaders = [5]string{"X-Layer-1", "X-Layer-2", "X-Layer-3", "X-Layer-4", "X-Layer-5"}

// Layer is S3's net/http middleware number i (0-4): set a header, call next.
func Layer(i int) func(http.Handler) http.Handler {
	key := LayerHeaders[i]
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(key, "1")
			next.ServeHTTP(w, r)
		})
	}
}

// Impl is one implementation: a constructor per route, nil where it does not
// take part (the Brisk variants run only the scenarios they vary).
type Impl struct {
	Name string
	New  func(route string) http.Handler
}

// Impls lists the implementations, the baseline (chi) first.
var Impls = []Impl{
	{"chi", newChi},
	{"nethttp", newNetHTTP},
	{"gin", newGin},
	{"echo", newEcho},
	{"huma", newHuma},
	{"fuego", newFuego},
	{"brisk", newBrisk},
	{"brisk-next", newBriskCallNext}, // S3 with call-next Middleware layers
	{"brisk-add", newBriskTypedAdd},  // S1b with the typed Tasks.Add
}

// ImplByName returns the named implementation.
func ImplByName(name string) (Impl, bool) {
	for _, im := range Impls {
		if im.Name == name {
			return im, true
		}
	}
	return Impl{}, false
}

var (
	handlersMu sync.Mutex
	handlers   = map[string]http.Handler{}
)

// Handler returns implementation impl's handler for route, built once per
// process, or nil when impl does not take part in route.
func Handler(impl, route string) http.Handler {
	handlersMu.Lock()
	defer handlersMu.Unlock()
	key := impl + " " + route
	if h, ok := handlers[key]; ok {
		return h
	}
	im, ok := ImplByName(impl)
	if !ok {
		panic(fmt.Sprintf("bench: no implementation %q", impl))
	}
	h := im.New(route)
	handlers[key] = h
	return h
}

// BaseImpl is the name of a variant's framework: "brisk" for "brisk-next".
func BaseImpl(name string) string {
	base, _, _ := strings.Cut(name, "-")
	return base
}
