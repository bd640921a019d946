// Queue: the River client of a process, opened on SQLite or PostgreSQL,
// started and stopped with the App.

package durable

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go

	"github.com/briskgo/brisk"
)

// Config configures a Queue. Its zero value is an insert-only queue (no
// workers) with River's defaults.
type Config struct {
	// Workers are the task kinds this process works. Nil makes an
	// insert-only queue: a replica whose tasks other processes work.
	Workers *Workers
	// MaxWorkers bounds how many tasks this process runs at once
	// (default 16).
	MaxWorkers int
	// MaxAttempts is how many times a failing task is tried before it is
	// discarded (River's default, 25), with exponential backoff between
	// attempts. A task kind may set its own with InsertOpts.
	MaxAttempts int
	// TaskTimeout bounds one attempt of a task (River's default, 1 minute;
	// -1 for none).
	TaskTimeout time.Duration
	// RescueAfter is how long a task may stay running before it is taken
	// for lost (its process crashed) and retried (River's default, 1 hour
	// past TaskTimeout). It must be longer than any attempt can run.
	RescueAfter time.Duration
	// Logger receives task errors and panics (with the task's kind, id and
	// attempt) and River's own logs. Nil: the App's logger once
	// [Queue.Attach] is called, slog.Default before.
	Logger *slog.Logger
	// Schema is the PostgreSQL schema of River's tables (default: the
	// connection's search path). Unused with SQLite.
	Schema string
	// River, if set, is called on the River configuration before the client
	// is built: for what this Config does not name (periodic tasks, queues,
	// retry policy, middleware).
	River func(*river.Config)
}

// Queue is one process's handle on the durable task store: it inserts the
// tasks requests add and, when it has workers, works them.
type Queue struct {
	b       backend
	cfg     Config
	log     *logSwitch
	driver  string
	closeDB func()

	mu      sync.Mutex
	started bool
	stopped bool
}

// OpenSQLite opens (creating it if needed) the SQLite database file at path,
// brings River's tables up to date, and returns a queue on it. The file is
// written with synchronous=FULL in WAL mode: a task whose request got a 2xx
// survives a crash of the process and of the machine. Tasks of one SQLite
// file are worked by one process at a time; use PostgreSQL for replicas.
func OpenSQLite(ctx context.Context, path string, cfg Config) (*Queue, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(on)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("durable: opening %s: %w", path, err)
	}
	// SQLite allows one writer at a time: River works best with one
	// connection (see riversqlite).
	db.SetMaxOpenConns(1)
	queue, err := NewSQLite(ctx, db, cfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	queue.closeDB = func() { db.Close() }
	return queue, nil
}

// NewSQLite returns a queue on an open SQLite database (modernc.org/sqlite's
// "sqlite" driver), after bringing River's tables up to date. The caller
// keeps db, which must stay open while the queue runs.
func NewSQLite(ctx context.Context, db *sql.DB, cfg Config) (*Queue, error) {
	drv := riversqlite.New(db)
	return newQueue(ctx, drv, cfg, "sqlite", "*sql.Tx")
}

// OpenPostgres connects to the PostgreSQL database at url (a pgx connection
// string), brings River's tables up to date, and returns a queue on it. Any
// number of processes may share the database: each takes tasks as it has
// room, and a crashed one's tasks are retried by the others.
func OpenPostgres(ctx context.Context, url string, cfg Config) (*Queue, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("durable: connecting to PostgreSQL: %w", err)
	}
	queue, err := NewPostgres(ctx, pool, cfg)
	if err != nil {
		pool.Close()
		return nil, err
	}
	queue.closeDB = pool.Close
	return queue, nil
}

// NewPostgres returns a queue on a pgx pool, after bringing River's tables up
// to date. The caller keeps pool, which must stay open while the queue runs.
func NewPostgres(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Queue, error) {
	drv := riverpgxv5.New(pool)
	return newQueue(ctx, drv, cfg, "postgres", "pgx.Tx")
}

func newQueue[TTx any](ctx context.Context, drv riverdriver.Driver[TTx], cfg Config, driver, txName string) (*Queue, error) {
	schema := cfg.Schema
	if driver == "sqlite" {
		schema = ""
	}
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Schema: schema, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("durable: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return nil, fmt.Errorf("durable: migrating River's tables: %w", err)
	}
	log := newLogSwitch(cfg.Logger)
	rc := &river.Config{
		Logger:      slog.New(log),
		MaxAttempts: cfg.MaxAttempts,
		JobTimeout:  cfg.TaskTimeout,
		Schema:      schema,
	}
	if cfg.RescueAfter > 0 {
		rc.RescueStuckJobsAfter = cfg.RescueAfter
	}
	if cfg.Workers != nil {
		rc.Workers = cfg.Workers.river
		rc.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmpOr(cfg.MaxWorkers, 16)}}
		rc.ErrorHandler = &errorLogger{log: slog.New(log)}
	}
	if cfg.River != nil {
		cfg.River(rc)
	}
	c, err := river.NewClient(drv, rc)
	if err != nil {
		return nil, fmt.Errorf("durable: %w", err)
	}
	return &Queue{b: &client[TTx]{c: c, txName: txName}, cfg: cfg, log: log, driver: driver}, nil
}

// Tasks returns a new, empty list of tasks for one request. Register it as
// a provider (Attach does), so that every provider and the handler of a
// request share one list, committed when the handler succeeds.
func (q *Queue) Tasks() *Tasks { return &Tasks{q: q} }

// Attach plugs q into app: it provides *Tasks to the app's routes, logs
// through the app's logger (unless Config.Logger is set), starts the
// workers (if any), and stops them when the app shuts down, after its
// in-flight requests and in-process tasks: running tasks are given until
// the shutdown deadline, queued ones stay for the next process.
func (q *Queue) Attach(app *brisk.App) error {
	if q.cfg.Logger == nil {
		q.log.set(app.Logger())
	}
	app.Provide(q.Tasks)
	app.OnShutdown(q.Stop)
	return q.Start(context.Background())
}

// Start starts working tasks, if q has workers (an insert-only queue only
// logs that it is ready). It is called by Attach.
func (q *Queue) Start(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.started {
		return errors.New("durable: Start called twice")
	}
	q.started = true
	logger := q.logger()
	if q.cfg.Workers == nil {
		logger.Info("durable: queue open (insert only)", "driver", q.driver)
		return nil
	}
	if err := q.b.start(ctx); err != nil {
		return fmt.Errorf("durable: starting workers: %w", err)
	}
	logger.Info("durable: workers started", "driver", q.driver, "kinds", q.cfg.Workers.Kinds(),
		"max_workers", cmpOr(q.cfg.MaxWorkers, 16))
	return nil
}

// Stop stops fetching tasks, waits for the running ones until ctx ends, then
// closes the database if q opened it. Tasks not started stay queued for the
// next process; a task still running when ctx ends is retried after
// RescueAfter. Stop is safe to call more than once.
func (q *Queue) Stop(ctx context.Context) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.stopped {
		return nil
	}
	q.stopped = true
	var err error
	if q.started && q.cfg.Workers != nil {
		err = q.b.stop(ctx)
		if err != nil {
			err = fmt.Errorf("durable: stopping workers: %w", err)
		}
	}
	if q.closeDB != nil {
		q.closeDB()
	}
	return err
}

// Run starts the workers and works tasks until ctx ends, then stops,
// giving running tasks up to grace to finish: the main loop of a
// worker-only process (no HTTP), with ctx from signal.NotifyContext.
func (q *Queue) Run(ctx context.Context, grace time.Duration) error {
	if err := q.Start(ctx); err != nil {
		return err
	}
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	return q.Stop(stopCtx)
}

// Insert inserts one task outside a request (a script, a periodic sweep).
func (q *Queue) Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	q.checkKind(args)
	res, err := q.b.insertMany(ctx, []river.InsertManyParams{{Args: args, InsertOpts: opts}})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// InsertMany inserts tasks in one transaction, all or none.
func (q *Queue) InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	for _, p := range params {
		q.checkKind(p.Args)
	}
	return q.b.insertMany(ctx, params)
}

// InsertTx inserts a task within the caller's own transaction: a *sql.Tx on
// SQLite, a pgx.Tx on PostgreSQL. The task exists only if tx commits — the
// row it describes and the task that follows it up are stored together.
func (q *Queue) InsertTx(ctx context.Context, tx any, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error) {
	q.checkKind(args)
	res, err := q.b.insertManyTx(ctx, tx, []river.InsertManyParams{{Args: args, InsertOpts: opts}})
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// Cancel cancels a task: one not yet running never runs, a running one has
// its context cancelled. It returns the task's row.
func (q *Queue) Cancel(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return q.b.cancel(ctx, id)
}

// Task returns a task's row (its state, attempts, errors).
func (q *Queue) Task(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	return q.b.get(ctx, id)
}

// Driver names the store: "sqlite" or "postgres".
func (q *Queue) Driver() string { return q.driver }

// checkKind panics when q works tasks and args is of a kind none of its
// workers takes: the task would sit in the queue until discarded.
func (q *Queue) checkKind(args river.JobArgs) {
	if args == nil {
		panic("durable: a nil task")
	}
	if q.cfg.Workers != nil && !q.cfg.Workers.has(args.Kind()) {
		panic(fmt.Sprintf("durable: no worker registered for task kind %q (%T): register one with durable.Register or durable.HandleFunc",
			args.Kind(), args))
	}
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}
