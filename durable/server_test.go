package durable_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"log/slog"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/briskgo/brisk"
	"github.com/briskgo/brisk/durable"
)

// The crash and scale-out tests run this file's server in child processes:
// the test binary, re-executed with DURABLE_SERVER set.
func TestMain(m *testing.M) {
	if os.Getenv("DURABLE_SERVER") != "" {
		runServer()
		return
	}
	os.Exit(m.Run())
}

// workArgs is the server's task: record that Token was worked.
type workArgs struct {
	Token string `json:"token"`
}

func (workArgs) Kind() string { return "work" }

// runServer serves POST /work/{token}: each 2xx names the token of a task
// that is stored. Its worker records every run in runs and the token once
// in results (an idempotent write: exactly once in effect).
func runServer() {
	ctx := context.Background()
	driver, dsn := os.Getenv("DURABLE_SERVER"), os.Getenv("DURABLE_DSN")
	pid := os.Getpid()
	var record func(ctx context.Context, token string) error
	ws := durable.NewWorkers()
	durable.HandleFunc(ws, func(ctx context.Context, job *river.Job[workArgs]) error {
		time.Sleep(2 * time.Millisecond) // a little work, so some runs are cut by a kill
		return record(ctx, job.Args.Token)
	})
	cfg := durable.Config{
		Workers:     ws,
		MaxWorkers:  8,
		TaskTimeout: 2 * time.Second,
		RescueAfter: 3 * time.Second,
		Logger:      slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		River: func(c *river.Config) {
			c.FetchCooldown = 20 * time.Millisecond
			c.FetchPollInterval = 100 * time.Millisecond
		},
	}
	var q *durable.Queue
	var err error
	switch driver {
	case "sqlite":
		v := url.Values{}
		v.Add("_pragma", "journal_mode(WAL)")
		v.Add("_pragma", "synchronous(FULL)")
		v.Add("_pragma", "busy_timeout(10000)")
		db, err2 := sql.Open("sqlite", "file:"+dsn+"?"+v.Encode())
		if err2 != nil {
			log.Fatal(err2)
		}
		db.SetMaxOpenConns(1)
		mustSQL(db.Exec(`CREATE TABLE IF NOT EXISTS results (token TEXT PRIMARY KEY, pid INTEGER)`))
		mustSQL(db.Exec(`CREATE TABLE IF NOT EXISTS runs (token TEXT, pid INTEGER)`))
		record = func(ctx context.Context, token string) error {
			if _, err := db.ExecContext(ctx, `INSERT INTO runs (token, pid) VALUES (?, ?)`, token, pid); err != nil {
				return err
			}
			_, err := db.ExecContext(ctx, `INSERT INTO results (token, pid) VALUES (?, ?) ON CONFLICT (token) DO NOTHING`, token, pid)
			return err
		}
		q, err = durable.NewSQLite(ctx, db, cfg)
	case "postgres":
		pool, err2 := pgxpool.New(ctx, dsn)
		if err2 != nil {
			log.Fatal(err2)
		}
		mustPG(pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS results (token TEXT PRIMARY KEY, pid INTEGER)`))
		mustPG(pool.Exec(ctx, `CREATE TABLE IF NOT EXISTS runs (token TEXT, pid INTEGER)`))
		record = func(ctx context.Context, token string) error {
			if _, err := pool.Exec(ctx, `INSERT INTO runs (token, pid) VALUES ($1, $2)`, token, pid); err != nil {
				return err
			}
			_, err := pool.Exec(ctx, `INSERT INTO results (token, pid) VALUES ($1, $2) ON CONFLICT (token) DO NOTHING`, token, pid)
			return err
		}
		cfg.Schema = os.Getenv("DURABLE_SCHEMA")
		q, err = durable.NewPostgres(ctx, pool, cfg)
	default:
		log.Fatalf("DURABLE_SERVER=%q", driver)
	}
	if err != nil {
		log.Fatal(err)
	}
	app := brisk.New(brisk.Config{ShutdownTimeout: 10 * time.Second})
	if err := q.Attach(app); err != nil {
		log.Fatal(err)
	}
	app.Post("/work/{token}", func(token string, tasks *durable.Tasks) map[string]string {
		tasks.Add(workArgs{Token: token}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}})
		return map[string]string{"token": token}
	}, brisk.Status(202))
	if err := app.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		os.Exit(1)
	}
}

func mustSQL(_ sql.Result, err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func mustPG[T any](_ T, err error) {
	if err != nil {
		log.Fatal(err)
	}
}
