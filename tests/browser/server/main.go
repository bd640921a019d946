// Command server serves the browser checks' apps, each on its own free
// port of 127.0.0.1, and prints where as one JSON line on stdout:
//
//	{"docs-cdn":"http://127.0.0.1:40123","docs-local":"http://127.0.0.1:40125"}
//
// It stops, shutting every app down, when stdin closes or on SIGINT or
// SIGTERM. run.mjs builds and starts it; the apps are registered by the
// apps_*.go files beside it.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/briskgo/brisk"
)

// apps are the checks' apps by name; see register.
var apps = map[string]func() *brisk.App{}

// register adds an app under name, for an apps_*.go file's init. A check
// reaches it with t.url(name, path).
func register(name string, app func() *brisk.App) {
	if _, dup := apps[name]; dup {
		panic("browser server: two apps named " + name)
	}
	apps[name] = app
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("browser server: ")
	urls := map[string]string{}
	var servers []*http.Server
	names := make([]string, 0, len(apps))
	for name := range apps {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		app := apps[name]()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			log.Fatal(err)
		}
		srv := &http.Server{Handler: app, ReadHeaderTimeout: 10 * time.Second}
		app.ConfigureServer(srv)
		servers = append(servers, srv)
		urls[name] = "http://" + ln.Addr().String()
		go func() {
			if err := srv.Serve(ln); err != http.ErrServerClosed {
				log.Fatal(err)
			}
		}()
	}
	b, err := json.Marshal(urls)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop <- syscall.SIGTERM
	}()
	<-stop
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(ctx); err != nil {
			log.Print(err)
		}
	}
}
