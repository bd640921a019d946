package durable_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/require"

	"github.com/briskgo/brisk/durable"
)

// postgresURL is where the PostgreSQL tests connect: BRISK_TEST_POSTGRES,
// or the project machines' server.
func postgresURL() string {
	if u := os.Getenv("BRISK_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
}

// store is one database the tests run on, with the SQL the tests need to
// look inside it.
type store struct {
	name string
	// dsn is what the test server opens: a file path or a connection URL
	// (with the test's own search_path).
	dsn string
	// open returns a queue on the store, for this process.
	open func(t testing.TB, cfg durable.Config) *durable.Queue
	// exec and count run the tests' own SQL (placeholders written $1).
	exec  func(t testing.TB, q string, args ...any)
	count func(t testing.TB, q string, args ...any) int
	// begin starts a transaction of the driver's type (*sql.Tx or pgx.Tx)
	// and returns it with its commit and rollback.
	begin func(t testing.TB) (tx any, commit, rollback func())
}

// stores returns SQLite always, and PostgreSQL when it answers. With CI=true
// a PostgreSQL that does not answer fails the test.
func stores(t testing.TB) []store {
	s := []store{sqliteStore(t)}
	if pg, ok := postgresStore(t); ok {
		s = append(s, pg)
	}
	return s
}

func sqliteStore(t testing.TB) store {
	path := filepath.Join(t.TempDir(), "tasks.db")
	var db *sql.DB
	openDB := func() *sql.DB {
		if db == nil {
			v := url.Values{}
			v.Add("_pragma", "journal_mode(WAL)")
			v.Add("_pragma", "busy_timeout(10000)")
			var err error
			db, err = sql.Open("sqlite", "file:"+path+"?"+v.Encode())
			require.NoError(t, err)
			db.SetMaxOpenConns(1)
			t.Cleanup(func() { db.Close() })
		}
		return db
	}
	return store{
		name: "sqlite",
		dsn:  path,
		open: func(t testing.TB, cfg durable.Config) *durable.Queue {
			q, err := durable.NewSQLite(context.Background(), openDB(), cfg)
			require.NoError(t, err)
			return q
		},
		exec: func(t testing.TB, q string, args ...any) {
			_, err := openDB().Exec(sqliteSQL(q), args...)
			require.NoError(t, err)
		},
		count: func(t testing.TB, q string, args ...any) int {
			var n int
			require.NoError(t, openDB().QueryRow(sqliteSQL(q), args...).Scan(&n))
			return n
		},
		begin: func(t testing.TB) (any, func(), func()) {
			tx, err := openDB().Begin()
			require.NoError(t, err)
			return tx, func() { require.NoError(t, tx.Commit()) }, func() { tx.Rollback() }
		},
	}
}

// sqliteSQL turns $1 placeholders into ?.
func sqliteSQL(q string) string {
	for i := 9; i >= 1; i-- {
		q = strings.ReplaceAll(q, fmt.Sprintf("$%d", i), "?")
	}
	return q
}

func postgresStore(t testing.TB) (store, bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	admin, err := pgxpool.New(ctx, postgresURL())
	if err == nil {
		err = admin.Ping(ctx)
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL does not answer at %s (CI=true needs it): %v", postgresURL(), err)
		}
		t.Logf("PostgreSQL tests skipped: nothing answers at %s (set BRISK_TEST_POSTGRES): %v", postgresURL(), err)
		return store{}, false
	}
	schema := fmt.Sprintf("durable_test_%d", time.Now().UnixNano())
	_, err = admin.Exec(ctx, "CREATE SCHEMA "+schema)
	require.NoError(t, err)
	t.Cleanup(func() {
		admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(postgresURL())
	require.NoError(t, err)
	qv := u.Query()
	qv.Set("search_path", schema)
	u.RawQuery = qv.Encode()
	dsn := u.String()
	pool, err := pgxpool.New(context.Background(), dsn)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	return store{
		name: "postgres",
		dsn:  dsn,
		open: func(t testing.TB, cfg durable.Config) *durable.Queue {
			cfg.Schema = schema
			q, err := durable.NewPostgres(context.Background(), pool, cfg)
			require.NoError(t, err)
			return q
		},
		exec: func(t testing.TB, q string, args ...any) {
			_, err := pool.Exec(context.Background(), q, args...)
			require.NoError(t, err)
		},
		count: func(t testing.TB, q string, args ...any) int {
			var n int
			require.NoError(t, pool.QueryRow(context.Background(), q, args...).Scan(&n))
			return n
		},
		begin: func(t testing.TB) (any, func(), func()) {
			tx, err := pool.Begin(context.Background())
			require.NoError(t, err)
			return tx, func() { require.NoError(t, tx.Commit(context.Background())) }, func() { tx.Rollback(context.Background()) }
		},
	}, true
}
