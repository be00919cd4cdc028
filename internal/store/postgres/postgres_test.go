package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/crisisdesk/crisisdesk/internal/store"
	"github.com/crisisdesk/crisisdesk/internal/store/postgres"
	"github.com/crisisdesk/crisisdesk/internal/store/storetest"
)

// envDSN names the server the tests use. Unset, they try a local server with trust authentication
// and skip, loudly, when none answers; set, a server that does not answer fails the tests.
const (
	envDSN     = "CRISISDESK_TEST_POSTGRES"
	defaultDSN = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
)

// freshSchema creates a schema of its own for one test, dropped when the test ends, and returns a DSN
// whose search_path points at it.
func freshSchema(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(envDSN)
	explicit := dsn != "" // set but empty, as ./scripts/test leaves it when it finds no server, is unset
	if !explicit {
		dsn = defaultDSN
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	admin, err := pgx.Connect(ctx, dsn)
	if err != nil {
		if explicit {
			t.Fatalf("%s is set but the server does not answer: %v", envDSN, err)
		}
		t.Skipf("POSTGRESQL NOT REACHABLE: the PostgreSQL half of the store suite was SKIPPED: %v "+
			"(set %s to a DSN to run it)", err, envDSN)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "crisisdesk_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, `CREATE SCHEMA `+pgx.Identifier{schema}.Sanitize()); err != nil {
		admin.Close(ctx)
		t.Fatalf("create schema %s: %v", schema, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, `DROP SCHEMA `+pgx.Identifier{schema}.Sanitize()+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close(ctx)
	})
	return withSearchPath(t, dsn, schema)
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatalf("%s is not a URL: %v", envDSN, err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := postgres.Open(t.Context(), freshSchema(t), nil)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return s
	})
}

// TestConcurrentOpen starts several stores on one empty schema at once, as processes starting
// together would: the advisory lock lets one migrate while the others wait, and all must succeed.
func TestConcurrentOpen(t *testing.T) {
	dsn := freshSchema(t)
	const n = 4
	stores := make([]*postgres.Store, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = postgres.Open(t.Context(), dsn, nil) })
	}
	wg.Wait()
	for _, s := range stores {
		if s != nil {
			t.Cleanup(func() { s.Close() })
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("Open: %v", err)
	}
	posts := storetest.GeneratePosts(10, 1, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	for i, s := range stores {
		got, err := s.InsertPosts(t.Context(), posts)
		if err != nil {
			t.Fatalf("store %d: InsertPosts: %v", i, err)
		}
		if want := map[bool]int{true: 10, false: 0}[i == 0]; got != want {
			t.Errorf("store %d: InsertPosts = %d new, want %d", i, got, want)
		}
	}
}

func TestOpenBadDSN(t *testing.T) {
	tests := []struct {
		name, dsn string
	}{
		{"not a DSN", "postgres://user:secret@[::1"},
		{"nothing listening", "postgres://postgres:secret@127.0.0.1:1/test?sslmode=disable&connect_timeout=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := postgres.Open(t.Context(), tt.dsn, nil)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}
