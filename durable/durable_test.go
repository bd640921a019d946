package durable_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/durable"
)

// noteArgs is the task of the tests: a note to deliver.
type noteArgs struct {
	Text string `json:"text"`
}

func (noteArgs) Kind() string { return "note" }

// otherArgs is a kind no worker takes.
type otherArgs struct{}

func (otherArgs) Kind() string { return "other" }

func post(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := http.Post(srv.URL+path, "application/json", nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// noteWorkers registers a note worker that reports each note on got.
func noteWorkers(got chan<- string) *durable.Workers {
	ws := durable.NewWorkers()
	durable.HandleFunc(ws, func(ctx context.Context, job *river.Job[noteArgs]) error {
		got <- job.Args.Text
		return nil
	})
	return ws
}

// noteApp is an app whose routes add notes; its queue is not started, so
// the tests see the rows the requests stored.
func noteApp(q *durable.Queue) *brisk.App {
	app := brisk.New(brisk.Config{Logger: slog.New(slog.DiscardHandler)})
	app.Provide(q.Tasks)
	app.Post("/notes/{text}", func(text string, tasks *durable.Tasks) map[string]string {
		tasks.Add(noteArgs{Text: text}, nil)
		return map[string]string{"stored": text}
	}, brisk.Status(201))
	app.Post("/unique/{text}", func(text string, tasks *durable.Tasks) string {
		tasks.Add(noteArgs{Text: text}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
		return "ok"
	})
	app.Post("/conflict/{text}", func(text string, tasks *durable.Tasks) error {
		tasks.Add(noteArgs{Text: text}, nil)
		return brisk.Error(409, "conflict")
	})
	// A provider adds a task; the handler's own input then fails: 422.
	app.Provide(func(tasks *durable.Tasks) providedNote {
		tasks.Add(noteArgs{Text: "from-provider"}, nil)
		return providedNote{}
	})
	app.Post("/invalid", func(_ providedNote, in struct {
		Limit int `query:"limit" validate:"min=1"`
	}) string {
		return "ok"
	})
	app.Post("/unknown", func(tasks *durable.Tasks) string {
		tasks.Add(otherArgs{}, nil)
		return "ok"
	})
	return app
}

type providedNote struct{}

func notes(t *testing.T, s store) int {
	return s.count(t, "SELECT count(*) FROM river_job WHERE kind = 'note'")
}

func TestRequestTasksAreStoredBeforeTheAnswer(t *testing.T) {
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			q := s.open(t, durable.Config{Workers: noteWorkers(make(chan string, 10))})
			srv := httptest.NewServer(noteApp(q))
			defer srv.Close()

			code, body := post(t, srv, "/notes/hello")
			assert.Equal(t, 201, code)
			assert.JSONEq(t, `{"stored":"hello"}`, body)
			// The answer is back: the row is already there.
			assert.Equal(t, 1, notes(t, s))

			code, _ = post(t, srv, "/conflict/x")
			assert.Equal(t, 409, code)
			code, _ = post(t, srv, "/invalid?limit=0")
			assert.Equal(t, 422, code)
			assert.Equal(t, 1, notes(t, s), "an error answer drops the request's tasks")

			for range 3 {
				code, _ = post(t, srv, "/unique/same")
				assert.Equal(t, 200, code)
			}
			assert.Equal(t, 2, notes(t, s), "a unique task is stored once however often the request is retried")

			code, _ = post(t, srv, "/unknown")
			assert.Equal(t, 500, code, "a kind no worker takes is a programming error")
		})
	}
}

func TestInsertFailureIs503AndLogged(t *testing.T) {
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			var logs bytes.Buffer
			var mu sync.Mutex
			logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, nil))
			q := s.open(t, durable.Config{Workers: noteWorkers(make(chan string, 1)), Logger: logger})
			srv := httptest.NewServer(noteApp(q))
			defer srv.Close()

			// The store goes away: the request's commit cannot insert.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			app := brisk.New()
			app.Provide(q.Tasks)
			app.Post("/x", func(r *http.Request, tasks *durable.Tasks) string {
				tasks.Add(noteArgs{Text: "lost?"}, nil)
				return "ok"
			})
			srv2 := httptest.NewServer(brokenContext(ctx, app))
			defer srv2.Close()
			code, body := post(t, srv2, "/x")
			assert.Equal(t, 503, code)
			assert.JSONEq(t, `{"detail":"Service Unavailable"}`, body)
			mu.Lock()
			assert.Contains(t, logs.String(), "inserting the request's tasks failed")
			assert.Contains(t, logs.String(), "kinds=[note]")
			mu.Unlock()
			assert.Equal(t, 0, notes(t, s))
		})
	}
}

// brokenContext serves h with requests whose context is ctx (already
// cancelled): every database call of the request fails.
func brokenContext(ctx context.Context, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestInsertTxFollowsTheCallersTransaction(t *testing.T) {
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			q := s.open(t, durable.Config{Workers: noteWorkers(make(chan string, 1))})
			ctx := context.Background()

			tx, _, rollback := s.begin(t)
			_, err := q.InsertTx(ctx, tx, noteArgs{Text: "rolled back"}, nil)
			require.NoError(t, err)
			rollback()
			assert.Equal(t, 0, notes(t, s))

			tx, commit, _ := s.begin(t)
			res, err := q.InsertTx(ctx, tx, noteArgs{Text: "committed"}, nil)
			require.NoError(t, err)
			commit()
			assert.Equal(t, 1, notes(t, s))
			row, err := q.Task(ctx, res.Job.ID)
			require.NoError(t, err)
			assert.Equal(t, "note", row.Kind)

			_, err = q.InsertTx(ctx, "not a transaction", noteArgs{}, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "takes a")
		})
	}
}

func TestAttachedWorkersRunRetryAndStopWithTheApp(t *testing.T) {
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			got := make(chan string, 10)
			var mu sync.Mutex
			attempts := map[string]int{}
			ws := durable.NewWorkers()
			durable.HandleFunc(ws, func(ctx context.Context, job *river.Job[noteArgs]) error {
				mu.Lock()
				attempts[job.Args.Text]++
				n := attempts[job.Args.Text]
				mu.Unlock()
				if job.Args.Text == "flaky" && n == 1 {
					return io.ErrUnexpectedEOF // retried with backoff
				}
				got <- job.Args.Text
				return nil
			})
			var logs bytes.Buffer
			var lmu sync.Mutex
			app := brisk.New(brisk.Config{Logger: slog.New(slog.NewTextHandler(lockedWriter{&lmu, &logs}, nil))})
			q := s.open(t, durable.Config{Workers: ws, River: func(c *river.Config) {
				c.RetryPolicy = immediateRetry{}
				c.FetchCooldown = 20 * time.Millisecond
				c.FetchPollInterval = 50 * time.Millisecond
			}})
			require.NoError(t, q.Attach(app))
			app.Post("/notes/{text}", func(text string, tasks *durable.Tasks) string {
				tasks.Add(noteArgs{Text: text}, nil)
				return "ok"
			})
			later := time.Now().Add(time.Hour)
			app.Post("/later", func(tasks *durable.Tasks) string {
				tasks.Add(noteArgs{Text: "later"}, &river.InsertOpts{ScheduledAt: later})
				return "ok"
			})
			srv := httptest.NewServer(app)
			defer srv.Close()

			post(t, srv, "/notes/first")
			post(t, srv, "/notes/flaky")
			post(t, srv, "/later")
			seen := map[string]bool{}
			for len(seen) < 2 {
				select {
				case s := <-got:
					seen[s] = true
				case <-time.After(30 * time.Second):
					t.Fatalf("tasks not worked; seen %v", seen)
				}
			}
			mu.Lock()
			assert.Equal(t, 2, attempts["flaky"], "a failing task is retried")
			mu.Unlock()
			lmu.Lock()
			assert.Contains(t, logs.String(), "durable: task failed")
			assert.Contains(t, logs.String(), "kind=note")
			assert.Contains(t, logs.String(), "durable: workers started")
			lmu.Unlock()

			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			require.NoError(t, app.Shutdown(ctx))
			// The scheduled task was left for the next process.
			assert.Equal(t, 1, s.count(t, "SELECT count(*) FROM river_job WHERE kind = 'note' AND state = 'scheduled'"))
		})
	}
}

// immediateRetry retries a failed task at once.
type immediateRetry struct{}

func (immediateRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

func TestAddOfAnUnknownKindPanicsAtTheCall(t *testing.T) {
	s := sqliteStore(t)
	q := s.open(t, durable.Config{Workers: noteWorkers(make(chan string, 1))})
	defer func() {
		r := recover()
		require.NotNil(t, r)
		assert.True(t, strings.Contains(r.(string), `no worker registered for task kind "other"`), r)
	}()
	q.Tasks().Add(otherArgs{}, nil)
}

func TestCancelAScheduledTask(t *testing.T) {
	for _, s := range stores(t) {
		t.Run(s.name, func(t *testing.T) {
			q := s.open(t, durable.Config{Workers: noteWorkers(make(chan string, 1))})
			ctx := context.Background()
			res, err := q.Insert(ctx, noteArgs{Text: "later"}, &river.InsertOpts{ScheduledAt: time.Now().Add(time.Hour)})
			require.NoError(t, err)
			assert.Equal(t, rivertype.JobStateScheduled, res.Job.State)
			_, err = q.Cancel(ctx, res.Job.ID)
			require.NoError(t, err)
			row, err := q.Task(ctx, res.Job.ID)
			require.NoError(t, err)
			assert.Equal(t, rivertype.JobStateCancelled, row.State)
		})
	}
}
