// Package durable runs a Brisk app's background work on River
// (github.com/riverqueue/river): tasks that survive a crash, a deploy or an
// OOM kill, and spread over any number of replicas.
//
// The default store is an embedded SQLite database (modernc.org/sqlite, pure
// Go: nothing to install); PostgreSQL (pgx v5) takes over when the app
// outgrows one machine. Only the line that opens the queue differs:
//
//	q, err := durable.OpenSQLite(ctx, "tasks.db", durable.Config{Workers: workers})
//	q, err := durable.OpenPostgres(ctx, "postgres://…", durable.Config{Workers: workers})
//
// Tasks are River jobs: an args type with a Kind, worked by a River worker
// registered on a *river.Workers (or by a func, with [HandleFunc]).
// A request adds them through the injected [*Tasks]; they are inserted, all
// or none, after the handler succeeds and before the response is written
// (a 2xx means stored), and dropped with the request on an error answer,
// as brisk.BackgroundTasks are. [Queue.InsertTx] inserts within the
// caller's own database transaction.
//
// [Queue.Attach] plugs a queue into an App: the provider of *Tasks, the
// workers started, and stopped by the App's shutdown (stop fetching, finish
// running tasks until the shutdown deadline, leave the rest queued for the
// next process). A worker-only process calls [Queue.Run] instead.
//
// This package is a module of its own so that River, pgx and SQLite never
// enter the core module.
package durable
