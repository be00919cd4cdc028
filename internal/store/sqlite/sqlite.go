// Package sqlite implements store.Store on one SQLite file with modernc.org/sqlite, which is pure Go, so
// the crisisdesk binary needs no cgo. The schema lives in embedded migrations that Open applies.
//
// Several processes may use the same file at once (serve, and the CLI importing posts): the file runs in
// WAL mode, so readers never wait for the writer, and writers wait for each other through busy_timeout.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/crisisdesk/crisisdesk/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// busyTimeoutMillis is how long a writer waits for another process's write transaction before it
// gives up with SQLITE_BUSY. An import batch commits well within it.
const busyTimeoutMillis = 10000

// Store is a store.Store on one SQLite file.
//
// It holds two pools. write has a single connection, so the writes of one process queue in Go (where
// the wait honours ctx) rather than racing for the file lock and retrying inside SQLite; its
// transactions begin IMMEDIATE, which takes the write lock at BEGIN, so two processes cannot both
// start a read-then-write transaction and deadlock on the upgrade (busy_timeout cannot resolve that
// case, it returns SQLITE_BUSY at once). read has several query-only connections, which WAL lets run
// alongside the writer.
type Store struct {
	write  *sql.DB
	read   *sql.DB
	logger *slog.Logger
	// blockShift is blockShift except in tests, which make blocks small to have many of them.
	blockShift uint
}

var _ store.Store = (*Store)(nil)

// Open opens (creating it if needed) the database file at path and applies pending migrations. The
// path ":memory:" gives a private in-memory database for tests, on one connection. A nil logger
// discards.
func Open(ctx context.Context, path string, logger *slog.Logger) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("component", "store", "driver", "sqlite")
	if path == "" {
		return nil, errors.New("store: sqlite: empty database path")
	}

	s := &Store{logger: logger, blockShift: blockShift}
	if path == ":memory:" {
		// Every connection to :memory: is its own database, so reads must share the one writer.
		db, err := sql.Open("sqlite", dsn("file::memory:", false))
		if err != nil {
			return nil, fmt.Errorf("store: sqlite: open :memory:: %w", err)
		}
		db.SetMaxOpenConns(1)
		db.SetConnMaxIdleTime(0)
		db.SetConnMaxLifetime(0)
		s.write, s.read = db, db
	} else {
		name := "file:" + (&url.URL{Path: path}).EscapedPath()
		w, err := sql.Open("sqlite", dsn(name, false))
		if err != nil {
			return nil, fmt.Errorf("store: sqlite: open %s: %w", path, err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxIdleTime(0)
		w.SetConnMaxLifetime(0)
		r, err := sql.Open("sqlite", dsn(name, true))
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("store: sqlite: open %s: %w", path, err)
		}
		n := max(4, runtime.GOMAXPROCS(0))
		r.SetMaxOpenConns(n)
		r.SetMaxIdleConns(n)
		s.write, s.read = w, r
	}

	if err := s.migrateRetrying(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: sqlite: %s: %w", path, err)
	}
	return s, nil
}

// migrateRetrying runs migrate, retrying while the file is busy. Two processes opening a new file at
// once both switch it to WAL mode, and SQLite reports that collision as SQLITE_BUSY at once, without
// waiting through busy_timeout; a moment later the switch is done and the open succeeds.
func (s *Store) migrateRetrying(ctx context.Context) error {
	deadline := time.Now().Add(busyTimeoutMillis * time.Millisecond)
	for {
		err := s.migrate(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		s.logger.DebugContext(ctx, "database busy while opening, retrying", "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%w (after: %w)", ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func isBusy(err error) bool {
	var se *msqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// dsn builds the connection string. The pragmas go in the DSN so that every connection the pool
// opens gets them, including ones it reopens later.
func dsn(name string, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", strconv.Itoa(busyTimeoutMillis))
	// In WAL mode NORMAL loses at most the last transactions on power loss, never consistency,
	// and saves an fsync per commit.
	q.Set("_synchronous", "NORMAL")
	q.Set("_foreign_keys", "1")
	if readOnly {
		// WAL mode is recorded in the file, so readers, which open after the writer has migrated,
		// find it set and need not (and, being query-only, could not) set it.
		q.Set("_query_only", "1")
		q.Add("_pragma", "cache_size(-16384)")
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_txlock", "immediate")
		// The writer keeps the upper levels of the three indexes that every insert touches in memory
		// (the default cache is 2 MiB), and checkpoints every 64 MiB of WAL instead of every 4 MiB, so
		// a page that several batches change is copied into the database file once. Both measured
		// about a fifth more posts per CPU second in BenchmarkInsertPosts at a million posts.
		q.Add("_pragma", "cache_size(-65536)")
		q.Add("_pragma", "wal_autocheckpoint(16384)")
		q.Add("_pragma", "journal_size_limit(67108864)")
	}
	return name + "?" + q.Encode()
}

// Ping checks that both pools answer.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("store: sqlite: ping: %w", err)
	}
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("store: sqlite: ping: %w", err)
	}
	return nil
}

// Close closes both pools.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	if err != nil {
		return fmt.Errorf("store: sqlite: close: %w", err)
	}
	return nil
}

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration file %q is not named NNNN_name.sql", e.Name())
		}
		body, err := fs.ReadFile(migrationFiles, "migrations/"+e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// migrate applies the embedded migrations that schema_migrations does not list, each in its own
// transaction. Transactions begin IMMEDIATE, so a second process opening the file at the same moment
// waits, then sees the version recorded and skips it.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := loadMigrations()
	if err != nil {
		return fmt.Errorf("load migrations: %w", err)
	}
	if _, err := s.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", mapError(err))
	}
	for _, m := range ms {
		applied, err := s.applyMigration(ctx, m)
		if err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
		if applied {
			s.logger.InfoContext(ctx, "applied migration", "version", m.version, "name", m.name)
		}
	}
	return nil
}

func (s *Store) applyMigration(ctx context.Context, m migration) (applied bool, err error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return false, mapError(err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return false, mapError(err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return false, mapError(err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
		return false, mapError(err)
	}
	if err := tx.Commit(); err != nil {
		return false, mapError(err)
	}
	return true, nil
}

// mapError is the one place where driver errors become store sentinels. The driver's error stays in
// the chain for the log.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %w", store.ErrNotFound, err)
	}
	var se *msqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %w", store.ErrAlreadyExists, err)
		}
	}
	return err
}
