package tests

// Background tasks under load: many concurrent requests with a task each
// (every task runs exactly once), and an app's first requests arriving
// together.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
)

// TestBackgroundManyRequests: 2,000 requests from 32 concurrent clients,
// one task each, buffered and streamed responses mixed: after Shutdown every
// task ran exactly once, with the default bound and with a tight one that
// keeps most lists queued.
func TestBackgroundManyRequests(t *testing.T) {
	for _, limit := range []int{0, 3} {
		t.Run(fmt.Sprintf("MaxConcurrentTasks=%d", limit), func(t *testing.T) {
			const requests, clients = 2000, 32
			app, logs := quietApp(brisk.Config{MaxConcurrentTasks: limit})
			var runs [requests]atomic.Int32
			var running, peak atomic.Int32
			task := func(id int) {
				n := running.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				runs[id].Add(1)
				running.Add(-1)
			}
			app.Post("/jobs/{id}", func(id int, bg *brisk.BackgroundTasks) Message {
				bg.AddTask(task, id)
				return Message{Message: "queued " + strconv.Itoa(id)}
			})
			app.Post("/streamed/{id}", func(w http.ResponseWriter, r *http.Request, bg *brisk.BackgroundTasks) {
				id, err := strconv.Atoi(r.PathValue("id"))
				if err != nil {
					http.Error(w, err.Error(), 400)
					return
				}
				bg.Add(func(context.Context) error { task(id); return nil })
				_, _ = io.WriteString(w, "queued "+strconv.Itoa(id))
				_ = http.NewResponseController(w).Flush()
			})
			srv := serve(t, app)
			tr := srv.Client().Transport.(*http.Transport).Clone()
			tr.MaxIdleConnsPerHost = clients
			client := &http.Client{Transport: tr, Timeout: bgGuard}

			ids := make(chan int)
			errs := make(chan error, clients)
			var wg sync.WaitGroup
			for range clients {
				wg.Go(func() {
					for id := range ids {
						route := "/jobs/"
						if id%2 == 1 {
							route = "/streamed/"
						}
						resp, err := client.Post(srv.URL+route+strconv.Itoa(id), "", nil)
						if err != nil {
							errs <- err
							return
						}
						body, err := io.ReadAll(resp.Body)
						resp.Body.Close()
						if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), "queued "+strconv.Itoa(id)) {
							errs <- fmt.Errorf("request %d: %d %q %v", id, resp.StatusCode, body, err)
							return
						}
					}
				})
			}
			for id := range requests {
				ids <- id
			}
			close(ids)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			bgShutdown(t, app)

			for id := range runs {
				if n := runs[id].Load(); n != 1 {
					t.Errorf("task %d ran %d times", id, n)
				}
			}
			if limit > 0 {
				assert.LessOrEqual(t, peak.Load(), int32(limit), "never more lists at once than the bound")
			}
			assert.NotContains(t, logs.String(), `"level":"ERROR"`)
		})
	}
}

// TestBackgroundConcurrentFirstRequests: the first requests of an app,
// arriving together (as a burst of clients with a task each does), all see
// the app fully built. Under the race detector this caught the stack being
// built after the app was marked as serving.
func TestBackgroundConcurrentFirstRequests(t *testing.T) {
	for range 20 {
		app, _ := quietApp()
		var ran atomic.Int32
		app.Use(func(next http.Handler) http.Handler { return next })
		app.Post("/jobs", func(bg *brisk.BackgroundTasks) string {
			bg.AddTask(func() { ran.Add(1) })
			return "queued"
		})
		start := make(chan struct{})
		var wg sync.WaitGroup
		codes := make(chan int, 16)
		for range 16 {
			wg.Go(func() {
				<-start
				rec := httptest.NewRecorder()
				app.ServeHTTP(rec, httptest.NewRequest("POST", "/jobs", nil))
				codes <- rec.Code
			})
		}
		close(start)
		wg.Wait()
		close(codes)
		for code := range codes {
			require.Equal(t, 200, code)
		}
		bgShutdown(t, app)
		require.Equal(t, int32(16), ran.Load())
	}
}
