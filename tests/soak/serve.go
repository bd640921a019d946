// The soak server: a Brisk app with a provider, body and query validation
// and background tasks (one route blocks its task), counting what it served
// for /debug/stats and on exit.

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/briskgo/brisk"
)

// The server's counters, reported by /debug/stats and on exit.
var (
	handled   atomic.Int64
	queued    atomic.Int64
	ran       atomic.Int64
	providers atomic.Int64
	cleanups  atomic.Int64
)

// Store is what the provider gives handlers; its cleanup is counted.
type Store struct{ opened time.Time }

func provideStore() (*Store, func(), error) {
	providers.Add(1)
	return &Store{opened: time.Now()}, func() { cleanups.Add(1) }, nil
}

// Order is the JSON body of POST /orders.
type Order struct {
	Customer string `json:"customer" validate:"required"`
	Lines    []Line `json:"lines" validate:"required,min=1,dive"`
}

type Line struct {
	SKU string `json:"sku" validate:"required"`
	Qty int    `json:"qty" validate:"gte=1,lte=100"`
}

type Receipt struct {
	Customer string `json:"customer"`
	Units    int    `json:"units"`
}

type ItemQuery struct {
	Verbose bool          `query:"verbose" default:"false"`
	Delay   time.Duration `query:"delay" default:"0s" validate:"lte=1000000000"`
}

type Item struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// serve runs the app with Run until SIGTERM, then prints its final stats
// on stdout; the exit code is 1 when Run returned an error.
func serve(cfg config) int {
	time.AfterFunc(cfg.maxLifetime, func() {
		fmt.Fprintln(os.Stderr, "soak server: max lifetime reached, exiting")
		os.Exit(3)
	})
	f, err := os.OpenFile(cfg.tasksFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer f.Close()
	logger := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	app := brisk.New(brisk.Config{Logger: logger, ShutdownTimeout: cfg.shutdownTimeout})

	// queue adds the request's task: it works for taskDelay, then appends
	// one line to the tasks file (a single O_APPEND write: lines never mix).
	queue := func(bg *brisk.BackgroundTasks, line string) {
		handled.Add(1)
		queued.Add(1)
		bg.Add(func(context.Context) error {
			if cfg.taskDelay > 0 {
				time.Sleep(cfg.taskDelay) // the task's work
			}
			_, err := f.Write([]byte(line + "\n"))
			ran.Add(1)
			return err
		})
	}
	app.Provide(provideStore)
	app.Post("/orders", func(o Order, s *Store, bg *brisk.BackgroundTasks) Receipt {
		units := 0
		for _, l := range o.Lines {
			units += l.Qty
		}
		queue(bg, "order "+o.Customer)
		return Receipt{Customer: o.Customer, Units: units}
	})
	app.Get("/items/{id}", func(id int, q ItemQuery, s *Store, bg *brisk.BackgroundTasks) Item {
		if q.Delay > 0 {
			time.Sleep(q.Delay) // the request's work: keeps it in flight
		}
		queue(bg, "item "+strconv.Itoa(id))
		it := Item{ID: id, Name: "item " + strconv.Itoa(id)}
		if q.Verbose {
			it.Description = strings.Repeat("lorem ipsum ", 20)
		}
		return it
	})
	app.Post("/block", func(bg *brisk.BackgroundTasks) string {
		bg.Add(func(context.Context) error {
			ran.Add(1)
			time.Sleep(time.Minute) // outlives any shutdown deadline, ignoring ctx
			return nil
		})
		return "blocked"
	})
	app.Get("/debug/stats", func(r *http.Request) Stats {
		if r.URL.Query().Get("gc") == "1" {
			runtime.GC()
		}
		return current()
	})

	err = app.Run()
	b, _ := json.Marshal(current())
	fmt.Printf("final %s\n", b)
	if err != nil {
		logger.Error("run returned", slog.Any("error", err))
		return 1
	}
	return 0
}

func current() Stats {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return Stats{
		Goroutines: runtime.NumGoroutine(),
		HeapInuse:  ms.HeapInuse,
		HeapAlloc:  ms.HeapAlloc,
		Sys:        ms.Sys,
		RSS:        rss(),
		NumGC:      ms.NumGC,
		Handled:    handled.Load(),
		Queued:     queued.Load(),
		Run:        ran.Load(),
		Cleanups:   cleanups.Load(),
		Providers:  providers.Load(),
	}
}

// rss is the resident set size from /proc (0 where there is none).
func rss() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
